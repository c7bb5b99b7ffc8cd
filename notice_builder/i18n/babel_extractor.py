"""A Babel extractor for notice YAML, so ``pybabel extract`` sees the content too.

Register it in a ``babel.cfg``::

    [notice_yaml: content/**.yaml]
    [jinja2: templates/**.html]
    trimmed = true

Each string gets the same context and comments as with ``notice-builder i18n
extract``. The file holding the ``site:`` settings also yields the fixed
vocabulary (legal bases, rights, ...), which every site needs exactly once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from notice_builder.i18n.extract import field_messages
from notice_builder.i18n.fields import file_fields
from notice_builder.i18n.vocabulary_messages import vocabulary_messages
from notice_builder.loader.schema_errors import schema_diagnostics
from notice_builder.loader.yaml_source import YamlProblem, load_yaml_text
from notice_builder.model import ContentFile

Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_notice_yaml(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield ``(lineno, "pgettext", (context, message), comments)`` per translatable string.

    Babel maps the ``pgettext`` keyword (in its defaults) to a context and a message.
    """
    path = Path(getattr(fileobj, "name", "content.yaml"))
    part, source_map = _parse(path, fileobj.read().decode("utf-8-sig"))
    for item in file_fields(part, path, source_map):
        comments = [item.what] + ([f"Note: {item.note}"] if item.note else [])
        for msgid, location in field_messages(item):
            yield (location.line if location else 0), "pgettext", (item.context, msgid), comments
    if part.site is not None:
        for message in vocabulary_messages():
            yield 0, "pgettext", (message.context, message.msgid), [message.comment]


def _parse(path: Path, text: str) -> tuple[ContentFile, Any]:
    try:
        loaded = load_yaml_text(path, text)
        return ContentFile.model_validate(loaded.data or {}), loaded.source_map
    except YamlProblem as problem:
        raise ValueError(str(problem.diagnostic)) from None
    except ValidationError as invalid:
        found = schema_diagnostics(invalid, ContentFile, loaded.source_map, path)
        raise ValueError("\n".join(str(d) for d in found)) from None
