"""A notice's `suppress:` list: findings the legal team accepts, with a written reason.

A suppression ``{code, target, reason}`` of a notice matches the findings of that
notice (``("notice", <id>)`` in ``Diagnostic.extra``) whose code equals ``code``
and, when ``target`` is given, whose ``("target", <id>)`` equals it. Matching
findings are kept, with ``Diagnostic.suppressed`` set to the reason, so reports show
them and runs never fail on them. A suppression that matches nothing is reported as
a ``suppress.unused`` warning at the suppression, so stale entries get noticed.

Works for any code. A stage that sees only some codes passes ``prefix`` (e.g.
``"gdpr."``): suppressions of other codes are then left alone, neither applied nor
reported unused. Applying twice is harmless: already suppressed findings keep
their first reason, and an identical ``suppress.unused`` warning is not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from notice_builder.diagnostics import Diagnostic, Location, warning
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content
from notice_builder.model.notice import Suppression

UNUSED = "suppress.unused"
_OPEN_FAMILIES = ("schema.", "yaml.", "ref.", "site.")
"""Families whose codes the list of checks gives by family, not one by one."""


def extra_value(diagnostic: Diagnostic, key: str) -> str | None:
    """The value of ``key`` in a diagnostic's ``extra`` pairs, if present."""
    return next((value for name, value in diagnostic.extra if name == key), None)


@dataclass(frozen=True)
class _Entry:
    notice_id: str
    index: int
    suppression: Suppression

    def matches(self, diagnostic: Diagnostic) -> bool:
        return (
            diagnostic.code == self.suppression.code
            and extra_value(diagnostic, "notice") == self.notice_id
            and (
                not self.suppression.target
                or extra_value(diagnostic, "target") == self.suppression.target
            )
        )


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    content: Content,
    sources: ContentSources,
    *,
    prefix: str = "",
) -> list[Diagnostic]:
    """The diagnostics with suppressed ones marked, plus a warning per unused suppression."""
    entries = [
        _Entry(notice.id, index, suppression)
        for notice in content.notices
        for index, suppression in enumerate(notice.suppress)
        if suppression.code.startswith(prefix)
    ]
    used: set[_Entry] = set()
    result: list[Diagnostic] = []
    for diagnostic in diagnostics:
        matching = [entry for entry in entries if entry.matches(diagnostic)]
        used.update(matching)
        if matching and diagnostic.suppressed is None:
            diagnostic = replace(diagnostic, suppressed=matching[0].suppression.reason)
        result.append(diagnostic)
    for entry in entries:
        if entry not in used:
            unused = _unused(
                entry, result, sources.notice(entry.notice_id, ("suppress", entry.index))
            )
            if unused not in result:
                result.append(unused)
    return result


def _no_finding_hint(code: str) -> str:
    """A code no check has is a typo more likely than a stale entry: name the closest."""
    from difflib import get_close_matches

    from notice_builder.checks.catalog import all_checks

    known = [check.code for check in all_checks()]
    if code in known or code.startswith(_OPEN_FAMILIES):
        return (
            "nothing reports this code any more: remove the entry from `suppress:` "
            "(or correct `code:`)"
        )
    closest = get_close_matches(code, known, n=1, cutoff=0.8)
    if closest:
        return f"no check has the code `{code}`: did you mean `{closest[0]}`?"
    return f"no check has the code `{code}`: `notice-builder check --list-checks` lists them"


def _unused(entry: _Entry, found: list[Diagnostic], location: Location | None) -> Diagnostic:
    code, target = entry.suppression.code, entry.suppression.target
    about = f" with target '{target}'" if target else ""
    same_notice = [d for d in found if extra_value(d, "notice") == entry.notice_id]
    targets = sorted({t for d in same_notice if d.code == code and (t := extra_value(d, "target"))})
    if targets:
        hint = f"findings of this code are about {', '.join(targets)}: correct `target:`"
    else:
        hint = _no_finding_hint(code)
    diagnostic = warning(
        UNUSED,
        f"the suppression of `{code}`{about} in notice '{entry.notice_id}' matches no finding",
        location,
        hint,
    )
    return replace(diagnostic, extra=(("notice", entry.notice_id), ("target", code)))
