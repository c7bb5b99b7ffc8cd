"""Checks of translations against their source text (``notice-builder i18n check``).

Each translated (non-fuzzy) msgstr is compared with its msgid: what the site needs to
work (placeholders, link targets, e-mail addresses, URLs) must come through unchanged,
no HTML may be introduced, and Markdown must stay well formed. What makes the build
refuse a translation (a control character, ``%(name)s`` variables that break gettext's
rule: ``i18n.catalog.format``) is found by the build's own functions, so it is reported
here word for word as the build reports it. Every finding is a diagnostic at the
catalog's file and the line of the message's msgid.

For plural messages each form may leave out what the source has (an Arabic "zero" form
need not say ``{count}``), but may not bring in anything the msgid and msgid_plural lack.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import checkers, num_plurals, python_format

from notice_builder.diagnostics import Diagnostic, Location, Severity, shortened
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_settings import untranslated_outcome
from notice_builder.i18n.differences import (
    PLACEHOLDER_CODE,
    PLACEHOLDER_HINT,
    PLACEHOLDER_PATTERN,
    difference,
    placeholders,
)
from notice_builder.i18n.plural_rules import PLURAL_FORMS, plural_rule_diagnostic
from notice_builder.i18n.segments import BULLET, RAW_HTML, UNSUPPORTED
from notice_builder.i18n.segments import NUMBER as LIST_NUMBER
from notice_builder.i18n.status import message_state, strings_of
from notice_builder.i18n.translations import (
    control_character_diagnostic,
    entry_of,
    format_diagnostic,
    language_problem,
)
from notice_builder.i18n.workflow import Key, catalog_keys, catalog_or_problems
from notice_builder.parallel import parallel_map
from notice_builder.project import DEFAULT_DOMAIN, Project

PLACEHOLDER = PLACEHOLDER_CODE
LINK_TARGET = "i18n.link-target"
EMAIL = "i18n.email"
URL = "i18n.url"
NUMBER = "i18n.number"
HTML = "i18n.html"
MARKUP = "i18n.markup"
BABEL_CHECK = "i18n.babel-check"
FUZZY = "i18n.fuzzy"
UNTRANSLATED = "i18n.untranslated"

# The patterns below are run on untrusted text: none may backtrack over what it scanned,
# or a long translation makes `i18n check` quadratic. Possessive quantifiers (*+, ++,
# ?+) never give back what they took; where a pattern could start at every character of
# a run, a look-behind lets it start at the run's first only.
# ](target "title"): <target>, or a target whose parentheses are balanced (two levels
# deep), as Markdown reads [Link](https://de.wikipedia.org/wiki/Kiel_(Stadt)).
_LINK_TARGET = re.compile(
    r"\]\(\s*+"
    r"(?:<(?P<angle>[^<>\n]*+)>"
    r"|(?P<bare>(?:[^\s()]++|\((?:[^\s()]++|\([^\s()]*+\))*+\))*+))"
    r"(?:\s++\"[^\"]*+\")?+\s*+\)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]\"'`]+|\bwww\.[^\s<>()\[\]\"'`]+")
_DIGITS = re.compile(r"\d+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*>")
_URL_TRAILER = ".,;:!?"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_RULE_LINE = re.compile(r"([-=*_])(?:[ \t]*\1)*[ \t]*$")
# HTML is reported as such (i18n.html); indented code cannot start a line without spaces
_BLOCK_STARTS = tuple((pattern, what) for pattern, what in UNSUPPORTED if what != RAW_HTML)
_BLOCK_HINT = (
    "Translate the paragraph or list item as running text on one line; each paragraph "
    "and list item of the source is a message of its own."
)


@dataclass(frozen=True)
class _Rule:
    """One comparison: what to take out of a text, and how a difference is reported."""

    code: str
    severity: Severity
    label: str
    items: Callable[[str], list[str]]
    hint: str
    may_drop: bool = False  # only additions are wrong (HTML tags)


def check_project(
    project: Project,
    locales: Sequence[str] = (),
    domain: str = DEFAULT_DOMAIN,
    needed: frozenset[Key] | None = None,
    policies: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """The findings of every chosen catalog (all catalogs when ``locales`` is empty);
    with ``needed`` (the messages the content and templates give now), also each of
    them that a catalog lacks. ``policies`` gives the missing_translations policy of each
    catalog (by its folder's name), which says how serious an untranslated message is.

    Catalogs are read and checked in parallel; unreadable ones are reported together.
    """
    chosen = list(locales or project.catalog_locales(domain))
    check = partial(_check_locale, project, domain, needed, policies or {})
    results = parallel_map(check, chosen)
    unreadable = [item for readable, items in results if not readable for item in items]
    if unreadable:
        raise InputError(f"{len(unreadable)} catalog problem(s); nothing was done", unreadable)
    found = [item for readable, items in results if readable for item in items]
    return sorted(found, key=Diagnostic.sort_key)


def _check_locale(
    project: Project,
    domain: str,
    needed: frozenset[Key] | None,
    policies: Mapping[str, str],
    locale: str,
) -> tuple[bool, list[Diagnostic]]:
    read = catalog_or_problems(project, locale, domain)
    if isinstance(read, list):
        return False, read
    path, catalog = read
    policy = policies.get(locale)
    wrong_language = language_problem(path, locale)
    found = [*([wrong_language] if wrong_language else []), *check_catalog(catalog, path, policy)]
    if needed is not None:
        found += not_in_catalog(catalog, path, needed, policy)
    return True, found


def not_in_catalog(
    catalog: Catalog, path: Path, needed: frozenset[Key], policy: str | None = None
) -> list[Diagnostic]:
    """A finding for each message needed that the catalog has no entry for: the content
    gained it after the catalog was last updated, or the entry's msgid or msgctxt was
    edited in the catalog."""
    present = catalog_keys(catalog)
    severity, outcome = untranslated_outcome(policy)
    return [
        Diagnostic(
            UNTRANSLATED,
            severity,
            f'"{shortened(msgid)}" (msgctxt "{context or ""}") is not translated: the catalog '
            "has no entry for it (its msgid or msgctxt was edited, or the catalog predates "
            f"it); {outcome}",
            Location.of(path),
            "run `notice-builder i18n extract` and `notice-builder i18n update` to add it, "
            "then translate it (msgid and msgctxt come from the source: never edit them)",
            extra=(("msgctxt", context or ""),),
        )
        for msgid, context in sorted(needed - present, key=lambda key: (key[1] or "", key[0]))
    ]


def check_catalog(catalog: Catalog, path: Path, policy: str | None = None) -> list[Diagnostic]:
    """The findings of one catalog; ``policy`` is its language's missing_translations."""
    found = list(_plural_header(catalog, path))
    for message in catalog:
        if message.id:
            found.extend(check_message(catalog, message, path, policy))
    return found


def check_message(
    catalog: Catalog, message: Message, path: Path, policy: str | None = None
) -> list[Diagnostic]:
    where = Location.of(path, message.lineno or 0)
    extra = (("msgctxt", message.context or ""),)
    state = message_state(message)
    if state == "fuzzy":
        found = [_fuzzy(where, policy)]
    elif state == "untranslated":
        found = [_incomplete_plural(message, where) or _untranslated(where, policy)]
    else:
        found = _translation_findings(catalog, message, path, where)
    return [replace(item, extra=extra) for item in found]


def _translation_findings(
    catalog: Catalog, message: Message, path: Path, where: Location
) -> list[Diagnostic]:
    """What is wrong with a translation: first what makes the build refuse it, found by
    the build's own functions."""
    entry = entry_of(message)
    refused = [
        found
        for found in (
            control_character_diagnostic(entry, path),
            format_diagnostic(entry, path, catalog.plural_expr),
        )
        if found is not None
    ]
    # Babel's python_format check would report a refused format a second time
    skipped = (num_plurals, python_format) if refused else (num_plurals,)
    return [
        *refused,
        *_text_findings(message, where),
        *_babel_findings(catalog, message, where, skipped),
    ]


# --- comparing texts -----------------------------------------------------------------


def link_targets(text: str) -> list[str]:
    """The target of each ``[text](target)`` link, whole: ``javascript:alert(1)``."""
    links = _LINK_TARGET.finditer(text)
    return [link["bare"] if link["angle"] is None else link["angle"] for link in links]


def emails(text: str) -> list[str]:
    return [address.lower() for address in _EMAIL.findall(_without_targets(text))]


def urls(text: str) -> list[str]:
    return [url.rstrip(_URL_TRAILER) for url in _URL.findall(_without_targets(text))]


def numbers(text: str) -> list[str]:
    """Digit runs outside placeholders, links, URLs and addresses, in ASCII digits."""
    prose = _EMAIL.sub(" ", _URL.sub(" ", PLACEHOLDER_PATTERN.sub(" ", _without_targets(text))))
    return ["".join(str(unicodedata.digit(c)) for c in run) for run in _DIGITS.findall(prose)]


def html_tags(text: str) -> list[str]:
    """The tags of a text, each as ``<name>`` or ``</name>``. A tag ends at a ``>``: the
    search stops at the last one, or each ``<`` after it would scan to the end in vain."""
    last = text.rfind(">") + 1
    return [f"<{close}{name.lower()}>" for close, name in _TAG.findall(text, 0, last)]


def markup_problems(text: str) -> set[str]:
    """What is unbalanced in a text's Markdown: bold, code spans, link brackets."""
    problems = set()
    if text.count("**") % 2:
        problems.add("unbalanced ** (bold)")
    if text.count("`") % 2:
        problems.add("unbalanced ` (code)")
    if not _balanced(text, "[", "]"):
        problems.add("unbalanced [ ] (link text)")
    if text.count("](") != len(link_targets(text)):
        problems.add("a link ](...) is not closed")
    return problems


def block_problems(text: str) -> set[str]:
    """The Markdown blocks a text starts on a line of its own. A message is one
    paragraph or one list item, and the page shows its line breaks as spaces (see
    ``markdown_html.inline_only``): a second paragraph, a list or a heading that a
    translation starts on a new line runs into the text before it."""
    lines = text.strip().split("\n")
    blank = any(not line.strip() for line in lines)
    found = {"a second paragraph (after a blank line)"} if blank else set()
    for line in lines[1:]:
        start = line.lstrip()
        if BULLET.match(start) or LIST_NUMBER.match(start):
            found.add(f"a list item on a line of its own ({start.split(None, 1)[0]})")
        elif _RULE_LINE.match(start):
            found.add("a heading underline or a rule (a line of only - = * or _)")
        else:
            found.update(what for pattern, what in _BLOCK_STARTS if pattern.match(start))
    return found


RULES = (
    _Rule(
        PLACEHOLDER,
        Severity.ERROR,
        "placeholders",
        placeholders,
        PLACEHOLDER_HINT,
    ),
    _Rule(
        LINK_TARGET,
        Severity.ERROR,
        "link targets",
        link_targets,
        "Translate the link text in [...] but keep the target in (...) as in the source.",
    ),
    _Rule(EMAIL, Severity.ERROR, "e-mail addresses", emails, "Keep addresses as in the source."),
    _Rule(URL, Severity.ERROR, "URLs", urls, "Keep web addresses as in the source."),
    _Rule(
        NUMBER,
        Severity.WARNING,
        "numbers",
        numbers,
        "Check that periods, article numbers and amounts match the source.",
    ),
    _Rule(
        HTML,
        Severity.ERROR,
        "HTML tags",
        html_tags,
        "Remove the HTML; use Markdown as the source does.",
        may_drop=True,
    ),
)


def _text_findings(message: Message, where: Location) -> Iterator[Diagnostic]:
    ids = _ids_of(message)
    source = "\n".join(ids)
    strict = not message.pluralizable
    for target in strings_of(message):
        for rule in RULES:
            text = _difference(rule, rule.items(source), rule.items(target), strict)
            if text:
                yield Diagnostic(rule.code, rule.severity, text, where, rule.hint)
        broken = sorted(markup_problems(target) - markup_problems(source))
        if broken:
            text = f"Markdown markup is broken: {'; '.join(broken)}"
            hint = "Keep **, ` and [text](target) paired as in the source."
            yield Diagnostic(MARKUP, Severity.ERROR, text, where, hint)
        added = sorted(block_problems(target) - block_problems(source))
        if added:
            text = f"the page shows the message as one paragraph, but it starts {'; '.join(added)}"
            yield Diagnostic(MARKUP, Severity.ERROR, text, where, _BLOCK_HINT)


def _ids_of(message: Message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _difference(rule: _Rule, source: list[str], target: list[str], strict: bool) -> str:
    return difference(rule.label, source, target, strict=strict, may_drop=rule.may_drop)


def _without_targets(text: str) -> str:
    return _LINK_TARGET.sub("]()", text)


def _balanced(text: str, opening: str, closing: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == opening) - (char == closing)
        if depth < 0:
            return False
    return depth == 0


# --- plural forms, Babel's checks, states --------------------------------------------


def _plural_header(catalog: Catalog, path: Path) -> Iterator[Diagnostic]:
    if catalog.locale is None:
        return
    where = Location.of(path, _line_of(path, '"Plural-Forms:'))
    found = plural_rule_diagnostic(
        catalog.locale, catalog.num_plurals, catalog.plural_expr, str(catalog.locale), where
    )
    if found is not None:
        yield found


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    return next((number for number, line in enumerate(lines, 1) if needle in line), 0)


def _incomplete_plural(message: Message, where: Location) -> Diagnostic | None:
    strings = strings_of(message)
    empty = [str(index) for index, text in enumerate(strings) if not text]
    if not message.pluralizable or len(empty) == len(strings):
        return None
    return Diagnostic(
        PLURAL_FORMS,
        Severity.ERROR,
        f"plural forms msgstr[{'], msgstr['.join(empty)}] of {len(strings)} are empty",
        where,
        "Fill every plural form; the header's Plural-Forms says which number uses which.",
    )


def _babel_findings(
    catalog: Catalog, message: Message, where: Location, skipped: tuple[object, ...]
) -> Iterator[Diagnostic]:
    """Babel's checks, but those ``skipped`` (i18n.plural-forms covers num_plurals)."""
    for checker in checkers:
        if checker in skipped:
            continue
        try:
            checker(catalog, message)
        except TranslationError as problem:
            name = getattr(checker, "__name__", "check")
            text = f"Babel {name} check: {problem}"
            yield Diagnostic(BABEL_CHECK, Severity.ERROR, text, where)


def _fuzzy(where: Location, policy: str | None) -> Diagnostic:
    """A fuzzy translation is not used: as serious as an untranslated message."""
    severity, outcome = untranslated_outcome(policy)
    return Diagnostic(
        FUZZY,
        severity,
        f"the translation is fuzzy (its source text changed) and not used until reviewed; "
        f"{outcome}",
        where,
        "Review the translation against the new source, then remove the fuzzy flag.",
    )


def _untranslated(where: Location, policy: str | None) -> Diagnostic:
    severity, outcome = untranslated_outcome(policy)
    return Diagnostic(
        UNTRANSLATED, severity, f"the message is not translated; {outcome}", where, _TRANSLATE_IT
    )


_TRANSLATE_IT = "translate it in the catalog (a PO editor such as Poedit lists such messages)"
