"""`notice-builder i18n extract|init|update`: catalogs written right, and only when needed."""

from __future__ import annotations

import datetime
import re
import shutil
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from click.testing import CliRunner

from notice_builder.cli import cli
from notice_builder.errors import NoticeBuilderError
from notice_builder.i18n.catalog_io import read_catalog, render_catalog, write_catalog
from notice_builder.i18n.status import message_state
from notice_builder.i18n.workflow import same_content

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"
NL = Path("locales/nl/LC_MESSAGES/notices.po")
POT = Path("locales/notices.pot")
COMPLAINT = "privacy-notice.rights.complaint"
OLD_COMPLAINT = (
    "You can complain to the [supervisory authority](https://autoriteitpersoonsgegevens.nl)."
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    error: NoticeBuilderError | None


def run(*args: str) -> Run:
    """Invoke the CLI as `notice-builder` does: commands return their exit code."""
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    failure = result.exception
    if isinstance(failure, NoticeBuilderError):
        return Run(failure.exit_code, result.stdout, result.stderr, failure)
    if isinstance(failure, click.ClickException):
        return Run(failure.exit_code, result.stdout, result.stderr + failure.format_message(), None)
    if failure is not None:
        raise failure
    return Run(int(result.return_value or 0), result.stdout, result.stderr, None)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "project", root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def change_template(root: Path) -> None:
    """Reword the complaint, drop the TOC heading, add a new message."""
    template = read_catalog(root / POT)
    complaint = template.get(OLD_COMPLAINT, COMPLAINT)
    assert complaint is not None
    template.delete(OLD_COMPLAINT, COMPLAINT)
    template.add(
        "You can lodge a complaint with the [supervisory authority]"
        "(https://autoriteitpersoonsgegevens.nl).",
        context=COMPLAINT,
        auto_comments=complaint.auto_comments,
        locations=complaint.locations,
    )
    template.delete("Contents", "ui.toc-heading")
    template.add("Who receives your data", context="privacy-notice.recipients.title")
    write_catalog(template, root / POT, sort=False)


# --- init ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "ru", "ar"])
def test_init_writes_language_and_cldr_plural_forms(site: Path, lang: str) -> None:
    shutil.rmtree(site / "locales" / "nl")

    result = run("i18n", "init", lang, "--project", str(site))

    assert result.code == 0, result
    path = site / "locales" / lang / "LC_MESSAGES" / "notices.po"
    text = path.read_text(encoding="utf-8")
    plural = get_plural(lang)
    assert f'"Language: {lang}\\n"' in text
    assert f'"Plural-Forms: nplurals={plural.num_plurals}; plural=' in text
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in text
    assert '#, fuzzy\nmsgid ""' not in text
    catalog = read_catalog(path)
    assert catalog.plural_forms == plural.plural_forms
    assert catalog.num_plurals == {"nl": 2, "ru": 3, "ar": 6}[lang]
    sections = catalog.get("{count} section", "ui.sections-count")
    assert sections is not None and sections.string == ("",) * plural.num_plurals
    assert all(message_state(message) == "untranslated" for message in catalog if message.id)


@pytest.mark.parametrize("lang", ["../../x", "nl/../../x", "..", "zz", "nl;rm"])
def test_init_rejects_what_is_not_a_language(site: Path, lang: str) -> None:
    before = snapshot(site.parent)

    result = run("i18n", "init", lang, "--project", str(site))

    assert result.code == 2
    assert "Invalid value for 'LANG'" in result.err
    assert snapshot(site.parent) == before


def test_init_normalises_a_bcp47_tag(site: Path) -> None:
    assert run("i18n", "init", "pt-BR", "--project", str(site)).code == 0
    text = (site / "locales/pt_BR/LC_MESSAGES/notices.po").read_text(encoding="utf-8")
    assert '"Language: pt_BR\\n"' in text


def test_init_refuses_an_existing_catalog_unless_forced(site: Path) -> None:
    before = (site / NL).read_bytes()

    refused = run("i18n", "init", "nl", "--project", str(site))

    assert refused.code == 2
    assert refused.error is not None
    assert [d.code for d in refused.error.diagnostics] == ["i18n.catalog.exists"]
    assert (site / NL).read_bytes() == before
    assert run("i18n", "init", "nl", "--force", "--project", str(site)).code == 0
    title = read_catalog(site / NL).get("Privacy notice", "privacy-notice.title")
    assert title is not None and title.string == ""


def test_init_without_template_is_an_input_error(tmp_path: Path) -> None:
    result = run("i18n", "init", "nl", "--project", str(tmp_path))

    assert result.code == 2
    assert result.error is not None
    assert result.error.diagnostics[0].code == "i18n.template.missing"


# --- update --------------------------------------------------------------------------


def test_update_makes_a_changed_message_fuzzy_with_its_previous_msgid(site: Path) -> None:
    before = read_catalog(site / NL)
    change_template(site)

    result = run("i18n", "update", "--project", str(site))

    assert result.code == 0, result
    after = read_catalog(site / NL)
    fuzzy_before = {m.context for m in before if m.id and m.fuzzy}
    assert {m.context for m in after if m.id and m.fuzzy} == fuzzy_before | {COMPLAINT}
    complaint = next(m for m in after if m.context == COMPLAINT)
    assert complaint.previous_id == [OLD_COMPLAINT]
    old = before.get(OLD_COMPLAINT, COMPLAINT)
    assert old is not None and complaint.string == old.string
    assert '#| msgid ""\n#| "You can complain to the [supervisory ' in (site / NL).read_text()


def test_update_makes_a_removed_message_obsolete(site: Path) -> None:
    change_template(site)

    assert run("i18n", "update", "--project", str(site)).code == 0

    after = read_catalog(site / NL)
    assert after.get("Contents", "ui.toc-heading") is None
    assert after.obsolete[("Contents", "ui.toc-heading")].string == "Inhoud"
    assert '#~ msgctxt "ui.toc-heading"\n#~ msgid "Contents"\n#~ msgstr "Inhoud"' in (
        (site / NL).read_text()
    )
    new = after.get("Who receives your data", "privacy-notice.recipients.title")
    assert new is not None and new.string == "" and not new.fuzzy


def test_update_keeps_untouched_translations(site: Path) -> None:
    before = read_catalog(site / NL)
    change_template(site)

    run("i18n", "update", "--project", str(site))

    after = read_catalog(site / NL)
    for message in before:
        if message.id and message.context not in {COMPLAINT, "ui.toc-heading"}:
            kept = after.get(message.id, message.context)
            assert kept is not None and kept.string == message.string
            assert kept.fuzzy == message.fuzzy and kept.previous_id == message.previous_id


def test_update_matches_a_rewritten_message_by_its_context(site: Path) -> None:
    template = read_catalog(site / POT)
    template.delete("Privacy notice", "privacy-notice.title")
    template.add("How we handle your personal data", context="privacy-notice.title")
    write_catalog(template, site / POT, sort=False)

    run("i18n", "update", "--project", str(site))

    title = read_catalog(site / NL).get("How we handle your personal data", "privacy-notice.title")
    assert title is not None and title.fuzzy
    assert (title.string, title.previous_id) == ("Privacyverklaring", ["Privacy notice"])


def test_update_revives_an_obsolete_message_back_in_the_template(site: Path) -> None:
    template = read_catalog(site / POT)
    template.add("Old text", context="privacy-notice.old")
    write_catalog(template, site / POT, sort=False)

    run("i18n", "update", "--project", str(site))

    catalog = read_catalog(site / NL)
    revived = catalog.get("Old text", "privacy-notice.old")
    assert revived is not None and revived.string == "Oude tekst" and not catalog.obsolete


def test_update_check_exits_1_and_changes_no_bytes(site: Path) -> None:
    change_template(site)
    before = snapshot(site)

    result = run("i18n", "update", "--check", "--project", str(site))

    assert result.code == 1
    assert "out of date: nl" in result.err
    assert snapshot(site) == before


def test_update_check_passes_when_catalogs_are_up_to_date(site: Path) -> None:
    result = run("i18n", "update", "--check", "--project", str(site))

    assert (result.code, result.out.strip()) == (0, f"{(site / NL).as_posix()}: up to date")


def test_update_twice_leaves_the_second_run_byte_identical(site: Path) -> None:
    change_template(site)
    assert "updated" in run("i18n", "update", "--project", str(site)).out
    first = snapshot(site)

    second = run("i18n", "update", "--project", str(site))

    assert second.code == 0 and "unchanged" in second.out
    assert snapshot(site) == first


def test_a_poedit_formatted_catalog_is_read_right_and_not_rewritten(site: Path) -> None:
    shutil.copyfile(FIXTURES / "nl-poedit.po", site / NL)
    before = (site / NL).read_bytes()

    result = run("i18n", "update", "--project", str(site))

    assert result.code == 0 and "unchanged" in result.out
    assert (site / NL).read_bytes() == before
    babel_layout = read_catalog(FIXTURES / "project" / NL)
    assert same_content(read_catalog(site / NL), babel_layout)
    assert run("i18n", "update", "--check", "--project", str(site)).code == 0


def test_a_poedit_formatted_catalog_is_merged_when_the_template_changes(site: Path) -> None:
    shutil.copyfile(FIXTURES / "nl-poedit.po", site / NL)
    change_template(site)

    run("i18n", "update", "--project", str(site))

    complaint = next(m for m in read_catalog(site / NL) if m.context == COMPLAINT)
    assert complaint.fuzzy and complaint.previous_id == [OLD_COMPLAINT]


def test_update_keeps_the_header_fields_of_the_translators_tool(site: Path) -> None:
    """Babel drops header fields it does not know; msgmerge keeps them. A rewrite by
    `update` removed Poedit's, Poedit put them back, and each round trip changed the
    file."""
    text = (site / NL).read_text(encoding="utf-8")
    charset = '"Content-Transfer-Encoding: 8bit\\n"\n'
    assert charset in text
    fields = '"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Bookmarks: 12,-1\\n"\n'
    (site / NL).write_text(text.replace(charset, charset + fields), encoding="utf-8")
    change_template(site)

    assert "updated" in run("i18n", "update", "--project", str(site)).out

    written = (site / NL).read_text(encoding="utf-8")
    assert '"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Bookmarks: 12,-1\\n"\n\n' in written
    assert ("X-Generator", "Poedit 3.4.2") in read_catalog(site / NL).mime_headers
    assert "unchanged" in run("i18n", "update", "--project", str(site)).out


def copy_catalog(site: Path, locale: str) -> Path:
    """The Dutch catalog as the catalog of ``locale`` (the merge does not read its words)."""
    path = site / "locales" / locale / "LC_MESSAGES" / "notices.po"
    path.parent.mkdir(parents=True)
    shutil.copyfile(site / NL, path)
    return path


def test_update_merges_every_catalog_into_its_own_file(site: Path) -> None:
    """The catalogs are merged in worker processes: each result lands at its own path."""
    de, fr = copy_catalog(site, "de"), copy_catalog(site, "fr")
    (de.parent / "notices.po").write_bytes(de.read_bytes().replace(b"Inhoud", b"Inhalt"))
    change_template(site)

    result = run("i18n", "update", "--project", str(site))

    assert result.code == 0, result
    assert [line.split(":")[0] for line in result.out.splitlines()] == [
        path.as_posix() for path in (de, fr, site / NL)
    ]
    for path, contents in ((de, "Inhalt"), (fr, "Inhoud"), (site / NL, "Inhoud")):
        catalog = read_catalog(path)
        assert catalog.obsolete[("Contents", "ui.toc-heading")].string == contents
        complaint = next(m for m in catalog if m.context == COMPLAINT)
        assert complaint.fuzzy and complaint.previous_id == [OLD_COMPLAINT]


def test_update_writes_no_catalog_while_another_cannot_be_read(site: Path) -> None:
    broken = copy_catalog(site, "de")
    broken.write_text(broken.read_text() + '\nmsgid "unclosed\n')
    change_template(site)
    before = snapshot(site)

    result = run("i18n", "update", "--project", str(site))

    assert result.code == 2
    assert result.error is not None
    assert {d.location.path for d in result.error.diagnostics if d.location} == {broken.as_posix()}
    assert snapshot(site) == before


def test_update_of_a_language_without_catalog_is_an_input_error(site: Path) -> None:
    result = run("i18n", "update", "de", "--project", str(site))

    assert result.code == 2
    assert result.error is not None
    assert result.error.diagnostics[0].code == "i18n.catalog.missing"


# --- extract -------------------------------------------------------------------------


def test_extract_writes_the_template_and_ignores_a_new_creation_date(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dates = iter([datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), None])

    def extract_catalog(project: object, outcome: str = "") -> Catalog:
        catalog = Catalog(creation_date=next(dates), fuzzy=False)
        catalog.add("Privacy notice", context="privacy-notice.title")
        return catalog

    fake = types.ModuleType("notice_builder.i18n.extract")
    fake.extract_catalog = extract_catalog  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "notice_builder.i18n.extract", fake)
    (site / POT).unlink()

    first = run("i18n", "extract", "--project", str(site))
    written = (site / POT).read_bytes()
    second = run("i18n", "extract", "--project", str(site))

    assert first.out.endswith("notices.pot: written\n")
    assert second.out.endswith("notices.pot: unchanged\n")
    assert (site / POT).read_bytes() == written


