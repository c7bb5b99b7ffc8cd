"""What Babel says of the page languages is kept between checks in the project's cache."""

from __future__ import annotations

import json
from pathlib import Path

import babel
import pytest
from conftest import run

from notice_builder.checks.html import locale_facts
from notice_builder.page_cache import read_sealed, write_atomic
from notice_builder.site_check import LOCALE_FACTS

FOLDERS = ["en", "nl", "ar", "fa", "en-XB"]
EXPECTED: dict[str, locale_facts.Facts] = {
    "en": (True, "ltr"),
    "nl": (True, "ltr"),
    "ar": (True, "rtl"),
    "fa": (False, "rtl"),
    "en-XB": (True, "rtl"),
}


pytestmark = pytest.mark.usefixtures("forgotten_locale_facts")


def forget() -> None:
    for memory in locale_facts.memories():
        memory.clear()


@pytest.fixture
def no_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel's locale data may not be read: the facts must come from the file."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Babel's locale data was read")

    monkeypatch.setattr(babel.Locale, "parse", refuse)


def stored(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(read_sealed(path))
    return data


def test_facts_are_read_from_babel_and_stored(tmp_path: Path) -> None:
    facts_file = tmp_path / "cache" / "locale-facts.json"
    locale_facts.prepare(FOLDERS, facts_file)
    languages = {folder: list(facts) for folder, facts in EXPECTED.items()}
    assert stored(facts_file) == {"key": f"1:babel-{babel.__version__}", "languages": languages}
    assert [f.name for f in facts_file.parent.iterdir()] == ["locale-facts.json"]


def test_a_later_check_takes_the_facts_from_the_file(tmp_path: Path, no_babel: None) -> None:
    facts_file = tmp_path / "locale-facts.json"
    locale_facts.write_facts(facts_file, EXPECTED)
    locale_facts.prepare(FOLDERS, facts_file)
    for folder, (latin, direction) in EXPECTED.items():
        assert locale_facts.writes_latin_digits(folder.lower()) is latin
        assert locale_facts.text_direction(folder) == direction


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"key": "1:babel-0.0", "languages": {"en": [false, "rtl"]}}',
        b'{"key": "KEY", "languages": {"en": ["yes", "up"], "nl": [true]}}',
        b"\xff\xfe",
    ],
)
def test_a_damaged_or_stale_file_is_only_a_slower_start(tmp_path: Path, content: bytes) -> None:
    facts_file = tmp_path / "locale-facts.json"
    key = f"1:babel-{babel.__version__}"
    write_atomic(facts_file, content.replace(b"KEY", key.encode()))  # sealed: damaged inside
    locale_facts.prepare(["en", "nl"], facts_file)
    assert locale_facts.text_direction("en") == "ltr"
    assert locale_facts.writes_latin_digits("nl") is True
    assert stored(facts_file)["languages"] == {"en": [True, "ltr"], "nl": [True, "ltr"]}


def test_a_cache_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    locale_facts.prepare(["ar"], blocked / "locale-facts.json")
    assert locale_facts.text_direction("ar") == "rtl"


def test_check_site_dir_keeps_the_facts_and_believes_them(example_site: Path) -> None:
    """The stored facts are what the next check believes: planting a wrong direction in
    the file makes it report the (right) pages, which proves the file is read."""
    assert run(["build"], example_site).exit_code == 0
    args = ["check", "--site-dir", str(example_site / "output"), "--format", "json"]
    assert run(args, example_site).exit_code == 0
    facts_file = example_site / ".notice-builder-cache" / LOCALE_FACTS
    languages = stored(facts_file)["languages"]
    assert isinstance(languages, dict)
    assert languages["nl"] == [True, "ltr"]

    data = stored(facts_file)
    data["languages"] = {**languages, "nl": [True, "rtl"]}
    write_atomic(facts_file, json.dumps(data).encode("utf-8"))
    forget()
    result = run(args, example_site)
    codes = {finding["code"] for finding in json.loads(result.stdout)["findings"]}
    assert result.exit_code == 1
    assert codes == {"html.dir.wrong"}
