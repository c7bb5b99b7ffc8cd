"""Find the pages of a built site, parse each once, and summarize (in parallel if many)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from lxml import etree

from notice_builder.checks.html import contacts, leaks, links, parity, structure
from notice_builder.checks.html.extract import PageWalker
from notice_builder.checks.html.model import CompactPickle, PageSummary, UrlRef
from notice_builder.checks.html.text import normalize_tag
from notice_builder.checks.html.urls import SiteUrls
from notice_builder.diagnostics import Diagnostic, display_path
from notice_builder.parallel import parallel_map_meanwhile

PARALLEL_THRESHOLD = 200
# At most this many pages go to a worker at a time: the last batches end close together.
BATCH_PAGES = 64
# In a page's source: a brace as a character reference, or a quoted attribute value that
# starts with a tag (the usual way markup ends up in an attribute: a wrapped message).
ATTRIBUTE_LEAK_MARKERS = (
    b"&#123;",
    b"&#x7b;",
    b"&#x7B;",
    b"&lbrace;",
    b"&lcub;",
    b'="<',
    b"='<",
    b'="&lt;',
    b"='&lt;",
)
# The markers after "{" and "%(" as two patterns that each start with one literal byte,
# which the regular expression engine skips to (faster than a test per marker).
_ENTITY_BRACE = re.compile(rb"&(?:#123;|#x7[bB];|lbrace;|lcub;)")
_QUOTED_MARKUP = re.compile(rb"=[\"'](?:<|&lt;)")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_END_TAG = re.compile(rb"</html", re.IGNORECASE)
ASSET_FOLDERS = frozenset({"static"})
# lxml's HTML parser without lxml.html's per-element Python class lookup (faster).
_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
)


@dataclass(frozen=True, slots=True)
class PageTask:
    """One page to analyze: where it is and how to show its path."""

    file: str
    rel: str
    path: str


@dataclass(slots=True)
class PageResult(CompactPickle):
    summary: PageSummary
    diagnostics: list[Diagnostic]


@dataclass(slots=True)
class AnalyzedPage:
    """A page's full summary, its own findings, and the URLs the site-wide checks need."""

    summary: PageSummary
    diagnostics: list[Diagnostic]
    site_wide: list[UrlRef]


def site_files(site_dir: Path) -> frozenset[str]:
    """Every file of the site, as ``/``-separated paths relative to the site folder."""
    found: set[str] = set()
    for folder, _, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.update(prefix + name for name in names)
    return frozenset(found)


def page_tasks(
    site_dir: Path, files: frozenset[str], shown_dir: Path | None = None
) -> list[PageTask]:
    """The HTML pages to check, grouped by notice (so that a worker that needs a source
    page for one language of a notice finds it again for the next ones); their paths
    are shown in ``shown_dir`` (default: ``site_dir``)."""
    prefix = shown_prefix(shown_dir or site_dir)
    folder = str(site_dir) + "/"
    pages = [rel for rel in files if is_page(rel)]
    return [
        PageTask(folder + rel, rel, prefix + rel)
        for rel in sorted(pages, key=lambda rel: (notice_identity(rel)[1] or "", rel))
    ]


def is_page(rel: str) -> bool:
    return rel.endswith(".html") and rel.split("/", 1)[0] not in ASSET_FOLDERS


def shown_prefix(site_dir: Path) -> str:
    """How paths in the site folder start when shown to users."""
    shown = display_path(site_dir)
    return "" if shown == "." else shown.rstrip("/") + "/"


def notice_identity(rel: str) -> tuple[str | None, str | None]:
    """(locale, notice id) of ``<lang>/<notice-id>.html``; (None, None) for other pages."""
    parts = rel.split("/")
    if len(parts) != 2 or parts[0] in ASSET_FOLDERS or not parts[1].endswith(".html"):
        return None, None
    return parts[0], parts[1].removesuffix(".html")


