"""Checks of a built site folder (notice_builder.checks.html).

The clean fixture (2 notices x en, nl, de) follows docs/architecture.md exactly and must
give no findings; every other test plants one defect in a copy of it and asserts the
code, the place (file:line) and the key words of the message.
"""

from __future__ import annotations

import pickle
import re
import shutil
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notice_builder.checks.html import SiteCheckResult, check_site, extract
from notice_builder.checks.html.extract import PageWalker
from notice_builder.checks.html.locale_facts import text_direction, writes_latin_digits
from notice_builder.checks.html.model import (
    Alternate,
    HitKind,
    IdNames,
    PageSummary,
    SectionFacts,
    TextHit,
    UrlRef,
)
from notice_builder.checks.html.pages import (
    ATTRIBUTE_LEAK_MARKERS,
    may_leak_into_attributes,
    parse_page,
)
from notice_builder.checks.html.text import digit_runs
from notice_builder.checks.html.urls import SiteUrls, UrlKind
from notice_builder.diagnostics import Diagnostic, Location, Severity

# Pieces of the attribute-leak markers, to be put together at random.
LEAK_PIECES = [b"{", b"%", b"(", b"&", b"#", b"123;", b"x7", b"b;", b"B;", b"lbrace;", b"lcub;"]
LEAK_PIECES += [b"=", b'"', b"'", b"<", b"lt;", b"a", b" "]
CLEAN = Path(__file__).parent / "fixtures" / "html" / "clean"
BASE = "https://privacy.example.org"
TOC = ("about", "cookie-list", "managing")  # the ids en/cookies.html's table of contents names


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the clean site; locations are shown relative to tmp_path."""
    target = tmp_path / "site"
    shutil.copytree(CLEAN, target)
    monkeypatch.chdir(tmp_path)
    return target


def edit(site: Path, rel: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a file by ``new``; the line where the change starts."""
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, start) + 1


def line_of(site: Path, rel: str, needle: str) -> int:
    text = (site / rel).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {rel}"
    return text.count("\n", 0, text.index(needle)) + 1


def findings(site: Path, **options: str) -> list[Diagnostic]:
    return check_site(site, **options).diagnostics  # type: ignore[arg-type]


def codes(diagnostics: list[Diagnostic]) -> set[str]:
    return {item.code for item in diagnostics}


def one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    """The single finding, which must have ``code``: a planted defect gives nothing else."""
    assert [item.code for item in diagnostics] == [code], "\n".join(map(str, diagnostics))
    return diagnostics[0]


def at(rel: str, line: int) -> Location:
    return Location(f"site/{rel}", line)


# --- the clean site -------------------------------------------------------------------


def test_clean_site_has_no_findings(site: Path) -> None:
    result = check_site(site)
    assert isinstance(result, SiteCheckResult)
    assert result.diagnostics == []
    assert result.pages == 7


def test_clean_site_passes_with_explicit_options(site: Path) -> None:
    result = check_site(site, source_locale="en", base_url=BASE + "/", jobs=1)
    assert result.diagnostics == []


def test_external_links_are_collected_not_fetched(site: Path) -> None:
    edit(site, "index.html", "<h1>", f'<p><a href="{BASE}/nl/privacy.html">nl</a></p><h1>')
    result = check_site(site)
    assert result.diagnostics == []
    urls = [url for url, _ in result.external_links]
    assert urls.count("https://autoriteitpersoonsgegevens.nl/") == 3
    assert len(urls) == 9
    assert all(BASE not in url for url in urls)
    assert result.external_links == sorted(result.external_links, key=lambda i: (i[1], i[0]))
    line = line_of(site, "nl/privacy.html", "https://autoriteitpersoonsgegevens.nl/")
    assert ("https://autoriteitpersoonsgegevens.nl/", at("nl/privacy.html", line)) in (
        result.external_links
    )


# --- links ----------------------------------------------------------------------------


def test_broken_relative_link(site: Path) -> None:
    line = edit(site, "nl/privacy.html", "../static/style.css", "../static/styles.css")
    found = one(findings(site), "html.link.broken")
    assert found.location == at("nl/privacy.html", line)
    assert "static/styles.css, which does not exist" in found.message
    assert found.severity is Severity.ERROR and found.hint


def test_link_above_the_site_folder_is_broken(site: Path) -> None:
    line = edit(site, "index.html", 'href="en/privacy.html"', 'href="../en/privacy.html"')
    found = one(findings(site), "html.link.broken")
    assert found.location == at("index.html", line)


def test_root_relative_and_own_base_links_resolve_in_the_site(site: Path) -> None:
    edit(
        site,
        "index.html",
        "<h1>",
        f'<p><a href="/nl/privacy.html#rights">a</a> <a href="{BASE}/static/">b</a> '
        f'<a href="static/">c</a> <a href="{BASE}/de/cookies.html#about">d</a></p><h1>',
    )
    (site / "static" / "index.html").write_text("<p>assets</p>")
    result = check_site(site)
    assert result.diagnostics == []
    assert all(BASE not in url for url, _ in result.external_links)


def _link_to_a_dutch_only_id(site: Path) -> None:
    """en/cookies.html links to privacy.html#alleen-nl, an id only nl/privacy.html has."""
    edit(
        site,
        "nl/privacy.html",
        '<section id="rights"',
        '<p id="alleen-nl">nl</p><section id="rights"',
    )
    edit(
        site,
        "en/cookies.html",
        "<p>See our",
        '<p><a href="privacy.html#alleen-nl">x</a></p><p>See our',
    )


