"""Which pages an incremental build can take from the cache instead of rendering them.

Each locale has a manifest (see :mod:`notice_builder.page_cache`): for each of its
pages, an entry written when the page was last built. A page is found in two ways.
Its *exact* key hashes all its inputs, its locale's whole catalog included: when
nothing changed, that finds it without reading the catalog. When the catalog
changed, an entry with the same *base* key (all inputs but the catalog) lists the
translations the page looked up; hashed with their current values, they name the
page's bytes. Rendering is deterministic, so a page that looks up the same
translations and finds the same values is the same page: editing one message
renders again only the pages that show it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notice_builder.diagnostics import Location
from notice_builder.i18n.localizer import LocalText, Missing
from notice_builder.i18n.translations import Key, TranslationTable
from notice_builder.page_cache import CachedPage, PageCache, header, page_key


@dataclass(frozen=True)
class PageKey:
    """A page's cache keys: with the catalog's bytes (``exact``), and without (``base``)."""

    exact: str
    base: str


@dataclass
class RecordingTable(TranslationTable):
    """A translation table that remembers which messages were looked up, in order."""

    used: dict[Key, None] = field(default_factory=dict)

    @classmethod
    def wrap(cls, table: TranslationTable) -> RecordingTable:
        """The same translations (shared, not copied), recording from now on."""
        values = {f.name: getattr(table, f.name) for f in dataclasses.fields(table) if f.init}
        return cls(**values)

    def get(self, context: str | None, msgid: str) -> str | None:
        self.used[(context, msgid)] = None
        return super().get(context, msgid)

    def get_plural(self, context: str | None, singular: str, count: int) -> str | None:
        self.used[(context, singular)] = None
        return super().get_plural(context, singular, count)


def body_key(base: str, used_key: str, used: Sequence[Key], table: TranslationTable) -> str:
    """The name of a page's bytes: its other inputs, the messages it looked up (named by
    ``used_key``) and what it found for them in the catalog."""
    strings, fuzzy, plurals = table.strings, table.fuzzy, table.plurals
    found: list[Any] = [strings.get(key) for key in used]
    # Fuzzy and plural entries are few: listed by position, not as two more per message.
    found.append([index for index, key in enumerate(used) if key in fuzzy] if fuzzy else [])
    found.append(
        [[i, plurals[key]] for i, key in enumerate(used) if key in plurals] if plurals else []
    )
    values = json.dumps(found, ensure_ascii=False, separators=(",", ":"))
    text = f"{base}\0{used_key}\0{table.plural_expr}\0{values}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_USED_KEYS: dict[tuple[Key, ...], str] = {}


def used_list_key(used: tuple[Key, ...]) -> str:
    """The name of a list of looked-up messages (the same notice looks up the same ones
    in every language: named once per process, not once per page)."""
    key = _USED_KEYS.get(used)
    if key is None:
        key = _USED_KEYS[used] = page_key("used", json.dumps(used, separators=(",", ":")))
    return key


def manifest_key(locale: str) -> str:
    """The name of a locale's manifest in the cache (the same in every build)."""
    return page_key("manifest", locale)


def exact_hit(cache: PageCache, entry: Any, key: PageKey) -> CachedPage | None:
    """The page a manifest entry leads to, when it was built from exactly these inputs."""
    if not isinstance(entry, dict) or entry.get("exact") != key.exact:
        return None
    return cache.page(entry.get("page"))


def reusable(
    cache: PageCache, entry: Any, key: PageKey, table: TranslationTable
) -> CachedPage | None:
    """The page built from the same inputs but another catalog, when it found the same
    translations in it as this one would."""
    if not isinstance(entry, dict) or entry.get("base") != key.base or not entry.get("used"):
        return None
    used_key = str(entry["used"])
    try:
        used = [(context, str(msgid)) for context, msgid in cache.get_json(used_key)]
        page = cache.page(entry["page"])
    except (KeyError, TypeError, ValueError):
        return None
    if page is None or page.body_key != body_key(key.base, used_key, used, table):
        return None
    return page


def manifest_entry(key: PageKey, page: CachedPage, used: str | None) -> dict[str, Any]:
    """What the next build needs to find this page again.

    ``used`` names the list of translations the page looked up (None: not recorded);
    the lists are kept apart because the same notice looks up the same messages in
    every language: one list per notice, not one per page.
    """
    return {"exact": key.exact, "base": key.base, "used": used, "page": header(page)}


def store(
    cache: PageCache, key: PageKey, written: Path, details: dict[str, Any], table: RecordingTable
) -> tuple[CachedPage, dict[str, Any]] | None:
    """Keep a rendered page (the file ``written``) named by the translations it used."""
    used = tuple(table.used)
    used_key = used_list_key(used)
    if not cache.has_json(used_key):
        cache.put_json(used_key, used)
    page = cache.keep_body(body_key(key.base, used_key, used, table), written, details)
    return None if page is None else (page, manifest_entry(key, page, used_key))


def page_details(title: LocalText, missing: dict[Key, Missing]) -> dict[str, Any]:
    """What the build needs of a page without rendering it: its title, what it lacked."""
    return {
        "title": [title.text, title.lang, title.dir],
        "missing": [missing_to_json(entry) for entry in missing.values()],
    }


def title_of(details: dict[str, Any]) -> LocalText:
    text, lang, direction = details["title"]
    return LocalText(str(text), lang, direction)


def missing_to_json(entry: Missing) -> dict[str, object]:
    source = entry.source
    where = [source.path, source.line, source.column] if source else None
    return {"context": entry.context, "msgid": entry.msgid, "source": where, "fuzzy": entry.fuzzy}


def missing_from_json(data: dict[str, Any]) -> Missing:
    where = data.get("source")
    source = Location(str(where[0]), int(where[1]), int(where[2])) if where else None
    return Missing(data.get("context"), str(data["msgid"]), source, bool(data.get("fuzzy")))
