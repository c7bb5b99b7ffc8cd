"""The build's fast catalog reader gives exactly what the full (Babel) reader gives, or steps aside.

``scan_catalog`` is trusted only because of these tests: on every catalog in the
repository, on catalogs Babel writes from random messages, and on randomly damaged
catalogs, its result is either ``None`` (the full reader takes over) or equal to the
full reader's; and it never accepts a catalog the full reader refuses.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice_builder.i18n.catalog_scan import Entry, ScannedCatalog, scan_catalog
from notice_builder.i18n.translations import _read_in_full, read_translations

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_CATALOGS = sorted(
    path.relative_to(ROOT)
    for folder in ("locales", "tests/fixtures")
    for path in (ROOT / folder).rglob("*.po")
)
EXAMPLE_CATALOGS = sorted((ROOT / "locales").glob("*/LC_MESSAGES/notices.po"))
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def both_readers(raw: bytes, tmp_path: Path) -> tuple[ScannedCatalog | None, object]:
    path = tmp_path / "messages.po"
    path.write_bytes(raw)
    return scan_catalog(raw), _read_in_full(path)


def assert_agree(raw: bytes, tmp_path: Path) -> ScannedCatalog | None:
    scanned, full = both_readers(raw, tmp_path)
    if isinstance(full, list):
        assert scanned is None, f"the fast reader accepted a catalog the full one refuses: {full}"
    elif scanned is not None:
        assert scanned == full
    return scanned


@pytest.mark.parametrize("relative", REPOSITORY_CATALOGS, ids=str)
def test_every_catalog_in_the_repository_reads_the_same(relative: Path, tmp_path: Path) -> None:
    assert_agree((ROOT / relative).read_bytes(), tmp_path)


@pytest.mark.parametrize("path", EXAMPLE_CATALOGS, ids=lambda path: path.parts[-3])
def test_the_example_catalogs_take_the_fast_path(path: Path, tmp_path: Path) -> None:
    scanned = assert_agree(path.read_bytes(), tmp_path)
    assert scanned is not None
    assert len(scanned.entries) > 100
    assert all(entry.strings[0] for entry in scanned.entries if not entry.fuzzy)


# --- catalogs Babel writes ---------------------------------------------------------------------

texts = st.text(
    st.sampled_from(['"', "\\", "\n", "\t", "\r", " ", "a", "é", "ß", "%", "#", "\u2068", "漢"])
    | st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=30,
)
messages = st.lists(
    st.tuples(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20),
        st.none() | st.text(min_size=1, max_size=10),  # context (Babel writes none for "")
        texts,  # translation
        st.booleans(),  # plural
        st.booleans(),  # fuzzy
    ),
    max_size=12,
)


def written_by_babel(
    items: list[tuple[str, str | None, str, bool, bool]], locale: str, obsolete: bool
) -> bytes:
    catalog = Catalog(locale=locale)
    for msgid, context, translation, plural, fuzzy in items:
        flags = ["fuzzy"] if fuzzy else []
        if plural:
            forms = tuple(f"{translation}{n}" for n in range(catalog.num_plurals))
            catalog.add((msgid, msgid + "s"), forms, context=context, flags=flags)
        else:
            catalog.add(msgid, translation, context=context, flags=flags)
    if obsolete:
        catalog.obsolete["gone"] = catalog.add("gone", "weg")
        catalog.delete("gone")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=40)
    return buffer.getvalue()


@BOUNDED
@given(
    items=messages, locale=st.sampled_from(["nl", "pl", "ga", "ja", "ar"]), obsolete=st.booleans()
)
def test_catalogs_written_by_babel_take_the_fast_path_and_read_the_same(
    items: list[tuple[str, str | None, str, bool, bool]],
    locale: str,
    obsolete: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    raw = written_by_babel(items, locale, obsolete)
    scanned = assert_agree(raw, tmp_path_factory.mktemp("babel"))
    if not any(msgid == "" for msgid, *_ in items):
        assert scanned is not None


# --- damaged catalogs --------------------------------------------------------------------------

BASE = (
    b'# A translator comment\nmsgid ""\nmsgstr ""\n"Language: pl\\n"\n'
    b'"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 '
    b'|| n%100>=20) ? 1 : 2);\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    b'#. note\n#: content/a.yaml:3\nmsgctxt "a.title"\nmsgid "Title"\nmsgstr "Tytu\xc5\x82"\n\n'
    b'#, fuzzy\n#| msgid "Old"\nmsgid "Fuzzy one"\nmsgstr "Rozmyty"\n\n'
    b'msgid "%(num)d day"\nmsgid_plural "%(num)d days"\nmsgstr[0] "%(num)d dzie\xc5\x84"\n'
    b'msgstr[1] "%(num)d dni"\nmsgstr[2] "%(num)d dni"\n\n'
    b'msgid ""\n"Long "\n"text"\nmsgstr "D\\"\\\\ugi\\n"\n"tekst"\n\n'
    b'#~ msgid "Gone"\n#~ msgstr "Nie ma"\n'
)
DAMAGE = [
    b"", b"\n", b" ", b"\t", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff", b'"', b'""', b"\\",
    b"#", b"#, fuzzy", b"#~ ", b"#~", b"#| ", b"#~| ", b"#: x:1", b"#: \xe2\x81\xa8x",
    b"msgid ", b"msgstr ", b"msgctxt ", b"msgid_plural ", b"msgstr[0] ", b"msgstr[1] ",
    b"msgstr[3] ", b"msgstr[00] ", b'"Language: de\\n"', b'"Plural-Forms: nplurals=2;\\n"',
    b'"Content-Type: text/plain; charset=latin-1\\n"', b'"a"', b'"\\x"', b'"\\n"',
]  # fmt: skip


@BOUNDED
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, BASE.count(b"\n")),
            st.lists(st.sampled_from(DAMAGE), max_size=4).map(b"".join),
            st.booleans(),  # replace the line, or insert before it
        ),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_catalogs_read_the_same_or_go_to_the_full_reader(
    edits: list[tuple[int, bytes, bool]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines = BASE.split(b"\n")
    for index, damage, replace in edits:
        position = min(index, len(lines) - 1)
        lines[position : position + int(replace)] = [damage]
    assert_agree(b"\n".join(lines), tmp_path_factory.mktemp("damaged"))


def test_the_undamaged_base_takes_the_fast_path(tmp_path: Path) -> None:
    scanned = assert_agree(BASE, tmp_path)
    assert scanned is not None
    by_id = {entry.ids[0]: entry for entry in scanned.entries}
    assert by_id["Title"] == Entry("a.title", ("Title",), ("Tytuł",), False, 11)
    assert by_id["Fuzzy one"].fuzzy
    assert by_id["%(num)d day"].strings == ("%(num)d dzień", "%(num)d dni", "%(num)d dni")
    assert by_id["Long text"].strings == ('D"\\ugi\ntekst',)
    assert "Gone" not in by_id


@pytest.mark.parametrize(
    ("old", "new", "fast"),
    [
        pytest.param(b'msgstr "Tytu', b' msgstr "Tytu', False, id="indented keyword"),
        pytest.param(b"charset=UTF-8", b"charset=ISO-8859-2", False, id="another charset"),
        pytest.param(b'msgid "Fuzzy one"', b'msgid "Title"\nmsgctxt "x"', False, id="disorder"),
        pytest.param(b"#~ msgid", b"#~  msgid", False, id="obsolete with two spaces"),
        pytest.param(b'#~ msgid "Gone"', b'#~ msgid "Fuzzy one"', False, id="obsolete twice"),
        pytest.param(b'msgstr[2] "%(num)d dni"\n', b"", True, id="a plural form short"),
        pytest.param(b"\n", b"\r\n", True, id="CRLF line ends"),
    ],
)
def test_unusual_layouts_are_left_to_the_full_reader(
    old: bytes, new: bytes, fast: bool, tmp_path: Path
) -> None:
    raw = BASE.replace(old, new)
    assert raw != BASE
    scanned = assert_agree(raw, tmp_path)
    assert (scanned is not None) == fast
    path = tmp_path / "pl.po"
    path.write_bytes(raw)
    read_translations(path, "pl")  # and the build reads it without an exception


def test_flags_before_an_obsolete_entry_stay_with_it(tmp_path: Path) -> None:
    raw = BASE.replace(b'#~ msgid "Gone"', b'#, fuzzy\n#~ msgid "Gone"') + (
        b'\nmsgid "After"\nmsgstr "Po"\n'
    )
    scanned = assert_agree(raw, tmp_path)
    assert scanned is not None
    assert scanned.entries[-1] == Entry(None, ("After",), ("Po",), False, 35)
