"""Per-page structure and accessibility: language, direction, ids, headings, tables, title."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.html.locale_facts import text_direction
from notice_builder.checks.html.model import PageSummary
from notice_builder.checks.html.text import normalize_tag
from notice_builder.diagnostics import Diagnostic, error


def parse_error(page: PageSummary) -> Diagnostic:
    return error(
        "html.parse-error",
        f"{page.rel} could not be parsed as HTML: {page.parse_error}",
        page.at(0),
        "Rebuild the site; the file must be UTF-8 encoded HTML with an <html> root.",
    )


def check_page(page: PageSummary) -> Iterator[Diagnostic]:
    yield from check_language(page)
    yield from check_ids(page)
    yield from check_headings(page)
    yield from check_tables(page)
    yield from check_title(page)
    yield from check_images(page)


def check_language(page: PageSummary) -> Iterator[Diagnostic]:
    at = page.at(page.html_line)
    if not page.lang or not page.lang.strip():
        yield error(
            "html.lang.invalid",
            "<html> has no lang attribute",
            at,
            'Set <html lang="..."> to the page language, e.g. lang="nl".',
        )
        return
    direction = text_direction(page.lang)
    if direction is None:
        yield error(
            "html.lang.invalid",
            f'<html lang="{page.lang}"> is not a valid BCP 47 language tag',
            at,
            'Use a tag such as "nl", "pt-BR" or "zh-Hant"; check the language code in site.yaml.',
        )
        return
    if page.locale is not None and normalize_tag(page.lang) != normalize_tag(page.locale):
        yield error(
            "html.lang.mismatch",
            f'<html lang="{page.lang}"> does not match the page\'s locale folder "{page.locale}/"',
            at,
            "The lang attribute must name the language the page is written in.",
        )
    found = (page.dir or "").strip().lower()
    if found != direction:
        shown = f'dir="{page.dir}"' if page.dir is not None else "no dir attribute"
        yield error(
            "html.dir.wrong",
            f'<html lang="{page.lang}"> is written {direction}, expected dir="{direction}", '
            f"found {shown}",
            at,
            "Set dir from the locale's character order (rtl for ar, he, fa, ur, ar-XB, ...).",
        )


def check_ids(page: PageSummary) -> Iterator[Diagnostic]:
    for value, line, first in page.duplicate_ids:
        yield error(
            "html.id.duplicate",
            f'id "{value}" is used more than once (first on line {first})',
            page.at(line),
            "Ids must be unique in a page; rename one (section and party ids come from the "
            "notice YAML).",
        )


def check_headings(page: PageSummary) -> Iterator[Diagnostic]:
    h1_lines = [line for level, line in page.headings if level == 1]
    if len(h1_lines) != 1:
        line = h1_lines[1] if len(h1_lines) > 1 else page.html_line
        yield error(
            "html.heading.h1-count",
            f"expected exactly one <h1>, found {len(h1_lines)}",
            page.at(line),
            "A page has one <h1> (the notice title); use <h2> and below for the rest.",
        )
    previous: int | None = None
    for level, line in page.headings:
        if previous is not None and level > previous + 1:
            yield error(
                "html.heading.skip",
                f"<h{level}> follows <h{previous}>, skipping heading level {previous + 1}",
                page.at(line),
                f"Use <h{previous + 1}> here, or add the missing level in between.",
            )
        previous = level


def check_tables(page: PageSummary) -> Iterator[Diagnostic]:
    for table in page.tables:
        if not table.has_header:
            yield error(
                "html.table.no-header",
                "<table> has no header cells (<th>)",
                page.at(table.line),
                'Give the table a <thead> with <th scope="col"> cells.',
            )


def check_title(page: PageSummary) -> Iterator[Diagnostic]:
    if not page.title:
        found = "an empty <title>" if page.title is not None else "no <title>"
        yield error(
            "html.title.missing",
            f"expected a non-empty <title> in <head>, found {found}",
            page.at(page.title_line or page.html_line),
            "Give the page a <title>, e.g. the notice title and the organisation name.",
        )


def check_images(page: PageSummary) -> Iterator[Diagnostic]:
    for line in page.images_without_alt:
        yield error(
            "html.img.alt-missing",
            "<img> has no alt attribute",
            page.at(line),
            'Describe the image in alt="..."; use alt="" for a purely decorative image.',
        )
