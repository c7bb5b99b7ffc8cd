"""What the GDPR rules need to know about one notice, worked out once per notice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from notice_builder.diagnostics import Location
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content, Notice, Party, Section
from notice_builder.model.notice import Block, Purpose
from notice_builder.model.vocabulary import LegalBasis, Right


@dataclass(frozen=True)
class RightsSection:
    """A section that shows the rights block, and the rights it actually lists."""

    index: int
    section: Section
    rights: tuple[Right, ...]

    @property
    def only_rights(self) -> bool:
        """True when the section shows nothing but the rights block."""
        return set(self.section.show) == {Block.RIGHTS}


@dataclass(frozen=True)
class NoticeContext:
    """One notice with its content and sources, plus the facts several rules share."""

    notice: Notice
    content: Content
    sources: ContentSources

    @property
    def id(self) -> str:
        return self.notice.id

    def at(self, *path: str | int, key: bool = False) -> Location | None:
        """Where a path inside the notice is written (e.g. ``at("purposes", 2)``)."""
        return self.sources.notice(self.notice.id, path, key=key)

    def at_key_or_id(self, name: str) -> Location | None:
        """The notice's ``name:`` key when it is written, else the notice's ``id``."""
        origin = self.sources.notices.get(self.notice.id)
        if origin is not None and (*origin.prefix, name) in origin.source_map.keys:
            return self.at(name, key=True)
        return self.at("id")

    def party(self, party_id: str) -> Party | None:
        return self.content.parties.get(party_id)

    def at_party(self, party_id: str) -> Location | None:
        """The party's ``id`` in the parties file (falls back to the notice's id)."""
        return self.sources.party(party_id, ("id",)) or self.at("id")

    @cached_property
    def bases(self) -> frozenset[LegalBasis]:
        """Every legal basis some purpose relies on."""
        return frozenset(basis for purpose in self.notice.purposes for basis in purpose.legal_bases)

    @cached_property
    def shown(self) -> frozenset[Block]:
        """The blocks at least one section shows."""
        return frozenset(block for section in self.notice.sections for block in section.show)

    @cached_property
    def declared_rights(self) -> tuple[Right, ...]:
        return tuple(entry.right for entry in self.notice.rights)

    @cached_property
    def rights_sections(self) -> tuple[RightsSection, ...]:
        """Sections showing the rights block; an empty `rights:` list means every right."""
        found = []
        for index, section in enumerate(self.notice.sections):
            if Block.RIGHTS not in section.show:
                continue
            listed = tuple(
                r for r in self.declared_rights if not section.rights or r in section.rights
            )
            found.append(RightsSection(index, section, listed))
        return tuple(found)

    @cached_property
    def shown_rights(self) -> frozenset[Right]:
        return frozenset(right for item in self.rights_sections for right in item.rights)

    @property
    def art13_applies(self) -> bool:
        """Data is collected from the person: a source is not a third party, or none is named."""
        sources = self.notice.data_sources
        return not sources or any(not source.third_party for source in sources)

    @property
    def art14_applies(self) -> bool:
        """Data comes from elsewhere (some source is a third party, or none is named)."""
        sources = self.notice.data_sources
        return not sources or any(source.third_party for source in sources)

    def purposes_naming(self, rule_id: str) -> list[Purpose]:
        """The purposes whose `retention:` list names this retention rule."""
        return [purpose for purpose in self.notice.purposes if rule_id in purpose.retention]
