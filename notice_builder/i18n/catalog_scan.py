"""A fast reader for the build: the entries of a catalog in the layout gettext tools write.

Babel's parser, with the strict checks :mod:`notice_builder.i18n.catalog_io` adds,
spends about 0.3 s on a 2.5 MB catalog, more than rendering the locale's pages. This
reader matches whole entries with one regular expression instead. It accepts only the
plain layout that msgmerge, Poedit, Weblate and Babel produce (every keyword and string
at the start of its line, no stray spaces, UTF-8, well-formed strings, plural forms in
order) and returns ``None`` for anything else; the caller then reads the catalog with
the full parser, which reports what is wrong with it. Where this reader gives a
result, it is the full parser's result: the tests compare the two on every catalog
they have and on generated ones.

The meaning of each part follows Babel's parser: ``#,`` flags before an entry belong
to it (across blank lines), ``#|`` and ``#~|`` lines are ignored, obsolete ``#~``
entries are skipped (one that repeats a message is left to the full parser, which
refuses it as msgfmt does), and the header entry's ``Content-Type`` and
``Plural-Forms`` (read by Babel's own :class:`~babel.messages.catalog.Catalog`) give
the charset and the number of plural forms.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import NamedTuple

from notice_builder.i18n.po_syntax import has_unknown_escape

_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # a quoted string, escapes included
_STRINGS = rf"{_STRING}(?:\n{_STRING})*"
_KEYWORDS = (
    rf"(?:msgctxt (?P<context>{_STRINGS})\n)?"
    rf"msgid (?P<id>{_STRINGS})\n"
    rf"(?:msgid_plural (?P<plural>{_STRINGS})\n)?"
    rf"(?:msgstr (?P<string>{_STRINGS})\n|(?P<forms>(?:msgstr\[\d+\] {_STRINGS}\n)+))"
)
# A comment line; "#~" starts an obsolete entry unless it is a "#~|" previous-msgid line.
_COMMENT = r"#(?!~(?!\|))[^\n]*\n"
# Blank lines, then an entry (with its comments), comments alone, or an obsolete entry.
_TOKEN = re.compile(
    rf"\n*(?:"
    rf"(?P<comments>(?:{_COMMENT})*){_KEYWORDS}"
    rf"|(?P<loose>(?:{_COMMENT})+)"
    rf"|(?P<obsolete>(?:#~ [^\n]*\n)+)"
    rf")?"
)
_OBSOLETE_ENTRY = re.compile(_KEYWORDS)
_FORM = re.compile(rf"msgstr\[(\d+)\] ({_STRINGS})\n")


class Entry(NamedTuple):
    """One message: ``ids`` is (msgid,) or (msgid, msgid_plural); ``strings`` its msgstr(s).

    A named tuple: a catalog has thousands, and a tuple is the cheapest to build.
    """

    context: str | None
    ids: tuple[str, ...]
    strings: tuple[str, ...]
    fuzzy: bool
    line: int

    @property
    def plural(self) -> bool:
        return len(self.ids) > 1


def is_written(original: str, translation: str) -> bool:
    """Whether a translation counts as written: it has more than white space, or the
    original has nothing more either. A space typed by mistake (``msgstr " "``) made a
    page show an empty link where the site's name was, and counted as translated."""
    return bool(translation.strip()) or (bool(translation) and not original.strip())


@dataclass(frozen=True, slots=True)
class ScannedCatalog:
    """The messages of a catalog, and what its header says (as Babel reads the header)."""

    entries: list[Entry]
    plural_expr: str
    locale_identifier: str | None


class _Unusual(Exception):
    """The catalog is not in the plain layout: the full parser must read it."""


