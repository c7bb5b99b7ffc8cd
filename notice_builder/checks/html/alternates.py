"""Language versions: the switcher, hreflang alternates and the canonical link."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter, methodcaller

from notice_builder.checks.html.model import Alternate, PageSummary, Zone
from notice_builder.checks.html.site import Site
from notice_builder.checks.html.text import normalize_tag
from notice_builder.diagnostics import Diagnostic, error

X_DEFAULT = "x-default"


def check_languages(site: Site) -> Iterator[Diagnostic]:
    resolutions: dict[tuple[object, ...], Resolution] = {}
    alternates = {
        page.rel: PageAlternates.of(site, page, resolutions) for page in site.notice_pages()
    }
    for versions in site.notices.values():
        expected = expected_alternates(versions)
        complete = {rel for rel in expected.pages if alternates[rel].targets >= expected.pages}
        for page in versions.values():
            yield from check_switcher(site, page, expected)
            yield from check_hreflang(site, page, alternates[page.rel], expected)
            yield from check_reciprocal(page, alternates, complete)
            yield from check_canonical(site, page)


@dataclass
class Expected:
    """What every version of one notice must list: (hreflang, file) of each version."""

    pairs: set[tuple[str, str]]
    pages: set[str]
    locales: dict[str, str]


def expected_alternates(versions: dict[str, PageSummary]) -> Expected:
    locales = {version.rel: locale for locale, version in versions.items()}
    pairs = {(normalize_tag(locale), rel) for rel, locale in locales.items()}
    return Expected(pairs, set(locales), locales)


@dataclass(frozen=True)
class Resolution:
    """A list of hreflang alternates resolved to file keys (None: outside the site): the
    same for every language version of a notice, so worked out once for all of them."""

    resolved: list[tuple[str, str | None]]
    """(normalized hreflang, file key) of each alternate, in the page's order."""
    pairs: set[tuple[str, str | None]]
    targets: set[str | None]
    langs: frozenset[str]
    """The normalized hreflang values."""

    @classmethod
    def of(cls, site: Site, page: PageSummary) -> Resolution:
        resolved = [
            (normalize_tag(item.hreflang), site.target(page.resolves_from, item.href))
            for item in page.alternates
        ]
        targets = {key for _, key in resolved}
        return cls(resolved, set(resolved), targets, frozenset(lang for lang, _ in resolved))


_HREF = attrgetter("href")
_HREFLANG = attrgetter("hreflang")
_ABSOLUTE = methodcaller("startswith", ("http://", "https://"))


def resolution_key(page: PageSummary) -> tuple[object, ...]:
    """What a page's resolution depends on: its alternates, and where its relative URLs
    resolve from unless every href is absolute (they resolve alike from every page).
    Made for every page, so with C-level maps rather than generator expressions."""
    hrefs = tuple(map(_HREF, page.alternates))
    langs = tuple(map(_HREFLANG, page.alternates))
    if all(map(_ABSOLUTE, hrefs)):
        return langs, hrefs
    return page.resolves_from, langs, hrefs


@dataclass
class PageAlternates:
    """A page's hreflang alternates, resolved to file keys (None: outside the site)."""

    page: PageSummary
    resolution: Resolution

    @classmethod
    def of(
        cls, site: Site, page: PageSummary, known: dict[tuple[object, ...], Resolution]
    ) -> PageAlternates:
        key = resolution_key(page)
        if key not in known:
            known[key] = Resolution.of(site, page)
        return cls(page, known[key])

    @property
    def pairs(self) -> set[tuple[str, str | None]]:
        return self.resolution.pairs

    @property
    def targets(self) -> set[str | None]:
        return self.resolution.targets

    def resolved(self) -> Iterator[tuple[str, str | None, Alternate]]:
        """(normalized hreflang, file key, alternate) of each alternate of the page."""
        for (lang, key), item in zip(self.resolution.resolved, self.page.alternates, strict=True):
            yield lang, key, item

    def has(self, site: Site, lang: str, key: str) -> bool:
        """Whether an alternate for ``lang`` names ``key`` (or may: unknown base URL)."""
        return (lang, key) in self.pairs or (not site.base_known and (lang, None) in self.pairs)

    def found(self, lang: str) -> list[Alternate]:
        return [item for found, _, item in self.resolved() if found == lang]


