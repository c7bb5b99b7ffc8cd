"""A built site against the content: does it publish what the content does?

``check --site-dir`` checks an output folder a build made earlier, perhaps from other
content: a notice the legal team removed may still be published, a new one missing, a
language dropped from ``site.yaml`` still served. The pages of a site are where
:func:`~notice_builder.site_layout.page_path` puts them, one per notice and language.

A language whose pages are all missing is only a warning: the build leaves out a
language below its minimum completeness (``i18n.locale-unpublished``), which this
check, reading no catalog, cannot tell from a site built before the language was added.
"""

from __future__ import annotations

from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Location, Severity, error
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content
from notice_builder.site_layout import page_path

STALE = "html.site.stale"
LANGUAGE_MISSING = "html.site.language-missing"
_REBUILD = "build the site again from this content (`notice-builder build`), then check it"


def stale_pages(site: Path, content: Content, sources: ContentSources) -> list[Diagnostic]:
    """Pages the content publishes that the site lacks, and pages of notices or
    languages the content no longer has."""
    present = {path.relative_to(site).as_posix() for path in site.glob("*/*.html")}
    problems = _missing(present, content, sources)
    return problems + _unpublished(site, present, content)


def _missing(present: set[str], content: Content, sources: ContentSources) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for index, language in enumerate(content.site.languages):
        wanted = {notice.id: page_path(language, notice.id) for notice in content.notices}
        absent = [notice_id for notice_id, page in wanted.items() if page not in present]
        if absent and len(absent) == len(wanted):
            where = sources.site.locate(("languages", index)) if sources.site else None
            problems.append(_language_missing(language, where))
            continue
        for notice_id in absent:
            problems.append(
                error(
                    STALE,
                    f"the site has no page {wanted[notice_id]}: the content publishes the "
                    f"notice '{notice_id}' in '{language}'",
                    sources.notice(notice_id, ("id",)),
                    _REBUILD,
                )
            )
    return problems


def _language_missing(language: str, where: Location | None) -> Diagnostic:
    return Diagnostic(
        LANGUAGE_MISSING,
        Severity.WARNING,
        f"the site has no pages in '{language}', which site.yaml lists: it was built before "
        "the language was added, or the language was below its minimum completeness",
        where,
        _REBUILD,
    )


def _unpublished(site: Path, present: set[str], content: Content) -> list[Diagnostic]:
    """Notice pages of a notice or language the content does not have (pseudo-locales
    of ``build --pseudo`` aside)."""
    languages = set(content.site.languages)
    notices = {notice.id for notice in content.notices}
    expected = {page_path(language, notice) for language in languages for notice in notices}
    problems = []
    for page in sorted(present - expected):
        folder, name = page.split("/")
        notice = name.removesuffix(".html")
        if folder in languages or (notice in notices and not _pseudo(folder)):
            problems.append(
                error(
                    STALE,
                    f"the site publishes {page}, which the content does not: "
                    + _no_longer(folder, notice, languages),
                    Location.of(site / page),
                    _REBUILD,
                )
            )
    return problems


def _no_longer(folder: str, notice: str, languages: set[str]) -> str:
    if folder not in languages:
        return f"site.yaml does not list '{folder}'"
    return f"there is no notice '{notice}'"


def _pseudo(folder: str) -> bool:
    from notice_builder.i18n.pseudo import PSEUDO_LOCALES

    return folder in PSEUDO_LOCALES
