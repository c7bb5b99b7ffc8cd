"""One walk over a parsed page that fills its :class:`PageSummary`.

The walk carries a small context (section, zone, block text being collected, ...) down
the tree so that every element and text node is looked at exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter
from typing import cast

from lxml import etree

from notice_builder.checks.html.context import WalkContext
from notice_builder.checks.html.locale_facts import writes_latin_digits
from notice_builder.checks.html.model import (
    SECTION,
    SWITCHER,
    Alternate,
    HitKind,
    PageSummary,
    SectionFacts,
    TableFacts,
    TextHit,
    UrlRef,
    Zone,
)
from notice_builder.checks.html.text import (
    collapse_space,
    digit_runs,
    mailto_addresses,
    normalize_tag,
)
from notice_builder.checks.html.urls import EMAIL_PROTECTION, cached_url_kind

Element = etree._Element
# lxml-stubs type ``sourceline`` wrongly; a C-level getter with the right type.
source_line = cast("Callable[[Element], int | None]", attrgetter("sourceline"))

BLOCK_TAGS = frozenset({"p", "li", "td", "th", "h2", "dt", "dd"})
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# URL-valued attributes by element, besides <a href>, <area href> and <link href>
URL_ATTRIBUTES = {
    **dict.fromkeys(("script", "iframe", "embed", "source", "track", "audio"), ("src",)),
    "img": ("src", "longdesc"),
    "video": ("src", "poster"),
    "input": ("src", "formaction"),
    "button": ("formaction",),
    "form": ("action",),
    "object": ("data",),
    **dict.fromkeys(("blockquote", "q", "del", "ins"), ("cite",)),
}
HIDDEN_TEXT_TAGS = frozenset({"script", "style", "template"})
MIN_BLOCK_WORDS = 6

TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")
PLACEHOLDER = re.compile(
    r"\{[A-Za-z_][\w.\-]*(?:[!:,][^{}]*)?\}"
    r"|%\([A-Za-z_][\w.\-]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]"
)
EMAIL_TEXT = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
OBFUSCATED_TEXT = re.compile(r"\[\s*email\s+protected\s*\]", re.IGNORECASE)
MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])")
# What makes a text worth a closer look besides "@": template syntax, a placeholder,
# markup, an obfuscated address.
LEAK_MARKERS = re.compile(r"[{<]|%\(|protected").search
_LEAKY_ATTRIBUTES = etree.XPath("//@*[contains(., '{') or contains(., '%(') or contains(., '<')]")


def may_leak_into_text(root: Element) -> bool:
    """Whether any text of the page has one of ``LEAK_MARKERS``: one C-level pass over
    the page's whole text, so that most pages test each text node for "@" alone."""
    text = etree.tostring(root, method="text", encoding="utf-8")  # bytes: nothing decoded
    return b"{" in text or b"%(" in text or b"<" in text or b"protected" in text


