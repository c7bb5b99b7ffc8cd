"""``notice-builder i18n``: the translation workflow on the command line.

Every subcommand works on the project in the current folder unless ``--project DIR``
says otherwise, and returns its exit code: 0 success, 1 findings or failure, 2 bad usage
or input that cannot be loaded (raised as InputError and printed by the top-level runner).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from notice_builder.cli.options import PROJECT_OPTION
from notice_builder.cli.report_output import emit_report, report_stopped_run, reports_failure
from notice_builder.diagnostics import Diagnostic, display_path, fails, shortened, shown
from notice_builder.errors import EXIT_FINDINGS, EXIT_OK, InputError, NoticeBuilderError
from notice_builder.i18n import quality, status, workflow
from notice_builder.i18n.catalog_settings import (
    CatalogSettings,
    catalog_settings,
    missing_catalog,
)
from notice_builder.project import Project
from notice_builder.reports import REPORT_FORMATS

F = TypeVar("F", bound=Callable[..., Any])
_NO_CATALOG = "no catalog yet; start it with `notice-builder i18n init {language}`"


def _sort_option(command: F) -> F:
    option = click.option(
        "--sort",
        is_flag=True,
        help="Order messages by (msgctxt, msgid) instead of the template's order.",
    )
    return option(command)


def _locale_argument(
    ctx: click.Context, param: click.Parameter, value: str | tuple[str, ...]
) -> str | tuple[str, ...]:
    try:
        if isinstance(value, str):
            return workflow.parse_locale(value)
        return tuple(workflow.parse_locale(item) for item in value)
    except ValueError as problem:
        raise click.BadParameter(str(problem), ctx=ctx, param=param) from problem


def _project(project_root: Path | None) -> Project:
    return Project.at(project_root)


@click.group()
def i18n() -> None:
    """Translation catalogs: extract the template, start, update, measure and check them.

    The template is locales/notices.pot; each language has
    locales/<lang>/LC_MESSAGES/notices.po, edited with any gettext tool ("notices" is
    the gettext domain: site.yaml may set another).
    """


@i18n.command()
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; exit 1 if the template lacks a message of the content or "
    "templates, or has one they no longer have.",
)
@PROJECT_OPTION
@_sort_option
def extract(check: bool, project_root: Path | None, sort: bool) -> int:
    """Extract every translatable string into the template locales/notices.pot."""
    if check:
        return _template_check(workflow.template_changes(_project(project_root)))
    path, written = workflow.extract_template(_project(project_root), sort=sort)
    click.echo(f"{display_path(path)}: {'written' if written else 'unchanged'}")
    return EXIT_OK


def _template_check(changes: workflow.TemplateChanges) -> int:
    template = display_path(changes.path)
    if not changes.added and not changes.removed:
        click.echo(f"{template}: up to date")
        return EXIT_OK
    click.echo(f"{template}: out of date", err=True)
    for sign, keys in (("+", changes.added), ("-", changes.removed)):
        for msgid, context in keys:
            click.echo(f"  {sign} {context or ''}: {shown(shortened(msgid))}", err=True)
    click.echo("run `notice-builder i18n extract`, then `i18n update`", err=True)
    return EXIT_FINDINGS


@i18n.command()
@click.argument("lang", callback=_locale_argument)
@click.option(
    "--force", is_flag=True, help="Replace an existing catalog (its translations are lost)."
)
@PROJECT_OPTION
@_sort_option
def init(lang: str, force: bool, project_root: Path | None, sort: bool) -> int:
    """Start the catalog of LANG (a code such as nl, pt_BR) from the template."""
    project = _project(project_root)
    settings = catalog_settings(project, "no catalog was made")
    if lang == settings.source:
        raise InputError(
            f"{lang} is the source language: its pages show the text of the content, and "
            "the build reads no catalog for it; change that text in content/*.yaml"
        )
    path = workflow.init_catalog(project, lang, force=force, sort=sort, domain=settings.domain)
    click.echo(f"{display_path(path)}: created for {lang}")
    _note_stale_template(project, settings)
    if not settings.publishes(lang):
        click.echo(
            f"note: site.yaml does not list {lang.replace('_', '-')} in `languages:`; the "
            "build publishes it once it does",
            err=True,
        )
    return EXIT_OK


@i18n.command()
@click.argument("langs", nargs=-1, metavar="[LANG]...", callback=_locale_argument)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a catalog is out of date.")
@PROJECT_OPTION
@_sort_option
def update(langs: tuple[str, ...], check: bool, project_root: Path | None, sort: bool) -> int:
    """Merge the template into the catalogs (all, or those of each LANG).

    Changed strings become fuzzy and keep their previous text (#|); removed ones
    become obsolete (#~). A catalog is rewritten only when its content changes, or,
    with --sort, when it is not in that order.
    """
    project = _project(project_root)
    settings = catalog_settings(project, "no catalog was updated")
    results = workflow.update_catalogs(
        project, langs, check=check, sort=sort, domain=settings.domain
    )
    if not results and not settings.policies:
        click.echo("no catalogs yet; start one with `notice-builder i18n init LANG`")
    for result in results:
        click.echo(f"{display_path(result.path)}: {_update_word(result, check)}")
        _note_conversion(result)
    if not langs:
        for language, path in settings.without_catalog(project):
            click.echo(f"{display_path(path)}: {_NO_CATALOG.format(language=language)}")
    _note_stale_template(project, settings)
    stale = [result for result in results if result.changed]
    if check and stale:
        names = ", ".join(result.locale for result in stale)
        click.echo(f"out of date: {names}; run `notice-builder i18n update`", err=True)
        return EXIT_FINDINGS
    return EXIT_OK


def _note_stale_template(project: Project, settings: CatalogSettings) -> None:
    """Say when the template a catalog was made or merged from is older than the content
    (there is content): its new messages are in no catalog until ``extract`` and
    ``update`` run."""
    if settings.source is None:
        return
    changes = workflow.template_changes(project)
    if changes.added or changes.removed:
        click.echo(
            f"note: {display_path(changes.path)} is out of date with the content "
            f"({len(changes.added)} new, {len(changes.removed)} no longer used message(s)); "
            "run `notice-builder i18n extract`, then `notice-builder i18n update`",
            err=True,
        )


def _note_conversion(result: workflow.CatalogUpdate) -> None:
    """Say when a catalog was written in UTF-8 because its charset cannot hold its text."""
    if result.converted:
        click.echo(
            f"note: {display_path(result.path)}: converted to UTF-8: {result.converted} "
            "(its Content-Type header says charset=utf-8 now)",
            err=True,
        )


def _update_word(result: workflow.CatalogUpdate, check: bool) -> str:
    if check:
        return "out of date" if result.changed else "up to date"
    return "updated" if result.written else "unchanged"


def _a_percentage(value: float | None) -> float | None:
    """``nan`` passes FloatRange (it compares as neither less nor more), and no
    language is ever below it: the threshold would never fail."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a percentage; give a number from 0 to 100")
    return value


@i18n.command("status")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--min-percent",
    type=click.FloatRange(0, 100),
    default=None,
    callback=lambda _context, _option, value: _a_percentage(value),
    help="Exit 1 when a language has less than this percentage translated.",
)
@PROJECT_OPTION
def status_command(fmt: str, min_percent: float | None, project_root: Path | None) -> int:
    """Translated, fuzzy, untranslated and obsolete messages per language.

    A language of the site without a catalog is listed with none of its messages
    translated.
    """
    project = _project(project_root)
    settings = catalog_settings(project, "nothing was counted")
    needed = _needed(project, settings, "nothing was counted")
    rows = status.project_status(
        project, settings.domain, settings.without_catalog(project), needed
    )
    if fmt == "json":
        click.echo(status.format_json(rows), nl=False)
    elif rows:
        click.echo(status.format_table(rows), nl=False)
    else:
        click.echo("no catalogs yet; start one with `notice-builder i18n init LANG`")
    return _threshold(rows, min_percent)


