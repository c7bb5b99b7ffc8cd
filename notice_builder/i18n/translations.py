"""Translations of one locale, read straight from its .po catalog (no .mo files).

Only finished translations count: a fuzzy or empty entry is treated as missing,
so fuzzy strings are never published.

A catalog is untrusted input, like the content: besides syntax errors (reported by
:mod:`notice_builder.i18n.catalog_io` at file:line), the build refuses a catalog
whose ``Language`` header names another (or no real) language, whose
``Plural-Forms`` rule gives counts other forms than CLDR does for its language, and
translations whose ``%(name)s`` variables the page cannot fill (they would stop the render)
or that leave out a variable of the msgid (``msgfmt -c`` refuses them; see
:mod:`~notice_builder.i18n.python_format`).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from notice_builder.characters import any_unshowable, unshowable_character
from notice_builder.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    display_path,
    error,
    shortened,
)
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_scan import Entry, ScannedCatalog, is_written, scan_catalog
from notice_builder.i18n.catalog_settings import catalog_name, folder_spelling
from notice_builder.i18n.differences import (
    PLACEHOLDER_CODE,
    PLACEHOLDER_HINT,
    placeholder_difference,
)
from notice_builder.i18n.plural_rules import PLURAL_FORMS, plural_rule_diagnostic
from notice_builder.i18n.python_format import format_problem

if TYPE_CHECKING:  # Babel's messages package: imported where a catalog is read in full
    from babel.messages.catalog import Message

Key = tuple[str | None, str]

SYNTAX = "i18n.catalog.syntax"
UNREADABLE = "i18n.catalog.unreadable"
LANGUAGE = "i18n.catalog.language"
FORMAT = "i18n.catalog.format"
UNKNOWN_LOCALE = "i18n.catalog.unknown-locale"
FOLDER = "i18n.catalog.folder"
UNPUBLISHED = "i18n.catalog.unpublished"
SOURCE_CATALOG = "i18n.catalog.source"
CONTROL_CHARACTER = "i18n.catalog.control-character"

_HEADER_NAMES = ("Language", "Plural-Forms")
_HEADER_VALUE = re.compile(rb'[ \t]*([^"\\]*)')
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_PLURAL_EXPRESSION = re.compile(r"plural\s*=\s*([^;]*)")


@dataclass
class TranslationTable:
    """Finished translations by (context, msgid), and which entries are fuzzy."""

    locale: str
    path: Path | None
    strings: dict[Key, str] = field(default_factory=dict)
    fuzzy: set[Key] = field(default_factory=set)
    lines: dict[Key, int] = field(default_factory=dict)
    plurals: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    plural_expr: str = "(n != 1)"

    def get(self, context: str | None, msgid: str) -> str | None:
        return self.strings.get((context, msgid))

    def get_plural(self, context: str | None, singular: str, count: int) -> str | None:
        """The plural form for ``count`` by the catalog's own Plural-Forms rule."""
        forms = self.plurals.get((context, singular))
        if not forms:
            return None
        index = _plural_rule(self.plural_expr)(count)
        return forms[index] if 0 <= index < len(forms) else None

    def location(self, context: str | None, msgid: str) -> Location | None:
        if self.path is None:
            return None
        return Location.of(self.path, self.lines.get((context, msgid), 0))


def read_translations(
    path: Path, locale: str, raw: bytes | None = None
) -> tuple[TranslationTable, list[Diagnostic]]:
    """The finished translations of a catalog; every problem with it is a diagnostic.

    ``locale`` is the site's language code (``pt-BR``) the catalog is read for; ``raw``
    the catalog's bytes when they were read already. A catalog for another language,
    or one that cannot be read, gives an empty table.
    """
    table = TranslationTable(locale, path)
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as problem:
        message = f"cannot read the catalog: {problem.strerror or problem}"
        return table, [error(UNREADABLE, message, Location.of(path))]
    headers = _headers(raw)
    wrong_language = _language_problem(path, locale, headers)
    if wrong_language is not None:
        return table, [wrong_language]
    catalog = scan_catalog(raw)
    if catalog is None:  # not in the plain layout: the full parser reads it, or says why not
        read = _read_in_full(path)
        if isinstance(read, list):
            return table, read
        catalog = read
    problems = list(_plural_problems(path, locale, headers, catalog.locale_identifier))
    problems.extend(_fill(table, catalog, path))
    return table, problems


