"""The base class of every part of the format."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    """A part of the notice format: immutable, strict about unknown keys.

    Attribute docstrings become the descriptions of the JSON Schema and of the
    field reference in the legal team's guide.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
        # The validators are built on first use: a rebuild that takes its content from
        # the cache (loader/model_cache.py) never validates.
        defer_build=True,
    )
