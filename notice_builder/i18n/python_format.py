"""The ``%(name)s`` variables of a translation, held against its msgid.

A template fills a message's variables with Python's ``%`` operator
(``pgettext("ui", "Version %(version)s", version=...)``; ``ngettext`` also passes
``num``). The build leaves out a translation that breaks one of these rules, and
``i18n check`` reports the same finding: both call :func:`format_problem`.

- Every ``%`` starts a directive Python can read, and none without a name: a percent
  sign is written ``%%``. ``Zu 100% aktuell`` reads as the directive ``% a``.
- A translation uses only the msgid's variables, each with the msgid's conversion.
- It uses every variable of the msgid, as GNU gettext's ``msgfmt -c`` requires for
  ``python-format``: a page without the date is not a translation of one with it.
  A plural form is held against the msgid_plural, and may leave variables out when the
  catalog's rule picks it for fewer than 5 of the numbers 0 to 1,000 (``msgfmt`` takes
  such a form to stand for those few numbers): "ein Abschnitt" needs no ``%(num)d``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from notice_builder.i18n.catalog_scan import Entry
from notice_builder.i18n.plural_rules import GNU_OFTEN, numbers_of_forms

# A % directive as Python's % operator reads it: every part may be missing, so it
# matches at any %, and the conversion tells whether Python can read it. Possessive,
# like Python's own parser, which never gives back a flag it took.
_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*+)(?P<closed>\))?+)?+"  # %(name)
    r"[#0\- +]*+(?:\*|\d++)?+(?:\.(?:\*|\d++)?+)?+[hlL]?+"  # flags, width, precision, length
    r"(?P<type>.?)",  # the conversion: missing, or any character
    re.DOTALL,
)
_TYPES = frozenset("diouxXeEfFgGcrsa")
_NUMBER_TYPES = frozenset("diouxXeEfFgGrsa")  # what ngettext's num may be written as


class Directive(NamedTuple):
    """One ``%`` directive, as written (``%(date)s``, ``% a``)."""

    written: str
    name: str | None
    kind: str
    readable: bool


def directives(text: str) -> list[Directive]:
    """The ``%`` directives of a text, in order (``%%`` is a percent sign, not one)."""
    found: list[Directive] = []
    position = text.find("%")
    while position != -1:
        if text.startswith("%%", position):
            position = text.find("%", position + 2)
            continue
        match = _DIRECTIVE.match(text, position)
        assert match is not None  # every part of the pattern after the % is optional
        found.append(_directive(match))
        position = text.find("%", match.end())
    return found


def _directive(match: re.Match[str]) -> Directive:
    name, kind = match["name"], match["type"]
    closed = name is None or match["closed"] is not None
    return Directive(match[0], name, kind, closed and kind in _TYPES)


def format_problem(entry: Entry, plural_expr: str = "(n != 1)") -> str:
    """What breaks the rules above in a translation of ``entry`` ('' when nothing does);
    ``plural_expr`` is the catalog's plural rule, which says which forms must have every
    variable."""
    if "%" not in entry.ids[0] and "%" not in entry.ids[-1]:
        return ""  # most messages: nothing to fill (a plural one with no format neither)
    source = _variables(entry.ids)
    if source is None or (not source and not entry.plural):
        return ""  # a msgid that is no format (a percent sign in the content's text)
    required = set(_variables(entry.ids[-1:]) or {})  # msgfmt -c: the msgid_plural's
    if entry.plural:
        source.setdefault("num", "d")
    for index, text in enumerate(entry.strings):
        needed = required if _has_every_variable(entry, index, plural_expr) else set()
        problem = _text_problem(text, source, needed) if text else ""
        if problem:
            return _in_form(entry, index, plural_expr, problem)
    return ""


def _variables(texts: tuple[str, ...]) -> dict[str, str] | None:
    """The named variables of the texts, with their conversions; None when one of the
    texts is no format Python can read (it is not formatted, so not checked)."""
    found: dict[str, str] = {}
    for text in texts:
        for directive in directives(text):
            if not directive.readable:
                return None
            if directive.name is not None:
                found[directive.name] = directive.kind
    return found


def _has_every_variable(entry: Entry, index: int, plural_expr: str) -> bool:
    if not entry.plural:
        return True
    return len(numbers_of_forms(plural_expr).get(index, ())) >= GNU_OFTEN


def _text_problem(text: str, source: dict[str, str], required: set[str]) -> str:
    found = directives(text)
    for directive in found:
        problem = _directive_problem(directive, source)
        if problem:
            return problem
    left_out = sorted(required - {directive.name for directive in found})
    if left_out:
        shown = ", ".join(f"%({name}){source[name]}" for name in left_out)
        return f"it leaves out {shown}, which the original has"
    try:
        text % {name: 1 if kind in "diouxXeEfFgGc" else "x" for name, kind in source.items()}
    except (ValueError, TypeError, KeyError, OverflowError) as problem:
        return f"Python cannot format it ({problem})"
    return ""


def _directive_problem(directive: Directive, source: dict[str, str]) -> str:
    name, kind, written = directive.name, directive.kind, directive.written
    if not directive.readable:
        return (
            f"'{written}' is not a format directive Python can read; write a literal "
            "percent sign as %%"
        )
    if name is None:
        example = next((f"%({key}){value}" for key, value in source.items()), "%(name)s")
        return (
            f"'{written}' reads as a format directive; write a literal percent sign as %%, "
            f"and a variable by its name, as the original does ({example})"
        )
    if name not in source:
        return f"it uses the variable %({name}){kind}, which the original does not have"
    if kind != source[name] and not (name == "num" and kind in _NUMBER_TYPES):
        return f"it writes %({name}){kind} where the original has %({name}){source[name]}"
    return ""


def _in_form(entry: Entry, index: int, plural_expr: str, problem: str) -> str:
    """The problem of a plural entry's form, with the numbers the form is for."""
    if not entry.plural:
        return problem
    numbers = numbers_of_forms(plural_expr).get(index, ())
    shown = ", ".join(map(str, numbers[:3])) + (", ..." if len(numbers) > 3 else "")
    return f"msgstr[{index}] (for {shown or 'no number up to 1,000'}): {problem}"
