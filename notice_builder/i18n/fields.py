"""Find every translatable field of the content, with its message context.

The schema marks translatable fields (:class:`Translatable`, :class:`MarkdownText`);
this walker finds them and names each by its stable path, e.g.
``privacy-notice.purposes.marketing.title``: list items are named by their id, so
reordering a list changes no context. Extraction and localization both use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from notice_builder.diagnostics import Location
from notice_builder.loader.sources import ContentSources, Origin
from notice_builder.loader.yaml_data import SourceMap
from notice_builder.model import Content, ContentFile, Notice, Party
from notice_builder.model.fields import MarkdownText, Translatable

FieldKind = Literal["text", "markdown"]
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class TranslatableField:
    """One translatable value: where it is, its context, and what it is."""

    owner: str
    path: YamlPath
    context: str
    kind: FieldKind
    value: str
    what: str
    note: str
    origin: Origin | None

    @property
    def location(self) -> Location | None:
        return self.origin.locate(self.path) if self.origin else None

    def line_of(self, offset: int) -> Location | None:
        """The location of a line inside this field's value (0-based offset)."""
        base = self.location
        if base is None or self.origin is None:
            return base
        if self.origin.is_block_scalar(self.path):
            return Location(base.path, base.line + 1 + offset, 0)
        return base


def content_fields(content: Content, sources: ContentSources) -> Iterator[TranslatableField]:
    """Every translatable field of a site: site settings, parties, then notices."""
    yield from _site_fields(content, sources)
    for party_id, party in sorted(content.parties.items()):
        yield from _party_fields(party_id, party, sources)
    for notice in content.notices:
        yield from _notice_fields(notice, sources)


def owner_fields(
    content: Content, sources: ContentSources, owner: str
) -> Iterator[TranslatableField]:
    """The fields of one owner (``site``, ``party:<id>``, ``notice:<id>``), as
    :func:`content_fields` finds them: a page needs a few owners' fields, not all."""
    kind, _, name = owner.partition(":")
    if owner == "site":
        yield from _site_fields(content, sources)
    elif kind == "party" and name in content.parties:
        yield from _party_fields(name, content.parties[name], sources)
    elif kind == "notice":
        for notice in content.notices:
            if notice.id == name:
                yield from _notice_fields(notice, sources)


def _site_fields(content: Content, sources: ContentSources) -> Iterator[TranslatableField]:
    return walk(content.site, "site", "site", (), sources.site)


def _party_fields(
    party_id: str, party: Party, sources: ContentSources
) -> Iterator[TranslatableField]:
    origin = sources.parties.get(party_id)
    return walk(party, f"party:{party_id}", f"parties.{party_id}", (), origin)


def _notice_fields(notice: Notice, sources: ContentSources) -> Iterator[TranslatableField]:
    origin = sources.notices.get(notice.id)
    return walk(notice, f"notice:{notice.id}", notice.id, (), origin)


def walk(
    part: BaseModel, owner: str, context: str, path: YamlPath, origin: Origin | None, note: str = ""
) -> Iterator[TranslatableField]:
    note = str(getattr(part, "note_for_translators", "") or note)
    for name, info in type(part).model_fields.items():
        value = getattr(part, name)
        marker = _marker(info.metadata)
        if marker is not None and isinstance(value, str) and value:
            kind: FieldKind = "markdown" if isinstance(marker, MarkdownText) else "text"
            yield TranslatableField(
                owner, (*path, name), f"{context}.{name}", kind, value, marker.what, note, origin
            )
        elif isinstance(value, BaseModel):
            yield from walk(value, owner, f"{context}.{name}", (*path, name), origin, note)
        elif isinstance(value, list):
            yield from _walk_list(value, owner, f"{context}.{name}", (*path, name), origin, note)


def _walk_list(
    items: list[Any], owner: str, context: str, path: YamlPath, origin: Origin | None, note: str
) -> Iterator[TranslatableField]:
    for index, item in enumerate(items):
        if isinstance(item, BaseModel):
            yield from walk(
                item, owner, f"{context}.{item_name(item, index)}", (*path, index), origin, note
            )


def item_name(item: BaseModel, index: int) -> str:
    """A list item's name in contexts: its id (or right), else its position."""
    for attribute in ("id", "right"):
        value = getattr(item, attribute, None)
        if value:
            return str(value)
    return str(index + 1)


def _marker(metadata: list[Any]) -> Translatable | MarkdownText | None:
    for item in metadata:
        if isinstance(item, Translatable | MarkdownText):
            return item
    return None


def file_fields(
    part: ContentFile, path: Path, source_map: SourceMap
) -> Iterator[TranslatableField]:
    """The translatable fields of one content file on its own (for the Babel extractor)."""
    if part.site is not None:
        yield from walk(part.site, "site", "site", (), Origin(path, source_map, ("site",)))
    for index, party in enumerate(part.parties):
        origin = Origin(path, source_map, ("parties", index))
        yield from walk(party, f"party:{party.id}", f"parties.{party.id}", (), origin)
    if part.notice is not None:
        notice = part.notice
        yield from walk(
            notice, f"notice:{notice.id}", notice.id, (), Origin(path, source_map, ("notice",))
        )
