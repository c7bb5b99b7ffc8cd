"""Reading and writing gettext catalogs (.po, .pot) through Babel, without churn.

Reading never ends in a traceback: a syntax error, an unknown charset or bytes that do
not decode become an :class:`~notice_builder.errors.InputError` carrying an
``i18n.catalog.syntax`` diagnostic with the file and line. So does a file saved as
UTF-8 whose header declares another charset: read as declared, its text would be
published as mojibake ("categorieÃ«n"), which no tool would notice.

Babel neither reads the previous msgids that gettext tools keep for fuzzy entries
(``#| msgid ...``; it takes them for translator comments, and ``#~|`` lines even make it
mark the entry before them obsolete) nor writes long ones correctly (it wraps them as
plain comments, which ``msgfmt`` rejects). This module fills both gaps: it reads ``#|``
lines into ``Message.previous_id`` and writes them in the format msgmerge uses.

Writing goes through a temporary file and :func:`os.replace`, and is skipped when the
only difference from the file on disk is a stamp: the POT-Creation-Date, the
PO-Revision-Date, or the Babel version in Generated-By (translators and developers
with another Babel would otherwise rewrite every catalog back and forth).

A catalog keeps the charset its header declares, unless that charset cannot hold its
text (a Latin-1 catalog that gains a msgid with '€'): Babel would write ``\\u20ac``,
which neither msgfmt nor this module reads back, so such a catalog is written in UTF-8
and :class:`RenderedCatalog` says why, for the command to tell the user.
"""

from __future__ import annotations

import codecs
import copy
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, normalize, unescape, write_po

from notice_builder.diagnostics import Diagnostic, Location, display_path, error, shortened
from notice_builder.errors import BuildFailed, InputError
from notice_builder.i18n.catalog_settings import MISSING
from notice_builder.i18n.po_syntax import syntax_problems

WIDTH = 76
SYNTAX = "i18n.catalog.syntax"
UNREADABLE = "i18n.catalog.unreadable"

