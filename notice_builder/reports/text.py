"""The text report: what a person reads in a terminal or a CI log.

Each finding starts with ``path:line:col:`` so editors and terminals can jump to it,
findings of one file stay together, and suppressed findings are kept apart at the end
with their written reason, because they are accepted, not to be fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import click

from notice_builder.diagnostics import Diagnostic, Severity, shown
from notice_builder.reports._common import ReportOptions, ordered, plural, summary_line

SEVERITY_COLORS: dict[Severity, str] = {
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


def render_text(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    """Findings grouped by file, then the suppressed group, then one summary line."""
    items = ordered(diagnostics)
    active = [item for item in items if not item.suppressed]
    suppressed = [item for item in items if item.suppressed]
    blocks: list[list[str]] = []
    for _path, group in groupby(active, key=_path_of):
        blocks.append([line for item in group for line in _finding(item, options.color)])
    if suppressed:
        block = [f"Suppressed ({plural(len(suppressed), 'finding')}):"]
        for item in suppressed:
            block.extend(_finding(item, options.color))
            block.append(f"  suppressed: {_indented(shown(item.suppressed or ''))}")
        blocks.append(block)
    blocks.append([summary_line(items, options)])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _path_of(item: Diagnostic) -> str:
    return item.location.path if item.location else ""


def _finding(item: Diagnostic, color: bool) -> list[str]:
    """``path:line:col: severity: message [code]`` and, when there is one, the hint.

    A multi-line message keeps the code on its first line (so grepping a code finds the
    finding) and indents the rest. Characters that would act on a terminal are shown
    as escapes (:func:`~notice_builder.diagnostics.shown`), before the colors are added.
    """
    severity = item.severity.value
    code = f"[{item.code}]"
    if color:
        severity = click.style(
            severity, fg=SEVERITY_COLORS[item.severity], bold=item.severity is not Severity.INFO
        )
        code = click.style(code, dim=True)
    where = f"{shown(str(item.location))}: " if item.location else ""
    first, *rest = shown(item.message).splitlines() or [""]
    lines = [f"{where}{severity}: {first} {code}"]
    lines.extend(f"    {line}" for line in rest)
    if item.hint:
        lines.append(f"  hint: {_indented(shown(item.hint))}")
    return lines


def _indented(text: str) -> str:
    """Continuation lines of a multi-line text are indented so that every line that starts
    at the margin is a finding, which is what editors and grep rely on."""
    return "\n    ".join(text.splitlines())
