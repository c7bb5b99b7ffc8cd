"""``notice-builder check``: the build without the write, then every check, as a report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from notice_builder.cli.options import make_project, project_options, write_output_file
from notice_builder.errors import EXIT_FINDINGS, EXIT_OK

FORMATS = ("text", "json", "junit", "github")


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
    help="Write the report to this file instead of standard output.",
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
        from notice_builder.checks.catalog import markdown_table

        click.echo(markdown_table(), nl=False)
        return EXIT_OK
    from notice_builder.diagnostics import fails
    from notice_builder.reports import render_report

    project = make_project(project_root, content, locales, templates)
    if site_dir is not None:  # a built site: no renderer, templates or catalogs needed
        from notice_builder.site_check import check_built_site

        outcome = check_built_site(project, site_dir, external=external)
    else:
        from notice_builder.build import check_project

        outcome = check_project(project, external=external)
    color = report_file is None and fmt == "text" and sys.stdout.isatty()
    report = render_report(
        outcome.diagnostics, fmt, color=color, checks_run=outcome.checks_run, strict=strict
    )
    if report_file is None:
        click.echo(report, nl=False)
    else:
        write_output_file(report_file, report)
    return EXIT_FINDINGS if fails(outcome.diagnostics, strict=strict) else EXIT_OK
