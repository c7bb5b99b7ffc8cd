"""What the text of the content would show otherwise than written, at its line in the
YAML: Markdown the notice format does not support (refused), HTML the sanitizer keeps
or drops, and characters a page shows as nothing (warnings)."""

from __future__ import annotations

from notice_builder.characters import hidden_character
from notice_builder.diagnostics import Diagnostic, error, warning
from notice_builder.i18n.fields import TranslatableField, content_fields
from notice_builder.i18n.segments import find_inline_html, find_unsupported
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content


def text_diagnostics(content: Content, sources: ContentSources) -> list[Diagnostic]:
    problems = []
    for item in content_fields(content, sources):
        problems.extend(_hidden_characters(item))
        if item.kind != "markdown":
            continue
        for line, tag in find_inline_html(item.value):
            problems.append(
                warning(
                    "markdown.inline-html",
                    f"the text contains HTML ({tag}): the page keeps a few harmless tags "
                    "and drops the others (<script>, <img>, event handlers) without a word",
                    item.line_of(line),
                    "write it in Markdown: **bold**, *italic*, [link text](https://...)",
                )
            )
        for found in find_unsupported(item.value):
            problems.append(
                error(
                    "markdown.unsupported",
                    f"the text contains {found.what}, which a notice section cannot show",
                    item.line_of(found.line),
                    found.instead,
                )
            )
    return problems


def _hidden_characters(item: TranslatableField) -> list[Diagnostic]:
    """A warning at the first line of the text that has a hidden character."""
    for number, line in enumerate(item.value.splitlines()):
        hidden = hidden_character(line)
        if hidden:
            return [
                warning(
                    "content.hidden-character",
                    f"the text contains {hidden}, which the page shows as nothing but "
                    "which changes what it shows (an address that does not work, text in "
                    "another order)",
                    item.line_of(number),
                    "delete it; if the text mixes directions, let the page's language "
                    "set the direction",
                )
            ]
    return []