def test_another_babel_version_rewrites_no_catalog(example_site: Path) -> None:
    """Generated-By names the Babel that wrote a file: a translator or developer with
    another Babel rewrote the template and every catalog back and forth."""
    site = example_site
    files = [site / POT, *sorted((site / "locales").glob("*/LC_MESSAGES/*.po"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert '"Generated-By: Babel ' in text
        path.write_text(re.sub(r"Generated-By: Babel [^\\]*", "Generated-By: Babel 2.0.0", text))
    before = {path: path.read_bytes() for path in files}
    assert run("i18n", "extract", "--project", str(site)).out.endswith(": unchanged\n")
    updated = run("i18n", "update", "--project", str(site)).out.splitlines()
    assert updated and all(line.endswith(": unchanged") for line in updated)
    assert {path: path.read_bytes() for path in files} == before


# --- reading and writing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgtsr "b"\n', 5, "Unknown or misformatted keyword"),
        (b'msgid ""\nmsgstr ""\n\nmsgid "a\nmsgstr "b"\n', 4, "unterminated"),
        (
            b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            b'msgid "a"\nmsgstr "\xff"\n',
            5,
            "not valid utf-8",
        ),
        (
            b'msgid ""\nmsgstr "Content-Type: text/plain; charset=CHARSET\\n"\n\n'
            b'msgid "a"\nmsgstr "b"\n',
            2,
            "unknown charset",
        ),
    ],
)
def test_unreadable_catalogs_are_diagnostics_with_file_and_line(
    site: Path, content: bytes, line: int, reason: str
) -> None:
    (site / NL).write_bytes(content)

    result = run("i18n", "status", "--project", str(site))

    assert result.code == 2 and result.error is not None
    [problem] = result.error.diagnostics
    assert problem.code == "i18n.catalog.syntax"
    assert problem.location is not None and problem.location.line == line
    assert problem.location.path.endswith("nl/LC_MESSAGES/notices.po")
    assert reason in problem.message


def test_write_catalog_skips_a_change_of_dates_only(tmp_path: Path) -> None:
    catalog = read_catalog(FIXTURES / "project" / NL)
    path = tmp_path / "nl.po"
    assert write_catalog(catalog, path, sort=False)
    written = path.read_bytes()

    catalog.revision_date = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    catalog.creation_date = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)

    assert not write_catalog(catalog, path, sort=False)
    assert path.read_bytes() == written
    assert not list(tmp_path.glob(".nl.po.*"))