_SYNTAX_HINT = "Fix the line (`msgfmt --check FILE` shows the same problem) or re-save the file."
_STAMP_HEADER = re.compile(
    rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*"', re.MULTILINE
)
_PREVIOUS_KEYWORDS = ("msgid", "msgid_plural")
# gettext's template placeholder: Babel 2.18+ and msgfmt read it as UTF-8, older Babel
# refuses it. A translated catalog must say what it is, whatever Babel is installed.
PLACEHOLDER_CHARSET = re.compile(r"charset\s*=\s*CHARSET\b", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*([^\s;\"\\]+)", re.IGNORECASE)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po or .pot file; ``locale`` is used when the file has no Language header."""
    data = _read_bytes(path)
    lines, previous = _split_previous(io.BytesIO(data).readlines())
    catalog, duplicates = _parse(path, lines, locale)
    _refuse_utf8_declared_otherwise(path, data, catalog.charset)
    _check_strings(path, data, catalog.charset)  # first: a broken string may look like ""
    _refuse_duplicates(path, duplicates)
    _attach_previous(catalog, previous)
    return catalog


@dataclass(frozen=True)
class RenderedCatalog:
    """A catalog's bytes; ``converted`` says why they are UTF-8 when the catalog declared
    a charset that cannot hold its text (``ISO-8859-1 cannot hold '€'``), else None."""

    data: bytes
    converted: str | None = None


def write_catalog(catalog: Catalog, path: Path, *, sort: bool) -> bool:
    """Write ``catalog`` to ``path`` atomically; False (file untouched) when only stamps
    (dates, the Babel version) differ.

    With ``sort``, messages (and obsolete ones) are ordered by (context, msgid);
    otherwise they keep the catalog's order. A catalog whose charset cannot hold its
    text is written in UTF-8 (see :func:`render_catalog`); callers that may be given
    such a catalog use :func:`catalog_data` to learn it.
    """
    rendered = catalog_data(catalog, path, sort=sort)
    if rendered is None:
        return False
    write_catalog_data(path, rendered.data)
    return True


def catalog_data(catalog: Catalog, path: Path, *, sort: bool) -> RenderedCatalog | None:
    """What :func:`write_catalog` would write to ``path``; None when the file there
    differs only in its stamps."""
    rendered = render_catalog(catalog, sort=sort)
    return None if _same_apart_from_stamps(path, rendered.data) else rendered


def write_catalog_data(path: Path, data: bytes) -> None:
    """Write a catalog's bytes (from :func:`catalog_data`) to ``path`` atomically."""
    try:
        replace_file(path, data)
    except OSError as exc:
        where = Location.of(path)
        problem = error(UNREADABLE, f"cannot write the catalog: {exc.strerror or exc}", where)
        raise BuildFailed(f"cannot write {display_path(path)}", [problem]) from exc


def render_catalog(catalog: Catalog, *, sort: bool = False) -> RenderedCatalog:
    """What :func:`write_catalog` writes: Babel's format, width 76, previous msgids, in
    the catalog's charset, or in UTF-8 when that charset cannot hold the text."""
    ordered = sorted_catalog(catalog) if sort else catalog
    if codecs.lookup(ordered.charset).name == "utf-8":
        return RenderedCatalog(_render(ordered))
    in_utf8 = _render(_with_charset(ordered, "utf-8"))
    misfit = _first_misfit(in_utf8.decode("utf-8"), ordered.charset)
    if misfit is None:
        return RenderedCatalog(_render(ordered))
    return RenderedCatalog(in_utf8, f"{ordered.charset.upper()} cannot hold {misfit!r}")


def sorted_catalog(catalog: Catalog) -> Catalog:
    """A copy of ``catalog`` whose messages and obsolete messages are in (context, msgid) order."""
    result = copy.deepcopy(catalog)
    messages = [message for message in result if message.id]
    for message in messages:
        result.delete(message.id, message.context)
    for message in sorted(messages, key=_order):
        result[message.id] = message
    obsolete = sorted(result.obsolete.items(), key=lambda item: _order(item[1]))
    result.obsolete.clear()
    result.obsolete.update(obsolete)
    return result


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, then move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _order(message: Message) -> tuple[str, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context or "", msgid)


# --- reading -------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        problem = error(MISSING, "the catalog does not exist", Location.of(path))
        raise InputError(f"no catalog at {display_path(path)}", [problem]) from exc
    except OSError as exc:
        problem = error(UNREADABLE, f"cannot read the catalog: {exc.strerror}", Location.of(path))
        raise InputError(f"cannot read {display_path(path)}", [problem]) from exc


class _Lines:
    """The lines handed to Babel's parser, remembering which one it is reading."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.current = 0

    def __iter__(self) -> Iterator[bytes]:
        for number, line in enumerate(self.lines, start=1):
            self.current = number
            yield line


@dataclass(frozen=True)
class _Duplicate:
    """A message defined twice: reported at ``line``; ``other`` is the other definition's.

    ``obsolete``: the one at ``line`` is an obsolete (``#~``) entry, to be deleted.
    """

    line: int
    other: int
    msgid: str
    obsolete: bool


_BABEL_HEADERS = frozenset(
    name.lower() for name, _ in Catalog(locale="en", fuzzy=False).mime_headers
)


class HeaderKeepingCatalog(Catalog):
    """Babel's catalog, keeping the header fields Babel does not know (``X-Generator``,
    ``X-Poedit-Bookmarks``, ...), which it dropped whenever ``update`` rewrote a catalog
    (msgmerge keeps them): the translator's tool then put them back, and every round
    trip changed the file."""

    extra_headers: tuple[tuple[str, str], ...] = ()

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        """Babel's headers, then the others; the line break Babel ends its last one with
        (``Generated-By: Babel 2.18.0\\n``) moves to the end."""
        headers = super()._get_mime_headers()
        if not self.extra_headers or not headers:
            return headers
        *known, (last, value) = headers
        ending = value[len(value.rstrip("\n")) :]
        *extras, (name, extra) = self.extra_headers
        return [*known, (last, value.rstrip("\n")), *extras, (name, extra + ending)]

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        given = list(headers)
        self.extra_headers = tuple(
            (name, value) for name, value in given if name.lower() not in _BABEL_HEADERS
        )
        super()._set_mime_headers(given)

    mime_headers = property(_get_mime_headers, _set_mime_headers)


class _Parser(PoFileParser):
    """Babel's parser, noting what msgfmt refuses and Babel merges without a word: a
    message defined twice (the last definition won), obsolete (``#~``) or not (Babel
    kept both, an active entry and an obsolete one with the same msgctxt and msgid)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog, abort_invalid=True)
        self.first_lines: dict[tuple[str, str | None], tuple[int, bool]] = {}
        self.duplicates: list[_Duplicate] = []

    def _add_message(self) -> None:
        msgid = self.messages[0].denormalize()
        context = self.context.denormalize() if self.context else None
        here = (self.offset + 1, bool(self.obsolete))
        first = self.first_lines.setdefault((msgid, context), here)
        if first != here:
            self.duplicates.append(_duplicate(first, here, msgid))
        super()._add_message()


def _duplicate(first: tuple[int, bool], second: tuple[int, bool], msgid: str) -> _Duplicate:
    """The second definition is reported, unless only the first is obsolete: the
    ``#~`` entry is the one to delete."""
    (first_line, first_obsolete), (line, obsolete) = first, second
    if first_obsolete and not obsolete:
        return _Duplicate(first_line, line, msgid, obsolete=True)
    return _Duplicate(line, first_line, msgid, obsolete)


def _parse(path: Path, lines: list[bytes], locale: str | None) -> tuple[Catalog, list[_Duplicate]]:
    """The catalog, and the messages defined twice (see :class:`_Parser`)."""
    _refuse_byte_order_mark(path, lines)
    _refuse_placeholder_charset(path, lines)
    tracker = _Lines(lines)
    try:
        catalog = HeaderKeepingCatalog(locale=locale)
        parser = _Parser(catalog)
        parser.parse(tracker)
        return catalog, parser.duplicates
    except PoFileError as exc:
        reason = str(exc).removesuffix(f" on {exc.lineno}")
        raise _syntax_error(path, exc.lineno + 1, _with_line(reason, exc.line)) from exc
    except UnicodeDecodeError as exc:
        _refuse_utf8_declared_otherwise(path, b"".join(lines), exc.encoding)
        reason = f"bytes that are not valid {exc.encoding} (the charset the header declares)"
        raise _syntax_error(path, tracker.current, reason) from exc
    except (IndexError, KeyError, ValueError, TypeError) as exc:
        raise _syntax_error(path, tracker.current, f"cannot be parsed: {exc}") from exc
    except LookupError as exc:
        reason = f"unknown charset in the Content-Type header ({exc}); use charset=UTF-8"
        raise _syntax_error(path, _header_line(lines, b"Content-Type:"), reason) from exc


def _refuse_duplicates(path: Path, duplicates: list[_Duplicate]) -> None:
    problems = [_duplicate_problem(path, duplicate) for duplicate in duplicates]
    if problems:
        raise InputError(f"cannot read {display_path(path)}", problems)


def _duplicate_problem(path: Path, duplicate: _Duplicate) -> Diagnostic:
    where = "first" if duplicate.other < duplicate.line else "again"
    reason = (
        f'the message "{shortened(duplicate.msgid)}" is defined twice '
        f"({where} at line {duplicate.other})"
    )
    if not duplicate.obsolete:
        return _syntax(Location.of(path, duplicate.line), reason)
    hint = "Delete this #~ entry: msgfmt refuses a message defined twice, even if obsolete."
    reason += ", here as an obsolete (#~) entry"
    return _syntax(Location.of(path, duplicate.line), reason, hint)


def _refuse_byte_order_mark(path: Path, lines: list[bytes]) -> None:
    """An editor's UTF-8 byte order mark, invisible in the line Babel would quote."""
    if lines and lines[0].startswith(codecs.BOM_UTF8):
        reason = "the file starts with a byte order mark (U+FEFF), which msgfmt refuses too"
        raise _syntax_error(path, 1, reason + "; save it as UTF-8 without one")


def _refuse_placeholder_charset(path: Path, lines: list[bytes]) -> None:
    line = _header_line(lines, b"Content-Type:")
    if lines and PLACEHOLDER_CHARSET.search(lines[line - 1].decode("ascii", "replace")):
        reason = "unknown charset in the Content-Type header (CHARSET is the template's "
        raise _syntax_error(path, line, reason + "placeholder); use charset=UTF-8")


def _refuse_utf8_declared_otherwise(path: Path, data: bytes, charset: str) -> None:
    """UTF-8 text (with letters beyond ASCII) in a file whose header declares another
    charset: read as declared, 'ë' would be 'Ã«' on the page, or a control character."""
    if codecs.lookup(charset).name == "utf-8" or data.isascii():
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the declared charset may well be right
    lines = data.splitlines(keepends=True)
    line = _header_line(lines, b"Content-Type:")
    declared = _declared_charset(lines[line - 1]) or charset
    reason = f"the file is UTF-8, but its Content-Type header declares charset={declared}"
    hint = "Set charset=UTF-8 in the Content-Type header: the text is UTF-8 already."
    raise _syntax_error(path, line, reason + _misread_example(text, charset), hint)


def _declared_charset(header: bytes) -> str | None:
    found = _CHARSET.search(header.decode("ascii", "replace"))
    return found.group(1) if found else None


def _misread_example(text: str, charset: str) -> str:
    """`` ('ë' would show as 'Ã«')``: the first letter beyond ASCII, read as ``charset``."""
    letter = next(character for character in text if not character.isascii())
    try:
        misread = letter.encode("utf-8").decode(charset)
    except UnicodeDecodeError:
        return ""
    return f" ({letter!r} would show as {misread!r})"


def _header_line(lines: list[bytes], name: bytes) -> int:
    return next((number for number, line in enumerate(lines, 1) if name in line), 1)


def _with_line(reason: str, line: str) -> str:
    return f"{reason}: {line.strip()}" if line.strip() else reason


def _syntax_error(path: Path, line: int, reason: str, hint: str = _SYNTAX_HINT) -> InputError:
    return InputError(
        f"cannot read {display_path(path)}", [_syntax(Location.of(path, line), reason, hint)]
    )


def _syntax(location: Location, reason: str, hint: str = _SYNTAX_HINT) -> Diagnostic:
    return error(SYNTAX, f"invalid catalog: {reason}", location, hint)


def _check_strings(path: Path, data: bytes, charset: str) -> None:
    """What msgfmt refuses and Babel reads without a word (:mod:`.po_syntax`), each
    reported at its line."""
    text = data.decode(charset, errors="replace")
    problems = [
        _syntax(Location.of(path, number), what)
        for number, what in syntax_problems(text.split("\n"))
    ]
    if problems:
        raise InputError(f"cannot read {display_path(path)}", problems)


def _split_previous(lines: list[bytes]) -> tuple[list[bytes], dict[int, list[bytes]]]:
    """Blank out ``#|`` and ``#~|`` lines (keeping line numbers) and collect the ``#|`` ones
    by the line number of the msgid they belong to."""
    cleaned: list[bytes] = []
    previous: dict[int, list[bytes]] = {}
    pending: list[bytes] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith((b"#|", b"#~|")):
            if stripped.startswith(b"#|"):
                pending.append(stripped[2:])
            cleaned.append(b"\n")
            continue
        if stripped.startswith(b"msgid ") and pending:
            previous[number], pending = pending, []
        cleaned.append(line)
    return cleaned, previous


def _attach_previous(catalog: Catalog, previous: dict[int, list[bytes]]) -> None:
    if not previous:
        return
    for message in catalog:
        if message.lineno in previous:
            message.previous_id = _previous_id(previous[message.lineno], catalog.charset)


def _previous_id(lines: list[bytes], charset: str) -> list[str]:
    """``msgid`` (and ``msgid_plural``) of ``#|`` lines, continuation strings joined."""
    fields: dict[str, list[str]] = {}
    current = ""
    for raw in lines:
        text = raw.decode(charset, errors="replace").strip()
        if text.startswith('"'):
            fields.setdefault(current, []).append(unescape(text))
            continue
        current, _, rest = text.partition(" ")
        fields[current] = [unescape(rest.strip())]
    return ["".join(fields[name]) for name in _PREVIOUS_KEYWORDS if name in fields]


# --- writing -------------------------------------------------------------------------


def _render(catalog: Catalog) -> bytes:
    """Babel's output in the catalog's charset (a character it cannot hold would be
    written as a backslash escape: see :func:`render_catalog`)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=False)
    return _insert_previous_ids(buffer.getvalue(), catalog)


def _with_charset(catalog: Catalog, charset: str) -> Catalog:
    """The catalog (its messages shared, not copied) declaring ``charset``."""
    result = copy.copy(catalog)
    result.charset = charset
    return result


def _first_misfit(text: str, charset: str) -> str | None:
    """The first character of ``text`` that ``charset`` cannot encode; None when none."""
    try:
        text.encode(charset)
    except UnicodeEncodeError as exc:
        return exc.object[exc.start]
    return None


def _insert_previous_ids(data: bytes, catalog: Catalog) -> bytes:
    """Put each message's ``#|`` lines right before its first keyword line."""
    messages = iter(list(catalog))
    result: list[bytes] = []
    in_entry = False
    for line in data.split(b"\n"):
        if not in_entry and line.startswith((b"msgctxt ", b"msgid ")):
            result.extend(_previous_lines(next(messages), catalog.charset))
            in_entry = True
        elif not line or line.startswith(b"#"):
            in_entry = False
        result.append(line)
    return b"\n".join(result)


def _previous_lines(message: Message, charset: str) -> list[bytes]:
    lines: list[bytes] = []
    for keyword, text in zip(_PREVIOUS_KEYWORDS, message.previous_id, strict=False):
        entry = f"#| {keyword} {normalize(text, prefix='#| ', width=WIDTH)}"
        lines.extend(entry.encode(charset, "backslashreplace").split(b"\n"))
    return lines


def _same_apart_from_stamps(path: Path, data: bytes) -> bool:
    try:
        current = path.read_bytes()
    except OSError:
        return False
    return _without_stamps(current) == _without_stamps(data)


def _without_stamps(data: bytes) -> bytes:
    return _STAMP_HEADER.sub(rb'"\1: "', data)
