"""Hostile text in the content and in translations: the built site contains nothing that runs.

Scripts, event handlers, ``javascript:``/``data:``/``vbscript:`` URLs (also spelled
with entities, tabs, zero-width characters and odd case), HTML entities, Unicode
tricks and Jinja syntax are put into YAML titles and Markdown bodies and into the
catalog's translations. The site is built, every HTML file is parsed with lxml, and:

- there is no ``<script>`` (nor iframe, object, embed, svg, math, style, form, base)
  and no ``<meta http-equiv>``;
- no attribute name starts with ``on``;
- no URL attribute, once unescaped and stripped of spaces, controls and invisible
  characters, starts with ``javascript:``, ``data:`` or ``vbscript:``;
- ``{{ 7*7 }}`` is shown as written and ``49`` does not appear in its place;
- the text that was written is shown as text (``<script>`` appears escaped).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from hostile_support import (
    CATALOG,
    NOTICE,
    BuiltSite,
    assert_line_has,
    build_once,
    prepare,
    runnable_parts,
    squeeze,
)
from lxml.html import HtmlElement
from markupsafe import escape

from notice_builder.render import markdown_html

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
JINJA = "{{ 7*7 }}"
ENTITIES = "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62; javascript&#58;alert(1)"
UNICODE = "zero\u200bwidth \u202eedoc\u202c \u2066isolate\u2069 \ufeffbom \uff1cscript\uff1e"

# Raw HTML cannot be written in a Markdown field of the content (the build refuses it,
# see test_raw_html_in_a_markdown_field_is_refused); links and entities can.
MARKDOWN_PAYLOADS = [
    "[plain](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    "[case](JaVaScRiPt:alert(1))",
    "[spaces](  javascript:alert(1))",
    "[entity](javascript&#58;alert(1))",
    "[hex](&#x6A;avascript:alert(1))",
    "[tab](java&#x09;script:alert(1))",
    "[newline](java&#10;script:alert(1))",
    "[zero](java\u200bscript:alert(1))",
    "[angle](<javascript:alert(1)>)",
    "![image](javascript:alert(1))",
    "[reference][evil]\n\n[evil]: javascript:alert(1)",
    '[title](https://example.org "x onmouseover=alert(1)")',
    '[quote](https://example.org"onmouseover="alert(1))',
    ENTITIES,
    UNICODE,
    f"Jinja: {JINJA} and {{% if true %}}x{{% endif %}}",
]

# Translators can write anything, raw HTML included.
TRANSLATION_PAYLOADS = [
    SCRIPT,
    IMG,
    SVG,
    '<a href="javascript:alert(1)">a</a>',
    '<a href="  JAVA\tSCRIPT:alert(1)">b</a>',
    '<a href="&#106;avascript:alert(1)">c</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">d</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<details open ontoggle="alert(1)">',
    '<abbr title="x" onclick="alert(1)">abbr</abbr>',
    "[md](javascript:alert(1))",
    "<<script>script>alert(1)<</script>/script>",
    ENTITIES,
    UNICODE,
    JINJA,
]


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory.mktemp("hostile-text") / "site")


@pytest.fixture
def site(built_template: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    return prepare(built_template, tmp_path, monkeypatch)


# --- what may not be in a page -------------------------------------------------------------


def assert_nothing_runs(output: Path) -> list[Path]:
    pages = sorted(output.rglob("*.html"))
    assert pages, "no pages were built"
    for page in pages:
        assert runnable_parts(page.read_bytes()) == [], page
    sitemap = output / "sitemap.xml"
    lxml.etree.fromstring(sitemap.read_bytes())  # still well-formed XML
    return pages


def texts_of(page: Path, xpath: str) -> list[str]:
    document = lxml.html.document_fromstring(page.read_bytes())
    found = document.xpath(xpath)
    assert isinstance(found, list)
    return [str(element.text_content()) for element in found if isinstance(element, HtmlElement)]


# --- hostile content -------------------------------------------------------------------------


def hostile_content(site: BuiltSite) -> None:
    data: dict[str, Any] = yaml.safe_load(site.read(NOTICE))
    notice = data["notice"]
    notice["title"] = f"{SCRIPT} {IMG} {JINJA}"
    notice["purposes"][0]["title"] = f"{SVG} {ENTITIES}"
    notice["retention"][0]["subject"] = UNICODE
    notice["sections"][0]["title"] = f"javascript:alert(1) {JINJA}"
    notice["sections"][0]["body"] = "\n\n".join(MARKDOWN_PAYLOADS) + "\n"
    data["parties"][0]["legal_name"] = f"Acme {SCRIPT} B.V."
    site.write(NOTICE, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


def hostile_translations(site: BuiltSite) -> None:
    with site.path(CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    payloads = iter(TRANSLATION_PAYLOADS * 10)
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if "%(" in message.id or "{" in message.id:  # variables and placeholders must
            message.string = f"{next(payloads)} {message.id}"  # stay, or it is refused
        elif message.context == "short-notice.title":
            message.string = f"{SCRIPT} {JINJA}"
        else:
            message.string = next(payloads)
    with site.path(CATALOG).open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_hostile_content_builds_into_pages_where_nothing_runs(site: BuiltSite) -> None:
    hostile_content(site)
    result = site.build()
    assert result.exit_code == 0, result.output
    pages = assert_nothing_runs(site.output)
    assert len(pages) == 3

    english = site.output / "en" / "short-notice.html"
    title = f"{SCRIPT} {IMG} {JINJA}"
    assert texts_of(english, "//h1") == [title]  # shown as written, as text
    assert texts_of(english, "//title")[0].startswith(title)
    assert "49" not in "".join(texts_of(english, "//h1 | //title | //h2"))
    assert f"Acme {SCRIPT} B.V." in texts_of(english, "//address")[0]
    body = " ".join(texts_of(english, '//section[@id="who"]//p'))
    assert "Jinja: {{ 7*7 }} and {% if true %}x{% endif %}" in body
    assert "<script>alert(1)</script>" in body  # the entities the author typed, as text
    found = lxml.html.document_fromstring(english.read_bytes()).xpath(
        '//section[@id="who"]//a[@href]/@href'
    )
    assert isinstance(found, list)
    links = [str(href) for href in found]
    assert all(squeeze(href).startswith(("https:", "mailto:", "tel:")) for href in links), links
    index = site.output / "index.html"
    assert any(SCRIPT in text for text in texts_of(index, "//a"))


def test_hostile_translations_build_into_pages_where_nothing_runs(site: BuiltSite) -> None:
    hostile_translations(site)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert_nothing_runs(site.output)

    dutch = site.output / "nl" / "short-notice.html"
    assert texts_of(dutch, "//h1") == [f"{SCRIPT} {JINJA}"]
    assert "49" not in texts_of(dutch, "//h1")[0]
    page = dutch.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # escaped, visible
    english = (site.output / "en" / "short-notice.html").read_bytes()
    assert b"alert(1)" not in english  # the source language is untouched


def test_hostile_content_and_translations_together(site: BuiltSite) -> None:
    hostile_translations(site)
    hostile_content(site)  # the msgids change: the Dutch pages fall back to the source
    result = site.build()
    assert result.exit_code == 0, result.output
    assert_nothing_runs(site.output)


RAW_HTML = [SCRIPT, IMG, SVG, '<a href="javascript:alert(1)">x</a>', "<b onclick=x>bold</b>"]
RAW_HTML_IDS = ["script", "img", "svg", "anchor", "bold-with-handler"]
WHO_BODY = "        We are Acme. Write to {acme.email} or call {acme.phone}."


@pytest.mark.parametrize("payload", RAW_HTML, ids=RAW_HTML_IDS)
def test_a_raw_html_block_in_a_markdown_field_is_refused(site: BuiltSite, payload: str) -> None:
    line = site.replace(NOTICE, WHO_BODY, f"{WHO_BODY}\n\n        {payload} world.") + 2
    result = site.build()
    site.assert_refused(result, "markdown.unsupported", f"content/notice.yaml:{line}", exit_code=1)
    assert "raw HTML" in result.output


def test_a_table_is_refused_once_with_what_to_write_instead(site: BuiltSite) -> None:
    """Each row of a table was a finding of its own, and the sentence read "contains a
    table; use a structured block such as `retention`, which a notice section cannot
    show"."""
    table = "        | Data | Period |\n        | --- | --- |\n        | Name | 2 years |"
    line = site.replace(NOTICE, WHO_BODY, f"{WHO_BODY}\n\n{table}\n\n        ## More") + 2
    result = site.build()
    site.assert_refused(result, "markdown.unsupported", f"content/notice.yaml:{line}", exit_code=1)
    found = [text for text in result.output.splitlines() if "[markdown.unsupported]" in text]
    assert found == [
        f"content/notice.yaml:{line}: error: the text contains a table, which a notice "
        "section cannot show [markdown.unsupported]",
        f"content/notice.yaml:{line + 4}: error: the text contains a heading, which a "
        "notice section cannot show [markdown.unsupported]",
    ]
    assert "hint: a retention table is a block of its own" in result.output
    assert "hint: a section has one heading, its `title:`" in result.output


