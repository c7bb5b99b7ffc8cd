"""Where each part of the content came from, for diagnostics and source references."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notice_builder.diagnostics import Location
from notice_builder.loader.yaml_data import PathKey, SourceMap


@dataclass(frozen=True)
class Origin:
    """A file and the path of one part inside it (e.g. the `notice` key)."""

    path: Path
    source_map: SourceMap
    prefix: PathKey

    def locate(self, path: PathKey = (), *, key: bool = False) -> Location | None:
        return self.source_map.locate((*self.prefix, *path), key=key)

    def is_block_scalar(self, path: PathKey) -> bool:
        return (*self.prefix, *path) in self.source_map.block_scalars


@dataclass
class ContentSources:
    """Origins of the site settings, of each party and of each notice."""

    site: Origin | None = None
    parties: dict[str, Origin] = field(default_factory=dict)
    notices: dict[str, Origin] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    rejected_parties: set[str] | None = field(default_factory=set)
    """The ids of parties in files that were read but are invalid, or None when a file
    could not be read at all (it may declare any party). References to these are not
    reported: the errors of the file that declares them are what to fix."""

    def reject_parties(self, data: object) -> None:
        """Note the party ids of a file that is invalid; ``data`` is as parsed."""
        parties = data.get("parties") if isinstance(data, dict) else None
        if self.rejected_parties is not None and isinstance(parties, list):
            ids = (party.get("id") for party in parties if isinstance(party, dict))
            self.rejected_parties.update(ident for ident in ids if isinstance(ident, str))

    def notice(self, notice_id: str, path: PathKey = (), *, key: bool = False) -> Location | None:
        origin = self.notices.get(notice_id)
        return origin.locate(path, key=key) if origin else None

    def party(self, party_id: str, path: PathKey = ()) -> Location | None:
        origin = self.parties.get(party_id)
        return origin.locate(path) if origin else None
