"""The catalogs the tool writes work with GNU gettext: msgfmt accepts them, msgmerge agrees.

Needs `msgfmt` and `msgmerge` (apt: gettext). Skipped without them, except in CI
(environment variable CI set), where a missing gettext is a failure, not a silent skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner
from conftest import run

from notice_builder.cli import cli
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_io import read_catalog, write_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"
POT = Path("locales/notices.pot")
COMPLAINT = "privacy-notice.rights.complaint"
FORMS = {
    "ru": ("{count} раздел", "{count} раздела", "{count} разделов"),
    "ar": tuple(f"{{count}} قسم {n}" for n in range(6)),
}


@pytest.fixture
def gettext() -> None:
    missing = [tool for tool in ("msgfmt", "msgmerge") if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"GNU gettext is required in CI; missing: {', '.join(missing)}")
    pytest.skip(f"GNU gettext is not installed; missing: {', '.join(missing)}")


def cli_ok(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    assert result.exception is None, result.exception
    assert result.return_value == 0, result.output


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A project whose catalogs were all written by the tool: nl merged after a template
    change (fuzzy with a long previous msgid, obsolete entries), ru and ar started with
    `init`, translated (all plural forms), then merged too."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "project", root)
    for lang in ("ru", "ar"):
        cli_ok("i18n", "init", lang, "--project", str(root))
        translate(root / "locales" / lang / "LC_MESSAGES" / "notices.po", FORMS[lang])
    change_template(root)
    cli_ok("i18n", "update", "--project", str(root))
    return root


def translate(path: Path, forms: tuple[str, ...]) -> None:
    catalog = read_catalog(path)
    for message in catalog:
        if message.pluralizable:
            message.string = forms
        elif message.id:
            message.string = f"«{message.id}»"
    write_catalog(catalog, path, sort=False)


def change_template(root: Path) -> None:
    template = read_catalog(root / POT)
    old = next(m for m in template if m.context == COMPLAINT)
    template.delete(old.id, COMPLAINT)
    template.add(
        "You can lodge a complaint with the [supervisory authority]"
        "(https://autoriteitpersoonsgegevens.nl) of the country where you live.",
        context=COMPLAINT,
        auto_comments=old.auto_comments,
        locations=old.locations,
    )
    template.delete("Contents", "ui.toc-heading")
    write_catalog(template, root / POT, sort=False)


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po"))


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    command = ["msgfmt", "--check", "-o", os.devnull, str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def msgmerge(catalog: Path, template: Path, output: Path) -> None:
    command = ["msgmerge", "--quiet", "--previous", "-o", str(output), str(catalog), str(template)]
    subprocess.run(command, check=True)


def translations(catalog: Catalog) -> dict[tuple[str, str | None], tuple[object, bool]]:
    found: dict[tuple[str, str | None], tuple[object, bool]] = {}
    for message in catalog:
        if message.id:
            key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
            found[key] = (message.string, message.fuzzy)
    return found


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize("sort", [False, True])
def test_every_catalog_the_tool_writes_passes_msgfmt_check(site: Path, sort: bool) -> None:
    if sort:
        template = read_catalog(site / POT)
        template.add("Who receives your data", context="privacy-notice.recipients.title")
        write_catalog(template, site / POT, sort=True)
        cli_ok("i18n", "update", "--sort", "--project", str(site))
    written = [*catalogs(site), site / POT]
    assert len(written) == 4

    results = {str(path.relative_to(site)): msgfmt_check(path) for path in written}

    assert {name: r.stderr for name, r in results.items() if r.returncode} == {}
    assert "#| msgid" in (site / "locales/nl/LC_MESSAGES/notices.po").read_text(encoding="utf-8")


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize("lang", ["nl", "ru", "ar"])
def test_msgmerge_with_our_template_leaves_every_translation_unchanged(
    site: Path, tmp_path: Path, lang: str
) -> None:
    ours = site / "locales" / lang / "LC_MESSAGES" / "notices.po"
    merged = tmp_path / f"{lang}-msgmerge.po"

    msgmerge(ours, site / POT, merged)

    mine, theirs = read_catalog(ours), read_catalog(merged)
    assert translations(theirs) == translations(mine)
    assert {k: m.string for k, m in theirs.obsolete.items()} == {
        k: m.string for k, m in mine.obsolete.items()
    }
    fuzzy = [m for m in theirs if m.id and m.fuzzy]
    assert [m.previous_id for m in fuzzy] == [m.previous_id for m in mine if m.id and m.fuzzy]


@pytest.mark.usefixtures("gettext")
def test_a_catalog_saved_by_msgmerge_is_not_rewritten_by_update(site: Path, tmp_path: Path) -> None:
    ours = site / "locales/nl/LC_MESSAGES/notices.po"
    msgmerge(ours, site / POT, tmp_path / "nl.po")
    shutil.copyfile(tmp_path / "nl.po", ours)
    before = ours.read_bytes()

    cli_ok("i18n", "update", "--project", str(site))

    assert ours.read_bytes() == before


@pytest.mark.usefixtures("gettext")
def test_a_message_defined_twice_is_refused_as_msgfmt_refuses_it(site: Path) -> None:
    """A hand-merged catalog with one message twice: msgfmt stops at the second
    definition; the tool reports the same line (Babel kept the last one silently)."""
    catalog = site / "locales/ru/LC_MESSAGES/notices.po"
    text = catalog.read_text(encoding="utf-8")
    first = next(block for block in text.split("\n\n")[1:] if "msgid_plural" not in block)
    catalog.write_text(text.rstrip("\n") + "\n\n" + first + "\n", encoding="utf-8")

    theirs = msgfmt_check(catalog)
    assert theirs.returncode != 0
    gnu_line = re.search(r"notices\.po:(\d+): duplicate message definition", theirs.stderr)
    assert gnu_line, theirs.stderr

    result = run(["i18n", "check"], site)
    assert result.exit_code == 2, result.output  # the catalog cannot be loaded
    assert f"notices.po:{gnu_line.group(1)}: error: invalid catalog: the message" in result.output
    assert "is defined twice" in result.output


def obsolete(entry: str) -> str:
    """An entry as ``#~`` lines (its comments left out)."""
    keywords = [line for line in entry.split("\n") if line and not line.startswith("#")]
    return "\n".join(f"#~ {line}" for line in keywords)


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize("where", ["after", "before"])
def test_an_obsolete_copy_of_a_message_is_refused_as_msgfmt_refuses_it(
    site: Path, where: str
) -> None:
    """An obsolete (#~) entry with the msgctxt and msgid of an active one: msgfmt
    refuses the catalog ("duplicate message definition"); Babel read both, and
    ``update`` left the file as it was. The #~ entry is reported, before or after."""
    catalog = site / "locales/ru/LC_MESSAGES/notices.po"
    header, *entries = catalog.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    active = next(entry for entry in entries if "msgid_plural" not in entry)
    copy = obsolete(active).replace('#~ msgstr "', '#~ msgstr "old ', 1)
    ordered = [*entries, copy] if where == "after" else [copy, *entries]
    text = "\n\n".join([header, *ordered]) + "\n"
    catalog.write_text(text, encoding="utf-8")
    copy_line, active_line = msgid_line(text, copy), msgid_line(text, active)

    theirs = msgfmt_check(catalog)
    gnu_line = re.search(r"notices\.po:(\d+): duplicate message definition", theirs.stderr)
    assert gnu_line, theirs.stderr
    assert int(gnu_line.group(1)) == (copy_line if where == "after" else active_line)

    reported = (
        f"notices.po:{copy_line}: error: invalid catalog: the message "
        f'"{active_msgid(active)}" is defined twice '
        f"({'first' if where == 'after' else 'again'} at line {active_line}), "
        "here as an obsolete (#~) entry [i18n.catalog.syntax]"
    )
    for command in (["i18n", "check"], ["i18n", "status"], ["i18n", "update"]):
        result = run(command, site)
        assert result.exit_code == 2, (command, result.output)
        assert reported in result.output, (command, result.output)
        assert "hint: Delete this #~ entry" in result.output
    assert catalog.read_text(encoding="utf-8") == text


