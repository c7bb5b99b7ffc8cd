"""Every code a check can report, with a line that says what it means.

`notice-builder check --list-checks` prints this table, the README's "Checks"
section is generated from it, and a test fails when a code in the source is
missing here, so the list never drifts from what the tool does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckCode:
    code: str
    severity: str
    summary: str


OUTPUT_CHECKS = {
    "html.link.broken": "an internal link points at a file that is not in the site",
    "html.anchor.missing": "a link's #fragment names no id in the target page",
    "html.link.empty": "a link with an empty href or a bare #",
    "html.link.unsafe-scheme": "a javascript:, data: or vbscript: URL",
    "html.mailto.invalid": "a mailto: address that is not a valid e-mail address",
    "html.mailto.obfuscated": "an e-mail address hidden by obfuscation ([email protected])",
    "html.mailto.unlinked": "an e-mail address in the text without a mailto: link (warning)",
    "html.tel.invalid": "a tel: number that is not E.164 (+ and 7 to 15 digits)",
    "html.switcher.missing": "the language switcher lacks a language version of the notice",
    "html.hreflang.missing": "an hreflang alternate for a language version is missing",
    "html.hreflang.self-missing": "the alternates do not include the page itself",
    "html.hreflang.x-default-missing": "no x-default alternate",
    "html.hreflang.not-reciprocal": "two language versions do not point at each other",
    "html.canonical.missing": "no canonical link",
    "html.canonical.wrong": "the canonical link points at another page",
    "html.site.stale": "a built site lacks a page of the content, or has one it no longer has",
    "html.site.language-missing": "a built site has no pages in a language it lists (warning)",
    "html.sitemap.missing-page": "a page is not in sitemap.xml",
    "html.sitemap.alternates": "the sitemap's alternates for a page differ from the page's",
    "html.sitemap.invalid": "sitemap.xml is missing or not a valid sitemap",
    "html.lang.invalid": "<html lang> is missing or not a valid language tag",
    "html.lang.mismatch": "<html lang> differs from the page's language folder",
    "html.dir.wrong": "dir is not right for the language's script (rtl for Arabic, Hebrew, ...)",
    "html.id.duplicate": "two elements share an id",
    "html.heading.h1-count": "a page has no h1, or more than one",
    "html.heading.skip": "a heading skips a level (h2 to h4)",
    "html.table.no-header": "a table without header cells",
    "html.title.missing": "a page without a title",
    "html.img.alt-missing": "an image without alt text",
    "html.leak.template": "template syntax ({{, {%) left in the page",
    "html.leak.placeholder": "an unfilled placeholder such as {dpo.email} or %(date)s",
    "html.leak.markup": "escaped HTML or Markdown markup shown as text",
    "html.leak.source-text": "a paragraph in the source language on a translated page (warning)",
    "html.parse-error": "a page that cannot be parsed",
    "parity.sections": "a language version has other sections, or another order, than the source",
    "parity.items": "a list has another number of items than in the source",
    "parity.rows": "a table has another number of rows than in the source",
    "parity.links": "a section links to other targets than in the source",
    "parity.emails": "a section has other e-mail addresses than in the source",
    "parity.phones": "a section has other phone numbers than in the source",
    "parity.numbers": "a section has other numbers than in the source (warning)",
    "parity.dates": "a page has other dates (<time datetime>) than the source",
}

TRANSLATION_CHECKS = {
    "i18n.missing": "a string has no translation (error, or a warning with the fallback policy)",
    "i18n.fuzzy": "a translation is fuzzy: never published (i18n check; a warning with the "
    "fallback policy)",
    "i18n.untranslated": "a message not translated, or not in the catalog (i18n check; "
    "a warning with the fallback policy)",
    "i18n.placeholder": "a translation changes the {party.field} placeholders",
    "i18n.link-target": "a translation changes a Markdown link target",
    "i18n.email": "a translation changes an e-mail address",
    "i18n.url": "a translation changes a URL",
    "i18n.number": "a translation changes a number (warning)",
    "i18n.html": "a translation adds HTML",
    "i18n.markup": "a translation breaks Markdown markup, or starts a new block on a new line",
    "i18n.plural-forms": "plural forms missing, or a Plural-Forms rule unfit for the language",
    "i18n.babel-check": "one of Babel's own catalog checks failed",
    "i18n.catalog.missing": "a published language has no catalog",
    "i18n.catalog.syntax": "a catalog cannot be read (at its line)",
    "i18n.catalog.format": "a translation's %(name)s variables differ from the msgid's, or it "
    "has a lone % (msgfmt -c refuses it)",
    "i18n.catalog.language": "a catalog's Language header names another language",
    "i18n.catalog.unknown-locale": "a catalog folder that is not a language",
    "i18n.catalog.folder": "a catalog folder spelled otherwise than gettext looks for it",
    "i18n.catalog.unpublished": "a catalog for a language the site does not list (warning)",
    "i18n.catalog.source": "a catalog for the source language, never read (warning)",
    "i18n.catalog.control-character": "a translation with a control character a page cannot show",
    "i18n.catalog.exists": "i18n init: the catalog exists already",
    "i18n.catalog.unreadable": "a catalog cannot be read or written",
    "i18n.catalog.changed": "a catalog changed while the build ran",
    "i18n.template.missing": "the .pot template is missing: run i18n extract",
    "i18n.locale-unpublished": "a language below its min_completeness is not published (warning)",
}

BUILD_CHECKS = {
    "markdown.unsupported": "Markdown a section cannot show (headings, tables, code, raw HTML)",
    "markdown.inline-html": "HTML inside a paragraph, kept only where harmless (warning)",
    "content.hidden-character": "a zero-width space or a direction control in the text (warning)",
    "template.syntax": "a template syntax error, at the template's line",
    "template.undefined": "a template uses an undefined variable",
    "template.render": "a template expression failed while rendering",
    "template.missing": "a required template is missing",
    "template.folder-missing": "the templates folder does not exist",
    "template.encoding": "a template is not UTF-8",
    "template.unreadable": "a template cannot be read",
    "template.static-outside": "a link in the static folder leads outside the templates",
    "template.static-skipped": "a static entry that is not a regular file, not copied (warning)",
    "output.overlaps-input": "the output folder is, holds or is inside the project or its sources",
    "output.checkout": "the output folder is a git (or hg, svn) checkout a build would delete",
    "output.foreign-files": "the output folder holds files no build made, which a build deletes",
    "output.not-a-folder": "the output path is a file, or a link that loops",
    "output.unwritable": "the output folder cannot be written",
    "output.write-failed": "writing the site failed (disk full); output/ left as it was",
    "output.locked": "another build holds the lock for too long",
    "output.outside": "a page would be written outside the output folder",
    "suppress.unused": "a suppression that matches no finding (warning)",
}

EXTERNAL_CHECKS = {
    "link.external.broken": "an external link answers 4xx or 5xx",
    "link.external.timeout": "an external link does not answer in time",
    "link.external.unreachable": "an external host cannot be reached",
    "link.external.fragment-missing": "an external page has no element for the link's #fragment",
    "link.external.rate-limited": "still 429 Too Many Requests after the retries (warning)",
    "link.external.redirect-loop": "redirects that go round in a loop",
    "link.external.too-many-redirects": "more redirects than the limit",
    "link.external.unsupported-scheme": "a link or redirect that is not http(s)",
    "link.external.private-address": "a link or redirect to a private network, not fetched",
    "link.external.cache-unwritable": "the link cache file cannot be written (warning)",
}


def all_checks() -> list[CheckCode]:
    """Every check code, grouped as the README lists them."""
    from notice_builder.checks.gdpr import RULES

    found = [CheckCode(rule.code, rule.severity.value, rule.title) for rule in RULES.values()]
    for table in (OUTPUT_CHECKS, TRANSLATION_CHECKS, BUILD_CHECKS, EXTERNAL_CHECKS):
        found.extend(
            CheckCode(code, _severity(summary), summary) for code, summary in table.items()
        )
    return found


def _severity(summary: str) -> str:
    return "warning" if summary.endswith("(warning)") else "error"


def json_list() -> str:
    """The same list for programs: ``[{"code", "severity", "summary"}, ...]``."""
    import json

    rows = [vars(check) for check in all_checks()]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def markdown_table() -> str:
    """The README's list: one line per code."""
    lines = ["| code | severity | what it finds |", "| --- | --- | --- |"]
    for check in all_checks():
        summary = check.summary.replace("|", "\\|")
        lines.append(f"| `{check.code}` | {check.severity} | {summary} |")
    return "\n".join(lines) + "\n"
