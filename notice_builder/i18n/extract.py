"""Extract every translatable string of a project into one template catalog (.pot).

Sources: the content (each field with its stable path as context, Markdown one
paragraph or list item at a time), the fixed vocabularies, and the templates
(``pgettext("ui", ...)`` and friends, through Jinja's Babel extractor).

Jinja's extractor skips a template it cannot parse, without a word: the layout's
messages would then drop out of the .pot, and ``i18n update`` would make them obsolete
in every catalog. The templates are parsed first instead, and a template that is not
UTF-8 or not valid Jinja stops the extraction with its file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from notice_builder import __version__
from notice_builder.diagnostics import Location, display_path
from notice_builder.errors import BuildFailed, InputError
from notice_builder.i18n.fields import TranslatableField, content_fields
from notice_builder.i18n.segments import split_blocks
from notice_builder.i18n.vocabulary_messages import VOCABULARY_FILE, vocabulary_messages
from notice_builder.loader import LoadResult, load_content
from notice_builder.model import Content
from notice_builder.page_cache import CACHE_DIR
from notice_builder.paths import resolved
from notice_builder.project import Project

if TYPE_CHECKING:  # Babel's messages package is imported where it is used (see translations)
    from babel.messages.catalog import Catalog

TEMPLATE_METHODS = [("**.html", "jinja2"), ("**.xml", "jinja2"), ("**.txt", "jinja2")]
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
# "silent": a template Jinja cannot parse raises instead of being skipped (see above)
TEMPLATE_OPTIONS = {
    "**.html": {"trimmed": "true", "silent": "false"},
    "**.xml": {"trimmed": "true", "silent": "false"},
    "**.txt": {"silent": "false"},
}


def extract_catalog(project: Project, outcome: str = "nothing was extracted") -> Catalog:
    """The template catalog of a project; raises BuildFailed, saying ``outcome``, when
    the content or a template has errors."""
    loaded = load_checked(project, outcome)
    assert loaded.content is not None
    catalog = new_template_catalog(loaded.content.site.domain)
    add_content_messages(catalog, loaded, project.root)
    add_vocabulary_messages(catalog)
    add_template_messages(catalog, template_dir(project, loaded.content), project.root, outcome)
    return catalog


def load_checked(project: Project, outcome: str = "nothing was extracted") -> LoadResult:
    """The project's content (through the cache the build keeps: a site of 100 notices
    is validated in 1.5 s); raises BuildFailed, saying ``outcome``, when it has errors
    (InputError when it could not be read at all: exit 2, as for every command)."""
    loaded = load_content(project.content_dir, cache=project.root / CACHE_DIR / "content")
    if loaded.unreadable:
        raise InputError(f"the content could not be loaded; {outcome}", loaded.diagnostics)
    if loaded.content is None:
        count = len([d for d in loaded.diagnostics if d.severity.value == "error"])
        raise BuildFailed(f"the content has {count} error(s); {outcome}", loaded.diagnostics)
    return loaded


def template_dir(project: Project, content: Content) -> Path:
    configured = Path(content.site.templates)
    if project.templates_dir != project.root / "templates":
        return project.templates_dir
    return configured if configured.is_absolute() else project.root / configured


def new_template_catalog(domain: str) -> Catalog:
    from babel.messages.catalog import Catalog

    return Catalog(
        domain=domain,
        project=f"notice-builder {domain}",
        version=__version__,
        msgid_bugs_address="",
        copyright_holder="",
        charset="utf-8",
        fuzzy=False,
        header_comment=f"# Translations of the {domain} catalog of a notice-builder site.\n#",
    )


def add_content_messages(catalog: Catalog, loaded: LoadResult, root: Path) -> None:
    assert loaded.content is not None
    for field in content_fields(loaded.content, loaded.sources):
        for msgid, location in field_messages(field):
            comments = [field.what] + ([f"Note: {field.note}"] if field.note else [])
            _add(catalog, msgid, field.context, comments, location, root)


def field_messages(field: TranslatableField) -> Iterator[tuple[str, Location | None]]:
    """The msgids of one field: itself, or one per Markdown paragraph or list item."""
    if field.kind == "text":
        yield " ".join(field.value.split()), field.location
        return
    for block in split_blocks(field.value):
        for segment in block.segments:
            yield segment.text, field.line_of(segment.line)


def add_vocabulary_messages(catalog: Catalog) -> None:
    for message in vocabulary_messages():
        catalog.add(
            message.msgid,
            context=message.context,
            auto_comments=[message.comment],
            locations=source_refs([(VOCABULARY_FILE, None)]),
        )


def add_template_messages(
    catalog: Catalog, templates: Path, root: Path, outcome: str = "nothing was extracted"
) -> None:
    """The messages of the templates; raises BuildFailed, saying ``outcome``, when one
    cannot be read."""
    if not templates.is_dir():
        return
    from notice_builder.render.environment import template_problems

    problems = template_problems(templates, extracted_templates(templates))
    if problems:
        raise BuildFailed(f"{len(problems)} template(s) cannot be read; {outcome}", problems)
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(
        str(templates),
        method_map=TEMPLATE_METHODS,
        options_map=TEMPLATE_OPTIONS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = display_relative(templates / filename, root)
        _add_template_message(catalog, message, context, comments, (where, lineno))


def extracted_templates(templates: Path) -> list[Path]:
    """The files Jinja's extractor reads (see ``TEMPLATE_METHODS``): those with a
    template suffix, outside folders whose names start with "." or "_"."""
    found = []
    for path in sorted(templates.rglob("*")):
        folders = path.relative_to(templates).parts[:-1]
        hidden = any(folder.startswith((".", "_")) for folder in folders)
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file() and not hidden:
            found.append(path)
    return found


def _add_template_message(
    catalog: Catalog,
    message: str | tuple[str, ...],
    context: str | None,
    comments: list[str],
    where: tuple[str, int],
) -> None:
    existing = catalog.get(message if isinstance(message, str) else message[0], context)
    auto = list(comments) or ["Text of the page layout."]
    if existing is not None:
        existing.locations.append(where)
        return
    catalog.add(message, context=context, auto_comments=auto, locations=[where])


def _add(
    catalog: Catalog,
    msgid: str,
    context: str,
    comments: list[str],
    location: Location | None,
    root: Path,
) -> None:
    where = (
        [(display_relative(Path(location.path), root), location.line or None)] if location else []
    )
    existing = catalog.get(msgid, context)
    if existing is not None:
        existing.locations.extend(source_refs(where))
        return
    catalog.add(msgid, context=context, auto_comments=comments, locations=source_refs(where))


def source_refs(refs: list[tuple[str, int | None]]) -> list[tuple[str, int]]:
    """Babel writes a reference without a line number when the number is None."""
    return cast("list[tuple[str, int]]", refs)


def display_relative(path: Path, root: Path) -> str:
    """``path`` as a source reference: relative to ``root`` when inside it."""
    return _display_relative(os.fspath(path), os.fspath(root), str(Path.cwd()))


@lru_cache(maxsize=1024)
def _display_relative(path: str, root: str, cwd: str) -> str:
    """Resolved once per file (and folder it is run in): a site of 100 notices has
    thousands of messages in a few files, and resolving each message's file took half
    of the extraction."""
    try:
        return resolved(Path(path)).relative_to(resolved(Path(root))).as_posix()
    except ValueError:
        return display_path(Path(path))
