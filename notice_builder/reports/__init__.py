"""The report stage: turns diagnostics into what ``notice-builder check --format`` prints.

Reports never decide anything the checks did not: they only order, count and format the
diagnostics they are given, so every format tells the same story about the same run.
The CLI picks the format and writes the returned text (always ending in a newline; JSON
and JUnit must be written as UTF-8) to stdout or ``--output``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from notice_builder import __version__
from notice_builder.diagnostics import Diagnostic
from notice_builder.reports._common import ReportOptions, family_of, normalize_checks
from notice_builder.reports.github import render_github
from notice_builder.reports.json_report import SCHEMA_VERSION, render_json, report_schema
from notice_builder.reports.junit import render_junit
from notice_builder.reports.text import render_text

__all__ = [
    "REPORT_FORMATS",
    "SCHEMA_VERSION",
    "ReportOptions",
    "family_of",
    "render_report",
    "report_schema",
]

Renderer = Callable[[Sequence[Diagnostic], ReportOptions], str]

_RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}

REPORT_FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def render_report(
    diagnostics: Iterable[Diagnostic],
    fmt: str,
    *,
    color: bool = False,
    checks_run: Sequence[str] = (),
    tool_version: str = __version__,
    strict: bool = False,
) -> str:
    """Render ``diagnostics`` in format ``fmt`` (one of :data:`REPORT_FORMATS`).

    ``checks_run`` names the check families that ran, so a report can show that a family
    passed rather than did not run. ``strict`` makes unsuppressed warnings count as
    failures, as ``--strict`` does for the exit code. ``color`` only affects ``text``.
    Raises :class:`ValueError` for an unknown format, naming the valid ones.
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        valid = ", ".join(REPORT_FORMATS)
        raise ValueError(f"unknown report format {fmt!r}; valid formats are: {valid}")
    options = ReportOptions(
        color=color,
        checks_run=normalize_checks(checks_run),
        tool_version=tool_version,
        strict=strict,
    )
    return renderer(list(diagnostics), options)
