"""The GitHub report: workflow commands that GitHub Actions turns into annotations on the
pull request's changed lines.

Escaping follows the Actions toolkit (``@actions/core`` ``escapeData``/``escapeProperty``):
without it a newline in a message would end the command and a comma in a path would
start a new property.
"""

from __future__ import annotations

from collections.abc import Sequence

from notice_builder.diagnostics import Diagnostic, Severity, shown
from notice_builder.reports._common import ReportOptions, ordered, summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    """One ``::error``/``::warning``/``::notice`` line per unsuppressed finding, then a
    plain summary line. Suppressed findings are accepted, so they are not annotated; the
    summary still counts them."""
    items = ordered(diagnostics)
    lines = [annotation(item) for item in items if not item.suppressed]
    lines.append(f"notice-builder: {summary_line(items, options)}")
    return "\n".join(lines) + "\n"


def annotation(item: Diagnostic) -> str:
    """``::error file=PATH,line=L,col=C,title=CODE::MESSAGE``, leaving out what is unknown
    (a column without a line means nothing to GitHub, so it goes too)."""
    properties: list[tuple[str, str]] = []
    location = item.location
    if location is not None and location.path:
        properties.append(("file", location.path))
        if location.line:
            properties.append(("line", str(location.line)))
            if location.column:
                properties.append(("col", str(location.column)))
    properties.append(("title", item.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = item.message + (f"\nhint: {item.hint}" if item.hint else "")
    return f"::{COMMANDS[item.severity]} {rendered}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF; other characters that would act on
    the log's viewer are shown as escapes (:func:`~notice_builder.diagnostics.shown`)."""
    return shown(text.replace("%", "%25").replace("\r", "%0D")).replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,`` which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