class PageWalker:
    """Fills a summary from the tree of one page.

    ``block_starts``, when given, are the first words of the blocks of text worth
    recording (see ``PageAnalyzer.block_starts``): the others are not split into words
    at all.
    """

    def __init__(self, summary: PageSummary, block_starts: frozenset[str] | None = None) -> None:
        self.summary = summary
        self._block_starts = block_starts
        self.page_lang = normalize_tag(summary.locale or "")
        self._ignored = SectionFacts("", 0)
        self._id_attributes: set[str] = set()
        self._section_texts: list[tuple[SectionFacts, list[str]]] = []
        self._leaky = True

    def walk(self, root: Element) -> None:
        outside = self.summary.outside
        outside.line = source_line(root) or 0
        self._leaky = may_leak_into_text(root)
        self._visit(root, WalkContext(outside, Zone.OTHER, None, False, False, None), None)
        latin = writes_latin_digits(self.page_lang) if self.page_lang else False
        for section, texts in self._section_texts:
            section.numbers = digit_runs("\n".join(texts), latin_digits=latin)

    def _visit(self, element: Element, context: WalkContext, block: list[str] | None) -> None:
        """Record one element, then its text, its children and their tails (its text too).

        ``block`` collects the text of the block (p, li, ...) the element is in. This runs
        for every element of every page, so it is written for speed: one function, no
        handler for the tags that only start a block, and each lxml property (a C call
        that builds a new string) is read once.
        """
        tag = element.tag
        if not isinstance(tag, str):
            return
        element_id = element.get("id")
        if element_id is not None:
            self._record_id(element_id, element)
        lang = element.get("lang")
        if lang is not None:
            context = self._enter_language(tag, lang, context)
        handler = HANDLERS.get(tag)
        if handler is not None:
            entered = handler(self, element, context)
            if entered is None:
                return  # no visible text inside
            context = entered
        own: list[str] | None = None
        if context.exempt:
            block = None
        elif tag in BLOCK_TAGS:
            block = own = []
        numbers = context.numbers
        leaky = self._leaky
        text = element.text
        if text:
            if block is not None:
                block.append(text)
            if numbers is not None:
                numbers.append(text)
            if "@" in text or (leaky and LEAK_MARKERS(text)):
                self._suspicious_text(text, element, tag, context)
        if not len(element):  # a leaf: no child iterator to make
            if own:
                self._finish_block(own, element)
            return
        visit = self._visit
        for child in element:
            visit(child, context, block)
            tail = child.tail
            if tail:
                if block is not None:
                    block.append(tail)
                if numbers is not None:
                    numbers.append(tail)
                if "@" in tail or (leaky and LEAK_MARKERS(tail)):
                    self._suspicious_text(tail, child, tag, context)
        if own:
            self._finish_block(own, element)  # this element is the block

    # --- attributes -------------------------------------------------------------------

    def scan_attributes(self, root: Element) -> None:
        """Look for template syntax, placeholders and markup in attribute values.

        Run only for pages whose source may have them (see ``may_leak_into_attributes``).
        """
        for value in cast("list[etree._ElementUnicodeResult]", _LEAKY_ATTRIBUTES(root)):
            element = value.getparent()
            if element is not None:
                where = f"attribute {cast(str, value.attrname)} of <{element.tag}>"
                self._scan_leaks(str(value), element, where)

    def _record_id(self, value: str, element: Element) -> None:
        line = source_line(element) or 0
        if value in self._id_attributes:
            self.summary.duplicate_ids.append((value, line, self.summary.ids[value]))
            return
        self._id_attributes.add(value)
        self.summary.ids[value] = line

    def _record_url(
        self, element: Element, tag: str, attribute: str, value: str, zone: Zone
    ) -> None:
        hreflang = (element.get("hreflang") or "") if zone is SWITCHER else ""
        line = source_line(element) or 0
        self.summary.urls.append(
            UrlRef(value, line, tag, attribute, cached_url_kind(value), zone, hreflang)
        )

    # --- elements ---------------------------------------------------------------------

    def _enter_html(self, element: Element, context: WalkContext) -> WalkContext:
        summary = self.summary
        summary.html_line = source_line(element) or 0
        summary.lang = element.get("lang")
        summary.dir = element.get("dir")
        summary.source_locale = element.get("data-source-locale")
        if not self.page_lang and summary.lang:
            self.page_lang = normalize_tag(summary.lang)
        return context

    def _enter_section(self, element: Element, context: WalkContext) -> WalkContext:
        section_id = element.get("id")
        if not section_id or "notice-section" not in (element.get("class") or "").split():
            return context
        facts = SectionFacts(section_id, source_line(element) or 0)
        self.summary.sections.append(facts)
        texts: list[str] = []
        self._section_texts.append((facts, texts))
        return context.within(Zone.SECTION, facts, texts)

    def _enter_nav(self, element: Element, context: WalkContext) -> WalkContext | None:
        """The language switcher and the table of contents: links, little text."""
        classes = (element.get("class") or "").split()
        if "language-switcher" in classes:
            if self.summary.switcher_line is None:
                self.summary.switcher_line = source_line(element) or 0
            context = context.within(Zone.SWITCHER, self._ignored)
        elif "toc" in classes:
            context = context.within(Zone.TOC, self._ignored)
        else:
            return context
        return None if self._skim(element, context) else context

    def _skim(self, element: Element, context: WalkContext) -> bool:
        """Record the elements inside without reading their text one node at a time.

        For navigation (language names, section titles repeated from the headings), whose
        text only the leak and address checks read: when it has nothing for them, its
        elements are handled here in one flat pass (a 30-language switcher is a large
        part of a page). Returns False, having done nothing, when the text needs reading.
        """
        text = "".join(cast("list[str]", element.itertext()))
        if "@" in text or "{" in text or "%(" in text or "<" in text or "protected" in text:
            return False
        for inner in element.iterdescendants():
            inner_id = inner.get("id")
            if inner_id is not None:
                self._record_id(inner_id, inner)
            handler = SKIM_HANDLERS.get(inner.tag)
            if handler is not None:
                handler(self, inner, context)
        return True

    def _enter_anchor(self, element: Element, context: WalkContext) -> WalkContext:
        tag = element.tag
        name = element.get("name")
        if name and tag == "a":
            self.summary.ids.setdefault(name, source_line(element) or 0)
        href = element.get("href")
        if href is None:
            return context
        self._record_url(element, tag, "href", href, context.zone)
        scheme = href.strip()[:7].lower()
        if scheme == "mailto:":
            context.section.emails.extend(mailto_addresses(href))
            return context.within_mailto()
        if scheme.startswith("tel:"):
            context.section.phones.append(href.strip()[4:])
        elif context.zone is SECTION and EMAIL_PROTECTION not in href:
            context.section.links.append(href)
        return context

    def _skim_anchor(self, element: Element, context: WalkContext) -> WalkContext:
        """An anchor in skimmed navigation: its name and its URL. What else
        ``_enter_anchor`` records (addresses, phones and links of a section, the mailto
        context for the text) would go to the nav's ignored facts or to text not read."""
        tag = element.tag
        if tag == "a":
            name = element.get("name")
            if name:
                self.summary.ids.setdefault(name, source_line(element) or 0)
        href = element.get("href")
        if href is not None:
            self._record_url(element, tag, "href", href, context.zone)
        return context

    def _enter_link(self, element: Element, context: WalkContext) -> WalkContext:
        """hreflang alternates and the canonical link; other links (styles) are URLs."""
        rel = (element.get("rel") or "").lower().split()
        href = element.get("href")
        hreflang = element.get("hreflang")
        line = source_line(element) or 0
        if "alternate" in rel and hreflang is not None:
            self.summary.alternates.append(Alternate(hreflang, href or "", line))
        if "canonical" in rel:
            self.summary.canonicals.append((href or "", line))
        if "alternate" not in rel and "canonical" not in rel and href is not None:
            self._record_url(element, "link", "href", href, context.zone)
        return context

    def _enter_base(self, element: Element, context: WalkContext) -> WalkContext:
        """The first ``<base href>`` counts, as in a browser."""
        href = element.get("href")
        if href is not None and self.summary.base_href is None:
            self.summary.base_href = href
        return context

    def _enter_time(self, element: Element, context: WalkContext) -> WalkContext:
        moment = element.get("datetime")
        if moment is not None:
            context.section.dates.append(moment.strip())
        return context.within_time()

    def _enter_exempt(self, element: Element, context: WalkContext) -> WalkContext:
        return context.exempted()

    def _enter_table(self, element: Element, context: WalkContext) -> WalkContext:
        table = TableFacts(source_line(element) or 0)
        context.section.tables.append(table)
        return context.within_table(table)

    def _enter_row(self, element: Element, context: WalkContext) -> WalkContext:
        if context.table is not None:
            context.table.rows += 1
        return context

    # A block (p, li, td, ...) collects its own text, unless exempt: see ``_visit``.

    def _enter_header_cell(self, element: Element, context: WalkContext) -> WalkContext:
        if context.table is not None:
            context.table.has_header = True
        return context

    def _enter_item(self, element: Element, context: WalkContext) -> WalkContext:
        context.section.items += 1
        return context

    def _enter_heading(self, element: Element, context: WalkContext) -> WalkContext:
        level = HEADING_LEVELS[element.tag]
        self.summary.headings.append((level, source_line(element) or 0))
        return context

    def _enter_hidden(self, element: Element, context: WalkContext) -> None:
        """Script, style and template hold no visible text; their URLs are still read."""
        self._enter_resource(element, context)

    def _enter_resource(self, element: Element, context: WalkContext) -> WalkContext:
        tag = element.tag
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            value = element.get(attribute)
            if value is not None:
                self._record_url(element, tag, attribute, value, context.zone)
        if tag == "img" and element.get("alt") is None:
            self.summary.images_without_alt.append(source_line(element) or 0)
        return context

    def _enter_title(self, element: Element, context: WalkContext) -> WalkContext:
        parent = element.getparent()
        if self.summary.title is None and parent is not None and parent.tag == "head":
            self.summary.title = collapse_space("".join(cast("list[str]", element.itertext())))
            self.summary.title_line = source_line(element) or 0
        return context

    def _enter_language(self, tag: str, lang: str, context: WalkContext) -> WalkContext:
        """Text marked as another language than the page's is exempt from source-text."""
        if tag == "html" or context.exempt or normalize_tag(lang) == self.page_lang:
            return context
        return context.exempted()

    # --- text -------------------------------------------------------------------------

    def _suspicious_text(self, text: str, element: Element, tag: str, context: WalkContext) -> None:
        """Look for e-mail addresses, leaks and obfuscation in a text node that may hold them.

        ``element`` is where the text starts: its parent's for a tail.
        """
        if "@" in text and not context.in_mailto:
            self._scan_emails(text, element)
        if "{" in text or "%(" in text or "<" in text:
            self._scan_leaks(text, element, f"text of <{tag}>")
        if "protected" in text and OBFUSCATED_TEXT.search(text):
            self._hit(HitKind.OBFUSCATED_EMAIL, collapse_space(text), element, f"text of <{tag}>")

    def _scan_emails(self, text: str, element: Element) -> None:
        for match in EMAIL_TEXT.finditer(text):
            self._hit(HitKind.UNLINKED_EMAIL, match.group(), element, "text")

    def _scan_leaks(self, text: str, element: Element, where: str) -> None:
        """Template syntax, else placeholders; and HTML markup that shows as text."""
        if TEMPLATE_SYNTAX.search(text):
            self._hit(HitKind.TEMPLATE, collapse_space(text), element, where)
        else:
            for match in PLACEHOLDER.finditer(text):
                self._hit(HitKind.PLACEHOLDER, match.group(), element, where)
        if "<" in text and MARKUP.search(text):
            self._hit(HitKind.MARKUP, collapse_space(text), element, where)

    def _hit(self, kind: HitKind, text: str, element: Element, where: str) -> None:
        self.summary.hits.append(TextHit(kind, text, source_line(element) or 0, where))

    def _finish_block(self, chunks: list[str], element: Element) -> None:
        text = "".join(chunks)
        if len(text) < 2 * MIN_BLOCK_WORDS - 1:
            return  # too short to hold enough words
        starts = self._block_starts
        if starts is not None:  # tested here, not by a function: this runs for every block
            first = text.split(None, 1)
            if not first or first[0] not in starts:
                return
        words = text.split()
        if len(words) >= MIN_BLOCK_WORDS:
            self.summary.blocks.append((" ".join(words), source_line(element) or 0))


