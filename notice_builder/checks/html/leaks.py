"""Leaks: template syntax, untranslated placeholders, and source-language text left over."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.html.model import HitKind, PageSummary
from notice_builder.diagnostics import Diagnostic, error, warning

SNIPPET_LENGTH = 80


def snippet(text: str) -> str:
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"


def check_page(page: PageSummary) -> Iterator[Diagnostic]:
    for hit in page.hits:
        if hit.kind is HitKind.TEMPLATE:
            yield error(
                "html.leak.template",
                f'template syntax left in the {hit.where}: "{snippet(hit.text)}"',
                page.at(hit.line),
                "A Jinja tag was not rendered; check the template or a message that "
                "contains '{{', '{%' or '{#'.",
            )
        elif hit.kind is HitKind.MARKUP:
            yield error(
                "html.leak.markup",
                f'HTML markup shown as text in the {hit.where}: "{snippet(hit.text)}"',
                page.at(hit.line),
                "Markup was put where only text is allowed (the <title>, an attribute) or was "
                "escaped twice; render plain text there (e.g. without the fallback <span>).",
            )
        elif hit.kind is HitKind.PLACEHOLDER:
            yield error(
                "html.leak.placeholder",
                f"unfilled placeholder {hit.text} in the {hit.where}",
                page.at(hit.line),
                "A message placeholder was not substituted; the translation must use the "
                "same placeholder names as the source message.",
            )


def check_source_text(
    page: PageSummary, source_texts: frozenset[str], locale: str
) -> Iterator[Diagnostic]:
    """Blocks of a translated page whose text is exactly the source page's."""
    for text, line in page.blocks:
        if text in source_texts:
            yield warning(
                "html.leak.source-text",
                f'this text is identical to the source-language ({locale}) page: "{snippet(text)}"',
                page.at(line),
                f"Translate the message in locales/{page.locale}/LC_MESSAGES; if the text is "
                f'meant to stay in {locale}, mark it with lang="{locale}".',
            )
