"""The two facts of a page language that the checks take from Babel's CLDR data: whether
it writes numbers with 0-9, and its text direction.

Babel reads and merges ~5 ms of data per language, so a 30-language site spent ~0.15 s
on them before its pages could go to the worker processes (which inherit what the parent
knows). The facts of the languages a check met are therefore kept in a small JSON file
in the project's cache, keyed by Babel's version, and read back by the next check:
``prepare`` fills in what the file does not know from Babel and rewrites it then.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

import babel
from babel import Locale, UnknownLocaleError

from notice_builder.checks.html.text import normalize_tag
from notice_builder.page_cache import read_sealed, write_atomic

# Pseudo-locale regions: XA accented (ltr), XB bidi (rtl), XC long (ltr).
PSEUDO_REGIONS = {"xa": None, "xb": "rtl", "xc": None}
FACTS_FORMAT = 1
Facts = tuple[bool, "str | None"]
"""(writes Latin digits, text direction) of a language."""

# What this process knows, by normalized tag (see ``normalize_tag``)
_latin_digits: dict[str, bool] = {}
_directions: dict[str, str | None] = {}


def writes_latin_digits(tag: str) -> bool:
    """Whether a locale writes numbers with 0-9 (CLDR's default numbering system is latn);
    False when unknown, so that every digit is looked for."""
    key = normalize_tag(tag)
    known = _latin_digits.get(key)
    if known is None:
        known = _latin_digits[key] = _babel_latin_digits(key)
    return known


def text_direction(tag: str) -> str | None:
    """Return "ltr" or "rtl" for a valid BCP 47 tag (pseudo-locales too); None if it is invalid."""
    key = normalize_tag(tag)
    if key not in _directions:
        _directions[key] = _babel_direction(key)
    return _directions[key]


def memories() -> tuple[dict[str, bool], dict[str, str | None]]:
    """What this process knows, by tag (for tests that start afresh)."""
    return _latin_digits, _directions


def _babel_latin_digits(tag: str) -> bool:
    locale, _ = _babel_locale(tag)
    return locale is not None and getattr(locale, "default_numbering_system", "") == "latn"


def _babel_direction(tag: str) -> str | None:
    locale, pseudo_direction = _babel_locale(tag)
    if locale is None:
        return None
    if pseudo_direction:
        return pseudo_direction
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def _babel_locale(tag: str) -> tuple[Locale | None, str | None]:
    """Babel's locale of a tag (a pseudo-locale's base language), with the direction a
    pseudo-locale region forces (XB: rtl); None for a tag Babel does not know."""
    parts = normalize_tag(tag).split("-")
    pseudo = len(parts) == 2 and parts[1] in PSEUDO_REGIONS
    try:
        locale = Locale.parse(parts[0] if pseudo else "_".join(parts), sep="_")
    except (ValueError, TypeError, UnknownLocaleError):
        return None, None
    return locale, PSEUDO_REGIONS[parts[1]] if pseudo else None


def prepare(folders: Iterable[str], facts_file: Path | None = None) -> None:
    """Know the facts of every locale folder's language before the workers are forked:
    from ``facts_file`` when it has them for this Babel, else from Babel (and then the
    file is rewritten, when given). An unreadable or stale file is only a slower start."""
    stored = read_facts(facts_file) if facts_file is not None else {}
    learned = False
    for folder in folders:
        facts = stored.get(folder)
        if facts is not None:
            _latin_digits.setdefault(normalize_tag(folder), facts[0])
            _directions.setdefault(normalize_tag(folder), facts[1])
        else:
            stored[folder] = (writes_latin_digits(folder), text_direction(folder))
            learned = True
    if learned and facts_file is not None:
        write_facts(facts_file, stored)


def read_facts(path: Path) -> dict[str, Facts]:
    """The facts stored for this format and Babel version; {} for anything else."""
    try:
        data = json.loads(read_sealed(path))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != _facts_key():
        return {}
    languages = data.get("languages")
    if not isinstance(languages, dict):
        return {}
    return {
        folder: (facts[0], facts[1])
        for folder, facts in languages.items()
        if isinstance(facts, list)
        and len(facts) == 2
        and isinstance(facts[0], bool)
        and facts[1] in ("ltr", "rtl", None)
    }


def write_facts(path: Path, facts: dict[str, Facts]) -> None:
    """Replace the file whole, as every cache is written; a cache that cannot be written
    is not an error."""
    data = {"key": _facts_key(), "languages": {k: list(v) for k, v in sorted(facts.items())}}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, sort_keys=True).encode("utf-8"))


def _facts_key() -> str:
    return f"{FACTS_FORMAT}:babel-{babel.__version__}"