def msgid_line(text: str, entry: str) -> int:
    """The line of the msgid (or ``#~ msgid``) of ``entry``, which is in ``text``."""
    keyword = re.search(r"^(?:#~ )?msgid ", entry, re.MULTILINE)
    assert keyword is not None
    return text[: text.index(entry) + keyword.start()].count("\n") + 1


def active_msgid(entry: str) -> str:
    found = re.search(r'^msgid "(.*)"$', entry, re.MULTILINE)
    assert found is not None and found.group(1), entry  # on one line, as the test needs
    return found.group(1)


@pytest.mark.usefixtures("gettext")
def test_an_obsolete_entry_twice_is_refused_at_the_line_msgfmt_names(tmp_path: Path) -> None:
    catalog = tmp_path / "nl.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n\n#~ msgid "Gone"\n#~ msgstr "Foetsie"\n',
        encoding="utf-8",
    )
    theirs = msgfmt_check(catalog)
    gnu_line = re.search(r"nl\.po:(\d+): duplicate message definition", theirs.stderr)
    assert gnu_line, theirs.stderr

    with pytest.raises(InputError) as refused:
        read_catalog(catalog)

    [problem] = refused.value.diagnostics
    assert problem.location is not None
    assert problem.location.line == int(gnu_line.group(1)) == 8
    assert problem.message == (
        'invalid catalog: the message "Gone" is defined twice (first at line 5), '
        "here as an obsolete (#~) entry"
    )


