"""Parity: each translated page has the same structure and facts as its source page.

Sections are matched by id. Within a section the list items, table rows, link targets,
mailto addresses, tel numbers, <time datetime> values and numbers in the text must be
the same; addresses, numbers and dates outside the sections are compared too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from notice_builder.checks.html.model import PageSummary, SectionFacts
from notice_builder.diagnostics import Diagnostic, Severity

SHOWN_ITEMS = 5
PARITY_HINT = (
    "Translations must keep the structure and the facts of the source; fix the message in "
    "locales/{locale}/LC_MESSAGES or the notice content, then rebuild."
)


def compare_pages(page: PageSummary, source: PageSummary) -> Iterator[Diagnostic]:
    """Differences between a translated page and the source-language page of its notice."""
    yield from compare_section_order(page, source)
    theirs = {section.id: section for section in source.sections}
    for section in page.sections:
        original = theirs.get(section.id)
        if original is not None:
            yield from compare_section(page, section, source, original)
    yield from compare_facts(page, page.outside, source.outside)


def compare_section_order(page: PageSummary, source: PageSummary) -> Iterator[Diagnostic]:
    ours = [section.id for section in page.sections]
    theirs = [section.id for section in source.sections]
    if ours == theirs:
        return
    missing = [item for item in theirs if item not in ours]
    extra = [item for item in ours if item not in theirs]
    detail = describe_difference(missing, extra) or "the same sections in a different order"
    line = page.sections[0].line if page.sections else page.html_line
    yield parity(
        "parity.sections",
        page,
        line,
        f"sections differ from the source page {source.rel}: {detail} "
        f"(expected {shorten(theirs)}, found {shorten(ours)})",
    )


def compare_section(
    page: PageSummary,
    section: SectionFacts,
    source: PageSummary,
    original: SectionFacts,
) -> Iterator[Diagnostic]:
    where = f'section "{section.id}"'
    if section.items != original.items:
        yield parity(
            "parity.items",
            page,
            section.line,
            f"{where} has {section.items} list items; the source page {source.rel} has "
            f"{original.items}",
        )
    ours_rows = [table.rows for table in section.tables]
    their_rows = [table.rows for table in original.tables]
    if ours_rows != their_rows:
        yield parity(
            "parity.rows",
            page,
            section.tables[0].line if section.tables else section.line,
            f"{where} has tables with {ours_rows or 'no'} rows; the source page "
            f"{source.rel} has {their_rows or 'no tables'}",
        )
    yield from compare_links(page, section, original)
    yield from compare_facts(page, section, original)


def compare_links(
    page: PageSummary, section: SectionFacts, original: SectionFacts
) -> Iterator[Diagnostic]:
    """Link targets as a set; links were normalized with their page (locale folder)."""
    if section.links == original.links:
        return
    ours, theirs = set(section.links), set(original.links)
    if ours != theirs:
        yield differ("parity.links", "link targets", page, section, sorted(ours), sorted(theirs))


def compare_facts(
    page: PageSummary, section: SectionFacts, original: SectionFacts
) -> Iterator[Diagnostic]:
    facts = (
        ("parity.emails", "mailto: addresses", section.emails, original.emails),
        ("parity.phones", "tel: numbers", section.phones, original.phones),
        ("parity.dates", "<time datetime> dates", section.dates, original.dates),
        ("parity.numbers", "numbers", section.numbers, original.numbers),
    )
    for code, what, ours, theirs in facts:
        if ours != theirs and sorted(ours) != sorted(theirs):
            yield differ(code, what, page, section, ours, theirs)


def differ(
    code: str,
    what: str,
    page: PageSummary,
    section: SectionFacts,
    ours: list[str],
    theirs: list[str],
) -> Diagnostic:
    """A finding for two multisets of strings that differ."""
    mine, original = Counter(ours), Counter(theirs)
    missing = sorted((original - mine).elements())
    extra = sorted((mine - original).elements())
    where = f'section "{section.id}"' if section.id else "outside the sections"
    return parity(
        code,
        page,
        section.line,
        f"{what} {where} differ from the source page: {describe_difference(missing, extra)}",
        Severity.WARNING if code == "parity.numbers" else Severity.ERROR,
    )


def describe_difference(missing: list[str], extra: list[str]) -> str:
    parts = []
    if missing:
        parts.append(f"missing {shorten(missing)}")
    if extra:
        parts.append(f"extra {shorten(extra)}")
    return "; ".join(parts)


def shorten(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN_ITEMS])
    more = len(items) - SHOWN_ITEMS
    return f"[{shown}, … {more} more]" if more > 0 else f"[{shown}]"


def parity(
    code: str,
    page: PageSummary,
    line: int,
    message: str,
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    hint = PARITY_HINT.format(locale=page.locale)
    return Diagnostic(code, severity, message, page.at(line), hint)
