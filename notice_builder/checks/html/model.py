"""Per-page summaries: what one parse of a built page tells the checks.

A summary is small and picklable, so pages can be summarized in worker processes and
the cross-page checks run on the summaries alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import cast

from notice_builder.checks.html.urls import UrlKind
from notice_builder.diagnostics import Location

_FIELD_GETTERS: dict[type, Callable[[object], tuple[object, ...]]] = {}


def _fields_of(cls: type) -> Callable[[object], tuple[object, ...]]:
    """A getter of an instance's slots, in order, as a tuple."""
    getter = _FIELD_GETTERS.get(cls)
    if getter is None:
        names: tuple[str, ...] = cls.__dict__["__slots__"]
        if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            only = attrgetter(names[0])
            getter = _FIELD_GETTERS[cls] = lambda instance: (only(instance),)
        else:
            getter = _FIELD_GETTERS[cls] = cast(
                "Callable[[object], tuple[object, ...]]", attrgetter(*names)
            )
    return getter


class CompactPickle:
    """Pickles as its constructor's arguments, in order: smaller and faster to send
    between processes than the default (a dict of slot names per object).

    For ``@dataclass(slots=True)`` classes whose fields are all ``__init__`` arguments.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (type(self), _fields_of(type(self))(self))


class Zone(Enum):
    """Where on the page an element is, as far as the checks care."""

    OTHER = "other"
    SWITCHER = "switcher"
    TOC = "toc"
    SECTION = "section"


# The members the per-element and per-URL loops test, as module globals: reading one
# from its class costs about ten times as much (Python 3.11). Import these names.
SECTION, SWITCHER = Zone.SECTION, Zone.SWITCHER


class HitKind(Enum):
    """A suspicious piece of text found while walking the page."""

    TEMPLATE = "template"
    PLACEHOLDER = "placeholder"
    UNLINKED_EMAIL = "unlinked-email"
    OBFUSCATED_EMAIL = "obfuscated-email"
    MARKUP = "markup"


@dataclass(slots=True)
class UrlRef(CompactPickle):
    """One URL-valued attribute, e.g. ``<a href>`` or ``<img src>``."""

    value: str
    line: int
    tag: str
    attribute: str
    kind: UrlKind
    zone: Zone = Zone.OTHER
    hreflang: str = ""


@dataclass(slots=True)
class TextHit(CompactPickle):
    """A piece of text (or attribute value) that one of the checks flags."""

    kind: HitKind
    text: str
    line: int
    where: str


@dataclass(slots=True)
class TableFacts(CompactPickle):
    line: int
    rows: int = 0
    has_header: bool = False


@dataclass(slots=True)
class SectionFacts(CompactPickle):
    """What parity compares in one ``<section class="notice-section">`` (or outside them)."""

    id: str
    line: int
    items: int = 0
    tables: list[TableFacts] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Alternate(CompactPickle):
    hreflang: str
    href: str
    line: int


@dataclass(frozen=True, slots=True)
class IdNames(CompactPickle):
    """A page's ids as one string, as the checks across pages get them.

    They look up a few ids of a few pages (the targets of links to another page's
    fragment); one string pickles and unpickles several times faster than a dict of the
    sixty-odd ids of a page, which was the largest part of what a worker sends back.
    """

    joined: str
    """Every id followed by NUL, after a NUL: ids never hold one (libxml2 strings end there)."""

    @classmethod
    def of(cls, names: Iterable[str]) -> IdNames:
        return cls("\0" + "\0".join(names) + "\0")

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and "\0" not in name and f"\0{name}\0" in self.joined


@dataclass(slots=True)
class PageSummary(CompactPickle):
    """Everything the checks need from one built HTML page."""

    rel: str
    path: str
    locale: str | None
    notice: str | None
    parse_error: str | None = None
    html_line: int = 0
    lang: str | None = None
    dir: str | None = None
    source_locale: str | None = None
    title: str | None = None
    title_line: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    duplicate_ids: list[tuple[str, int, int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    images_without_alt: list[int] = field(default_factory=list)
    urls: list[UrlRef] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)
    canonicals: list[tuple[str, int]] = field(default_factory=list)
    switcher_line: int | None = None
    switcher_targets: list[str] = field(default_factory=list)
    hits: list[TextHit] = field(default_factory=list)
    blocks: list[tuple[str, int]] = field(default_factory=list)
    sections: list[SectionFacts] = field(default_factory=list)
    outside: SectionFacts = field(default_factory=lambda: SectionFacts("", 0))
    id_names: IdNames | None = None
    """The ids in the copy for the site checks (``ids`` is empty there)."""
    base_href: str | None = None
    """The href of the page's first ``<base href>``, which relative URLs resolve against."""
    base: str | None = None
    """Where ``base_href`` leads: the key of a file of the site, or "" outside it (see
    :attr:`resolves_from`)."""

    @property
    def resolves_from(self) -> str | None:
        """The key the page's relative URLs resolve from: the page itself, or the file its
        ``<base href>`` names; None when that lies outside the site (they all do then)."""
        if self.base is None:
            return self.rel
        return self.base or None

    @property
    def is_notice(self) -> bool:
        return self.notice is not None and self.parse_error is None

    def has_id(self, name: str) -> bool:
        return name in self.ids or (self.id_names is not None and name in self.id_names)

    def at(self, line: int) -> Location:
        return Location(self.path, line)

    def for_site_checks(self, urls: list[UrlRef], share: Callable[[str], str]) -> PageSummary:
        """A copy with only what the checks across pages need, to send between processes.

        Built field by field (``dataclasses.replace`` cost more than the rest of the copy).
        ``share`` returns one object per distinct string in the process: the language
        versions of a notice name the same alternates and switcher targets, and
        pickle writes a string it has already written in a chunk as a short reference.
        """
        return PageSummary(
            rel=self.rel,
            path=self.path,
            locale=self.locale,
            notice=self.notice,
            parse_error=self.parse_error,
            html_line=self.html_line,
            lang=self.lang,
            dir=self.dir,
            source_locale=self.source_locale,
            title_line=self.title_line,
            id_names=IdNames.of(self.ids),
            urls=urls,
            alternates=[
                Alternate(share(item.hreflang), share(item.href), item.line)
                for item in self.alternates
            ],
            canonicals=self.canonicals,
            switcher_line=self.switcher_line,
            switcher_targets=[share(target) for target in self.switcher_targets],
            base_href=self.base_href,
            base=self.base,
            outside=SectionFacts("", self.outside.line),
        )

    @property
    def tables(self) -> list[TableFacts]:
        return [table for part in (self.outside, *self.sections) for table in part.tables]