def _read_in_full(path: Path) -> ScannedCatalog | list[Diagnostic]:
    """The catalog read by Babel with every strict check; its problems when it cannot be."""
    from notice_builder.i18n.catalog_io import read_catalog

    try:
        catalog = read_catalog(path)
    except InputError as failure:
        return failure.diagnostics or [_unreadable(path, failure)]
    except (ValueError, LookupError, TypeError, OSError) as problem:  # Babel's own surprises
        return [_unreadable(path, problem)]
    entries = [entry_of(message) for message in catalog if message.id]
    return ScannedCatalog(entries, catalog.plural_expr, catalog.locale_identifier)


def entry_of(message: Message) -> Entry:
    ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
    value = message.string
    strings = (value,) if isinstance(value, str) else tuple(value or ())
    return Entry(message.context, ids, strings, message.fuzzy, message.lineno or 0)


def _fill(table: TranslationTable, catalog: ScannedCatalog, path: Path) -> Iterator[Diagnostic]:
    entries = catalog.entries
    unshowable = any_unshowable(text for entry in entries for text in entry.strings)
    for entry in entries:
        key = (entry.context, entry.ids[0])
        table.lines[key] = entry.line
        if entry.fuzzy:
            table.fuzzy.add(key)
        elif unshowable and (control := control_character_diagnostic(entry, path)):
            yield control
        elif _written(entry):
            refused = format_diagnostic(entry, path, catalog.plural_expr)
            refused = refused or placeholder_diagnostic(entry, path)
            if refused is not None:
                yield refused
            elif entry.plural:
                table.plurals[key] = entry.strings
                table.plural_expr = catalog.plural_expr
            else:
                table.strings[key] = entry.strings[0]


def _written(entry: Entry) -> bool:
    """Whether the entry is translated: its msgstr, or every plural form, is written."""
    msgid, strings = entry.ids[0], entry.strings
    if len(strings) == 1:  # most entries: no generator for them
        return is_written(msgid, strings[0])
    return bool(strings) and all(is_written(msgid, text) for text in strings)


@lru_cache(maxsize=64)
def _plural_rule(expression: str) -> Callable[[int], int]:
    """gettext's C plural expression as a function (``gettext.c2py`` checks it is safe)."""
    return gettext.c2py(expression)


# --- the Language header ---------------------------------------------------------------


def _headers(raw: bytes) -> dict[str, tuple[str, int]]:
    """``Language`` and ``Plural-Forms`` of the header entry, with their line numbers.

    A header may run over several quoted lines (``i18n init`` wraps a long
    Plural-Forms at 76 columns): its value is read up to its ``\\n``.
    """
    found: dict[str, tuple[str, int]] = {}
    for name in _HEADER_NAMES:
        position = _header_start(raw, name)
        if position != -1:
            value = _HEADER_VALUE.match(raw, position + len(name) + 2)
            assert value is not None  # the pattern matches any text, even none
            line = raw.count(b"\n", 0, position) + 1
            text = value.group(1) + _continuation(raw, value.end())
            found[name] = (text.decode("ascii", "replace").strip(), line)
    return found


def _header_start(raw: bytes, name: str) -> int:
    """Where the first line that starts with ``"Name:`` (after blanks) has its quote; or -1."""
    needle = f'"{name}:'.encode("ascii")
    position = raw.find(needle)
    while position != -1:
        line_start = raw.rfind(b"\n", 0, position) + 1
        if not raw[line_start:position].strip(b" \t"):
            return position
        position = raw.find(needle, position + 1)
    return -1


_CONTINUED = re.compile(rb'"[ \t]*\r?\n[ \t]*"([^"\\]*)')


def _continuation(raw: bytes, end: int) -> bytes:
    """The rest of a header value wrapped onto the following quoted lines."""
    rest = b""
    while raw[end : end + 1] == b'"':  # the string ended before the value's \n
        following = _CONTINUED.match(raw, end)
        if following is None:
            break
        rest += following.group(1)
        end = following.end()
    return rest


