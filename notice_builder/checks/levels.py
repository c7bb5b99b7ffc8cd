"""Per-site severity of each check, set in site.yaml under `checks:`.

A key is a code (``html.leak.source-text``) or a dotted prefix of codes
(``parity``); the longest matching key wins. ``off`` drops the finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from notice_builder.diagnostics import Diagnostic, Severity

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def configured_level(code: str, levels: Mapping[str, str]) -> str | None:
    best: str | None = None
    for key in levels:
        if (code == key or code.startswith(key + ".")) and (best is None or len(key) > len(best)):
            best = key
    return levels[best] if best is not None else None


def apply_levels(diagnostics: Iterable[Diagnostic], levels: Mapping[str, str]) -> list[Diagnostic]:
    """The diagnostics with their configured severity; those set to ``off`` are dropped."""
    result = []
    for diagnostic in diagnostics:
        level = configured_level(diagnostic.code, levels)
        if level == "off":
            continue
        result.append(diagnostic.with_severity(LEVELS[level]) if level else diagnostic)
    return result
