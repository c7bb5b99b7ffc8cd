"""Where a command's report goes: standard output, or the file the user named, in the
format asked for.

A run that stopped on its input (content that could not be loaded) still writes its
report when a pipeline reads one (a format other than text, or ``--output``): its
problems, with their locations, are what the annotations, test results and dashboards
must show. Problems without a location (a folder that is missing) are usage errors,
told on standard error alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import click

from notice_builder.cli.failures import report_failure
from notice_builder.cli.options import write_output_file
from notice_builder.diagnostics import Diagnostic
from notice_builder.errors import NoticeBuilderError


def emit_report(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    *,
    checks_run: Sequence[str],
    strict: bool,
    report_file: Path | None = None,
) -> None:
    """Render the report and write it to ``report_file``, or to standard output (in
    color when that is a terminal, the format is text, and NO_COLOR is not set)."""
    from notice_builder.reports import render_report

    color = report_file is None and fmt == "text" and wants_color(sys.stdout, os.environ)
    report = render_report(diagnostics, fmt, color=color, checks_run=checks_run, strict=strict)
    if report_file is None:
        click.echo(report, nl=False)
    else:
        write_output_file(report_file, report)


def wants_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Color for a terminal, unless ``NO_COLOR`` is set to anything (https://no-color.org)."""
    return stream.isatty() and not environ.get("NO_COLOR")


def reports_failure(failure: NoticeBuilderError, fmt: str, report_file: Path | None) -> bool:
    """Whether a run that stopped with ``failure`` writes a report of it (see above)."""
    return bool(failure.diagnostics) and (fmt != "text" or report_file is not None)


def report_stopped_run(
    failure: NoticeBuilderError, fmt: str, *, strict: bool, report_file: Path | None = None
) -> int:
    """The report of a run that stopped on its input (no check ran), the reason on
    standard error; the failure's exit code."""
    emit_report(failure.diagnostics, fmt, checks_run=(), strict=strict, report_file=report_file)
    report_failure(failure, with_diagnostics=False)
    return failure.exit_code
