"""Access to the translated fields of the content, by owner and YAML path."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from notice_builder.i18n.fields import TranslatableField, YamlPath
from notice_builder.i18n.localizer import Localizer, LocalText
from notice_builder.i18n.vocabulary_messages import article_citation
from notice_builder.model import Content
from notice_builder.model.fields import e164
from notice_builder.model.vocabulary import VOCABULARIES

FieldIndex = dict[tuple[str, YamlPath], TranslatableField]


@dataclass
class Texts:
    """Translated text and Markdown of one locale, looked up by where they are in the YAML."""

    fields: FieldIndex
    localizer: Localizer
    content: Content

    def text(self, owner: str, *path: str | int) -> LocalText:
        item = self.fields.get((owner, path))
        return self.localizer.text(item) if item else LocalText("")

    def html(self, owner: str, *path: str | int) -> Markup:
        item = self.fields.get((owner, path))
        return self.localizer.markdown(item, self.placeholder) if item else Markup("")

    def vocab(self, kind: str, code: str, part: str = "") -> LocalText:
        term = VOCABULARIES[kind][code]
        context = f"vocab.{kind}.{code}" + (f".{part}" if part else "")
        source = {"": term.label, "description": term.description}.get(part)
        return self.localizer.translate(
            context, source if source is not None else article_citation(term)
        )

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