def scan_catalog(raw: bytes) -> ScannedCatalog | None:
    """The catalog's messages (header and obsolete entries left out), or None when unusual."""
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
        if "\r" in text:
            raise _Unusual
        return _Scanner(text if text.endswith("\n") else text + "\n").scan()
    except (_Unusual, UnicodeDecodeError):
        return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        from babel.messages.catalog import Catalog

        self.header = Catalog(locale=None)
        self.entries: list[Entry] = []
        self.keys: set[tuple[str | None, str]] = set()
        self.flags: list[str] = []  # "#," flags waiting for the next entry
        self.line = 1  # the line of offset self.counted
        self.counted = 0
        self.position = 0

    def scan(self) -> ScannedCatalog:
        text, end, match = self.text, len(self.text), _TOKEN.match
        while self.position < end:
            token = match(text, self.position)
            if token is None or token.end() == self.position:
                raise _Unusual  # nothing here is a blank line, a comment or an entry
            comments, context, msgid, plural, string, _, loose, obsolete = token.groups()
            if comments or loose:
                self._comments(comments or loose)
            if msgid is None:
                if obsolete is not None:
                    self._obsolete(obsolete)
            elif plural is None and string is not None and self.entries:
                self._plain_entry(token.start("id"), context, msgid, string)
            else:
                self._entry(token, msgid)
            self.position = token.end()
        header = self.header
        return ScannedCatalog(self.entries, header.plural_expr, header.locale_identifier)

    def _plain_entry(self, start: int, context: str | None, msgid: str, string: str) -> None:
        """:meth:`_entry` for the common case, in one call: an entry after the first, with
        one ``msgstr`` (a catalog has thousands; each call of a helper shows)."""
        self.line += self.text.count("\n", self.counted, start)
        self.counted = start
        key = (None if context is None else _joined(context), _joined(msgid))
        fuzzy = "fuzzy" in self.flags if self.flags else False
        self.flags = []
        if key[1] == "" or key in self.keys:
            raise _Unusual  # a second header, or a duplicate: Babel merges them
        self.keys.add(key)
        self.entries.append(Entry(key[0], (key[1],), (_joined(string),), fuzzy, self.line))

    def _line_at(self, offset: int) -> int:
        """The line of ``offset``; offsets are asked for in order (one pass over the text)."""
        self.line += self.text.count("\n", self.counted, offset)
        self.counted = offset
        return self.line

    def _comments(self, comments: str) -> None:
        if "#:" in comments and ("\u2068" in comments or "\u2069" in comments):
            raise _Unusual  # Babel refuses unbalanced isolates in "#:" lines
        if "#," not in comments:
            return
        for line in comments.split("\n"):
            if line[:2] == "#,":
                self.flags.extend(flag.strip() for flag in line[2:].lstrip().split(","))

    def _entry(self, token: re.Match[str], quoted_id: str) -> None:
        line = self._line_at(token.start("id"))
        quoted_context, quoted_plural = token.group("context", "plural")
        context = None if quoted_context is None else _joined(quoted_context)
        msgid = _joined(quoted_id)
        fuzzy = "fuzzy" in self.flags if self.flags else False
        self.flags = []
        if not self.entries and not self.keys and msgid == "" and context is None:
            self._read_header(token)
            return
        if msgid == "" or (context, msgid) in self.keys:
            raise _Unusual  # a second header, or a duplicate: Babel merges them
        self.keys.add((context, msgid))
        ids = (msgid,) if quoted_plural is None else (msgid, _joined(quoted_plural))
        self.entries.append(Entry(context, ids, self._strings(token), fuzzy, line))

    def _read_header(self, token: re.Match[str]) -> None:
        if token.group("plural") is not None:
            raise _Unusual
        header = self._strings(token)[0]
        try:
            from babel.messages.catalog import Message

            self.header[""] = Message("", header)
            plurals = self.header.num_plurals
            charset = codecs.lookup(self.header.charset).name
        except Exception as problem:  # whatever Babel refuses here, the full parser reports
            raise _Unusual from problem
        from notice_builder.i18n.catalog_io import PLACEHOLDER_CHARSET

        if charset != "utf-8" or plurals < 1 or PLACEHOLDER_CHARSET.search(header):
            raise _Unusual  # the full reader reports it
        self.keys.add((None, ""))

    def _strings(self, entry: re.Match[str]) -> tuple[str, ...]:
        """msgstr, or msgstr[0..n-1] in order for a plural entry (padded to nplurals)."""
        forms = entry.group("forms")
        if entry.group("plural") is None:
            if forms is not None:
                raise _Unusual  # msgstr[n] without msgid_plural
            return (_joined(entry.group("string")),)
        if forms is None:
            raise _Unusual  # a plain msgstr in an entry with msgid_plural
        found = _FORM.findall(forms)
        count = self.header.num_plurals
        if [index for index, _ in found] != [str(n) for n in range(len(found))]:
            raise _Unusual  # gettext wants msgstr[0], msgstr[1], ... in this order
        if len(found) > count:
            raise _Unusual  # more forms than the header's nplurals
        texts = [_joined(string) for _, string in found]
        return tuple(texts + [""] * (count - len(texts)))

    def _obsolete(self, lines: str) -> None:
        """An obsolete entry is skipped, but it must be one Babel reads without an error,
        and not a message of the catalog again (msgfmt and the full reader refuse that)."""
        self.flags = []
        stripped = "".join(line[3:] + "\n" for line in lines.split("\n")[:-1])
        entry = _OBSOLETE_ENTRY.fullmatch(stripped)
        if entry is None:
            raise _Unusual
        self._strings(entry)
        key = (_optional(entry.group("context")), _joined(entry.group("id")))
        if key in self.keys:
            raise _Unusual  # the full reader reports the message defined twice
        self.keys.add(key)


def _joined(strings: str) -> str:
    """The text of one or more quoted lines, escapes resolved as Babel resolves them.

    A raw newline only ever stands between two quoted lines (``"\\n"`` ends one and
    starts the next; no escape runs across it), so the lines are joined by dropping
    those three characters, and escapes are resolved once over the whole text.
    """
    if "\n" in strings:
        strings = strings.replace('"\n"', "")
    if "\\" not in strings:
        return strings[1:-1]
    if has_unknown_escape(strings):
        raise _Unusual  # the full reader reports it
    from babel.messages.pofile import unescape

    return str(unescape(strings))


def _optional(strings: str | None) -> str | None:
    return None if strings is None else _joined(strings)