@pytest.mark.parametrize("payload", RAW_HTML, ids=RAW_HTML_IDS)
def test_raw_html_inside_a_paragraph_is_sanitized(site: BuiltSite, payload: str) -> None:
    """Inline HTML is not refused by the build; the sanitizer keeps only safe markup,
    and the author is told, at the line (it was dropped without a word)."""
    line = site.replace(NOTICE, WHO_BODY, f"        Hello {payload} world.")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert_line_has(result.output, f"content/notice.yaml:{line}", "markdown.inline-html")
    assert_nothing_runs(site.output)
    paragraph = texts_of(site.output / "en" / "short-notice.html", '//section[@id="who"]/p')
    assert paragraph[0].startswith("Hello ") and paragraph[0].endswith(" world.")


@pytest.mark.parametrize(
    "text",
    [
        "See <https://example.com/privacy> or write to <dpo@example.com>.",
        "Children under 16 (age < 16) need consent; use `<br>` nowhere.",
    ],
    ids=["autolinks", "comparison-and-code-span"],
)
def test_text_that_only_looks_like_html_gets_no_warning(site: BuiltSite, text: str) -> None:
    site.replace(NOTICE, WHO_BODY, f"        {text} {{acme.email}} {{acme.phone}}")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert "markdown.inline-html" not in result.output