class PageAnalyzer:
    """Parses and summarizes pages and runs the checks that need only the page itself and
    the source-language page of its notice (parity, source text left over).

    Worker processes are forked with it (see ``analyze_pages``). A source page is
    analyzed at most once per process and kept for the translations that follow.
    """

    def __init__(
        self,
        site_dir: Path,
        files: frozenset[str],
        source_locale: str | None,
        base_url: str | None,
        shown_dir: Path | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.shown_dir = shown_prefix(shown_dir or site_dir)
        self.urls = SiteUrls(files, base_url)
        self.source_locale = source_locale
        self.folders = locale_folders(files)
        self._sources: dict[str, AnalyzedPage] = {}
        self._source_texts: dict[str, frozenset[str]] = {}
        self._first_words: dict[str, frozenset[str]] = {}
        self._strings: dict[str, str] = {}

    def __call__(self, task: PageTask) -> PageResult:
        analyzed = self._sources.get(task.rel) or self.analyze(task)
        page = analyzed.summary
        diagnostics = [*analyzed.diagnostics, *self.compare_with_source(page)]
        return PageResult(page.for_site_checks(analyzed.site_wide, self.share), diagnostics)

    def batch(self, tasks: list[PageTask]) -> list[PageResult]:
        """The results of a batch of pages (one call, and one message, per batch)."""
        return [self(task) for task in tasks]

    def share(self, text: str) -> str:
        """The one copy of an equal string this process sends (see ``for_site_checks``)."""
        return self._strings.setdefault(text, text)

    def analyze(self, task: PageTask) -> AnalyzedPage:
        locale, notice = notice_identity(task.rel)
        summary = PageSummary(task.rel, task.path, locale, notice)
        data = read_page(task.file, summary)
        root = parse_page(data, summary) if data is not None else None
        if data is None or root is None:
            return AnalyzedPage(summary, [structure.parse_error(summary)], [])
        summary.source_locale = root.get("data-source-locale")  # the walk reads it too
        walker = PageWalker(summary, self.block_starts(summary))
        walker.walk(root)
        if may_leak_into_attributes(data):
            walker.scan_attributes(root)
        if summary.base_href is not None:
            summary.base = document_base(summary.rel, summary.base_href, self.urls)
        found = links.check_page(summary, self.urls)
        summary.switcher_targets = found.switcher_targets
        diagnostics = [*found.diagnostics, *page_diagnostics(summary)]
        normalize_section_links(summary, self.urls)
        return AnalyzedPage(summary, diagnostics, found.site_wide)

    def block_starts(self, page: PageSummary) -> frozenset[str] | None:
        """For a translated page, the first words of the source page's blocks of text:
        only a block that starts like one of them may be the source's. A translation's
        blocks are only compared with the source's (html.leak.source-text), and
        splitting each into words was a tenth of the work on a page. None for a page
        with no source page (the source page itself records every block)."""
        source = self.source_of(page)
        if source is None:
            return None
        first_words = self._first_words.get(source.rel)
        if first_words is None:
            first_words = frozenset(text.split(" ", 1)[0] for text, _ in source.blocks)
            self._first_words[source.rel] = first_words
        return first_words

    def compare_with_source(self, page: PageSummary) -> list[Diagnostic]:
        source = self.source_of(page)
        if source is None:
            return []
        texts = self._source_texts.get(source.rel)
        if texts is None:  # once per source page, not once per translation
            texts = self._source_texts[source.rel] = frozenset(text for text, _ in source.blocks)
        return [
            *parity.compare_pages(page, source),
            *leaks.check_source_text(page, texts, source.locale or ""),
        ]

    def source_of(self, page: PageSummary) -> PageSummary | None:
        """The source-language page of the page's notice; None for the source page itself."""
        locale = self.source_locale or page.source_locale
        folder = self.folders.get(normalize_tag(locale)) if locale else None
        if not page.is_notice or folder is None or folder == page.locale:
            return None
        rel = f"{folder}/{page.notice}.html"
        if rel not in self.urls.files:
            return None
        if rel not in self._sources:
            task = PageTask(str(self.site_dir / rel), rel, self.shown_dir + rel)
            self._sources[rel] = self.analyze(task)
        source = self._sources[rel].summary
        return None if source.parse_error else source


def locale_folders(files: frozenset[str]) -> dict[str, str]:
    """The locale folders of the notice pages, by normalized language tag."""
    folders = {rel.split("/", 1)[0] for rel in files if notice_identity(rel)[0] is not None}
    return {normalize_tag(folder): folder for folder in sorted(folders)}


def document_base(page_key: str, base_href: str, urls: SiteUrls) -> str:
    """The file a page's ``<base href>`` names, "" when it lies outside the site."""
    target = urls.resolve(page_key, base_href)
    return urls.file_of(target.key) if target is not None else ""


def normalize_section_links(summary: PageSummary, urls: SiteUrls) -> None:
    """Section links as parity compares them (see :meth:`SiteUrls.normalized`)."""
    origin = summary.resolves_from
    for section in summary.sections:
        section.links = [urls.normalized(origin, summary.locale, href) for href in section.links]


def read_page(file: str, summary: PageSummary) -> bytes | None:
    """The page's bytes, or None with ``summary.parse_error`` set."""
    try:
        with open(file, "rb") as handle:  # noqa: PTH123 (a third of Path.read_bytes' cost)
            data = handle.read()
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        summary.parse_error = str(problem) or type(problem).__name__
        return None
    return data


def may_leak_into_attributes(data: bytes) -> bool:
    """Whether the page source may have template syntax, a placeholder or markup in an
    attribute value: "{", "%(" or one of ``ATTRIBUTE_LEAK_MARKERS`` occurs in it.

    A test per marker scanned the page eleven times; "{" and "%" are found with one
    memchr each, the other markers with the two patterns above (six times faster).
    """
    if b"{" in data or (b"%" in data and b"%(" in data):
        return True
    return _ENTITY_BRACE.search(data) is not None or _QUOTED_MARKUP.search(data) is not None


def parse_page(data: bytes, summary: PageSummary) -> etree._Element | None:
    """The root element, or None with ``summary.parse_error`` set."""
    try:
        root = etree.fromstring(data, _PARSER) if data.strip() else None
    except etree.XMLSyntaxError as problem:
        summary.parse_error = str(problem) or type(problem).__name__
        return None
    if root is None:
        summary.parse_error = "the file is empty"
        return None
    if root.tag != "html":
        summary.parse_error = f"the root element is <{root.tag}>, not <html>"
        return None
    stopped = _stopped(_PARSER.error_log) or _content_after_end(data)
    if stopped:  # the rest of the page was dropped: its checks would report what is missing
        summary.parse_error = stopped
        return None
    return root


def _stopped(log: etree._ListErrorLog) -> str:
    """Why the parser stopped before the end of the page ('' when it did not): a fatal
    error, such as elements nested deeper than libxml2's limit of 256."""
    for entry in log:
        if entry.level == etree.ErrorLevels.FATAL:
            reason = entry.message.split(", use XML_PARSE_HUGE", 1)[0]
            return f"the parser stopped at line {entry.line} ({reason}); the rest was not read"
    return ""


def _content_after_end(data: bytes) -> str:
    """Why the page was read only in part ('' when it was not): there is more than
    white space and comments after its ``</html>``. libxml2 drops all of it without an
    error, while a browser shows it, so its links and ids would go unchecked.

    A page that ends with ``</html>`` is taken as whole without searching it (a search
    of every page cost more than the rest of this check of it).
    """
    if data.rstrip()[-7:].lower() == b"</html>":
        return ""
    found = _END_TAG.search(data)
    close = data.find(b">", found.end()) if found else -1
    if found is None or close < 0 or not _COMMENT.sub(b"", data[close + 1 :]).strip():
        return ""
    line = data.count(b"\n", 0, found.start()) + 1
    return f"there is content after </html> at line {line}; the rest was not read"


def page_diagnostics(summary: PageSummary) -> list[Diagnostic]:
    """The findings of the checks that read the page's summary alone (links aside)."""
    return [
        *structure.check_page(summary),
        *contacts.check_page(summary),
        *leaks.check_page(summary),
    ]


def analyze_pages(
    tasks: Sequence[PageTask],
    analyze: PageAnalyzer,
    jobs: int | None,
    meanwhile: Callable[[], object] = lambda: None,
) -> list[PageResult]:
    """Analyze every page, in worker processes when there are many; ``meanwhile`` runs
    while the workers do."""
    workers = min(jobs or os.cpu_count() or 1, max(1, len(tasks) // 50))
    if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD:
        meanwhile()
        return [analyze(task) for task in tasks]
    size = min(BATCH_PAGES, max(1, len(tasks) // (workers * 8)))
    # The workers are forked with the analyzer, which they keep (with the source pages
    # and resolved URLs they have seen); a batch sends only its tasks.
    batches = list(notice_batches(tasks, size))
    done, _ = parallel_map_meanwhile(analyze.batch, batches, meanwhile, workers)
    return [result for batch in done for result in batch]


def notice_batches(tasks: Sequence[PageTask], size: int) -> Iterator[list[PageTask]]:
    """The tasks in order, in batches of about ``size`` pages that keep a notice's pages
    together (a larger notice is split), so that a notice's source page is analyzed by
    one worker, and the batches are small enough to keep both workers busy to the end."""
    batch: list[PageTask] = []
    for _, group in groupby(tasks, key=lambda task: notice_identity(task.rel)[1]):
        pages = list(group)
        if batch and len(batch) + len(pages) > size:
            yield batch
            batch = []
        while len(pages) > size:
            yield pages[:size]
            pages = pages[size:]
        batch.extend(pages)
    if batch:
        yield batch