def test_relative_urls_resolve_against_the_first_base_element(site: Path) -> None:
    """As in a browser: with <base href>, relative URLs, a lone #fragment too, lead from
    the page the base names. They were resolved from the page's own folder, so links that
    work were broken and links that are broken passed."""
    _link_to_a_dutch_only_id(site)
    # en/privacy.html lacks the id; and the link is one the translations do not have
    assert codes(findings(site)) == {"html.anchor.missing", "parity.links"}
    first = f'<base href="{BASE}/nl/"><base href="../de/">'  # only the first counts
    edit(site, "en/cookies.html", "<title>", f"{first}<title>")
    found = findings(site)
    broken = [item for item in found if item.code == "html.link.broken"]
    toc_lines = [line_of(site, "en/cookies.html", f'href="#{id_}"') for id_ in TOC]
    assert [item.location for item in broken] == [at("en/cookies.html", n) for n in toc_lines]
    assert all("points at nl/index.html" in item.message for item in broken)
    assert all(f'<base href="{BASE}/nl/"> names' in (item.hint or "") for item in broken)
    assert codes(found) == {"html.link.broken", "parity.links"}  # the id is found now


def test_a_base_outside_the_site_takes_the_relative_urls_with_it(site: Path) -> None:
    edit(site, "en/cookies.html", "../static/print.css", "../static/gone.css")
    assert codes(findings(site)) == {"html.link.broken"}
    edit(site, "en/cookies.html", "<title>", '<base href="https://cdn.example.net/a/"><title>')
    found = findings(site)
    assert "html.link.broken" not in codes(found)  # gone.css is on the CDN now
    switcher = [item for item in found if item.code == "html.switcher.missing"]
    assert len(switcher) == 3  # its relative links leave the site too


def test_missing_fragment_in_same_page(site: Path) -> None:
    line = edit(site, "nl/privacy.html", 'href="#rights"', 'href="#rechten"')
    found = one(findings(site), "html.anchor.missing")
    assert found.location == at("nl/privacy.html", line)
    assert 'this page has no element with id="rechten"' in found.message


def test_missing_fragment_in_other_page(site: Path) -> None:
    line = edit(site, "index.html", 'href="de/cookies.html"', 'href="de/cookies.html#nope"')
    found = one(findings(site), "html.anchor.missing")
    assert found.location == at("index.html", line)
    assert '#nope, but de/cookies.html has no element with id="nope"' in found.message


def test_fragment_may_name_an_anchor(site: Path) -> None:
    edit(site, "index.html", "<h1>", '<a name="old-top"></a><h1>')
    edit(site, "index.html", 'href="de/cookies.html"', 'href="index.html#old-top"')
    assert findings(site) == []


def test_navigation_anchors_name_fragments_and_are_checked(site: Path) -> None:
    """The walk reads navigation (the table of contents, the switcher) in one flat pass:
    an anchor's name there is a link target, and its own link is checked."""
    edit(site, "nl/privacy.html", '<a href="#controller">', '<a name="inhoud" href="#controller">')
    edit(site, "nl/privacy.html", 'href="#rights"', 'href="#inhoud"')
    assert findings(site) == []
    line = edit(site, "nl/privacy.html", 'href="#contact"', 'href="#nergens"')
    found = one(findings(site), "html.anchor.missing")
    assert found.location == at("nl/privacy.html", line)


@pytest.mark.parametrize(("href", "shown"), [("", "an empty href"), ("#", 'href="#"')])
def test_empty_link(site: Path, href: str, shown: str) -> None:
    line = edit(site, "nl/privacy.html", 'href="#data"', f'href="{href}"')
    found = one(findings(site), "html.link.empty")
    assert found.location == at("nl/privacy.html", line)
    assert shown in found.message


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("javascript:alert(1)", "javascript"), (" JavaScript:void(0)", "javascript"),
     ("java\tscript:x()", "javascript"), ("data:text/html,hi", "data"),
     ("vbscript:msgbox", "vbscript")],
)  # fmt: skip
def test_unsafe_scheme(site: Path, url: str, scheme: str) -> None:
    line = edit(site, "index.html", "<h1>", f'<p><a href="{url}">x</a></p>\n<h1>')
    found = one(findings(site), "html.link.unsafe-scheme")
    assert found.location == at("index.html", line)
    assert f"uses a {scheme}: URL" in found.message


def test_unsafe_scheme_in_image_source(site: Path) -> None:
    line = edit(site, "index.html", "<h1>", '<img alt="" src="data:image/png;base64,AAAA">\n<h1>')
    found = one(findings(site), "html.link.unsafe-scheme")
    assert found.location == at("index.html", line)
    assert "<img src>" in found.message


# --- contacts -------------------------------------------------------------------------

CLOUDFLARE = (
    '<a href="/cdn-cgi/l/email-protection#3a5e4a557a" class="__cf_email__" '
    'data-cfemail="3a5e4a557a">[email&#160;protected]</a>'
)


def test_cloudflare_obfuscated_mailto(site: Path) -> None:
    old = '<a href="mailto:dpo@acme.example">dpo@acme.example</a>'
    line = edit(site, "nl/privacy.html", old, CLOUDFLARE)
    diagnostics = findings(site)
    assert codes(diagnostics) == {"html.mailto.obfuscated", "parity.emails"}
    [found] = [item for item in diagnostics if item.code == "html.mailto.obfuscated"]
    assert found.location == at("nl/privacy.html", line)
    assert "obfuscated e-mail placeholder" in found.message
    assert "obfuscation" in found.hint


@pytest.mark.parametrize(
    "html",
    [
        "<p>Mail [email protected] for help.</p>",
        "<p>Mail [email&#160;protected] for help.</p>",
        '<p><a href="mailto:[email protected]">mail us</a></p>',
    ],
)
def test_obfuscated_text(site: Path, html: str) -> None:
    line = edit(site, "index.html", "<h1>", html + "\n<h1>")
    found = one(findings(site), "html.mailto.obfuscated")
    assert found.location == at("index.html", line)


@pytest.mark.parametrize(
    ("href", "why"),
    [
        ("mailto:privacy@@acme.example", "not a valid address"),
        ("mailto:privacy.acme.example", "not a valid address"),
        ("mailto:", "names no address"),
        ("mailto:?subject=hi", "names no address"),
    ],
)
def test_invalid_mailto(site: Path, href: str, why: str) -> None:
    line = edit(site, "index.html", "<h1>", f'<p><a href="{href}">mail us</a></p>\n<h1>')
    found = one(findings(site), "html.mailto.invalid")
    assert found.location == at("index.html", line)
    assert why in found.message