def _needed(
    project: Project, settings: CatalogSettings, outcome: str
) -> frozenset[workflow.Key] | None:
    """The messages the content and templates give now, which the build translates;
    None without content (a translator's folder of catalogs)."""
    return workflow.template_keys(project, outcome) if settings.source is not None else None


def _threshold(rows: Sequence[status.LocaleStatus], min_percent: float | None) -> int:
    if min_percent is None:
        return EXIT_OK
    low = status.below(rows, min_percent)
    if not low:
        return EXIT_OK
    names = ", ".join(f"{row.locale} ({row.percent:.1f}%)" for row in low)
    click.echo(f"below {min_percent:g}% translated: {names}", err=True)
    return EXIT_FINDINGS


@i18n.command()
@click.argument("langs", nargs=-1, metavar="[LANG]...", callback=_locale_argument)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Warnings (fuzzy, numbers; untranslated with missing_translations: fallback) fail too.",
)
@PROJECT_OPTION
def check(langs: tuple[str, ...], fmt: str, strict: bool, project_root: Path | None) -> int:
    """Check translations against their source: placeholders, links, addresses, markup.

    Exits 1 when there are errors (or, with --strict, warnings).
    """
    try:
        found = _checked(_project(project_root), langs)
    except NoticeBuilderError as failure:
        if not reports_failure(failure, fmt, None):
            raise  # on standard error, as every command's
        return report_stopped_run(failure, fmt, strict=strict)
    emit_report(sorted(found, key=Diagnostic.sort_key), fmt, checks_run=["i18n"], strict=strict)
    return EXIT_FINDINGS if fails(found, strict=strict) else EXIT_OK


def _checked(project: Project, langs: Sequence[str]) -> list[Diagnostic]:
    settings = catalog_settings(project, "no catalog was checked")
    needed = _needed(project, settings, "no catalog was checked")
    policies = settings.catalog_policies()
    found = quality.check_project(project, langs, settings.domain, needed, policies)
    if not langs:  # the languages of the site that have no catalog yet
        missing = settings.without_catalog(project)
        found += [missing_catalog(path, lang, settings.policies[lang]) for lang, path in missing]
    return found
