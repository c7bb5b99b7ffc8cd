"""Markdown to safe HTML, one paragraph or list item at a time.

Text from YAML and from translations is untrusted: Markdown output passes an
allow-list sanitizer (nh3), so no script, event handler or ``javascript:`` URL
survives, whatever a translator writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr", "b", "i"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
_MD = markdown.Markdown(extensions=[], output_format="html")


@lru_cache(maxsize=65536)
def render_inline(text: str) -> str:
    """Sanitized inline HTML of one Markdown paragraph or list item."""
    _MD.reset()
    html = _MD.convert(text)
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
    )


PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9-]*)\.([a-z_]+)\}")


def fill_placeholders(html: str, resolve: Callable[[str, str], Markup | None]) -> Markup:
    """Replace ``{party.field}`` with the party's detail; unknown ones stay visible."""

    def replace(match: re.Match[str]) -> str:
        value = resolve(match.group(1), match.group(2))
        return str(value) if value is not None else str(escape(match.group(0)))

    return Markup(PLACEHOLDER.sub(replace, html))