def test_valid_mailto_variants(site: Path) -> None:
    edit(
        site,
        "index.html",
        "<h1>",
        '<p><a href="mailto:a@acme.example,b@acme.example?subject=Privacy%20request">x</a> '
        '<a href="MAILTO:%20c@acme.example">y</a></p><h1>',
    )
    assert findings(site) == []


@pytest.mark.parametrize(
    "number", ["+31 20 123 4567", "0201234567", "+31-20-1234567", "+123456", "+1234567890123456"]
)
def test_invalid_tel(site: Path, number: str) -> None:
    line = edit(site, "index.html", "<h1>", f'<p><a href="tel:{number}">call</a></p>\n<h1>')
    found = one(findings(site), "html.tel.invalid")
    assert found.location == at("index.html", line)
    assert f'expected E.164 ("+" then 7-15 digits, no spaces), found "{number}"' in found.message


def test_unlinked_email_is_a_warning(site: Path) -> None:
    line = edit(site, "index.html", "<h1>", "<p>Write to <b>help@acme.example</b>.</p>\n<h1>")
    found = one(findings(site), "html.mailto.unlinked")
    assert found.severity is Severity.WARNING
    assert found.location == at("index.html", line)
    assert '"help@acme.example" outside a mailto: link' in found.message


# --- structure and accessibility ------------------------------------------------------


def test_missing_lang(site: Path) -> None:
    line = edit(site, "index.html", '<html lang="en" dir="ltr">', '<html dir="ltr">')
    found = one(findings(site), "html.lang.invalid")
    assert found.location == at("index.html", line)
    assert "no lang attribute" in found.message


def test_invalid_lang(site: Path) -> None:
    line = edit(site, "index.html", 'lang="en" dir', 'lang="english" dir')
    found = one(findings(site), "html.lang.invalid")
    assert found.location == at("index.html", line)
    assert '"english"> is not a valid BCP 47' in found.message


def test_lang_must_match_locale_folder(site: Path) -> None:
    line = edit(site, "de/privacy.html", '<html lang="de"', '<html lang="en"')
    found = one(findings(site), "html.lang.mismatch")
    assert found.location == at("de/privacy.html", line)
    assert 'lang="en"> does not match the page\'s locale folder "de/"' in found.message


def test_lang_comparison_ignores_case_and_separator(site: Path) -> None:
    edit(site, "de/privacy.html", '<html lang="de"', '<html lang="DE"')
    assert findings(site) == []


def test_wrong_dir(site: Path) -> None:
    line = edit(site, "nl/cookies.html", 'dir="ltr"', 'dir="rtl"')
    found = one(findings(site), "html.dir.wrong")
    assert found.location == at("nl/cookies.html", line)
    assert 'expected dir="ltr", found dir="rtl"' in found.message


def test_rtl_language_needs_rtl(site: Path) -> None:
    line = edit(site, "index.html", 'lang="en" dir="ltr"', 'lang="ar" dir="ltr"')
    found = one(findings(site), "html.dir.wrong")
    assert found.location == at("index.html", line)
    assert 'expected dir="rtl"' in found.message


def test_missing_dir(site: Path) -> None:
    edit(site, "index.html", 'lang="en" dir="ltr"', 'lang="en"')
    found = one(findings(site), "html.dir.wrong")
    assert "found no dir attribute" in found.message


@pytest.mark.parametrize(
    ("tag", "direction"),
    [("en", "ltr"), ("nl", "ltr"), ("pt-BR", "ltr"), ("zh-Hant-TW", "ltr"),
     ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ar-XB", "rtl"),
     ("en-XA", "ltr"), ("en_XB", "rtl"), ("es-419", "ltr"),
     ("xx", None), ("english", None), ("", None), ("en-", None)],
)  # fmt: skip
def test_text_direction(tag: str, direction: str | None) -> None:
    assert text_direction(tag) == direction


def test_duplicate_id(site: Path) -> None:
    first = line_of(site, "nl/privacy.html", 'id="party-acme"')
    line = edit(site, "nl/privacy.html", 'id="party-dpo"', 'id="party-acme"')
    found = one(findings(site), "html.id.duplicate")
    assert found.location == at("nl/privacy.html", line)
    assert f'id "party-acme" is used more than once (first on line {first})' in found.message


def test_second_h1(site: Path) -> None:
    line = edit(site, "index.html", "<ul>", "<h1>More</h1>\n<ul>")
    found = one(findings(site), "html.heading.h1-count")
    assert found.location == at("index.html", line)
    assert "expected exactly one <h1>, found 2" in found.message


def test_no_h1(site: Path) -> None:
    edit(site, "index.html", "<h1>Privacy notices</h1>", "<h2>Privacy notices</h2>")
    found = one(findings(site), "html.heading.h1-count")
    assert found.location == at("index.html", 2)
    assert "found 0" in found.message


def test_heading_skip(site: Path) -> None:
    line = edit(site, "nl/privacy.html", "<h3>Klachten</h3>", "<h4>Klachten</h4>")
    found = one(findings(site), "html.heading.skip")
    assert found.location == at("nl/privacy.html", line)
    assert "<h4> follows <h2>, skipping heading level 3" in found.message


def test_table_without_header_cells(site: Path) -> None:
    line = line_of(site, "nl/privacy.html", '<table class="retention">')
    edit(
        site,
        "nl/privacy.html",
        '<th scope="col">Gegevens</th><th scope="col">Bewaartermijn</th>',
        "<td>Gegevens</td><td>Bewaartermijn</td>",
    )
    found = one(findings(site), "html.table.no-header")
    assert found.location == at("nl/privacy.html", line)
    assert "no header cells" in found.message


@pytest.mark.parametrize(("title", "shown"), [("<title> </title>", "an empty"), ("", "no <title>")])
def test_missing_title(site: Path, title: str, shown: str) -> None:
    edit(site, "index.html", "<title>Privacy notices – Acme B.V.</title>", title)
    found = one(findings(site), "html.title.missing")
    assert found.location.path == "site/index.html"  # type: ignore[union-attr]
    assert shown in found.message


