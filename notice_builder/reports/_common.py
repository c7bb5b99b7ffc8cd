"""What every report format shares: options, ordering, check families and the summary.

The formats must agree on what a run found (the same counts, the same order, the same
verdict), so those rules live here once instead of in each renderer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from notice_builder import __version__
from notice_builder.diagnostics import Diagnostic, Severity, fails


@dataclass(frozen=True)
class ReportOptions:
    """How a report is rendered; ``color`` only affects the text format."""

    color: bool = False
    checks_run: tuple[str, ...] = ()
    tool_version: str = __version__
    strict: bool = False


def normalize_checks(checks_run: Iterable[str] | str) -> tuple[str, ...]:
    """The check families that ran, de-duplicated and sorted so output never depends on
    the order the checks happened to run in. A lone string is one family, not letters."""
    if isinstance(checks_run, str):
        checks_run = (checks_run,)
    return tuple(sorted({name.strip() for name in checks_run if name.strip()}))


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in report order: path, line, column, code, message, then the remaining
    fields, so that two runs over the same input print byte-identical reports."""
    return sorted(diagnostics, key=_full_key)


def _full_key(item: Diagnostic) -> tuple[str, int, int, str, str, int, str, str]:
    return (*item.sort_key(), -item.severity.rank, item.hint, item.suppressed or "")


BUILD_FAMILY = "build"
"""The check family of loading, validating and rendering: ``check`` runs the build."""


def family_of(code: str, checks_run: Sequence[str] = ()) -> str:
    """The check family a code belongs to.

    A family named in ``checks_run`` wins when it is the code itself or a dotted prefix of
    it (the longest such), so multi-part families like ``link.external`` and rule codes like
    ``gdpr.13-2-b.portability-missing`` land in the family that actually ran. Otherwise the
    family is the first dotted part of the code; but when the build ran, it is the build
    (``schema.choice``, ``template.syntax`` and ``output.unwritable`` are what the build
    found: a report that showed a passing "build" beside them said it had succeeded).
    """
    matches = [name for name in checks_run if code == name or code.startswith(name + ".")]
    if matches:
        return max(matches, key=len)
    return BUILD_FAMILY if BUILD_FAMILY in checks_run else code.split(".", 1)[0]


@dataclass(frozen=True)
class Counts:
    """How many findings a run has. Suppressed findings count only as suppressed."""

    errors: int
    warnings: int
    info: int
    suppressed: int
    failed: bool

    @property
    def unsuppressed(self) -> int:
        return self.errors + self.warnings + self.info


def count(diagnostics: Sequence[Diagnostic], *, strict: bool) -> Counts:
    """Count findings by severity and decide the verdict with the same rule the CLI uses."""
    active = [item for item in diagnostics if not item.suppressed]
    return Counts(
        errors=sum(item.severity is Severity.ERROR for item in active),
        warnings=sum(item.severity is Severity.WARNING for item in active),
        info=sum(item.severity is Severity.INFO for item in active),
        suppressed=len(diagnostics) - len(active),
        failed=fails(diagnostics, strict=strict),
    )


def plural(number: int, singular: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``: summaries are read by people."""
    return f"{number} {singular if number == 1 else (many or singular + 's')}"


def summary_line(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    """One line that says what the run found, e.g.
    ``2 errors, 1 warning, 1 suppressed (checks: gdpr, html)``.

    Errors and warnings are always named once anything is found (a zero is informative);
    info and suppressed only when present. Strict mode is stated because it changes the
    verdict: the same findings pass without it.
    """
    totals = count(diagnostics, strict=options.strict)
    if totals.unsuppressed == 0:
        parts = ["No problems found"]
    else:
        parts = [plural(totals.errors, "error"), plural(totals.warnings, "warning")]
        if totals.info:
            parts.append(plural(totals.info, "info", "info"))
    if totals.suppressed:
        parts.append(plural(totals.suppressed, "suppressed", "suppressed"))
    text = ", ".join(parts)
    if options.strict:
        text += "; strict: warnings count as failures"
    checks = ", ".join(options.checks_run) or "none"
    return f"{text} (checks: {checks})"
