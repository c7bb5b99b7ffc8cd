"""Split Markdown text into translation units: paragraphs and list items.

Translators get one paragraph or list item per message, with soft line breaks
folded to spaces, so reflowing or editing one paragraph invalidates only that
paragraph's translation, and every language has the same blocks and list items
by construction. The notice format allows paragraphs, bullet and numbered lists,
and inline Markdown (emphasis, links, code); headings, quotes, tables, code
blocks and raw HTML blocks are refused: the section title is the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

BlockKind = Literal["paragraph", "bullets", "numbers"]
BULLET = re.compile(r"^[-*+]\s+")
NUMBER = re.compile(r"^\d{1,3}[.)]\s+")
RAW_HTML = "raw HTML"
UNSUPPORTED = (
    (re.compile(r"^#{1,6}(\s|$)"), "a heading"),
    (re.compile(r"^>"), "a block quote"),
    (re.compile(r"^(```|~~~)"), "a code block"),
    (re.compile(r"^\|.*\|\s*$"), "a table"),
    (re.compile(r"^<[a-zA-Z!/]"), RAW_HTML),
    (re.compile(r"^\s{4,}\S"), "an indented code block"),
)
AS_PROSE = "write it as paragraphs or a list"
INSTEAD = {
    "a heading": "a section has one heading, its `title:`: start a new section, or make it "
    "a paragraph",
    "a block quote": AS_PROSE,
    "a code block": AS_PROSE,
    "a table": "a retention table is a block of its own (`retention:`, shown with "
    "`show: [retention]`); write other tables as a list",
    RAW_HTML: "write it in Markdown: paragraphs, lists, links",
    "an indented code block": "remove the indentation",
}
"""What to write instead of each construct of :data:`UNSUPPORTED`."""


@dataclass(frozen=True)
class Segment:
    """One translation unit: its text (soft breaks folded) and its line in the field."""

    text: str
    line: int


@dataclass(frozen=True)
class MarkdownBlock:
    """A paragraph (one segment) or a list (one segment per item)."""

    kind: BlockKind
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class UnsupportedMarkdown:
    """A construct the format refuses, with its first line in the field (0-based), and
    what to write instead."""

    line: int
    what: str
    instead: str


def normalize(text: str) -> str:
    """Fold soft line breaks and runs of spaces into single spaces."""
    return " ".join(text.split())


@lru_cache(maxsize=16384)
def split_blocks(text: str) -> tuple[MarkdownBlock, ...]:
    """The paragraphs and lists of a Markdown field, in order."""
    blocks: list[MarkdownBlock] = []
    for start, lines in _chunks(text):
        kind = _list_kind(lines[0])
        if kind == "paragraph":
            blocks.append(MarkdownBlock(kind, (Segment(normalize(" ".join(lines)), start),)))
        else:
            blocks.append(MarkdownBlock(kind, tuple(_items(lines, start))))
    return tuple(blocks)


def find_unsupported(text: str) -> list[UnsupportedMarkdown]:
    """Each construct once, at its first line: a table of ten rows is one table."""
    found: list[UnsupportedMarkdown] = []
    previous = None
    for number, line in enumerate(text.splitlines()):
        kind = next((what for pattern, what in UNSUPPORTED if pattern.match(line)), None)
        if kind is not None and kind != previous:
            found.append(UnsupportedMarkdown(number, kind, INSTEAD[kind]))
        previous = kind
    return found


INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")
"""An HTML tag (not an autolink such as ``<https://...>`` or ``<name@example.com>``)."""
CODE_SPAN = re.compile(r"`[^`\n]*+`")


def find_inline_html(text: str) -> list[tuple[int, str]]:
    """The first HTML tag of each line that is not a block of raw HTML (which
    :func:`find_unsupported` refuses) nor inside a code span, with its line (0-based)."""
    found = []
    for number, line in enumerate(text.splitlines()):
        if line.lstrip().startswith("<"):
            continue
        tag = INLINE_TAG.search(CODE_SPAN.sub("", line))
        if tag:
            found.append((number, f"<{tag[1]}{tag[2].lower()}>"))
    return found


def _chunks(text: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, with the 0-based line each starts on."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines()):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            chunks.append((start, current))
            current = []
    if current:
        chunks.append((start, current))
    return chunks


def _list_kind(line: str) -> BlockKind:
    if BULLET.match(line):
        return "bullets"
    if NUMBER.match(line):
        return "numbers"
    return "paragraph"


def _items(lines: list[str], start: int) -> list[Segment]:
    items: list[Segment] = []
    current: list[str] = []
    first = start
    for offset, line in enumerate(lines):
        marker = BULLET.match(line) or NUMBER.match(line)
        if marker:
            if current:
                items.append(Segment(normalize(" ".join(current)), first))
            current, first = [line[marker.end() :]], start + offset
        else:
            current.append(line)
    items.append(Segment(normalize(" ".join(current)), first))
    return items
