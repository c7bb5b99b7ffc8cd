"""Markdown to safe HTML, one paragraph or list item at a time.

Text from YAML and from translations is untrusted: Markdown output passes an
allow-list sanitizer (nh3), so no script, event handler or ``javascript:`` URL
survives, whatever a translator writes. On top of nh3's own URL check, a link
whose scheme is not allowed once every space, control and invisible character is
taken out (``java\tscript:``, ``java&#8203;script:``) loses its ``href`` too.

Text that Markdown cannot handle (nesting deep enough to exhaust Python's stack)
or that is too long to convert in reasonable time is shown escaped, as plain text.
So is text whose brackets and angle brackets would make the conversion crawl (see
:data:`MAX_MARKDOWN_WORK`): a translation of 20,000 "[" took 77 s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr", "b", "i"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "cite", "poster"}
PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
MAX_MARKDOWN_CHARS = 20_000
"""Longer text is not converted: Python-Markdown is quadratic on some inputs."""
MAX_MARKDOWN_WORK = 400_000
"""Python-Markdown looks for the end of a link from each "[", and the HTML parser under
it for the end of a tag from each "<", to the end of the text: their number times the
text's length bounds the work (~0.1 s at this bound; 20 links in 3,000 characters
make 60,000). Text over it is not converted."""
_MD = markdown.Markdown(extensions=[], output_format="html")


MARKUP_CHARACTERS = re.compile(r"[\\`*_\[\]!<>&]")
"""Characters that Markdown gives a meaning anywhere in a text."""
MARKUP_START = re.compile(r"\s*(\d+[.)]|[-+*#>])\s")
"""A start that makes a text a list item, a heading or a quote."""
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")
"""A line break with the spaces and blank lines around it (not no-break spaces)."""


def has_markup(text: str) -> bool:
    """Whether Markdown could change the text; without markup it is plain prose.

    Two patterns, not one with ``|^``: that alternative would be tried at every character.
    """
    return MARKUP_CHARACTERS.search(text) is not None or MARKUP_START.match(text) is not None


def render_inline(text: str) -> str:
    """Sanitized inline HTML of one Markdown paragraph or list item."""
    text = inline_only(text)
    if _too_costly(text):
        return str(escape(text))
    # a block start is escaped by now (with "\\"), so a search of the characters is
    # all that is left of has_markup
    if MARKUP_CHARACTERS.search(text) is None:
        # Most legal prose has no markup: escaping is then all Markdown would do.
        # Escaped the way the sanitizer serializes, so both paths give the same bytes.
        escaped = str(escape(text)).replace("&#34;", '"').replace("&#39;", "'")
        return escaped.replace("\xa0", "&nbsp;")
    return _converted(text)


def inline_only(text: str) -> str:
    """The text with nothing Markdown reads as a block: a segment is shown inside one
    <p> or <li>, so its line breaks are spaces, and a start that would make it a list,
    a heading or a quote is escaped. A translation that starts ``1. Januar`` lost its
    "1." (a list, then stripped to its text); the i18n checks report the line breaks."""
    if "\n" in text:
        text = _LINE_BREAK.sub(" ", text.strip(" \t\n"))
    start = MARKUP_START.match(text)
    if start is None:
        return text
    marker = start.end(1) - 1  # the marker's last character: "." of "1.", "-", "#"
    return f"{text[:marker]}\\{text[marker:]}"


def _too_costly(text: str) -> bool:
    """Whether converting ``text`` could take too long: it is over
    :data:`MAX_MARKDOWN_CHARS`, or its "[" and "<" are over :data:`MAX_MARKDOWN_WORK`
    (text without either has no markup, and costs nothing to convert)."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return True
    return (text.count("[") + text.count("<")) * len(text) > MAX_MARKDOWN_WORK


@lru_cache(maxsize=16384)
def _converted(text: str) -> str:
    """Markdown converted and sanitized; cached, as notices and locales share texts."""
    _MD.reset()
    try:
        html = _MD.convert(text)
    except RecursionError:  # lists or quotes nested hundreds deep
        _MD.reset()
        return str(escape(text))
    match = PARAGRAPH.match(html.strip())
    inner = match.group(1) if match else html
    return sanitize(inner)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_safe_attribute,
    )


def _safe_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drop a URL whose scheme, read as a browser might, is not an allowed one."""
    if attribute not in URL_ATTRIBUTES:
        return value
    return value if url_is_safe(value) else None


def url_is_safe(url: str) -> bool:
    """Whether a URL is relative or uses an allowed scheme, with invisible characters ignored.

    Browsers drop tabs and newlines inside URLs and spaces and controls around them;
    this drops every space, control and format character (zero-width, bidi) before
    reading the scheme, so no spelling of ``javascript:`` passes.
    """
    squeezed = "".join(
        character
        for character in url
        if not character.isspace() and unicodedata.category(character)[0] not in "CZ"
    ).lower()
    match = SCHEME.match(squeezed)
    return match is None or match.group(1) in URL_SCHEMES


PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9-]*)\.([a-z_]+)\}")


def fill_placeholders(html: str, resolve: Callable[[str, str], Markup | None]) -> Markup:
    """Replace ``{party.field}`` with the party's detail; unknown ones stay visible."""

    def replace(match: re.Match[str]) -> str:
        value = resolve(match.group(1), match.group(2))
        return str(value) if value is not None else str(escape(match.group(0)))

    return Markup(PLACEHOLDER.sub(replace, html))
