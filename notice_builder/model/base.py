"""The base class of every part of the format."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    """A part of the notice format: immutable, strict about unknown keys.

    Attribute docstrings become the descriptions of the JSON Schema and of the
    field reference in the legal team's guide; :mod:`notice_builder.schema_export`
    reads them from the source when it writes those. pydantic is not asked to
    (``use_attribute_docstrings``): it would read and parse the source of every part
    each time the model is imported, which took a rebuild ~50 ms.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        # The validators are built on first use: a rebuild that takes its content from
        # the cache (loader/model_cache.py) never validates.
        defer_build=True,
    )
