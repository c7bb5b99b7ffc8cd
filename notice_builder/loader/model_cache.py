"""Validated content files kept between builds, keyed by each file's bytes.

Validating the content again gives the same model for the same bytes, yet it cost a
rebuild more than anything else it did before rendering: building the validators,
importing ``email_validator``, loading CLDR's territory names, and validating every
notice. A file that validated is kept here in its plain form (JSON, see
:mod:`notice_builder.model.plain`; never a pickle, so a cache folder restored from
elsewhere cannot run code) and read back while its bytes are the same. Only files
that validated are kept: a file with problems is validated every time, so every
problem is still reported. Like the pages beside it, a kept model is trusted as it
is: share a cache only between builds you trust alike.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from pydantic import VERSION as PYDANTIC_VERSION

from notice_builder.loader.yaml_data import LoadedYaml
from notice_builder.model import ContentFile
from notice_builder.model.plain import NotPlain, from_plain, to_plain
from notice_builder.page_cache import read_sealed, write_atomic

FORMAT = 1
"""The version of the kept form: an entry of another one is validated again. So is an
entry kept under another pydantic version (``from_plain`` builds models its way)."""


def validated(loaded: LoadedYaml, digest: str, folder: Path | None) -> ContentFile:
    """The file's validated content: kept from an earlier build of the same bytes
    (``digest`` names them), or validated now (pydantic's ValidationError when it does not).
    """
    kept = kept_model(digest, folder)
    return kept if kept is not None else validate(loaded, digest, folder)


def kept_model(digest: str, folder: Path | None) -> ContentFile | None:
    """The content validated from the same bytes by an earlier build, if it was kept.

    Its document's data is then never needed (see :mod:`notice_builder.loader.yaml_cache`).
    """
    entry = folder / f"{digest}.model.json" if folder is not None and digest else None
    return _kept(entry) if entry is not None else None


def validate(loaded: LoadedYaml, digest: str, folder: Path | None) -> ContentFile:
    """Validate the document now, and keep the result for later builds of these bytes."""
    entry = folder / f"{digest}.model.json" if folder is not None and digest else None
    part = ContentFile.model_validate(loaded.data)
    if entry is not None:
        with contextlib.suppress(OSError, NotPlain):  # the cache only saves time
            record = {"format": FORMAT, "pydantic": PYDANTIC_VERSION, "content": to_plain(part)}
            data = json.dumps(record, ensure_ascii=False)
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, data.encode("utf-8"))
    return part


def _kept(entry: Path) -> ContentFile | None:
    """The model kept in ``entry``; None when there is none, or it is damaged or older."""
    try:
        found = json.loads(read_sealed(entry))
        if found["format"] != FORMAT or found.get("pydantic") != PYDANTIC_VERSION:
            return None
        part = from_plain(ContentFile, found["content"])
        os.utime(entry)  # used by this build: pruning keeps it
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return part
