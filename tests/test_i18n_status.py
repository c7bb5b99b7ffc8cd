"""`notice-builder i18n status`: counts per language, as a table or JSON, with a threshold."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner
from conftest import run as run_as_user

from notice_builder.cli import cli
from notice_builder.errors import NoticeBuilderError
from notice_builder.i18n.catalog_io import read_catalog, write_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str) -> Run:
    """Invoke the CLI as `notice-builder` does: commands return their exit code."""
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    failure = result.exception
    if isinstance(failure, NoticeBuilderError | click.ClickException):
        return Run(failure.exit_code, result.stdout, result.stderr)
    if failure is not None:
        raise failure
    return Run(int(result.return_value or 0), result.stdout, result.stderr)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The fixture project (nl: 6 translated, 1 fuzzy, 1 untranslated, 1 obsolete) plus a
    German catalog built with Babel: 2 of 8 translated, a half-filled plural."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "project", root)
    write_catalog(german(root), root / "locales/de/LC_MESSAGES/notices.po", sort=False)
    return root


def german(root: Path) -> Catalog:
    template = read_catalog(root / "locales/notices.pot")
    catalog = Catalog(locale="de", fuzzy=False)
    for message in template:
        if message.id:
            empty = ("", "") if message.pluralizable else ""
            catalog.add(message.id, empty, context=message.context)
    translations = {"privacy-notice.title": "Datenschutzhinweis", "ui.toc-heading": "Inhalt"}
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
        elif message.pluralizable:
            message.string = ("{count} Abschnitt", "")
    return catalog


def test_table_shows_aligned_counts_per_locale(site: Path) -> None:
    result = run("i18n", "status", "--project", str(site))

    assert result.code == 0
    assert result.out.splitlines() == [
        "locale  translated  fuzzy  untranslated  obsolete  percent",
        "de               2      0             6         0    25.0%",
        "nl               6      1             1         1    75.0%",
    ]


def test_json_lists_each_locale_sorted(site: Path) -> None:
    result = run("i18n", "status", "--format", "json", "--project", str(site))

    rows = json.loads(result.out)
    assert [row["locale"] for row in rows] == ["de", "nl"]
    numbers = [
        {k: row[k] for k in ("translated", "fuzzy", "untranslated", "obsolete", "total")}
        for row in rows
    ]
    assert numbers == [
        {"translated": 2, "fuzzy": 0, "untranslated": 6, "obsolete": 0, "total": 8},
        {"translated": 6, "fuzzy": 1, "untranslated": 1, "obsolete": 1, "total": 8},
    ]
    assert [row["percent"] for row in rows] == [25.0, 75.0]
    assert rows[1]["path"].endswith("locales/nl/LC_MESSAGES/notices.po")


def test_a_catalog_the_build_does_not_use_counts_as_nothing_translated(site: Path) -> None:
    """Its Language header names another language: the build keeps its translations out,
    and status said 75 %."""
    dutch = site / "locales/nl/LC_MESSAGES/notices.po"
    text = dutch.read_text(encoding="utf-8")
    assert '"Language: nl\\n"' in text
    dutch.write_text(text.replace('"Language: nl\\n"', '"Language: fr\\n"'), encoding="utf-8")

    table = run("i18n", "status", "--min-percent", "20", "--project", str(site))
    rows = json.loads(run("i18n", "status", "--format", "json", "--project", str(site)).out)

    assert table.code == 1
    (line,) = [line for line in table.out.splitlines() if line.startswith("nl ")]
    assert "0.0%  not used by the build: the catalog is for 'fr'" in line
    assert (rows[1]["percent"], rows[1]["translated"]) == (0.0, 6)
    assert "the catalog is for 'fr'" in rows[1]["refused"]
    assert rows[0]["refused"] is None


@pytest.mark.parametrize(
    ("threshold", "code", "listed"),
    [("20", 0, []), ("25", 0, []), ("50", 1, ["de"]), ("75", 1, ["de"]), ("80", 1, ["de", "nl"])],
)
def test_min_percent_sets_the_exit_code(
    site: Path, threshold: str, code: int, listed: list[str]
) -> None:
    result = run("i18n", "status", "--min-percent", threshold, "--project", str(site))

    assert result.code == code
    for locale in listed:
        assert f"{locale} (" in result.err
    assert ("nl (" in result.err) == ("nl" in listed)


def test_min_percent_applies_to_json_output_too(site: Path) -> None:
    result = run(
        "i18n", "status", "--format", "json", "--min-percent", "50", "--project", str(site)
    )

    assert result.code == 1
    assert len(json.loads(result.out)) == 2


@pytest.mark.parametrize("value", ["101", "-1", "nan"])
def test_min_percent_outside_0_to_100_is_bad_usage(site: Path, value: str) -> None:
    """``nan`` passed click's range, and no language was ever below it."""
    assert run("i18n", "status", "--min-percent", value, "--project", str(site)).code == 2


def test_no_catalogs_is_not_an_error(tmp_path: Path) -> None:
    table = run("i18n", "status", "--project", str(tmp_path))
    as_json = run("i18n", "status", "--format", "json", "--project", str(tmp_path))

    assert table.code == 0 and "no catalogs yet" in table.out
    assert as_json.code == 0 and json.loads(as_json.out) == []


def test_a_fully_translated_catalog_is_100_percent(site: Path) -> None:
    path = site / "locales/de/LC_MESSAGES/notices.po"
    catalog = read_catalog(path)
    for message in catalog:
        if message.id:
            message.string = ("x", "y") if message.pluralizable else "x"
    write_catalog(catalog, path, sort=False)

    result = run("i18n", "status", "--min-percent", "100", "--project", str(site))

    assert "de               8      0             0         0   100.0%" in result.out
    assert result.code == 1 and "de (" not in result.err


def test_every_unreadable_catalog_is_reported_at_once(site: Path) -> None:
    """The catalogs are read in worker processes: a problem in one stops none of the
    others from being read, and all are reported together."""
    for locale in ("nl", "de"):
        catalog = site / "locales" / locale / "LC_MESSAGES" / "notices.po"
        catalog.write_text(catalog.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr\n')
    result = run_as_user(["i18n", "status"], site)
    assert result.exit_code == 2
    assert "2 catalog problem(s)" in result.output
    for locale in ("nl", "de"):
        assert f"locales/{locale}/LC_MESSAGES/notices.po:" in result.output