def test_update_sort_orders_a_catalog_whose_content_is_up_to_date(site: Path) -> None:
    """It said "unchanged" and left the order as it was."""
    catalog = read_catalog(site / NL)
    contexts = [m.context or "" for m in catalog if m.id]
    assert contexts != sorted(contexts)  # the fixture is in the template's order

    result = run("i18n", "update", "--sort", "--project", str(site))

    assert result.code == 0 and "updated" in result.out, result
    written = read_catalog(site / NL)
    assert [m.context or "" for m in written if m.id] == sorted(contexts)
    assert same_content(written, catalog)
    again = run("i18n", "update", "--sort", "--project", str(site))
    assert "unchanged" in again.out


def test_sorted_output_is_ordered_by_context_then_msgid() -> None:
    catalog = read_catalog(FIXTURES / "project" / NL)

    sorted_catalog = read_catalog_from(render_catalog(catalog, sort=True).data)

    contexts = [m.context or "" for m in sorted_catalog if m.id]
    assert contexts == sorted(contexts)
    assert same_content(sorted_catalog, catalog)


def read_catalog_from(data: bytes) -> Catalog:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sorted.po"
        path.write_bytes(data)
        return read_catalog(path)


def test_previous_msgids_round_trip_however_long(tmp_path: Path) -> None:
    catalog = Catalog(locale="nl", fuzzy=False)
    old = 'An old text with "quotes", a newline\nand enough words to wrap the line ' * 3
    catalog.add("New text", "Nieuwe tekst", flags=["fuzzy"], previous_id=[old], context="a")
    path = tmp_path / "nl.po"
    write_catalog(catalog, path, sort=False)

    message = read_catalog(path).get("New text", "a")
    assert message is not None and message.previous_id == [old]


@pytest.mark.parametrize("sort", [False, True])
def test_a_catalog_whose_charset_cannot_hold_its_text_is_written_in_utf8(
    tmp_path: Path, sort: bool
) -> None:
    """Babel writes what the charset cannot hold as a backslash escape ("\\u20ac"),
    which no gettext tool reads back; the catalog is written in UTF-8 instead."""
    catalog = Catalog(locale="de", charset="iso-8859-1", fuzzy=False)
    catalog.add("Fee: €5", "Gebühr: 5 €", context="fee", flags=["fuzzy"], previous_id=["€4"])
    path = tmp_path / "de.po"

    assert write_catalog(catalog, path, sort=sort)

    back = read_catalog(path)
    assert back.charset == "utf-8"
    message = back.get("Fee: €5", "fee")
    assert message is not None
    assert (message.string, message.previous_id) == ("Gebühr: 5 €", ["€4"])
    assert catalog.charset == "iso-8859-1"  # the catalog given is not changed
    rendered = render_catalog(catalog, sort=sort)
    assert rendered.converted == "ISO-8859-1 cannot hold '€'"
    assert rendered.data == path.read_bytes()
