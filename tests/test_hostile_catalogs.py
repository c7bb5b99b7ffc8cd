"""Hostile and broken catalogs: one clear diagnostic at file:line, never a traceback.

The site has a complete Dutch catalog and ``missing_translations: fallback``, so
the broken catalog is the only error. Each case breaks the catalog, builds again,
and expects exit 1, the code at its line, and ``output/`` byte-identical.
Locale codes that try to leave the output folder (``../../x``) are refused wherever
a locale can come from: site.yaml, the catalog's Language header, the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run
from hostile_support import (
    CATALOG,
    SITE,
    BuiltSite,
    assert_clean_failure,
    assert_line_has,
    build_once,
    line_of,
    prepare,
)

from notice_builder.i18n.translations import read_translations, stray_catalogs

VERSION_MSGID = 'msgid "Version %(version)s, effective %(date)s"'
VERSION_MSGSTR = 'msgstr "NL Version %(version)s, effective %(date)s"'


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory.mktemp("hostile-catalogs") / "site")


@pytest.fixture
def site(built_template: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    return prepare(built_template, tmp_path, monkeypatch)


@dataclass(frozen=True)
class Case:
    name: str
    apply: Callable[[BuiltSite], int]  # returns the line the diagnostic must name
    code: str
    message: str


def replace_in_catalog(old: str, new: str) -> Callable[[BuiltSite], int]:
    def apply(site: BuiltSite) -> int:
        return site.replace(CATALOG, old, new)

    return apply


def bad_translation(new: str) -> Callable[[BuiltSite], int]:
    """Replace the translation of a templated UI string; the msgid's line is reported."""

    def apply(site: BuiltSite) -> int:
        site.replace(CATALOG, VERSION_MSGSTR, new)
        return line_of(site.read(CATALOG), VERSION_MSGID)

    return apply


WHO_MSGID = 'msgid "We are Acme. Write to {acme.email} or call {acme.phone}."'


def translated_as(msgid_line: str, text: str) -> Callable[[BuiltSite], int]:
    """Give the message of ``msgid_line`` the translation ``text``; its msgid's line is
    reported."""

    def apply(site: BuiltSite) -> int:
        catalog = site.read(CATALOG)
        start = catalog.index(msgid_line)
        msgstr = catalog.index("msgstr ", start)
        end = catalog.index("\n", msgstr)
        site.write(CATALOG, f'{catalog[:msgstr]}msgstr "{text}"{catalog[end:]}')
        return line_of(catalog, msgid_line)

    return apply


def header(name: str) -> Callable[[BuiltSite], int]:
    """The line of a header field in the fixture catalog."""

    def line(site: BuiltSite) -> int:
        return line_of(site.read(CATALOG), f'"{name}:')

    return line


def then_line_of(
    change: Callable[[BuiltSite], int], locate: Callable[[BuiltSite], int]
) -> Callable[[BuiltSite], int]:
    def apply(site: BuiltSite) -> int:
        change(site)
        return locate(site)

    return apply


def encode_catalog(encoding: str, old: str, new: str) -> Callable[[BuiltSite], int]:
    def apply(site: BuiltSite) -> int:
        text = site.read(CATALOG)
        line = line_of(text, old)
        site.write(CATALOG, text.replace(old, new, 1).encode(encoding))
        return line

    return apply


def append_to_catalog(text: str) -> Callable[[BuiltSite], int]:
    def apply(site: BuiltSite) -> int:
        site.write(CATALOG, site.read(CATALOG) + text)
        return 0

    return apply


def whole_catalog(data: bytes, line: int) -> Callable[[BuiltSite], int]:
    def apply(site: BuiltSite) -> int:
        site.write(CATALOG, data)
        return line

    return apply


TITLE_AGAIN = 'msgctxt "short-notice.title"\nmsgid "A short notice"\nmsgstr "NL other"\n'
"""The title's entry again, translated otherwise: msgfmt refuses the catalog, Babel
kept the last definition without a word."""
TITLE_OBSOLETE = '#~ msgctxt "short-notice.title"\n#~ msgid "A short notice"\n#~ msgstr "Oud"\n'
"""The title's entry again, obsolete: msgfmt refuses the catalog, and the build's fast
reader skipped it."""


