"""Access to the translated fields of the content, by owner and YAML path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Protocol

from markupsafe import Markup, escape

from notice_builder.i18n.fields import TranslatableField, YamlPath, owner_fields
from notice_builder.i18n.localizer import Localizer, LocalText
from notice_builder.i18n.segments import MarkdownBlock, Segment, split_blocks
from notice_builder.i18n.vocabulary_messages import article_citation
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content
from notice_builder.model.fields import e164
from notice_builder.model.vocabulary import VOCABULARIES
from notice_builder.render.markdown_html import fill_placeholders, render_inline

LIST_TAGS = {"bullets": "ul", "numbers": "ol"}
FieldKey = tuple[str, YamlPath]


class FieldLookup(Protocol):
    """The translatable fields of the content by (owner, YAML path)."""

    def get(self, key: FieldKey, /) -> TranslatableField | None: ...


class FieldIndex:
    """The translatable fields by (owner, YAML path), each owner's indexed when first asked for.

    A rebuild after one edit renders a page or two: it indexes their notices, the site
    and the parties they name, not every field of the content.
    """

    def __init__(self, content: Content, sources: ContentSources) -> None:
        self._content = content
        self._sources = sources
        self._owners: dict[str, dict[YamlPath, TranslatableField]] = {}

    def get(self, key: FieldKey, /) -> TranslatableField | None:
        owner, path = key
        fields = self._owners.get(owner)
        if fields is None:
            found = owner_fields(self._content, self._sources, owner)
            fields = self._owners[owner] = {item.path: item for item in found}
        return fields.get(path)


@dataclass
class Texts:
    """Translated text and Markdown of one locale, looked up by where they are in the YAML."""

    fields: FieldLookup
    localizer: Localizer
    content: Content

    def text(self, owner: str, *path: str | int) -> LocalText:
        item = self.fields.get((owner, path))
        return self.localizer.text(item) if item else LocalText("")

    def html(self, owner: str, *path: str | int) -> Markup:
        item = self.fields.get((owner, path))
        if item is None:
            return Markup("")
        return Markup("".join([self._block(item, block) for block in split_blocks(item.value)]))

    def _block(self, item: TranslatableField, block: MarkdownBlock) -> str:
        """A paragraph or list as safe HTML, each segment translated on its own, then rendered."""
        if block.kind == "paragraph":
            return self._segment(item, block.segments[0], "p")
        items = "".join([self._segment(item, segment, "li") for segment in block.segments])
        list_tag = LIST_TAGS[block.kind]
        return f"<{list_tag}>{items}</{list_tag}>"

    def _segment(self, item: TranslatableField, segment: Segment, tag: str) -> str:
        where = partial(item.line_of, segment.line)
        local = self.localizer.translate(item.context, segment.text, where)
        html = render_inline(local.text)  # sanitized, so safe to join as it is
        inner = fill_placeholders(html, self.placeholder) if "{" in html else html
        return f"<{tag}{local.attributes}>{inner}</{tag}>"

    def vocab(self, kind: str, code: str, part: str = "") -> LocalText:
        return self.localizer.translate(*vocabulary_message(kind, code, part))

    def placeholder(self, party_id: str, field: str) -> Markup | None:
        """The HTML for ``{party.field}`` in running text."""
        party = self.content.parties.get(party_id)
        if party is None:
            return None
        if field == "email" and party.email:
            return Markup('<a class="url-text" href="mailto:{0}">{0}</a>').format(party.email)
        if field == "phone" and party.phone:
            return Markup('<a href="tel:{}">{}</a>').format(e164(party.phone), party.phone)
        if field == "web" and party.web:
            return Markup('<a class="url-text" href="{0}">{0}</a>').format(party.web)
        if field == "name":
            return (
                Markup(escape(party.legal_name))
                if party.legal_name
                else Markup(escape(self.text(f"party:{party_id}", "label")))
            )
        return None


@lru_cache(maxsize=1024)
def vocabulary_message(kind: str, code: str, part: str = "") -> tuple[str, str]:
    """The context and source text of a vocabulary term's label, article or description."""
    term = VOCABULARIES[kind][code]
    context = f"vocab.{kind}.{code}" + (f".{part}" if part else "")
    source = {"": term.label, "description": term.description}.get(part)
    return context, source if source is not None else article_citation(term)