def test_image_without_alt(site: Path) -> None:
    (site / "static" / "logo.png").write_bytes(b"\x89PNG")
    line = edit(site, "index.html", "<h1>", '<img src="static/logo.png">\n<h1>')
    found = one(findings(site), "html.img.alt-missing")
    assert found.location == at("index.html", line)


def test_decorative_image_with_empty_alt_is_fine(site: Path) -> None:
    (site / "static" / "logo.png").write_bytes(b"\x89PNG")
    edit(site, "index.html", "<h1>", '<img src="static/logo.png" alt="">\n<h1>')
    assert findings(site) == []


@pytest.mark.parametrize("content", [b"", b"   \n", b"<html>\xff\xfe broken</html>"])
def test_unparsable_page(site: Path, content: bytes) -> None:
    (site / "en" / "draft.html").write_bytes(content)
    found = one(findings(site), "html.parse-error")
    assert found.location == at("en/draft.html", 0)
    assert "en/draft.html could not be parsed" in found.message


def test_a_page_the_parser_stops_reading_is_a_parse_error(site: Path) -> None:
    """libxml2 stops at elements nested deeper than 256 and drops the rest: the checks
    then reported what was missing from the rest (no <h1>, no sections) instead."""
    deep = "<div>" * 300 + "x" + "</div>" * 300
    line = edit(site, "index.html", "<h1>", deep + "\n<h1>")
    found = one(findings(site), "html.parse-error")
    assert f"the parser stopped at line {line} (Excessive depth in document: 256)" in (
        found.message
    )


@pytest.mark.parametrize("end", ["</html>", "</HTML >", "</Html>"])
def test_content_after_the_end_of_the_page_is_a_parse_error(site: Path, end: str) -> None:
    """libxml2 drops what follows </html> without an error (a browser shows it): a
    broken link there went unchecked."""
    line = edit(site, "index.html", "</html>", f'{end}\n<p><a href="gone.html">x</a></p>')
    found = one(findings(site), "html.parse-error")
    assert f"there is content after </html> at line {line}" in found.message


def test_a_comment_after_the_end_of_the_page_is_fine(site: Path) -> None:
    edit(site, "index.html", "</html>", "</html>\n<!-- built by a tool -->\n")
    assert findings(site) == []


# --- language versions ----------------------------------------------------------------


def test_switcher_missing_a_language(site: Path) -> None:
    edit(
        site,
        "nl/privacy.html",
        '<li><a hreflang="de" lang="de" href="../de/privacy.html">Deutsch</a></li>\n',
        "",
    )
    found = one(findings(site), "html.switcher.missing")
    line = line_of(site, "nl/privacy.html", '<nav class="language-switcher"')
    assert found.location == at("nl/privacy.html", line)
    assert "no link to the de version" in found.message


def test_switcher_missing_entirely(site: Path) -> None:
    edit(site, "nl/privacy.html", 'class="language-switcher"', 'class="languages"')
    found = one(findings(site), "html.switcher.missing")
    assert found.location == at("nl/privacy.html", 2)
    assert "no language switcher" in found.message


def test_hreflang_missing_and_not_reciprocal(site: Path) -> None:
    line = edit(
        site,
        "nl/privacy.html",
        f'<link rel="alternate" hreflang="de" href="{BASE}/de/privacy.html">\n',
        "",
    )
    diagnostics = findings(site)
    assert [item.code for item in diagnostics] == [
        "html.hreflang.not-reciprocal",
        "html.hreflang.missing",
    ]
    back, missing = diagnostics
    assert missing.location == at("nl/privacy.html", line_of(site, "nl/privacy.html", "alternate"))
    assert (
        'no hreflang alternate for the de version: expected <link rel="alternate" '
        f'hreflang="de" href="{BASE}/de/privacy.html">, found none'
    ) in missing.message
    nl_line = line_of(site, "de/privacy.html", 'hreflang="nl"')
    assert back.location == at("de/privacy.html", nl_line)
    assert "nl/privacy.html has no alternate pointing back at de/privacy.html" in back.message
    assert line  # the removed line


def test_relative_alternates_resolve_from_each_page_folder(site: Path) -> None:
    """Equal relative hrefs on pages in different folders name different files: the
    resolution shared by a notice's versions is only shared when every href is absolute."""
    for locale in ("en", "nl", "de"):
        page = site / locale / "privacy.html"
        page.write_text(page.read_text(encoding="utf-8").replace(f"{BASE}/", "../"))
    assert not any(item.code.startswith("html.hreflang") for item in findings(site))
    # the same relative list on every page, but pointing at the page's own folder: wrong
    for locale in ("en", "nl", "de"):
        edit(site, f"{locale}/privacy.html", 'hreflang="de" href="../de/', 'hreflang="de" href="')
    assert codes(findings(site)) >= {"html.hreflang.missing"}
    wrong = [item for item in findings(site) if item.code == "html.hreflang.missing"]
    assert {str(item.location).split(":")[0] for item in wrong} == {
        "site/en/privacy.html",
        "site/nl/privacy.html",
    }


def test_hreflang_pointing_at_the_wrong_page(site: Path) -> None:
    edit(
        site,
        "en/cookies.html",
        f'hreflang="de" href="{BASE}/de/cookies.html"',
        f'hreflang="de" href="{BASE}/de/privacy.html"',
    )
    diagnostics = findings(site)
    assert codes(diagnostics) == {"html.hreflang.missing", "html.hreflang.not-reciprocal"}
    missing = next(item for item in diagnostics if item.code == "html.hreflang.missing")
    assert f'found href="{BASE}/de/privacy.html"' in missing.message


def test_hreflang_self_missing(site: Path) -> None:
    edit(
        site,
        "nl/privacy.html",
        f'<link rel="alternate" hreflang="nl" href="{BASE}/nl/privacy.html">\n',
        "",
    )
    found = one(findings(site), "html.hreflang.self-missing")
    assert found.location.path == "site/nl/privacy.html"  # type: ignore[union-attr]
    assert "no hreflang alternate for the page itself" in found.message


