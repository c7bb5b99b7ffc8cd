"""``notice-builder check``: the build without the write, then every check, as a report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from notice_builder.cli.options import make_project, project_options, write_output_file
from notice_builder.cli.report_output import emit_report, report_stopped_run, reports_failure
from notice_builder.errors import EXIT_FINDINGS, EXIT_OK, NoticeBuilderError
from notice_builder.project import Project

if TYPE_CHECKING:
    from notice_builder.site_check import CheckOutcome

FORMATS = ("text", "json", "junit", "github")


def standard_output_for_dash(report_file: Path | None) -> Path | None:
    """``--output -`` is standard output, as for most programs; it wrote a file ``-``."""
    return None if report_file == Path("-") else report_file


@click.command()
@project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format: text for people, json, junit (XML) or github (annotations).",
)
@click.option(
    "--output",
    "-o",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=lambda _context, _option, value: standard_output_for_dash(value),
    help="Write the report to this file instead of standard output (-: standard output).",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check this already built site instead of building in memory.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--external", is_flag=True, help="Also fetch external links (network).")
@click.option("--list-checks", is_flag=True, help="List every check code and exit.")
def check(
    project_root: Path | None,
    content: Path | None,
    locales: Path | None,
    templates: Path | None,
    fmt: str,
    report_file: Path | None,
    site_dir: Path | None,
    strict: bool,
    external: bool,
    list_checks: bool,
) -> int:
    """Check the notices: model, translations, the built HTML and the GDPR rules.

    Exit status: 0 when nothing at error level was found, 1 when something was
    (with --strict, warnings too), 2 for bad usage or input that could not be loaded.
    """
    if list_checks:
        return _list_checks(fmt, report_file)
    from notice_builder.diagnostics import fails

    project = make_project(project_root, content, locales, templates)
    try:
        outcome = _checked(project, site_dir, external)
    except NoticeBuilderError as failure:
        if not reports_failure(failure, fmt, report_file):
            raise  # on standard error, as every command's
        return report_stopped_run(failure, fmt, strict=strict, report_file=report_file)
    emit_report(
        outcome.diagnostics,
        fmt,
        checks_run=outcome.checks_run,
        strict=strict,
        report_file=report_file,
    )
    return EXIT_FINDINGS if fails(outcome.diagnostics, strict=strict) else EXIT_OK


def _list_checks(fmt: str, report_file: Path | None) -> int:
    """Every check code: a Markdown table, or JSON with ``--format json``."""
    from notice_builder.checks.catalog import json_list, markdown_table

    if fmt not in ("text", "json"):
        raise click.UsageError(f"--list-checks writes text or json, not {fmt}")
    listed = json_list() if fmt == "json" else markdown_table()
    if report_file is None:
        click.echo(listed, nl=False)
    else:
        write_output_file(report_file, listed)
    return EXIT_OK


def _checked(project: Project, site_dir: Path | None, external: bool) -> CheckOutcome:
    if site_dir is not None:  # a built site: no renderer, templates or catalogs needed
        from notice_builder.site_check import check_built_site

        return check_built_site(project, site_dir, external=external)
    from notice_builder.build import check_project

    return check_project(project, external=external)