def check_switcher(site: Site, page: PageSummary, expected: Expected) -> Iterator[Diagnostic]:
    if page.switcher_line is None:
        yield error(
            "html.switcher.missing",
            'the page has no language switcher (<nav class="language-switcher">)',
            page.at(page.html_line),
            "Render the language switcher from the page template on every notice page.",
        )
        return
    linked: set[str | None] = set(page.switcher_targets)
    linked.update(
        site.target(page.resolves_from, url.value)
        for url in page.urls  # absolute switcher links, if any; relative ones are resolved
        if url.zone is Zone.SWITCHER and url.tag == "a"
    )
    for rel in sorted(expected.pages.difference(linked)):
        locale = expected.locales[rel]
        yield error(
            "html.switcher.missing",
            f"the language switcher has no link to the {locale} version "
            f'(expected <a hreflang="{locale}" href="../{rel}">)',
            page.at(page.switcher_line),
            "The switcher must link every language the notice is built in, the current "
            'one included (with aria-current="page").',
        )


def check_hreflang(
    site: Site, page: PageSummary, alternates: PageAlternates, expected: Expected
) -> Iterator[Diagnostic]:
    line = page.alternates[0].line if page.alternates else page.html_line
    for lang, rel in sorted(expected.pairs - alternates.pairs):
        if alternates.has(site, lang, rel):
            continue
        locale = expected.locales[rel]
        code = "html.hreflang.self-missing" if rel == page.rel else "html.hreflang.missing"
        yield missing_alternate(site, code, page, locale, rel, alternates.found(lang), line)
    yield from check_x_default(site, page, alternates, line)


def missing_alternate(
    site: Site,
    code: str,
    page: PageSummary,
    locale: str,
    key: str,
    found: list[Alternate],
    line: int,
) -> Diagnostic:
    expected = f'<link rel="alternate" hreflang="{locale}" href="{site.url_of(key)}">'
    shown = ", ".join(f'href="{item.href}"' for item in found) or "none"
    which = "the page itself" if key == page.rel else f"the {locale} version"
    return error(
        code,
        f"no hreflang alternate for {which}: expected {expected}, found {shown}",
        page.at(found[0].line if found else line),
        "Every notice page lists all its language versions (itself included) as "
        '<link rel="alternate" hreflang> in <head>.',
    )


def check_x_default(
    site: Site, page: PageSummary, alternates: PageAlternates, line: int
) -> Iterator[Diagnostic]:
    source = site.source_of(page)
    listed = X_DEFAULT in alternates.resolution.langs
    if listed and (source is None or alternates.has(site, X_DEFAULT, source[1].rel)):
        return  # the usual case, without looking for the x-default alternate itself
    found = alternates.found(X_DEFAULT)
    expected = site.url_of(source[1].rel) if source else "the source-language page"
    shown = f'found href="{found[0].href}"' if found else "found none"
    yield error(
        "html.hreflang.x-default-missing",
        f'expected <link rel="alternate" hreflang="x-default" href="{expected}">, {shown}',
        page.at(found[0].line if found else line),
        "Add an x-default alternate pointing at the source-language version of the notice.",
    )


def check_reciprocal(
    page: PageSummary, alternates: dict[str, PageAlternates], complete: set[str]
) -> Iterator[Diagnostic]:
    """Every page an alternate names lists this page too (pages listing every version of
    the notice do)."""
    mine = alternates[page.rel]
    if mine.targets.issubset(complete):
        return
    for lang, key, item in mine.resolved():
        if lang == X_DEFAULT or key is None or key == page.rel or key in complete:
            continue
        if key not in alternates:
            yield not_reciprocal(page, item, f"{key} is not a notice page of the site")
        elif page.rel not in alternates[key].targets:
            yield not_reciprocal(page, item, f"{key} has no alternate pointing back at {page.rel}")


def not_reciprocal(page: PageSummary, item: Alternate, why: str) -> Diagnostic:
    return error(
        "html.hreflang.not-reciprocal",
        f'<link rel="alternate" hreflang="{item.hreflang}" href="{item.href}"> is not '
        f"reciprocal: {why}",
        page.at(item.line),
        "hreflang alternates must be listed on every version, each pointing at all others; "
        "rebuild all languages together.",
    )


def check_canonical(site: Site, page: PageSummary) -> Iterator[Diagnostic]:
    expected = site.url_of(page.rel)
    if not page.canonicals:
        yield error(
            "html.canonical.missing",
            f'the page has no <link rel="canonical">; expected href="{expected}"',
            page.at(page.html_line),
            "Add the canonical link to <head> of the page template.",
        )
        return
    for href, line in page.canonicals[1:]:
        yield canonical_wrong(page, href, line, expected, "a second canonical link")
    href, line = page.canonicals[0]
    target = site.target(page.resolves_from, href)
    if target != page.rel and (target is not None or site.base_known):
        yield canonical_wrong(page, href, line, expected, "does not point at the page itself")


def canonical_wrong(page: PageSummary, href: str, line: int, expected: str, why: str) -> Diagnostic:
    return error(
        "html.canonical.wrong",
        f'<link rel="canonical" href="{href}"> {why}; expected href="{expected}"',
        page.at(line),
        "The canonical URL is the base URL from site.yaml plus /<lang>/<notice-id>.html.",
    )
