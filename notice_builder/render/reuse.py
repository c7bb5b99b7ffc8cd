"""Which pages an incremental build can take from the cache instead of rendering them.

A page is found in two ways. Its *exact* key hashes all its inputs, its locale's
whole catalog included: when nothing changed, that finds it without reading the
catalog. When the catalog changed, its *base* key (all inputs but the catalog) leads
to the list of translations the page looked up when it was last rendered; hashed
with their current values, they name the page's bytes. Rendering is deterministic,
so a page that looks up the same translations and finds the same values is the same
page: editing one message renders again only the pages that show it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from notice_builder.diagnostics import Location
from notice_builder.i18n.localizer import LocalText, Missing
from notice_builder.i18n.translations import Key, TranslationTable
from notice_builder.page_cache import CachedPage, PageCache


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


def body_key(base: str, used: list[Key], table: TranslationTable) -> str:
    """The name of a page's bytes: its other inputs, and what it found in the catalog."""
    found = [
        (key, table.strings.get(key), key in table.fuzzy, table.plurals.get(key)) for key in used
    ]
    return hashlib.sha256(f"{base}\0{table.plural_expr}\0{found!r}".encode()).hexdigest()


def reusable(cache: PageCache, key: PageKey, table: TranslationTable) -> CachedPage | None:
    """The page rendered earlier from the same inputs and the same translations, if any."""
    used = cache.get_record(key.base)
    if not isinstance(used, list):
        return None
    try:
        keys = [(context, str(msgid)) for context, msgid in used]
    except (TypeError, ValueError):
        return None
    page = cache.get(body_key(key.base, keys, table))
    if page is not None:
        cache.alias(key.exact, page)
    return page


def store(
    cache: PageCache, key: PageKey, html: bytes, details: dict[str, Any], table: RecordingTable
) -> CachedPage | None:
    """Keep a rendered page under its exact key and under the translations it used."""
    used = list(table.used)
    page = cache.put(body_key(key.base, used, table), html, details)
    if page is not None:
        cache.alias(key.exact, page)
        cache.put_record(key.base, [list(item) for item in used])
    return page


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
