"""Plain text skips Markdown, and gives the same bytes as the full Markdown path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notice_builder.render.markdown_html import (
    _MD,
    PARAGRAPH,
    has_markup,
    render_inline,
    sanitize,
)


def full_path(text: str) -> str:
    _MD.reset()
    html = _MD.convert(text)
    match = PARAGRAPH.match(html.strip())
    return sanitize(match.group(1) if match else html)


plain = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\\`*_[]!<>&#"
        ),
        min_size=1,
        max_size=80,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(lambda text: text and not has_markup(text))
)


@settings(max_examples=300, deadline=None)
@given(plain)
def test_plain_text_renders_like_markdown_would(text: str) -> None:
    assert render_inline(text) == full_path(text)


def test_the_fast_path_is_taken_for_prose_and_not_for_markup() -> None:
    assert has_markup("We keep it for **30 days**")
    assert has_markup("1. first")
    assert has_markup("- item")
    assert not has_markup("We keep your data for 30 days, or until you object.")
    assert render_inline("Quotes \"x\" and 'y' \xa0stay") == "Quotes \"x\" and 'y' &nbsp;stay"


ONE_PATTERN = re.compile(r"[\\`*_\[\]!<>&]|^\s*(\d+[.)]|[-+*#>])\s")
"""What has_markup replaced: one pattern, slow because of its ``|^`` alternative."""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab 12.)-+*#>\n\t\xa0_&[", max_size=12))
def test_has_markup_finds_what_the_single_pattern_found(text: str) -> None:
    assert has_markup(text) == (ONE_PATTERN.search(text) is not None)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("1. Januar 2025 tritt sie in Kraft", "1. Januar 2025 tritt sie in Kraft"),
        ("12) Punkt", "12) Punkt"),
        ("- nicht eine Liste", "- nicht eine Liste"),
        ("* auch nicht, aber *betont*", "* auch nicht, aber <em>betont</em>"),
        ("# kein Titel", "# kein Titel"),
        ("> kein Zitat", "&gt; kein Zitat"),
        ("Zeile\n---", "Zeile ---"),
        ("eins\n\nzwei", "eins zwei"),
        ("weich \xa0\ngebrochen", "weich &nbsp; gebrochen"),
    ],
)
def test_a_segment_is_inline_text_whatever_it_starts_with(text: str, html: str) -> None:
    """A translation starting "1. Januar" was a numbered list, stripped to its text:
    the page said "Januar 2025 tritt ..." without the day."""
    assert render_inline(text) == html
