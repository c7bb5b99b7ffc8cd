"""Refuse Markdown the notice format does not support, at its line in the YAML."""

from __future__ import annotations

from notice_builder.diagnostics import Diagnostic, error, warning
from notice_builder.i18n.fields import content_fields
from notice_builder.i18n.segments import find_inline_html, find_unsupported
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content


def markdown_diagnostics(content: Content, sources: ContentSources) -> list[Diagnostic]:
    problems = []
    for item in content_fields(content, sources):
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