def parse_locale(code: str) -> Locale | None:
    """A CLDR locale for ``nl``, ``pt-BR`` or ``pt_BR``; None for anything else."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]+)?", code):
        return None
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def _same_language(declared: Locale, expected: Locale) -> bool:
    """``nl`` matches ``nl_NL``; ``pt_PT`` does not match ``pt_BR``, nor ``de`` ``nl``."""
    if declared.language != expected.language:
        return False
    for part in ("territory", "script"):
        mine, theirs = getattr(declared, part), getattr(expected, part)
        if mine and theirs and mine != theirs:
            return False
    return True


def language_problem(path: Path, locale: str) -> Diagnostic | None:
    """Whether the catalog at ``path`` declares another language than ``locale`` in its
    Language header (the build does not use such a catalog)."""
    return _language_problem(path, locale, _headers(path.read_bytes()))


def _language_problem(
    path: Path, locale: str, headers: dict[str, tuple[str, int]]
) -> Diagnostic | None:
    if "Language" not in headers or not headers["Language"][0]:
        return None
    value, line = headers["Language"]
    declared = parse_locale(value)
    where = Location.of(path, line)
    if declared is None:
        return error(
            LANGUAGE,
            f"the Language header says '{value}', which is not a language code",
            where,
            f"set it to the catalog's language: Language: {locale.replace('-', '_')}",
        )
    expected = parse_locale(locale)
    if expected is not None and not _same_language(declared, expected):
        return error(
            LANGUAGE,
            f"the catalog is for '{value}' (its Language header), but it is read for "
            f"'{locale}'; its translations are not used",
            where,
            f"move it to locales/{value}/LC_MESSAGES/, or correct the header",
        )
    return None


# --- plural forms ------------------------------------------------------------------------


def _plural_problems(
    path: Path, locale: str, headers: dict[str, tuple[str, int]], declared: str | None
) -> Iterator[Diagnostic]:
    if "Plural-Forms" not in headers:
        return
    value, line = headers["Plural-Forms"]
    where = Location.of(path, line)
    expected = parse_locale(locale)
    from babel.messages.plurals import get_plural

    cldr = get_plural(expected or "en")
    count = _NPLURALS.search(value)
    expression = _PLURAL_EXPRESSION.search(value)
    try:
        if count is None or expression is None:
            raise ValueError("nplurals or plural is missing")
        gettext.c2py(expression.group(1).strip())
    except (ValueError, RecursionError, SyntaxError) as problem:
        yield Diagnostic(
            PLURAL_FORMS,
            Severity.ERROR,
            f"the Plural-Forms header '{value}' cannot be read: {problem}",
            where,
            f"Set the header to: Plural-Forms: {cldr.plural_forms}",
        )
        return
    if expected is None:
        return
    shown = declared or locale.replace("-", "_")
    mismatch = plural_rule_diagnostic(
        expected, int(count.group(1)), expression.group(1), shown, where
    )
    if mismatch is not None:
        yield mismatch


# --- format variables --------------------------------------------------------------------


def control_character_diagnostic(entry: Entry, path: Path) -> Diagnostic | None:
    """An error when a translation of ``entry`` has a character a page cannot show (the
    build does not use it); None otherwise. ``i18n check`` reports the same."""
    control = next(filter(None, map(unshowable_character, entry.strings)), "")
    if not control:
        return None
    return error(
        CONTROL_CHARACTER,
        f'the translation of "{shortened(entry.ids[0])}" contains the control character '
        f"{control}, which a page cannot show; it is not used",
        Location.of(path, entry.line),
        "remove it (an escape such as \\v, \\f or \\a; a line break is \\n)",
    )


def format_diagnostic(entry: Entry, path: Path, plural_expr: str) -> Diagnostic | None:
    """An error when a translation of ``entry`` breaks the rules of its ``%(name)s``
    variables (see :mod:`~notice_builder.i18n.python_format`): the build does not use it.
    None otherwise. ``i18n check`` reports the same."""
    problem = format_problem(entry, plural_expr)
    if not problem:
        return None
    return error(
        FORMAT,
        f'the translation of "{shortened(entry.ids[0])}" is not used: {problem}',
        Location.of(path, entry.line),
        _PLURAL_FORMAT_HINT if entry.plural else _FORMAT_HINT,
    )


def placeholder_diagnostic(entry: Entry, path: Path) -> Diagnostic | None:
    """An error when a translation of ``entry`` has other ``{party.field}`` placeholders
    than its source (see :mod:`~notice_builder.i18n.differences`): the build does not
    use it. ``i18n check`` reports the same difference."""
    source = "\n".join(entry.ids)
    for text in entry.strings:
        problem = placeholder_difference(source, text, strict=not entry.plural)
        if problem:
            return error(
                PLACEHOLDER_CODE,
                f'the translation of "{shortened(entry.ids[0])}" is not used: {problem}',
                Location.of(path, entry.line),
                PLACEHOLDER_HINT,
            )
    return None


_FORMAT_HINT = "use each %(name)s variable of the msgid, and no other; write a percent sign as %%"
_PLURAL_FORMAT_HINT = (
    f"{_FORMAT_HINT}. A plural form may leave a variable out only when the Plural-Forms "
    "rule picks it for fewer than 5 numbers (the form for 1 alone), as msgfmt -c allows"
)


# --- catalogs nobody asked for -----------------------------------------------------------


def stray_catalogs(
    locales_dir: Path, domain: str, languages: Iterable[str], source_language: str
) -> list[Diagnostic]:
    """Catalogs on disk for a locale CLDR does not know (an error), the site does not list,
    or the source language (warnings): the build never reads them.

    When ``xx`` of ``locales/xx/LC_MESSAGES/notices.po`` is not a language at all, it is
    most likely a typo for one that is missing. A catalog of the source language (which
    a translation platform may make) looks like the place to correct the English text, yet
    the pages of the source language show the text of the content.
    """
    listed = {catalog_name(code) for code in languages}
    source = catalog_name(source_language)
    problems: list[Diagnostic] = []
    if not locales_dir.is_dir():
        return problems
    for path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
        problem = _stray_problem(path, listed, source)
        if problem is not None:
            problems.append(problem)
    return problems


def _stray_problem(path: Path, listed: set[str], source: str) -> Diagnostic | None:
    name = path.parts[-3]
    if name == source:
        return _source_catalog(name, Location.of(path))
    if name in listed:
        return None
    misnamed = folder_problem(path)
    if misnamed is None:
        return Diagnostic(
            UNPUBLISHED,
            Severity.WARNING,
            f"there is a catalog for '{name}', but site.languages does not list it: "
            "it is not published",
            Location.of(path),
            f"add {name.replace('_', '-')} to `languages:` in site.yaml, or remove it",
        )
    listed_spellings = {folder_spelling(code) for code in listed}
    if misnamed.code == FOLDER and folder_spelling(name) in listed_spellings:
        return None  # the listed language's missing catalog says to rename the folder
    return misnamed


def folder_problem(path: Path) -> Diagnostic | None:
    """Why the folder of ``locales/xx/LC_MESSAGES/notices.po`` names no catalog the build
    or gettext looks for, if it does not: ``xx`` is not a language CLDR knows (most
    likely a typo for one that is missing), or a known one in another spelling
    (``pt-BR`` or ``pt_br``, where gettext and the build look for ``pt_BR``)."""
    from notice_builder.model.fields import usual_spelling

    folder = path.parents[1]
    try:
        usual = usual_spelling(folder.name, "_") if parse_locale(folder.name) else None
    except (ValueError, UnknownLocaleError):
        usual = None
    if usual is None:
        return error(
            UNKNOWN_LOCALE,
            f"there is a catalog for '{folder.name}', which is not a language CLDR knows",
            Location.of(path),
            "rename its folder to a language code such as nl, de or pt_BR",
        )
    if usual == folder.name:
        return None
    return error(
        FOLDER,
        f"the catalog's folder is named '{folder.name}': gettext tools and the build "
        f"look for the catalog of this language in '{usual}'",
        Location.of(path),
        f"rename {display_path(folder)} to {display_path(folder.with_name(usual))}",
    )


def _source_catalog(name: str, where: Location) -> Diagnostic:
    return Diagnostic(
        SOURCE_CATALOG,
        Severity.WARNING,
        f"there is a catalog for '{name}', the source language: its pages show the text "
        "of the content, and this catalog is never read",
        where,
        "change the source text in content/*.yaml (then run `notice-builder i18n extract` "
        "and `i18n update`), and remove this catalog",
    )


def _unreadable(path: Path, problem: Exception) -> Diagnostic:
    line = int(getattr(problem, "lineno", 0) or 0)
    return error(
        SYNTAX,
        f"cannot read the catalog: {problem}",
        Location.of(path, line),
        "open it in a PO editor (Poedit) or run `msgfmt --check` on it to find the error",
    )