def test_x_default_missing(site: Path) -> None:
    edit(
        site,
        "de/cookies.html",
        f'<link rel="alternate" hreflang="x-default" href="{BASE}/en/cookies.html">\n',
        "",
    )
    found = one(findings(site), "html.hreflang.x-default-missing")
    assert found.location == at("de/cookies.html", line_of(site, "de/cookies.html", "alternate"))
    assert f'hreflang="x-default" href="{BASE}/en/cookies.html">, found none' in found.message


def test_x_default_must_be_the_source_page(site: Path) -> None:
    line = edit(
        site,
        "de/cookies.html",
        f'hreflang="x-default" href="{BASE}/en/cookies.html"',
        f'hreflang="x-default" href="{BASE}/de/cookies.html"',
    )
    found = one(findings(site), "html.hreflang.x-default-missing")
    assert found.location == at("de/cookies.html", line)
    assert f'found href="{BASE}/de/cookies.html"' in found.message


def test_alternate_to_a_page_that_does_not_exist(site: Path) -> None:
    line = edit(
        site,
        "nl/privacy.html",
        '<link rel="alternate" hreflang="x-default"',
        f'<link rel="alternate" hreflang="fr" href="{BASE}/fr/privacy.html">\n'
        '<link rel="alternate" hreflang="x-default"',
    )
    found = one(findings(site), "html.hreflang.not-reciprocal")
    assert found.location == at("nl/privacy.html", line)
    assert "fr/privacy.html is not a notice page of the site" in found.message


def test_canonical_missing(site: Path) -> None:
    edit(site, "de/cookies.html", f'<link rel="canonical" href="{BASE}/de/cookies.html">\n', "")
    found = one(findings(site), "html.canonical.missing")
    assert found.location == at("de/cookies.html", 2)
    assert f'expected href="{BASE}/de/cookies.html"' in found.message


def test_canonical_wrong(site: Path) -> None:
    line = edit(
        site,
        "de/cookies.html",
        f'rel="canonical" href="{BASE}/de/cookies.html"',
        f'rel="canonical" href="{BASE}/en/cookies.html"',
    )
    found = one(findings(site), "html.canonical.wrong")
    assert found.location == at("de/cookies.html", line)
    assert "does not point at the page itself" in found.message
    assert f'expected href="{BASE}/de/cookies.html"' in found.message


def test_explicit_base_url_wins(site: Path) -> None:
    diagnostics = findings(site, base_url="https://elsewhere.example")
    canonical = [item for item in diagnostics if item.code == "html.canonical.wrong"]
    assert len(canonical) == 6
    nl_cookies = next(item for item in canonical if "nl/cookies" in str(item.location))
    assert 'expected href="https://elsewhere.example/nl/cookies.html"' in nl_cookies.message


def test_without_absolute_urls_the_base_is_unknown(site: Path) -> None:
    for page in site.glob("*/*.html"):
        text = re.sub(r'<link rel="canonical"[^>]*>\n', "", page.read_text())
        page.write_text(text.replace(BASE + "/", "../"))  # relative alternates resolve
    edit(
        site,
        "en/cookies.html",
        "<head>",
        '<head><link rel="canonical" href="https://a.example/?p=1">',
    )
    (site / "sitemap.xml").unlink()
    diagnostics = findings(site)
    assert [item.code for item in diagnostics].count("html.canonical.missing") == 5
    assert codes(diagnostics) == {"html.canonical.missing", "html.sitemap.invalid"}
    assert 'expected href="<base URL>/de/cookies.html"' in diagnostics[0].message


# --- sitemap --------------------------------------------------------------------------


def remove_sitemap_entry(site: Path, rel: str) -> None:
    path = site / "sitemap.xml"
    text = path.read_text()
    start = text.index(f"<loc>{BASE}/{rel}</loc>")
    start = text.rindex("<url>", 0, start)
    end = text.index("</url>", start) + len("</url>\n")
    path.write_text(text[:start] + text[end:])


def test_sitemap_missing_page(site: Path) -> None:
    remove_sitemap_entry(site, "de/cookies.html")
    found = one(findings(site), "html.sitemap.missing-page")
    assert found.location == at("sitemap.xml", 2)
    assert f"does not list de/cookies.html; expected <loc>{BASE}/de/cookies.html</loc>" in (
        found.message
    )


def test_sitemap_alternates_differ(site: Path) -> None:
    path = site / "sitemap.xml"
    text = path.read_text()
    entry = text.index(f"<loc>{BASE}/nl/privacy.html</loc>")
    link = f'<xhtml:link rel="alternate" hreflang="de" href="{BASE}/de/privacy.html"/>\n'
    cut = text.index(link, entry)
    path.write_text(text[:cut] + text[cut + len(link) :])
    found = one(findings(site), "html.sitemap.alternates")
    assert found.location == at("sitemap.xml", text.count("\n", 0, entry))
    assert "alternates of nl/privacy.html in sitemap.xml" in found.message
    assert f"missing de={BASE}/de/privacy.html" in found.message


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("http://www.sitemaps.org/schemas/sitemap/0.9", "http://example.org/sitemap"), "root"),
        (("</urlset>", "</urlset"), "not well-formed"),
        (("<loc>https://privacy.example.org/index.html</loc>", "<loc></loc>"), "exactly one"),
        (("/index.html</loc>", "/missing.html</loc>"), "not a page of the built site"),
        (("<loc>https://privacy.example.org/index.html", "<loc>https://x.example/index.html"),
         "not under the site's base URL"),
        (('rel="alternate" hreflang="de"', 'rel="alternates" hreflang="de"'),
         '<xhtml:link> needs rel="alternate", hreflang and href'),
        (('hreflang="de"', 'hreflang=""'), '<xhtml:link> needs rel="alternate", hreflang'),
    ],
)  # fmt: skip
def test_sitemap_invalid(site: Path, change: tuple[str, str], why: str) -> None:
    edit(site, "sitemap.xml", *change)
    diagnostics = findings(site)
    assert "html.sitemap.invalid" in codes(diagnostics)
    found = next(item for item in diagnostics if item.code == "html.sitemap.invalid")
    assert found.location.path == "site/sitemap.xml"  # type: ignore[union-attr]
    assert why in found.message


