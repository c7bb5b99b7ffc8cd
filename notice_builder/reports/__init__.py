"""The report stage: turns diagnostics into what ``notice-builder check --format`` prints.

Reports never decide anything the checks did not: they only order, count and format the
diagnostics they are given, so every format tells the same story about the same run.
The CLI picks the format and writes the returned text (always ending in a newline; JSON
and JUnit must be written as UTF-8) to stdout or ``--output``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from importlib import import_module

from notice_builder import __version__
from notice_builder.diagnostics import Diagnostic
from notice_builder.reports._common import ReportOptions, family_of, normalize_checks
from notice_builder.reports.json_report import SCHEMA_VERSION, report_schema

__all__ = [
    "REPORT_FORMATS",
    "SCHEMA_VERSION",
    "ReportOptions",
    "family_of",
    "render_report",
    "report_schema",
]

Renderer = Callable[[Sequence[Diagnostic], ReportOptions], str]

# format -> (module, function); only the module of the format asked for is imported
# (JUnit's, with ElementTree and a large character class, takes ~10 ms).
_RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("text", "render_text"),
    "json": ("json_report", "render_json"),
    "junit": ("junit", "render_junit"),
    "github": ("github", "render_github"),
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
    if fmt not in _RENDERERS:
        valid = ", ".join(REPORT_FORMATS)
        raise ValueError(f"unknown report format {fmt!r}; valid formats are: {valid}")
    module, function = _RENDERERS[fmt]
    renderer: Renderer = getattr(import_module(f"notice_builder.reports.{module}"), function)
    options = ReportOptions(
        color=color,
        checks_run=normalize_checks(checks_run),
        tool_version=tool_version,
        strict=strict,
    )
    return renderer(list(diagnostics), options)