@pytest.mark.usefixtures("gettext")
@pytest.mark.parametrize(
    ("entry", "bad_line", "reason"),
    [
        ('msgid "Extra"\nmsgstr', 1, "a keyword without its string"),
        ('msgid\nmsgstr "Extra"', 0, "a keyword without its string"),
        ('msgctxt\nmsgid "Extra"\nmsgstr ""', 0, "a keyword without its string"),
        ('msgid "Extra"\nmsgstr "a \\q b"', 1, "an escape gettext does not know"),
        ('msgid "Extra"\nmsgstr "a"\nmsgstr "b"', 2, "msgstr where msgctxt or msgid belongs"),
        ('msgstr "Extra"', 0, "msgstr where msgctxt or msgid belongs"),
        ('msgid "Extra"\nmsgid_plural "Extras"\nmsgstr[1] "b"', 2, "msgstr[1] where msgstr[0]"),
    ],
    ids=["msgstr", "msgid", "msgctxt", "escape", "second-msgstr", "orphan", "plural-order"],
)
def test_what_msgfmt_refuses_is_refused_at_its_line(
    site: Path, entry: str, bad_line: int, reason: str
) -> None:
    """Babel's parser reads each of these without a word (an empty translation, the
    last of two msgstr, a backslash on the page); msgfmt refuses them, and so do the
    build (test_hostile_catalogs) and every i18n command."""
    catalog = site / "locales/ru/LC_MESSAGES/notices.po"
    text = catalog.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1 + bad_line
    catalog.write_text(text + entry + "\n", encoding="utf-8")

    assert msgfmt_check(catalog).returncode != 0
    for command in (["i18n", "check"], ["i18n", "status"], ["i18n", "update"]):
        result = run(command, site)
        assert result.exit_code == 2, (command, result.output)
        assert f"notices.po:{line}: error: invalid catalog: {reason}" in result.output, command


def latin1_site(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture project with its Dutch catalog saved in ISO-8859-1 (a translation
    needs it: "categorieën"), and that catalog's path."""
    root = tmp_path / "latin1"
    shutil.copytree(FIXTURES / "project", root)
    catalog = root / "locales/nl/LC_MESSAGES/notices.po"
    text = catalog.read_text(encoding="utf-8").replace("charset=utf-8", "charset=ISO-8859-1")
    text = text.replace('msgstr "Privacyverklaring"', 'msgstr "Privacyverklaring (categorieën)"')
    catalog.write_bytes(text.encode("iso-8859-1"))
    return root, catalog


def add_to_template(root: Path, msgid: str) -> None:
    template = read_catalog(root / POT)
    template.add(msgid, context="privacy-notice.fee")
    write_catalog(template, root / POT, sort=False)


@pytest.mark.usefixtures("gettext")
def test_update_writes_in_utf8_a_catalog_whose_charset_cannot_hold_the_new_text(
    tmp_path: Path,
) -> None:
    """A Latin-1 catalog that gains a msgid with '€': Babel wrote "\\u20ac", which
    msgfmt and every later command refused; the catalog is UTF-8 now, and the user is told."""
    root, catalog = latin1_site(tmp_path)
    add_to_template(root, "A copy costs €5.")

    result = run(["i18n", "update"], root)

    assert result.exit_code == 0, result.output
    checked = msgfmt_check(catalog)
    assert checked.returncode == 0, checked.stderr
    text = catalog.read_bytes().decode("utf-8")
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in text
    assert 'msgid "A copy costs €5."' in text
    assert "#| msgid" in text  # the previous msgid of a fuzzy entry is kept
    assert "notices.po: updated" in result.stdout
    assert "notices.po: converted to UTF-8: ISO-8859-1 cannot hold '€'" in result.stderr
    messages = {message.context: message.string for message in read_catalog(catalog)}
    assert messages["privacy-notice.title"] == "Privacyverklaring (categorieën)"
    assert messages["privacy-notice.fee"] == ""
    assert run(["i18n", "update", "--check"], root).exit_code == 0


@pytest.mark.usefixtures("gettext")
def test_update_keeps_the_charset_of_a_catalog_that_can_hold_the_new_text(
    tmp_path: Path,
) -> None:
    root, catalog = latin1_site(tmp_path)
    add_to_template(root, "A copy costs £5.")  # ISO-8859-1 has £

    result = run(["i18n", "update"], root)

    assert result.exit_code == 0, result.output
    assert "converted" not in result.output
    data = catalog.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("iso-8859-1")
    assert '"Content-Type: text/plain; charset=iso-8859-1\\n"' in text
    assert 'msgid "A copy costs £5."' in text
    assert "categorieën" in text
    checked = msgfmt_check(catalog)
    assert checked.returncode == 0, checked.stderr
