"""The translation workflow: extract the template, start a catalog, merge the template in.

Merging is Babel's ``Catalog.update`` (fuzzy matching on), with three additions that
gettext's msgmerge also has and Babel lacks:

* a message whose msgctxt (its stable content path) is unchanged but whose source text
  changed is matched by that context first, so it becomes fuzzy with its previous msgid
  even when the new text is too different for Babel's difflib matching;
* previous msgids of entries that stay fuzzy are kept, so merging twice changes nothing;
* an obsolete entry whose message is back in the template is revived.

A catalog is rewritten only when merging changes its content (messages, translations,
flags, previous msgids, comments, references), so a file saved by Poedit or Weblate in
their own layout keeps its bytes when there is nothing to merge. It keeps its charset
too, unless that cannot hold the merged text: then it is written in UTF-8, and its
:class:`CatalogUpdate` says why (``extract`` and ``init`` always write UTF-8).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from functools import partial
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from notice_builder.diagnostics import Diagnostic, Location, display_path, error
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_io import (
    RenderedCatalog,
    catalog_data,
    read_catalog,
    write_catalog,
    write_catalog_data,
)
from notice_builder.i18n.catalog_settings import MISSING
from notice_builder.i18n.translations import folder_problem
from notice_builder.model.fields import usual_spelling
from notice_builder.parallel import parallel_map
from notice_builder.project import DEFAULT_DOMAIN, Project

EXISTS = "i18n.catalog.exists"
TEMPLATE_MISSING = "i18n.template.missing"

_LOCALE_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")
_FORMAT_FLAGS = frozenset({"python-format", "python-brace-format"})

Key = tuple[str, str | None]


@dataclass(frozen=True)
class CatalogUpdate:
    """What ``update`` did to one catalog: ``changed`` by the merge, ``written`` to disk;
    ``converted`` says why it was written in UTF-8 instead of its declared charset
    (``ISO-8859-1 cannot hold '€'``), else None."""

    locale: str
    path: Path
    changed: bool
    written: bool
    converted: str | None = None


# --- commands ------------------------------------------------------------------------


def extract_template(project: Project, *, sort: bool = False) -> tuple[Path, bool]:
    """Extract the project's messages into ``locales/<domain>.pot``: its path, and False
    when it was unchanged."""
    path, catalog = _extracted(project)
    return path, write_catalog(catalog, path, sort=sort)


def _extracted(project: Project, outcome: str = "nothing was extracted") -> tuple[Path, Catalog]:
    """The template the content and templates give now, and where it belongs; raises
    BuildFailed, saying ``outcome``, when they have errors."""
    from notice_builder.i18n.extract import extract_catalog

    catalog = extract_catalog(project, outcome)
    return project.pot_path(catalog.domain or DEFAULT_DOMAIN), catalog


@dataclass(frozen=True)
class TemplateChanges:
    """How the template on disk differs from what extraction gives now, by message."""

    path: Path
    added: list[Key]
    removed: list[Key]


def template_changes(project: Project) -> TemplateChanges:
    """The messages the content and templates have that the template on disk lacks,
    and those it has that they no longer do (nothing is written). Source references
    and comments are left out: they move with every edit above a message."""
    path, catalog = _extracted(project)
    on_disk = catalog_keys(read_catalog(path)) if path.is_file() else set()
    extracted = catalog_keys(catalog)
    return TemplateChanges(path, _ordered(extracted - on_disk), _ordered(on_disk - extracted))


def template_keys(project: Project, outcome: str) -> frozenset[Key]:
    """The messages a catalog needs now: those the content and templates give, which the
    build translates (the template on disk may be older); raises BuildFailed, saying
    ``outcome``, when they have errors."""
    return frozenset(catalog_keys(_extracted(project, outcome)[1]))


def _ordered(keys: set[Key]) -> list[Key]:
    return sorted(keys, key=lambda key: (key[1] or "", key[0]))


def catalog_keys(catalog: Catalog) -> set[Key]:
    """The (msgid, msgctxt) of every message of a catalog (obsolete ones aside)."""
    return {message_key(message) for message in catalog if message.id}


def init_catalog(
    project: Project,
    locale: str,
    *,
    force: bool = False,
    sort: bool = False,
    domain: str = DEFAULT_DOMAIN,
) -> Path:
    """Start the catalog of ``locale`` (checked by :func:`parse_locale`) from the template."""
    path = project.po_path(locale, domain)
    if path.exists() and not force:
        problem = error(
            EXISTS,
            f"a catalog for {locale} exists already",
            Location.of(path),
            "Run `notice-builder i18n update` to merge the template into it, "
            "or `init --force` to start over (its translations are lost).",
        )
        raise InputError(f"{display_path(path)} exists; not overwritten", [problem])
    catalog = new_catalog(read_template(project, domain), locale)
    write_catalog(catalog, path, sort=sort)
    return path


def update_catalogs(
    project: Project,
    locales: Sequence[str] = (),
    *,
    check: bool = False,
    sort: bool = False,
    domain: str = DEFAULT_DOMAIN,
) -> list[CatalogUpdate]:
    """Merge the template into each catalog (all when ``locales`` is empty).

    With ``check`` nothing is written; ``changed`` says which catalogs are out of date.
    Catalogs are read and merged on every core (Babel takes a second and a half for a
    catalog of 2.5 MB); nothing is written unless every one of them could be read.
    """
    template = read_template(project, domain)
    chosen = list(locales or project.catalog_locales(domain))
    merge = partial(_merged_catalog, project, template, domain, check=check, sort=sort)
    merged = parallel_map(merge, chosen)
    unreadable = [problem for item in merged if isinstance(item, list) for problem in item]
    if unreadable:
        raise InputError(f"{len(unreadable)} catalog problem(s); nothing was done", unreadable)
    return [_write_merged(item) for item in merged if isinstance(item, _MergedCatalog)]


@dataclass(frozen=True)
class _MergedCatalog:
    """One catalog merged in a worker: ``rendered`` is what to write, if anything."""

    locale: str
    path: Path
    changed: bool
    rendered: RenderedCatalog | None


def _merged_catalog(
    project: Project, template: Catalog, domain: str, locale: str, *, check: bool, sort: bool
) -> _MergedCatalog | list[Diagnostic]:
    read = catalog_or_problems(project, locale, domain)
    if isinstance(read, list):
        return read
    path, catalog = read
    before = _content(catalog)
    merge_template(catalog, template)
    changed = _content(catalog) != before
    wanted = (changed or sort) and not check  # --sort: also the order of an unchanged one
    rendered = catalog_data(catalog, path, sort=sort) if wanted else None
    return _MergedCatalog(locale, path, changed, rendered)


def _write_merged(merged: _MergedCatalog) -> CatalogUpdate:
    rendered = merged.rendered
    if rendered is None:
        return CatalogUpdate(merged.locale, merged.path, merged.changed, written=False)
    write_catalog_data(merged.path, rendered.data)
    return CatalogUpdate(merged.locale, merged.path, merged.changed, True, rendered.converted)


# --- loading -------------------------------------------------------------------------


def parse_locale(text: str) -> str:
    """The gettext identifier of a language code (``pt-BR`` and ``pt-br`` -> ``pt_BR``),
    which names its catalog's folder as the build looks for it (see
    :func:`~notice_builder.model.fields.usual_spelling`; ``iw`` stays ``iw``).

    Raises ValueError for anything that is not a CLDR locale, including path tricks.
    """
    if not _LOCALE_SHAPE.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a language code; use a code such as nl, pt_BR or sr_Latn"
        )
    try:
        return usual_spelling(text, "_")
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"{text!r} is not a language that CLDR knows ({exc})") from exc


def read_template(project: Project, domain: str = DEFAULT_DOMAIN) -> Catalog:
    path = project.pot_path(domain)
    if not path.exists():
        problem = error(
            TEMPLATE_MISSING,
            "the template catalog does not exist",
            Location.of(path),
            "Run `notice-builder i18n extract` first.",
        )
        raise InputError(f"no template at {display_path(path)}", [problem])
    return read_catalog(path)


def catalog_or_problems(
    project: Project, locale: str, domain: str = DEFAULT_DOMAIN
) -> tuple[Path, Catalog] | list[Diagnostic]:
    """One catalog, read, or the problems that keep it from being read (for commands
    that read catalogs in worker processes and report the unreadable ones together)."""
    path = project.po_path(locale, domain)
    try:
        return path, _read_existing(path, locale)
    except InputError as failure:
        return failure.diagnostics


def _read_existing(path: Path, locale: str) -> Catalog:
    if not path.exists():
        hint = f"Run `notice-builder i18n init {locale}` to start it."
        problem = error(MISSING, f"there is no catalog for {locale}", Location.of(path), hint)
        raise InputError(f"no catalog at {display_path(path)}", [problem])
    misnamed = folder_problem(path)
    if misnamed is not None:
        raise InputError(f"{display_path(path)} is not where gettext looks", [misnamed])
    return read_catalog(path, locale)


# --- new catalogs --------------------------------------------------------------------


def new_catalog(template: Catalog, locale: str) -> Catalog:
    """An empty catalog for ``locale`` with the template's messages and a proper header:
    Language, Plural-Forms from CLDR, charset UTF-8."""
    catalog = Catalog(
        locale=locale,
        domain=template.domain,
        header_comment=template.header_comment,
        project=template.project,
        version=template.version,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=datetime.datetime.now(datetime.UTC),
        charset="utf-8",
        fuzzy=False,
    )
    for message in template:
        if message.id:
            catalog[message.id] = _untranslated(message, catalog.num_plurals)
    return catalog


def _untranslated(message: Message, plurals: int) -> Message:
    copy_ = message.clone()
    copy_.string = ("",) * plurals if message.pluralizable else ""
    copy_.flags.discard("fuzzy")
    copy_.previous_id = []
    return copy_


# --- merging -------------------------------------------------------------------------


def merge_template(catalog: Catalog, template: Catalog) -> None:
    """Merge ``template`` into ``catalog`` (which is changed: a copy of a catalog of 2.5
    MB took Babel's deepcopy a second)."""
    previous_ids = _previous_ids(catalog)
    _revive_obsolete(catalog, template)
    moved = _match_by_context(catalog, template)
    catalog.update(template, no_fuzzy_matching=False)
    _keep_previous_ids(catalog, previous_ids, moved)


def message_key(message: Message) -> Key:
    """(msgid, msgctxt) of a message; the singular msgid of a plural one."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (msgid, message.context)


def _revive_obsolete(catalog: Catalog, template: Catalog) -> None:
    for key, message in list(catalog.obsolete.items()):
        wanted = template.get(message.id, message.context) is not None
        if wanted and catalog.get(message.id, message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message


def _match_by_context(catalog: Catalog, template: Catalog) -> dict[Key, list[str]]:
    """Give old messages whose source text changed the new msgid, keeping their context.

    Returns the previous msgid of each translated message moved this way (it is fuzzy).
    """
    moved: dict[Key, list[str]] = {}
    old_by_context = _unmatched_by_context(catalog, template)
    for context, new_messages in _unmatched_by_context(template, catalog).items():
        for old, new in _pairs(old_by_context.get(context, []), new_messages):
            catalog.delete(old.id, old.context)
            catalog[new.id] = _renamed(old, new)
            if _has_translation(old):
                moved[message_key(new)] = [old.id] if isinstance(old.id, str) else list(old.id)
    return moved


def _unmatched_by_context(catalog: Catalog, other: Catalog) -> dict[str, list[Message]]:
    """Messages of ``catalog`` with a context whose (msgid, context) is not in ``other``."""
    found: dict[str, list[Message]] = {}
    for message in catalog:
        if (
            message.id
            and message.context is not None
            and other.get(message.id, message.context) is None
        ):
            found.setdefault(message.context, []).append(message)
    return found


def _pairs(old: list[Message], new: list[Message]) -> Iterable[tuple[Message, Message]]:
    """One-to-one: the only old and new message of a context; else the closest msgids."""
    one_each = len(old) == 1 and len(new) == 1
    candidates = [(old[0], new[0])] if one_each else list(_closest(old, new))
    return [(o, n) for o, n in candidates if o.pluralizable == n.pluralizable]


def _closest(old: list[Message], new: list[Message]) -> Iterable[tuple[Message, Message]]:
    remaining = {message_key(message)[0]: message for message in old}
    for message in new:
        match = get_close_matches(message_key(message)[0], list(remaining), n=1)
        if match:
            yield remaining.pop(match[0]), message


def _renamed(old: Message, new: Message) -> Message:
    flags = set(old.flags) - _FORMAT_FLAGS
    if _has_translation(old):
        flags.add("fuzzy")
    return Message(
        new.id,
        old.string,
        flags=flags,
        user_comments=old.user_comments,
        context=old.context,
    )


def _has_translation(message: Message) -> bool:
    strings = message.string
    if isinstance(strings, (list, tuple)):
        return any(strings)
    return bool(strings)


def _previous_ids(catalog: Catalog) -> dict[Key, list[str]]:
    return {
        message_key(message): list(message.previous_id)
        for message in catalog
        if message.id and message.previous_id
    }


def _keep_previous_ids(
    merged: Catalog, previous_ids: dict[Key, list[str]], moved: dict[Key, list[str]]
) -> None:
    """Give each fuzzy message the msgid it was moved from, or else the previous msgid
    it had before the merge (which Babel's update drops)."""
    for message in merged:
        if not message.id or not message.fuzzy:
            continue
        if message_key(message) in moved:
            message.previous_id = moved[message_key(message)]
        elif not message.previous_id and message_key(message) in previous_ids:
            message.previous_id = previous_ids[message_key(message)]


# --- comparing -----------------------------------------------------------------------


def same_content(first: Catalog, second: Catalog) -> bool:
    """Whether two catalogs say the same, whatever their layout, order, wrapping or dates."""
    return _content(first) == _content(second)


def _content(
    catalog: Catalog,
) -> tuple[frozenset[tuple[object, ...]], frozenset[tuple[object, ...]]]:
    active = frozenset(_entry(message) for message in catalog if message.id)
    obsolete = frozenset(_obsolete_entry(message) for message in catalog.obsolete.values())
    return active, obsolete


def _entry(message: Message) -> tuple[object, ...]:
    locations = sorted((name, line or 0) for name, line in message.locations)
    return (
        *_obsolete_entry(message),
        frozenset(message.flags),
        tuple(message.previous_id),
        _words(message.auto_comments),
        tuple(locations),
    )


def _obsolete_entry(message: Message) -> tuple[object, ...]:
    return (
        message.context,
        _strings(message.id),
        _strings(message.string),
        _words(message.user_comments),
    )


def _strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if isinstance(value, str) or value is None:
        return (value or "",)
    return tuple(item or "" for item in value)


def _words(comments: Iterable[str]) -> str:
    return " ".join(" ".join(comments).split())