def appended(entry: str) -> Callable[[BuiltSite], int]:
    """``entry`` (three lines: msgctxt, msgid, msgstr) at the end of the catalog; the line
    of its msgid is reported."""

    def apply(site: BuiltSite) -> int:
        text = site.read(CATALOG)
        site.write(CATALOG, text + "\n" + entry)
        return text.count("\n") + 3

    return apply


def declared_otherwise(charset: str, translation: str) -> Callable[[BuiltSite], int]:
    """The catalog stays UTF-8, with a translation beyond ASCII, but its header declares
    ``charset``; the Content-Type line is reported."""

    def apply(site: BuiltSite) -> int:
        site.replace(CATALOG, 'msgstr "NL A short notice"', f'msgstr "{translation}"')
        return site.replace(CATALOG, "charset=utf-8", f"charset={charset}")

    return apply


def with_byte_order_mark(site: BuiltSite) -> int:
    site.write(CATALOG, b"\xef\xbb\xbf" + site.path(CATALOG).read_bytes())
    return 1


CASES = [
    # --- syntax --------------------------------------------------------------------------
    Case(
        "byte-order-mark",  # invisible in the line Babel quoted as "misformatted"
        with_byte_order_mark,
        "i18n.catalog.syntax",
        "the file starts with a byte order mark (U+FEFF), which msgfmt refuses too",
    ),
    Case(
        "duplicate-message",
        appended(TITLE_AGAIN),
        "i18n.catalog.syntax",
        'the message "A short notice" is defined twice (first at line 27)',
    ),
    Case(
        "obsolete-copy-of-a-message",
        appended(TITLE_OBSOLETE),
        "i18n.catalog.syntax",
        'the message "A short notice" is defined twice (first at line 27), '
        "here as an obsolete (#~) entry",
    ),
    Case(
        "placeholder-in-another-case",  # published as written: "call {acme.Phone}"
        translated_as(WHO_MSGID, "NL Schrijf naar {acme.email} of bel {acme.Phone}."),
        "i18n.placeholder",
        "placeholders differ from the source text: missing {acme.phone}; "
        "not in the source: {acme.Phone}",
    ),
    Case(
        "unterminated-string",
        replace_in_catalog('msgid "A short notice"', 'msgid "A short notice'),
        "i18n.catalog.syntax",
        "unterminated or malformed string",
    ),
    Case(
        "string-without-quotes",
        replace_in_catalog('msgctxt "short-notice.title"', "msgctxt short-notice.title"),
        "i18n.catalog.syntax",
        "unterminated or malformed string",
    ),
    Case(
        "unknown-keyword",
        replace_in_catalog('msgstr "NL A short notice"', 'msgtranslation "NL A short notice"'),
        "i18n.catalog.syntax",
        "Unknown or misformatted keyword",
    ),
    Case(
        "plural-msgstr-without-msgid-plural",
        replace_in_catalog(
            'msgstr "NL A short notice"', 'msgstr[0] "NL A short notice"\nmsgstr[5] "x"'
        ),
        "i18n.catalog.syntax",
        "msgstr[n] belongs to an entry without msgid_plural",
    ),
    Case(
        "more-plural-forms-than-nplurals",
        then_line_of(
            append_to_catalog(
                '\nmsgid "one notice"\nmsgid_plural "%(num)d notices"\n'
                'msgstr[0] "een"\nmsgstr[1] "%(num)d"\nmsgstr[2] "drie"\n'
            ),
            lambda site: line_of(site.read(CATALOG), 'msgid "one notice"'),
        ),
        "i18n.catalog.syntax",
        "msg has more translations than num_plurals of catalog",
    ),
    Case(
        "binary-junk",
        whole_catalog(b"\x00\x01\x02\x03\xff\xfe\x89PNG\r\n", 1),
        "i18n.catalog.syntax",
        "not valid utf-8",
    ),
    # --- charsets ------------------------------------------------------------------------
    Case(
        "unknown-charset",
        then_line_of(
            replace_in_catalog("charset=utf-8", "charset=klingon"), header("Content-Type")
        ),
        "i18n.catalog.syntax",
        "unknown charset in the Content-Type header",
    ),
    Case(
        "template-placeholder-charset",
        then_line_of(
            replace_in_catalog("charset=utf-8", "charset=CHARSET"), header("Content-Type")
        ),
        "i18n.catalog.syntax",
        "unknown charset in the Content-Type header",
    ),
    Case(
        "latin-1-bytes-declared-utf-8",
        encode_catalog(
            "latin-1", 'msgstr "NL A short notice"', 'msgstr "Een korte mededeling \u00e9"'
        ),
        "i18n.catalog.syntax",
        "bytes that are not valid utf-8",
    ),
    Case(
        "utf-8-bytes-declared-latin-1",  # published as "categorieÃ«n"
        declared_otherwise("ISO-8859-1", "Korte mededeling over categorieën"),
        "i18n.catalog.syntax",
        "the file is UTF-8, but its Content-Type header declares charset=ISO-8859-1 "
        "('ë' would show as 'Ã«')",
    ),
    Case(
        "utf-8-bytes-declared-latin-1-read-as-a-control-character",  # ß: "Ã" and U+009F
        declared_otherwise("ISO-8859-1", "Korte mededeling over de straße"),
        "i18n.catalog.syntax",
        "the file is UTF-8, but its Content-Type header declares charset=ISO-8859-1 "
        "('ß' would show as 'Ã\\x9f')",
    ),
    Case(
        "utf-8-bytes-declared-ascii",  # Babel's decoding fails at the line of the "ë"
        declared_otherwise("ASCII", "Korte mededeling over categorieën"),
        "i18n.catalog.syntax",
        "the file is UTF-8, but its Content-Type header declares charset=ASCII",
    ),
    # --- plural forms --------------------------------------------------------------------
    Case(
        "plural-forms-of-another-language",
        then_line_of(
            replace_in_catalog(
                "nplurals=2; plural=(n != 1);",
                "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
            ),
            header("Plural-Forms"),
        ),
        "i18n.plural-forms",
        "the Plural-Forms header (nplurals=3) does not fit nl: its rule gives 2 and 21 "
        "different forms, but CLDR puts both in nl's 'other' category",
    ),
    Case(
        "plural-forms-that-do-not-parse",
        then_line_of(
            replace_in_catalog("plural=(n != 1);", "plural=(n != ;"), header("Plural-Forms")
        ),
        "i18n.plural-forms",
        "cannot be read",
    ),
    Case(
        "huge-nplurals",
        then_line_of(
            replace_in_catalog("nplurals=2;", "nplurals=99999999999;"), header("Plural-Forms")
        ),
        "i18n.plural-forms",
        "does not fit nl: nplurals=99999999999, but its rule picks forms 0 to 1 only",
    ),
    # --- the Language header -------------------------------------------------------------
    Case(
        "language-header-of-another-language",
        then_line_of(replace_in_catalog("Language: nl", "Language: de"), header("Language")),
        "i18n.catalog.language",
        "the catalog is for 'de' (its Language header), but it is read for 'nl'",
    ),
    Case(
        "language-header-leaving-the-folder",
        then_line_of(replace_in_catalog("Language: nl", "Language: ../../x"), header("Language")),
        "i18n.catalog.language",
        "the Language header says '../../x', which is not a language code",
    ),
    Case(
        "language-header-unknown-to-cldr",
        then_line_of(replace_in_catalog("Language: nl", "Language: xx"), header("Language")),
        "i18n.catalog.language",
        "the Language header says 'xx', which is not a language code",
    ),
    # --- format variables the page cannot fill -------------------------------------------
    Case(
        "control-character",  # a word processor's line break, pasted as an escape
        bad_translation('msgstr "NL Version\\v %(version)s, effective %(date)s"'),
        "i18n.catalog.control-character",
        "contains the control character U+000B at character 11, which a page cannot show",
    ),
    Case(
        "unknown-format-variable",
        bad_translation('msgstr "Versie %(versie)s"'),
        "i18n.catalog.format",
        "it uses the variable %(versie)s, which the original does not have",
    ),
    Case(
        "lone-percent-sign",
        bad_translation('msgstr "100% zeker: %(version)s, %(date)s"'),
        "i18n.catalog.format",
        "'% z' is not a format directive Python can read; write a literal percent sign as %%",
    ),
    Case(
        "percent-sign-read-as-a-directive",  # a space flag and the conversion a
        bad_translation('msgstr "100% actueel: %(version)s, %(date)s"'),
        "i18n.catalog.format",
        "'% a' reads as a format directive; write a literal percent sign as %%",
    ),
    Case(
        "positional-format",
        bad_translation('msgstr "Versie %s"'),
        "i18n.catalog.format",
        "'%s' reads as a format directive",
    ),
    Case(
        "left-out-variable",  # msgfmt -c: argument 'date' doesn't exist in 'msgstr'
        bad_translation('msgstr "Versie %(version)s"'),
        "i18n.catalog.format",
        "is not used: it leaves out %(date)s, which the original has",
    ),
    Case(
        "wrong-conversion",
        bad_translation('msgstr "Versie %(version)d van %(date)s"'),
        "i18n.catalog.format",
        "it writes %(version)d where the original has %(version)s",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_catalog_is_reported_at_its_line(site: BuiltSite, case: Case) -> None:
    line = case.apply(site)
    result = site.build()
    site.assert_refused(result, case.code, f"{CATALOG.as_posix()}:{line}", exit_code=1)
    assert case.message in result.output


def test_an_untranslated_template_string_is_reported_at_its_catalog_entry(
    site: BuiltSite,
) -> None:
    """A content string is reported at its YAML line; one of the templates was reported
    at the catalog without a line, though its entry was there."""
    site.replace(CATALOG, VERSION_MSGSTR, 'msgstr ""')
    result = site.build()  # the fixture falls back to the source text: a warning
    assert result.exit_code == 0, result.output
    line = line_of(site.read(CATALOG), VERSION_MSGID)
    assert_line_has(result.output, f"{CATALOG.as_posix()}:{line}", "i18n.missing")


def test_a_changed_placeholder_is_one_finding_of_check_and_i18n_check(site: BuiltSite) -> None:
    """The build refuses it, and ``i18n check`` compares placeholders too: ``check``,
    which runs both, names it once, in the same words as ``i18n check``."""
    line = translated_as(WHO_MSGID, "NL {acme.email} of {acme.Phone}.")(site)
    where = f"{CATALOG.as_posix()}:{line}"
    for command in (["check"], ["i18n", "check"]):
        result = run(command, site.root)
        assert result.exit_code == 1, result.output
        found = [text for text in result.output.splitlines() if "[i18n.placeholder]" in text]
        assert len(found) == 1 and found[0].startswith(f"{where}: error: "), found


@pytest.mark.parametrize(
    "command", [["i18n", "check"], ["i18n", "status"], ["i18n", "update"], ["check"]], ids=" ".join
)
def test_utf8_text_under_another_charset_is_refused_by_every_command(
    site: BuiltSite, command: list[str]
) -> None:
    """``check`` and the i18n commands read the catalog as the build does: they passed
    it, and the build published "categorieÃ«n"."""
    assert run(["i18n", "extract"], site.root).exit_code == 0  # update merges the template
    line = declared_otherwise("ISO-8859-1", "Korte mededeling over categorieën")(site)

    result = run(command, site.root)

    assert_clean_failure(result, 2)
    assert_line_has(result.output, f"{CATALOG.as_posix()}:{line}", "i18n.catalog.syntax")
    assert "declares charset=ISO-8859-1 ('ë' would show as 'Ã«')" in result.output
    assert "hint: Set charset=UTF-8 in the Content-Type header" in result.output


def test_a_catalog_saved_in_the_charset_it_declares_is_published_right(site: BuiltSite) -> None:
    text = site.read(CATALOG).replace("charset=utf-8", "charset=ISO-8859-1")
    text = text.replace('msgstr "NL A short notice"', 'msgstr "Over categorieën"')
    site.write(CATALOG, text.encode("iso-8859-1"))

    result = site.build()

    assert result.exit_code == 0, result.output
    pages = [path.read_text(encoding="utf-8") for path in site.output.glob("nl/*.html")]
    assert any("Over categorieën" in page for page in pages)
    assert not any("Ã" in page for page in pages)


def test_a_catalog_of_an_unknown_locale_is_reported(tmp_path: Path) -> None:
    """``locales/xx/`` (not a language) is an error; ``locales/de/`` (not listed) and
    ``locales/en/`` (the source language, listed) are warnings."""
    locales = tmp_path / "locales"
    for name in ("nl", "xx", "de", "klingon", "en", "pt-BR", "fr_be", "zh_TW"):
        path = locales / name / "LC_MESSAGES" / "notices.po"
        path.parent.mkdir(parents=True)
        path.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    found = stray_catalogs(locales, "notices", ["en", "nl", "fr-BE"], "en")
    assert [
        (d.code, d.severity.value, Path(d.location.path).parts[-3]) for d in found if d.location
    ] == [
        ("i18n.catalog.unpublished", "warning", "de"),
        ("i18n.catalog.source", "warning", "en"),
        ("i18n.catalog.unknown-locale", "error", "klingon"),
        ("i18n.catalog.folder", "error", "pt-BR"),
        ("i18n.catalog.unknown-locale", "error", "xx"),
        ("i18n.catalog.unpublished", "warning", "zh_TW"),
    ]
    assert found[3].hint == f"rename {(locales / 'pt-BR').as_posix()} to " + (
        (locales / "pt_BR").as_posix()
    )


def test_a_listed_language_in_a_folder_spelled_otherwise_is_one_error_saying_rename(
    site: BuiltSite,
) -> None:
    """``locales/pt-BR/`` (BCP 47's hyphen) is not where gettext and the build look for
    the catalog of pt-BR (``locales/pt_BR/``)."""
    site.replace(SITE, "languages: [en, nl]", "languages: [en, nl, pt-BR]")
    site.write("locales/pt-BR/LC_MESSAGES/notices.po", site.read(CATALOG))
    result = site.build()  # the fixture falls back to the source text: a warning
    assert result.exit_code == 0, result.output
    assert_line_has(result.output, "locales/pt_BR/LC_MESSAGES/notices.po", "i18n.catalog.missing")
    assert "hint: rename locales/pt-BR to locales/pt_BR" in result.output
    assert "i18n init" not in result.output
    assert "[i18n.catalog.folder]" not in result.output


@pytest.mark.parametrize("command", [["status"], ["check"], ["update", "--check"]])
def test_the_i18n_commands_say_to_rename_a_folder_spelled_otherwise(
    site: BuiltSite, command: list[str]
) -> None:
    """They read every catalog folder; Babel's "expected only letters" for ``pt-BR`` was
    reported as a syntax error to be found with msgfmt."""
    run(["i18n", "extract"], site.root)
    site.write("locales/pt-BR/LC_MESSAGES/notices.po", site.read(CATALOG))
    result = run(["i18n", *command], site.root)
    assert_clean_failure(result, 2)
    assert_line_has(result.output, "locales/pt-BR/LC_MESSAGES/notices.po", "i18n.catalog.folder")
    assert "hint: rename locales/pt-BR to locales/pt_BR" in result.output
    assert "i18n.catalog.syntax" not in result.output


def test_the_build_reports_a_catalog_of_an_unknown_locale(site: BuiltSite) -> None:
    site.write("locales/xx/LC_MESSAGES/notices.po", site.read(CATALOG))
    result = site.build()
    site.assert_refused(
        result, "i18n.catalog.unknown-locale", "locales/xx/LC_MESSAGES/notices.po", exit_code=1
    )


def test_a_catalog_of_the_source_language_is_reported_as_never_read(site: BuiltSite) -> None:
    """A translation platform may make one (``i18n init en`` refuses to); what is
    changed in it never appears."""
    run(["i18n", "extract"], site.root)
    refused = run(["i18n", "init", "en"], site.root)
    assert refused.exit_code == 2, refused.output
    dutch = (site.root / "locales/nl/LC_MESSAGES/notices.po").read_text(encoding="utf-8")
    english = site.root / "locales/en/LC_MESSAGES/notices.po"
    english.parent.mkdir(parents=True)
    english.write_text(dutch.replace('"Language: nl\\n"', '"Language: en\\n"'), encoding="utf-8")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert_line_has(result.output, "locales/en/LC_MESSAGES/notices.po", "i18n.catalog.source")
    assert "the source language" in result.output
    strict = run(["check", "--strict"], site.root)
    assert strict.exit_code == 1, strict.output
    assert "[i18n.catalog.source]" in strict.output


def test_a_site_language_leaving_the_folder_is_refused(site: BuiltSite, tmp_path: Path) -> None:
    line = site.replace(SITE, "languages: [en, nl]", 'languages: [en, nl, "../../x"]')
    result = site.build()
    site.assert_refused(result, "schema.language", f"content/site.yaml:{line}:23", exit_code=1)
    assert "'../../x' is not a BCP 47 language tag" in result.output
    assert not any(path.name == "x" for path in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    ("written", "usual"),
    [("en-us", "en-US"), ("NL", "nl"), ("sr-latn", "sr-Latn"), ("zh-tw", "zh-TW")],
)
def test_a_site_language_in_another_case_is_refused_with_its_usual_spelling(
    site: BuiltSite, written: str, usual: str
) -> None:
    """``en-us`` is ``en-US`` in any case, yet it is also a folder and a catalog's name:
    the build looked for ``locales/en_us/``, where ``i18n init en-us`` had made
    ``locales/en_US/``, and called that catalog unpublished."""
    line = site.replace(SITE, "languages: [en, nl]", f"languages: [en, nl, {written}]")
    result = site.build()
    site.assert_refused(result, "schema.language", f"content/site.yaml:{line}:23", exit_code=1)
    assert f"write '{written}' as '{usual}'" in result.output


@pytest.mark.parametrize(
    ("language", "given", "folder"),
    [("en-US", "en-us", "en_US"), ("en-US", "en_US", "en_US"), ("iw", "iw", "iw")],
)
def test_i18n_init_makes_the_catalog_the_build_reads(
    site: BuiltSite, language: str, given: str, folder: str
) -> None:
    """``i18n init`` names the folder as the build looks for it: in CLDR's case, and by
    the name the site uses (``iw`` made ``locales/he_IL/``, which the build never read)."""
    site.replace(SITE, "languages: [en, nl]", f"languages: [en, nl, {language}]")
    run(["i18n", "extract"], site.root)
    created = run(["i18n", "init", given], site.root)
    assert created.exit_code == 0, created.output
    folders = {path.name for path in site.path("locales").iterdir() if path.is_dir()}
    assert folders == {"nl", folder}
    result = site.build()  # its messages are not translated yet: the fixture falls back
    assert result.exit_code == 0, result.output
    assert f"has no translation in locales/{folder}/LC_MESSAGES/notices.po" in result.output
    assert "[i18n.missing]" in result.output
    assert "[i18n.catalog.missing]" not in result.output
    assert "[i18n.catalog.unpublished]" not in result.output


@pytest.mark.parametrize("code", ["../../x", "..", "nl/../../x", "/tmp/x", "nl\x00"])
def test_i18n_init_refuses_a_locale_leaving_the_folder(
    site: BuiltSite, tmp_path: Path, code: str
) -> None:
    run(["i18n", "extract"], site.root)
    before = sorted(str(path) for path in tmp_path.rglob("*"))
    result = run(["i18n", "init", code], site.root)
    assert_clean_failure(result, 2)
    assert "is not a language code" in result.output
    assert sorted(str(path) for path in tmp_path.rglob("*")) == before


def test_a_wrong_language_header_keeps_the_translations_out(site: BuiltSite) -> None:
    site.replace(CATALOG, "Language: nl", "Language: de")
    table, problems = read_translations(site.path(CATALOG), "nl")
    assert table.strings == {}
    assert [d.code for d in problems] == ["i18n.catalog.language"]


def test_territory_variants_of_the_same_language_are_accepted(site: BuiltSite) -> None:
    site.replace(CATALOG, "Language: nl", "Language: nl_NL")
    table, problems = read_translations(site.path(CATALOG), "nl")
    assert problems == []
    assert table.get("short-notice.title", "A short notice") == "NL A short notice"


def test_a_refused_format_string_is_not_published(site: BuiltSite) -> None:
    """The one bad translation is reported and left out; the others are still read."""
    line = bad_translation('msgstr "Versie %(versie)s"')(site)
    table, problems = read_translations(site.path(CATALOG), "nl")
    assert [(d.code, d.location.line if d.location else 0) for d in problems] == [
        ("i18n.catalog.format", line)
    ]
    assert table.get("ui", "Version %(version)s, effective %(date)s") is None
    assert table.get("short-notice.title", "A short notice") == "NL A short notice"


def test_an_unreadable_catalog_is_a_diagnostic(site: BuiltSite) -> None:
    path = site.path(CATALOG)
    path.unlink()
    path.mkdir()  # a folder where the file should be
    table, problems = read_translations(path, "nl")
    assert table.strings == {}
    assert [d.code for d in problems] == ["i18n.catalog.unreadable"]


@pytest.mark.parametrize(
    ("translation", "code"),
    [
        (
            'msgstr "NL Version\\f %(version)s, effective %(date)s"',
            "i18n.catalog.control-character",
        ),
        # i18n check passed these two: an i18n.number warning for the first, nothing for the
        # second (which the build published without the date, and msgfmt -c refuses)
        ('msgstr "Zu 100% aktuell: %(version)s, %(date)s"', "i18n.catalog.format"),
        ('msgstr "NL Version %(version)s"', "i18n.catalog.format"),
    ],
    ids=["control-character", "percent-sign-read-as-a-directive", "left-out-variable"],
)
def test_i18n_check_reports_what_the_build_refuses_as_the_build_does(
    site: BuiltSite, translation: str, code: str
) -> None:
    line = bad_translation(translation)(site)
    built, checked = site.build(), run(["i18n", "check"], site.root)
    for result in (built, checked):
        assert_clean_failure(result, 1)
        assert_line_has(result.output, f"{CATALOG.as_posix()}:{line}", code)
    finding = next(line for line in built.output.splitlines() if f"[{code}]" in line)
    assert finding in checked.output.splitlines()  # word for word: one function says it
    # check runs both the build and the catalog checks: it reported the finding twice
    assert run(["check"], site.root).output.splitlines().count(finding) == 1


def test_a_translation_of_white_space_alone_is_not_translated(site: BuiltSite) -> None:
    """A space typed by mistake showed an empty title and counted as translated."""
    line = site.replace(CATALOG, 'msgstr "NL A short notice"', 'msgstr " "') - 1
    built = site.build()  # the fixture publishes the source text where one is missing
    assert built.exit_code == 0, built.output
    assert '"A short notice" (msgctxt "short-notice.title") has no translation' in built.output
    assert '<h1><span lang="en">A short notice</span></h1>' in site.read(
        "output/nl/short-notice.html"
    )
    checked = run(["i18n", "check"], site.root)
    assert_line_has(checked.output, f"{CATALOG.as_posix()}:{line}", "i18n.untranslated")
    status = run(["i18n", "status", "--format", "json"], site.root)
    [row] = [row for row in json.loads(status.stdout) if row["locale"] == "nl"]
    assert row["untranslated"] == 1


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("msgstr", "a keyword without its string"),
        ('msgstr "NL A \\q short notice"', "an escape gettext does not know"),
        ('msgstr "NL A short notice"\nmsgstr "twice"', "msgstr where msgctxt or msgid"),
    ],
    ids=["no-string", "unknown-escape", "second-msgstr"],
)
def test_what_msgfmt_refuses_stops_the_build(site: BuiltSite, broken: str, reason: str) -> None:
    """msgfmt's syntax errors that Babel read without a word: an empty translation
    (the build published the source text), "\\q" on the page, the second of two
    msgstr. The fast reader leaves them to the full one, which reports them."""
    line = site.replace(CATALOG, 'msgstr "NL A short notice"', broken) + broken.count("\n")
    result = site.build()
    site.assert_refused(result, "i18n.catalog.syntax", f"{CATALOG.as_posix()}:{line}", exit_code=1)
    assert reason in result.output
