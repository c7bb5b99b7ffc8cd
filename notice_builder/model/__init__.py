"""The notice model: plain typed data, validated by its own schema, with no I/O."""

from notice_builder.model.content import Content, ContentFile
from notice_builder.model.notice import Notice, Section
from notice_builder.model.parties import Party
from notice_builder.model.site import Site

__all__ = ["Content", "ContentFile", "Notice", "Party", "Section", "Site"]