def test_sitemap_missing_file(site: Path) -> None:
    (site / "sitemap.xml").unlink()
    found = one(findings(site), "html.sitemap.invalid")
    assert "sitemap.xml is missing" in found.message


# --- leaks ----------------------------------------------------------------------------


def test_template_syntax_in_text(site: Path) -> None:
    line = edit(site, "nl/privacy.html", "> Uw rechten</h2>", "> {{ section.title }}</h2>")
    found = one(findings(site), "html.leak.template")
    assert found.location == at("nl/privacy.html", line)
    assert 'template syntax left in the text of <h2>: "{{ section.title }}"' in found.message


def test_template_syntax_in_the_table_of_contents(site: Path) -> None:
    line = edit(site, "nl/privacy.html", ">4. Uw rechten</a>", ">4. {{ section.title }}</a>")
    found = one(findings(site), "html.leak.template")
    assert found.location == at("nl/privacy.html", line)
    assert "text of <a>" in found.message


def test_language_switcher_details_are_read(site: Path) -> None:
    line = edit(site, "nl/privacy.html", '<li><a hreflang="en"', '<li id="top-en"><a hreflang="en"')
    second = edit(site, "nl/privacy.html", "<h1>", '<h1 id="top-en">')
    found = one(findings(site), "html.id.duplicate")
    assert found.location == at("nl/privacy.html", second)
    assert f"(first on line {line})" in found.message


def test_template_syntax_in_attribute(site: Path) -> None:
    line = edit(site, "nl/privacy.html", 'aria-label="Taal"', 'aria-label="{% trans %}Taal"')
    found = one(findings(site), "html.leak.template")
    assert found.location == at("nl/privacy.html", line)
    assert "attribute aria-label of <nav>" in found.message


@pytest.mark.parametrize("placeholder", ["{dpo.email}", "%(name)s", "{count}"])
def test_placeholder(site: Path, placeholder: str) -> None:
    line = edit(site, "de/privacy.html", "Nach der DSGVO", f"Nach der DSGVO {placeholder}")
    found = one(findings(site), "html.leak.placeholder")
    assert found.location == at("de/privacy.html", line)
    assert f"unfilled placeholder {placeholder} in the text of <p>" in found.message


@pytest.mark.parametrize("value", ["&#123;&#123; title }}", "&#x7B;name}", "&lbrace;org.name}"])
def test_leak_in_attribute_written_as_character_reference(site: Path, value: str) -> None:
    line = edit(site, "nl/privacy.html", 'aria-label="Taal"', f'aria-label="{value}"')
    found = findings(site)
    assert codes(found) <= {"html.leak.template", "html.leak.placeholder"}
    assert [item.location for item in found] == [at("nl/privacy.html", line)]


def test_markup_in_the_title(site: Path) -> None:
    line = edit(
        site,
        "nl/privacy.html",
        "<title>Privacyverklaring – Acme B.V.</title>",
        '<title>Privacyverklaring – <span lang="en">Acme</span></title>',
    )
    found = one(findings(site), "html.leak.markup")
    assert found.location == at("nl/privacy.html", line)
    assert 'markup shown as text in the text of <title>: "Privacyverklaring – <span' in (
        found.message
    )


def test_markup_in_an_attribute(site: Path) -> None:
    line = edit(
        site, "nl/privacy.html", 'aria-label="Taal"', 'aria-label="<span lang="en">Language</span>"'
    )
    found = one(findings(site), "html.leak.markup")
    assert found.location == at("nl/privacy.html", line)
    assert 'in the attribute aria-label of <nav>: "<span lang="' in found.message


def test_escaped_markup_in_text(site: Path) -> None:
    line = edit(site, "de/privacy.html", "Nach der DSGVO", "&lt;strong&gt;Nach der DSGVO")
    found = one(findings(site), "html.leak.markup")
    assert found.location == at("de/privacy.html", line)


def test_comparisons_in_text_are_not_markup(site: Path) -> None:
    edit(
        site, "index.html", "<h1>", "<p>Children &lt;16 and adults &gt; 18 years, x &lt; y.</p><h1>"
    )
    assert findings(site) == []


# A sentence of the German privacy page of the fixture site.
GERMAN_ANSWER = "Anfragen beantworten wir innerhalb eines Monats, wie es das Gesetz verlangt."


def test_source_text_left_in_translation(site: Path) -> None:
    english = "Requests are answered within one month, as the law requires of us."
    line = edit(
        site,
        "de/privacy.html",
        GERMAN_ANSWER,
        english,
    )
    found = one(findings(site), "html.leak.source-text")
    assert found.severity is Severity.WARNING
    assert found.location == at("de/privacy.html", line)
    assert f'identical to the source-language (en) page: "{english}"' in found.message


@pytest.mark.parametrize(
    "written",
    [
        "\n  Requests are answered <b>within</b> one\u00a0month, as the law requires of us. ",
        "<span>Requ</span>ests are answered within one month,\tas the law requires of us.",
        "<br>Requests are answered within one month, as the law requires of us.",
    ],
)
def test_source_text_is_found_whatever_its_markup_and_spacing(site: Path, written: str) -> None:
    """A translation's blocks are only split into words when their first word starts a
    block of the source page: that first word is found across tags and any white space."""
    edit(
        site,
        "de/privacy.html",
        GERMAN_ANSWER,
        written,
    )
    found = one(findings(site), "html.leak.source-text")
    assert '"Requests are answered within one month, as the law requires of us."' in found.message


def test_a_block_that_starts_like_the_source_but_differs_is_not_a_leak(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        GERMAN_ANSWER,
        "Requests werden innerhalb eines Monats beantwortet, wie es das Gesetz verlangt.",
    )
    assert findings(site) == []