# What the walk does on entering an element, by tag. A table of plain functions (not
# bound methods, which would make every walker a reference cycle).
Handler = Callable[[PageWalker, Element, WalkContext], WalkContext | None]
HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(URL_ATTRIBUTES, PageWalker._enter_resource),
    **dict.fromkeys(HEADING_LEVELS, PageWalker._enter_heading),
    **dict.fromkeys(HIDDEN_TEXT_TAGS, PageWalker._enter_hidden),
    "html": PageWalker._enter_html,
    "section": PageWalker._enter_section,
    "nav": PageWalker._enter_nav,
    "a": PageWalker._enter_anchor,
    "area": PageWalker._enter_anchor,
    "link": PageWalker._enter_link,
    "base": PageWalker._enter_base,
    "time": PageWalker._enter_time,
    "address": PageWalker._enter_exempt,
    "table": PageWalker._enter_table,
    "tr": PageWalker._enter_row,
    "th": PageWalker._enter_header_cell,
    "li": PageWalker._enter_item,
    "title": PageWalker._enter_title,
}
# Inside a skimmed nav, the handlers that only change the context (which the skim
# throws away) or the nav's ignored facts are not called.
SKIM_HANDLERS = {
    **{
        tag: handler
        for tag, handler in HANDLERS.items()
        if handler not in (PageWalker._enter_item, PageWalker._enter_exempt)
    },
    "a": PageWalker._skim_anchor,
    "area": PageWalker._skim_anchor,
}
