"""Property-based tests (hypothesis) of the loader, the catalog reader and the sanitizer.

For any input, each of them gives either a result or one of our diagnostics, never
another exception; and nothing that can run survives the Markdown sanitizer. The
examples are bounded (100 to 200 each, no deadline) so the file runs in seconds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hostile_support import HOSTILE_SITE, runnable_parts
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from notice_builder.characters import any_unshowable, unshowable_character
from notice_builder.diagnostics import Diagnostic, Severity
from notice_builder.i18n.catalog_scan import is_written
from notice_builder.i18n.localizer import Localizer
from notice_builder.i18n.translations import read_translations
from notice_builder.loader import load_content
from notice_builder.loader.yaml_source import LoadedYaml, YamlProblem, load_yaml_file
from notice_builder.render.markdown_html import (
    ATTRIBUTES,
    INLINE_TAGS,
    render_inline,
    url_is_safe,
)

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies ------------------------------------------------------------------------------

YAML_TOKENS = [
    ":", ": ", "- ", "\n", "  ", "    ", "\t", "[", "]", "{", "}", ",", "&a ", "*a", "&b ",
    "*b", "!!str ", "!!int ", "!!python/object:os.system ", "!!set ", "!foo ", "<<: ",
    "? ", "'", '"', "''", "\\", "#", "---\n", "...\n", "|\n", ">-\n", "%YAML 1.1\n",
    "!!binary ", "2025-13-45", "2025-02-30", "0x1F", "1e999", "~", "yes", "null",
    '"\\ud800"', '"\\x00"', "\ufeff", "\x00", "\x07", "\u2028", "\x85", "notice", "site",
    "title", "id", "sections", "body", "languages", "9" * 50, "key", "value",
]  # fmt: skip
PO_TOKENS = [
    "msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ",
    "msgstr[9] ", '""', '"', '"a"', '"\\n"', '"\\"', "\\", "#, fuzzy\n", "#~ ", "#| ",
    "#: x:1\n", "\n", "\n\n", " ", '"Language: ../../x\\n"\n', '"Language: de\\n"\n',
    '"Plural-Forms: nplurals=9; plural=(n;\\n"\n', '"Content-Type: text/plain; charset=klingon\\n"\n',
    '"Content-Type: text/plain; charset=utf-16\\n"\n', "%(version)s", "%", "%%", "%d",
    "\xe9", "\ufeff", "\x00", "\\v", "\\a", "\x0b", "\x85",
]  # fmt: skip
HOSTILE_TOKENS = [
    "<script>", "</script>", "alert(1)", "<img src=x onerror=alert(1)>", "<svg onload=x>",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", "java\u200bscript:",
    "&#106;avascript:", "javascript&#58;", "&#x6A;", "data:text/html,", "vbscript:",
    "[", "]", "(", ")", "](", "<", ">", "</", '"', "'", "=", "&", "&amp;", "&lt;", "&#",
    ";", "*", "_", "`", "!", "[x](", "![i](", "<a href=", "<a href='", " onclick=",
    " onmouseover=", "<iframe", "<style>", "<math>", "<form action=", "<base href=",
    "<!--", "-->", "<![CDATA[", "]]>", "{{ 7*7 }}", "{%", "%}", "\u202e", "\u2066",
    "\ufeff", "\x00", "\x0b", "\r", "\n", "\n\n", "    ", "- ", "1. ", "> ", "# ",
    "https://example.org", "mailto:a@b.c", "tel:+31", " ", "x",
]  # fmt: skip


def joined(tokens: list[str], max_size: int = 40) -> st.SearchStrategy[str]:
    piece = st.sampled_from(tokens) | st.text(max_size=4)
    return st.lists(piece, max_size=max_size).map("".join)


yaml_texts = joined(YAML_TOKENS) | st.text(max_size=200)
po_lines = joined(PO_TOKENS, max_size=12)
hostile_texts = joined(HOSTILE_TOKENS) | st.text(max_size=200)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["", "2025-01-15", "2025-13", "en", "../../x", "consent", "acme"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="nb-prop-") as folder:
        yield Path(folder)


def assert_ours(diagnostics: list[Diagnostic], *prefixes: str) -> None:
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.code.startswith(prefixes), diagnostic
        assert diagnostic.message
        assert diagnostic.location is not None, diagnostic


# --- the loader ------------------------------------------------------------------------------


@BOUNDED
@given(text=yaml_texts)
def test_the_yaml_loader_gives_data_or_a_diagnostic(text: str) -> None:
    with scratch() as folder:
        path = folder / "x.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            loaded = load_yaml_file(path)
        except YamlProblem as problem:
            assert_ours([problem.diagnostic], "yaml.")
        else:
            assert isinstance(loaded, LoadedYaml)


@BOUNDED
@given(raw=st.binary(max_size=300) | yaml_texts.map(lambda text: text.encode("utf-8", "replace")))
def test_the_yaml_loader_survives_any_bytes(raw: bytes) -> None:
    with scratch() as folder:
        path = folder / "x.yaml"
        path.write_bytes(raw)
        try:
            load_yaml_file(path)
        except YamlProblem as problem:
            assert_ours([problem.diagnostic], "yaml.")


NOTICE_DATA: dict[str, Any] = yaml.safe_load(
    (HOSTILE_SITE / "content" / "notice.yaml").read_text(encoding="utf-8")
)
SITE_TEXT = (HOSTILE_SITE / "content" / "site.yaml").read_text(encoding="utf-8")


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, (*prefix, index))


NOTICE_PATHS = [path for path in paths_of(NOTICE_DATA) if path]


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(copy[path[0]], path[1:], value)
    return copy


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(NOTICE_PATHS), value=json_values)
def test_loading_content_gives_a_model_or_diagnostics(path: tuple[Any, ...], value: Any) -> None:
    """Any value anywhere in a valid notice: the schema and references report, never raise."""
    notice = replaced(NOTICE_DATA, path, value)
    with scratch() as folder:
        (folder / "site.yaml").write_text(SITE_TEXT, encoding="utf-8")
        (folder / "notice.yaml").write_text(
            yaml.safe_dump(notice, allow_unicode=True), encoding="utf-8"
        )
        result = load_content(folder)
    assert_ours(result.diagnostics, "yaml.", "schema.", "ref.", "content.", "site.")
    has_errors = any(d.severity is Severity.ERROR for d in result.diagnostics)
    assert (result.content is None) == has_errors


# --- the catalog reader ------------------------------------------------------------------------

CATALOG_LINES = (
    (HOSTILE_SITE / "locales" / "nl" / "LC_MESSAGES" / "notices.po")
    .read_text(encoding="utf-8")
    .splitlines(keepends=True)
)
MSGSTR_LINE = CATALOG_LINES.index('msgstr "NL Privacy notices"\n')


@BOUNDED
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(CATALOG_LINES) - 1), po_lines), min_size=1, max_size=4
    )
)
@example(edits=[(MSGSTR_LINE, 'msgstr "NL Privacy\\v notices"')])  # a word processor's line break
@example(edits=[(MSGSTR_LINE, 'msgstr " "')])  # a space typed by mistake
def test_the_catalog_reader_gives_translations_or_diagnostics(
    edits: list[tuple[int, str]],
) -> None:
    lines = list(CATALOG_LINES)
    for index, text in edits:
        lines[index] = text + "\n"
    with scratch() as folder:
        path = folder / "nl.po"
        path.write_bytes("".join(lines).encode("utf-8", "surrogatepass"))
        table, problems = read_translations(path, "nl")
    assert_ours(problems, "i18n.")
    assert all(isinstance(text, str) for text in table.strings.values())
    used = [*table.strings.values(), *(form for forms in table.plurals.values() for form in forms)]
    assert not any(map(unshowable_character, used))  # nothing a page cannot show
    assert all(is_written(msgid, text) for (_, msgid), text in table.strings.items())


@BOUNDED
@given(texts=st.lists(st.text(max_size=30), max_size=5))
def test_the_fast_search_for_unshowable_characters_finds_what_the_exact_one_does(
    texts: list[str],
) -> None:
    assert any_unshowable(texts) == any(map(unshowable_character, texts))


@BOUNDED
@given(raw=st.binary(max_size=400))
def test_the_catalog_reader_survives_any_bytes(raw: bytes) -> None:
    with scratch() as folder:
        path = folder / "nl.po"
        path.write_bytes(raw)
        _, problems = read_translations(path, "nl")
    assert_ours(problems, "i18n.")


VERSION = "Version %(version)s, effective %(date)s"
percent_texts = joined(["%", "%(", ")", "version", "date", "num", "s", "d", "%%", " ", "x", "*"])


@BOUNDED
@given(translation=percent_texts, plural=percent_texts)
def test_an_accepted_translation_can_always_be_filled_in(translation: str, plural: str) -> None:
    """What the reader accepts, the page can format: no KeyError, ValueError or TypeError."""
    catalog = Catalog(locale="nl")
    catalog.add(VERSION, translation, context="ui")
    catalog.add(("%(num)d notice", "%(num)d notices"), (translation, plural))
    with scratch() as folder:
        path = folder / "nl.po"
        with path.open("wb") as handle:
            write_po(handle, catalog)
        table, problems = read_translations(path, "nl")
    assert_ours(problems, "i18n.")
    localizer = Localizer("nl", "en", table)
    shown = localizer.pgettext("ui", VERSION, version="1", date=Markup("<time>x</time>"))
    assert isinstance(shown, Markup)
    for count in (1, 2):
        assert isinstance(localizer.ngettext("%(num)d notice", "%(num)d notices", count), Markup)


# --- the sanitizer ---------------------------------------------------------------------------


def as_page(fragment: str) -> bytes:
    return f"<!DOCTYPE html><html><body><p>{fragment}</p></body></html>".encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_texts)
def test_nothing_that_can_run_survives_the_sanitizer(text: str) -> None:
    html = render_inline(text)
    assert isinstance(html, str)
    assert runnable_parts(as_page(html)) == []
    body = lxml.html.document_fromstring(as_page(html)).find("body")
    assert body is not None
    paragraph = body.find("p")
    for element in paragraph.iterdescendants() if paragraph is not None else []:
        if not isinstance(element.tag, str):
            continue
        assert element.tag in INLINE_TAGS | {"p"}, element.tag  # lxml may split a <p>
        assert set(element.attrib) <= ATTRIBUTES.get(element.tag, set()), element.attrib
        if "href" in element.attrib:
            href = str(element.attrib["href"])
            assert url_is_safe(href), href


invisible = st.sampled_from(["", " ", "\t", "\n", "\r", "\x00", "\x0b", "\u200b", "\u202e"])


@BOUNDED
@given(
    scheme=st.sampled_from(["javascript", "vbscript", "data"]),
    noise=st.lists(invisible, min_size=12, max_size=12),
    upper=st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_no_spelling_of_a_dangerous_scheme_is_safe(
    scheme: str, noise: list[str], upper: list[bool]
) -> None:
    letters = [c.upper() if up else c for c, up in zip(scheme + ":", upper, strict=False)]
    spelled = "".join(junk + letter for junk, letter in zip(noise, letters, strict=False))
    assert not url_is_safe(spelled + "alert(1)")
    assert runnable_parts(as_page(render_inline(f"[x]({spelled}alert(1))"))) == []