def test_source_text_marked_with_lang_is_exempt(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        f"<p>{GERMAN_ANSWER}</p>",
        '<p><span lang="en">Requests are answered within one month, as the law requires of '
        "us.</span></p>",
    )
    assert findings(site) == []


def test_short_source_text_is_not_a_leak(site: Path) -> None:
    edit(site, "de/privacy.html", "<td>Kontodaten</td>", "<td>Account data</td>")
    assert findings(site) == []


# --- parity with the source page ------------------------------------------------------


def test_parity_sections(site: Path) -> None:
    edit(site, "de/privacy.html", 'href="#contact"', 'href="#kontakt"')
    line = edit(site, "de/privacy.html", 'id="contact"', 'id="kontakt"')
    found = one(findings(site), "parity.sections")
    first = line_of(site, "de/privacy.html", 'id="controller"')
    assert found.location == at("de/privacy.html", first)
    assert "missing [contact]; extra [kontakt]" in found.message
    assert line > first


def test_parity_section_order(site: Path) -> None:
    path = site / "de" / "cookies.html"
    text = path.read_text()
    about = text[text.index('<section id="about"') : text.index('<section id="cookie-list"')]
    path.write_text(text.replace(about, "").replace("</main>", about + "</main>"))
    found = one(findings(site), "parity.sections")
    assert "the same sections in a different order" in found.message


def test_parity_items(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        "<li>Nachrichten, die Sie an unseren Kundendienst senden.</li>\n",
        "",
    )
    found = one(findings(site), "parity.items")
    assert found.location == at("de/privacy.html", line_of(site, "de/privacy.html", 'id="data"'))
    assert 'section "data" has 3 list items; the source page en/privacy.html has 4' in found.message


def test_parity_rows(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        "<tr><td>Kontodaten</td><td>bis Sie Ihr Konto löschen</td></tr>\n",
        "",
    )
    found = one(findings(site), "parity.rows")
    assert found.location == at(
        "de/privacy.html", line_of(site, "de/privacy.html", '<table class="retention">')
    )
    assert "tables with [3] rows; the source page en/privacy.html has [4]" in found.message


def test_parity_links(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        "https://autoriteitpersoonsgegevens.nl/",
        "https://www.bfdi.bund.de/",
    )
    found = one(findings(site), "parity.links")
    assert found.location == at("de/privacy.html", line_of(site, "de/privacy.html", 'id="rights"'))
    assert "missing [https://autoriteitpersoonsgegevens.nl/]" in found.message
    assert "extra [https://www.bfdi.bund.de/]" in found.message


def test_parity_links_to_another_locale(site: Path) -> None:
    edit(
        site, "de/privacy.html", "../de/cookies.html#cookie-list", "../en/cookies.html#cookie-list"
    )
    found = one(findings(site), "parity.links")
    assert "missing [{lang}/cookies.html#cookie-list]; extra [en/cookies.html#cookie-list]" in (
        found.message
    )


def test_parity_emails(site: Path) -> None:
    edit(
        site,
        "de/privacy.html",
        '<a href="mailto:dpo@acme.example">dpo@acme.example</a>',
        '<a href="mailto:datenschutz@acme.example">datenschutz@acme.example</a>',
    )
    found = one(findings(site), "parity.emails")
    assert found.location == at("de/privacy.html", line_of(site, "de/privacy.html", 'id="contact"'))
    assert "missing [dpo@acme.example]; extra [datenschutz@acme.example]" in found.message


def test_parity_phones(site: Path) -> None:
    edit(site, "de/privacy.html", 'href="tel:+31201234568"', 'href="tel:+31201234569"')
    found = one(findings(site), "parity.phones")
    assert "missing [+31201234568]; extra [+31201234569]" in found.message


def test_parity_numbers_is_a_warning(site: Path) -> None:
    edit(site, "de/privacy.html", "<td>7 Jahre</td>", "<td>10 Jahre</td>")
    found = one(findings(site), "parity.numbers")
    assert found.severity is Severity.WARNING
    assert found.location == at(
        "de/privacy.html", line_of(site, "de/privacy.html", 'id="retention"')
    )
    assert 'numbers section "retention" differ from the source page: missing [7]; extra [10]' in (
        found.message
    )


@pytest.mark.parametrize(
    ("text", "latin", "runs"),
    [
        ("Art. 6(1)(f), 2024-04, +31 20", True, ["6", "1", "2024", "04", "31", "20"]),
        ("٧ سنوات و ۱۲ ماه، 30", False, ["7", "12", "30"]),
        ("٧ سنوات، 30", True, ["30"]),
        ("12\n34", True, ["12", "34"]),
    ],
)
def test_digit_runs(text: str, latin: bool, runs: list[str]) -> None:
    assert digit_runs(text, latin_digits=latin) == runs


@pytest.mark.parametrize(
    ("tag", "latin"),
    [("en", True), ("nl", True), ("ar", True), ("ar-XB", True), ("ar-EG", False),
     ("fa", False), ("bn", False), ("xx", False)],
)  # fmt: skip
def test_which_locales_write_latin_digits(tag: str, latin: bool) -> None:
    assert writes_latin_digits(tag) is latin


def test_parity_dates(site: Path) -> None:
    edit(site, "de/privacy.html", '<time datetime="2024-05-01">', '<time datetime="2024-05-02">')
    found = one(findings(site), "parity.dates")
    assert found.location == at("de/privacy.html", 2)
    assert "outside the sections" in found.message
    assert "missing [2024-05-01]; extra [2024-05-02]" in found.message


def test_source_locale_option_overrides_the_pages(site: Path) -> None:
    diagnostics = findings(site, source_locale="nl")
    # x-default (in the pages and the sitemap) must now point at the nl pages
    assert codes(diagnostics) == {"html.hreflang.x-default-missing", "html.sitemap.alternates"}
    x_default = next(item for item in diagnostics if "x-default" in item.message)
    assert f'href="{BASE}/nl/cookies.html">, found href="{BASE}/en/cookies.html"' in (
        x_default.message
    )


