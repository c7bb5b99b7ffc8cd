"""What GNU msgfmt refuses in a catalog and Babel's parser reads without a word.

Babel keeps going where msgfmt stops: an unterminated string, a keyword without its
string (``msgstr`` alone), an escape such as ``\\q``, a second ``msgstr``, a ``msgstr``
with no ``msgid`` before it, ``msgstr[n]`` in an entry without ``msgid_plural`` (or a
plain ``msgstr`` in one with it), plural forms out of order. What Babel makes of them (an
empty translation, the last of two, a backslash shown on the page) is never what the
translator meant, so each is reported at its line, as msgfmt would.

Obsolete (``#~``) entries are checked for their strings only: no tool reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_KEYWORD_LINE = re.compile(r"(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?:\s+(.*))?")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_ESCAPE = re.compile(r"\\(.)")  # each escape, left to right: in \\q the q is not one
# gettext's escapes: \n \t \b \r \f \v \a \\ \" \' \? and octal or hexadecimal codes
_KNOWN_ESCAPES = frozenset("ntbrfva\\\"'?01234567x")


def syntax_problems(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, what is wrong) for each line msgfmt would refuse."""
    previous = ""  # the last keyword of an active entry
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        elif line.startswith("#"):
            continue
        match = _KEYWORD_LINE.fullmatch(line)
        quoted = line if line.startswith('"') else (match.group(2) or "") if match else None
        problem = _string_problem(quoted)
        if match and not obsolete:
            keyword = match.group(1)
            problem = problem or _order_problem(previous, keyword)
            previous = keyword
        if problem:
            yield number, problem


def _string_problem(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    if not quoted:
        return 'a keyword without its string (write msgstr "" for none)'
    if not _QUOTED.fullmatch(quoted):
        return "unterminated or malformed string"
    if has_unknown_escape(quoted):
        return "an escape gettext does not know (write \\\\ for a backslash)"
    return None


def has_unknown_escape(quoted: str) -> bool:
    """Whether quoted text has an escape gettext does not know (msgfmt stops at it)."""
    return "\\" in quoted and any(c not in _KNOWN_ESCAPES for c in _ESCAPE.findall(quoted))


def _order_problem(previous: str, keyword: str) -> str | None:
    """What is wrong with ``keyword`` after the keyword ``previous``; None when nothing."""
    allowed = _allowed_after(previous)
    if keyword in allowed:
        return None
    if previous == "msgid" and keyword.startswith("msgstr["):
        return "msgstr[n] belongs to an entry without msgid_plural"
    if previous == "msgid_plural" and keyword == "msgstr":
        return "an entry with msgid_plural needs msgstr[0], msgstr[1]..."
    return f"{keyword} where {' or '.join(allowed)} belongs"


def _allowed_after(previous: str) -> list[str]:
    """The keywords that may follow ``previous`` ('' at the start of the file)."""
    if previous == "msgctxt":
        return ["msgid"]
    if previous == "msgid":
        return ["msgid_plural", "msgstr"]
    if previous == "msgid_plural":
        return ["msgstr[0]"]
    if previous.startswith("msgstr["):  # the next form, or the next entry
        return [f"msgstr[{int(previous[7:-1]) + 1}]", "msgctxt", "msgid"]
    return ["msgctxt", "msgid"]  # at the start, or after a msgstr
