"""The whole content of a site: one settings part, shared parties, the notices."""

from __future__ import annotations

from dataclasses import dataclass

from notice_builder.model.base import Part
from notice_builder.model.notice import Notice
from notice_builder.model.parties import Party
from notice_builder.model.site import Site


class ContentFile(Part):
    """One file of content/: any of `site`, `parties` and `notice`."""

    site: Site | None = None
    """Site settings; in exactly one file."""
    parties: list[Party] = []
    """Parties, referred to by id from any notice."""
    notice: Notice | None = None
    """One privacy notice: its purposes, data, retention, rights and sections."""


@dataclass(frozen=True)
class Content:
    """Everything in content/, validated and cross-referenced."""

    site: Site
    parties: dict[str, Party]
    notices: tuple[Notice, ...]