@pytest.mark.parametrize(
    ("character", "name"),
    [("\u202e", "right-to-left override"), ("\u200b", "zero-width space")],
)
def test_a_hidden_character_in_the_text_is_a_warning_at_its_field(
    site: BuiltSite, character: str, name: str
) -> None:
    """Published with no word: a direction control reorders the text after it, a
    zero-width space breaks what it sits in; the page shows neither."""
    line = site.replace(NOTICE, WHO_BODY, f"        We are Ac{character}me. {{acme.email}}")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert_line_has(result.output, f"content/notice.yaml:{line}", "content.hidden-character")
    assert f"({name}) at character 10" in result.output


def test_the_joiners_scripts_need_are_not_hidden_characters(site: BuiltSite) -> None:
    site.replace(NOTICE, WHO_BODY, "        می\u200cخواهم 👩\u200d💻 {acme.email} {acme.phone}")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert "content.hidden-character" not in result.output


def test_the_checker_itself_finds_what_runs() -> None:
    """The assertions above would notice each of these."""
    for page in (
        b"<p><script>alert(1)</script></p>",
        b"<p><SCRIPT SRC=x></SCRIPT></p>",
        b"<img src=x onerror=alert(1)>",
        b'<a href=" java\tscript:alert(1)">x</a>',
        b'<a href="java&#x200b;script:alert(1)">x</a>',
        b'<a href="&#x64;ata:text/html,x">x</a>',
        b'<meta http-equiv="refresh" content="0">',
        b'<p style="background:url(javascript:alert(1))">x</p>',
    ):
        assert runnable_parts(b"<!DOCTYPE html><html><body>" + page + b"</body></html>"), page
    assert runnable_parts(b"<p>&lt;script&gt; <a href='https://x'>ok</a></p>") == []


@pytest.mark.parametrize(
    "text",
    ["[" * 20_000, "<a " * 6_666, "![" * 10_000, "[a](" * 5_000, ("[" + "a" * 399) * 50],
    ids=["brackets", "tags", "images", "links", "spread"],
)
def test_text_that_would_make_markdown_crawl_is_shown_as_plain_text(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python-Markdown scans from each "[" and "<" to the end of the text: a message of
    20,000 "[" took 77 s to render, in every language. Such text is shown escaped."""
    converted: list[str] = []
    monkeypatch.setattr(markdown_html, "_converted", converted.append)
    assert markdown_html.render_inline(text) == str(escape(text))
    assert converted == []


def test_a_paragraph_with_many_links_is_still_markdown() -> None:
    text = " ".join(f"[link {n}](https://example.com/{n}) and a few words" for n in range(20))
    assert markdown_html.render_inline(text).count('<a href="https://example.com/') == 20