# --- determinism ----------------------------------------------------------------------


def test_findings_are_sorted(site: Path) -> None:
    edit(site, "nl/privacy.html", 'href="#data"', 'href=""')
    edit(site, "de/privacy.html", "<h3>Beschwerden</h3>", "<h5>Beschwerden</h5>")
    edit(site, "index.html", "<h1>", '<p><a href="tel:123">x</a></p><h1>')
    diagnostics = findings(site)
    assert diagnostics == sorted(diagnostics, key=Diagnostic.sort_key)
    assert [item.location.path for item in diagnostics] == [  # type: ignore[union-attr]
        "site/de/privacy.html",
        "site/index.html",
        "site/nl/privacy.html",
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LEAK_PIECES), max_size=8).map(b"".join))
def test_attribute_leak_prefilter_is_a_substring_test(data: bytes) -> None:
    """The prefilter's patterns find exactly the pages where "{", "%(" or a marker occurs."""
    markers = (b"{", b"%(", *ATTRIBUTE_LEAK_MARKERS)
    assert may_leak_into_attributes(data) == any(marker in data for marker in markers)


URL_PIECES = (
    "../",
    "./",
    "/",
    "..",
    ".",
    "a",
    "de",
    "x.html",
    "#",
    "#top",
    "%2F",
    "%2e",
    ":",
    "?q",
    " ",
    "\t",
    "~",
    "-",
    "_",
    "http:",
    "mailto:",
)


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(("", "de", "fr", "de/sub", "a.b")),
    st.tuples(
        st.sampled_from(("", "../", "../../", " ../")),
        st.lists(st.sampled_from(URL_PIECES), max_size=6).map("".join),
    ).map("".join),
)
def test_links_shared_between_folders_resolve_as_from_their_own_folder(
    folder: str, value: str
) -> None:
    """A "../" link is resolved once for every language folder; the answer must be the
    one its own folder gives."""
    urls = SiteUrls(frozenset({"de/x.html", "index.html"}), "https://example.com/p")
    page = f"{folder}/page.html" if folder else "page.html"
    assert urls.resolve(page, value) == SiteUrls(urls.files, urls.base_url).resolve_uncached(
        page, value
    )


# Dropped from what the cross-page checks get (they read none of it), or replaced.
SITE_CHECKS_LEAVE_OUT = {
    "title",
    "duplicate_ids",
    "headings",
    "images_without_alt",
    "hits",
    "blocks",
    "sections",
    "urls",
    "outside",
    "ids",  # sent as id_names
    "id_names",
}


def test_the_copy_for_the_site_checks_keeps_every_field_it_does_not_leave_out() -> None:
    """``for_site_checks`` copies field by field: a new field must be copied or listed."""
    page = PageSummary(
        "nl/a.html", "output/nl/a.html", "nl", "a", "broken", 2, "nl", "ltr", "en", "T", 3,
        {"x": 4}, [("x", 4, 5)], [(1, 6)], [7],
        [UrlRef("#x", 8, "a", "href", UrlKind.RELATIVE)],
        [Alternate("en", "../en/a.html", 9)], [("https://e.example/a", 10)], 11, ["../en/a.html"],
        [TextHit(HitKind.PLACEHOLDER, "{x}", 12, "text")], [("text", 13)],
        [SectionFacts("s", 14, items=1)], SectionFacts("", 15, items=2),
    )  # fmt: skip
    urls = [UrlRef("../en/a.html", 16, "a", "href", UrlKind.RELATIVE)]

    slim = page.for_site_checks(urls, lambda text: text)

    kept = {f.name for f in fields(PageSummary)} - SITE_CHECKS_LEAVE_OUT
    assert {name: getattr(slim, name) for name in kept} == {
        name: getattr(page, name) for name in kept
    }
    assert slim.urls == urls and slim.outside.line == page.outside.line
    assert slim.has_id("x") and not slim.has_id("y") and not slim.ids


@pytest.mark.parametrize("name", ["a", "a b", "", "b\0a", "ab", "é"])
def test_id_names_hold_exactly_the_ids(name: str) -> None:
    names = IdNames.of(["a", "a b", "é"])
    assert (name in names) == (name in {"a", "a b", "é"})
    assert pickle.loads(pickle.dumps(names)) == names


# Pieces of the text that the walk looks at closely, to be put together at random.
TEXT_PIECES = ["{", "}", "%(", "%", "(", "<", "&lt;", "b>", "protected", "[email ", "]", "@"]
TEXT_PIECES += ["x.org", "a", " ", "{{", "{%", "&#123;", "&#x7b;", "&amp;", "\n", "dpo.email"]


def summary_of(html: str) -> PageSummary:
    summary = PageSummary("en/a.html", "en/a.html", "en", "a")
    root = parse_page(html.encode(), summary)
    assert root is not None
    PageWalker(summary).walk(root)
    return summary


@given(
    st.lists(
        st.lists(st.sampled_from(TEXT_PIECES), max_size=6).map("".join), min_size=4, max_size=4
    )
)
@example(["a &lt;b> c", "", "", ""])
@example(["", "{dpo.email}", "", ""])
@example(["", "", "%(date)s", ""])
@example(["[email ", "protected]", "", ""])
@settings(max_examples=150, deadline=None)
def test_text_leak_prefilter_changes_nothing_the_walk_finds(texts: list[str]) -> None:
    """The walk tests each text node for "@" alone when the page's whole text has none of
    the other markers: it finds what it finds when every node is tested for all of them."""
    first, inner, tail, hidden = texts
    html = (
        f"<html lang='en'><head><title>{hidden}</title></head><body><section id='s' "
        f"class='notice-section'><p>{first}<span>{inner}</span>{tail}</p></section>"
        f"<address>{inner}</address><style>{hidden}</style></body></html>"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extract, "may_leak_into_text", lambda root: True)
        every_node_tested = summary_of(html)
    assert summary_of(html) == every_node_tested
