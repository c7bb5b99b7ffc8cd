"""`i18n status` and `i18n check` measure each catalog against what the build translates:
the messages the content and templates give now.

They measured a catalog against its own entries. A translator who edited a msgid (the
source text) by mistake, or content that gained a message before `extract` and `update`
ran, left the catalog without an entry the build needs: the build failed, while status
said 100 % (and `--min-percent 100` passed) and check found no problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import run

NL = Path("locales", "nl", "LC_MESSAGES", "notices.po")
TITLE = 'msgid "Performance of a contract"'


def status_rows(site: Path) -> dict[str, dict[str, Any]]:
    result = run(["i18n", "status", "--format", "json"], site)
    assert result.exit_code == 0, result.output
    return {row["locale"]: row for row in json.loads(result.stdout)}


def test_an_edited_msgid_counts_as_untranslated_and_is_reported(example_site: Path) -> None:
    catalog = example_site / NL
    text = catalog.read_text(encoding="utf-8")
    assert text.count(TITLE) == 1
    catalog.write_text(text.replace(TITLE, 'msgid "Performance of the contract"'), "utf-8")
    assert run(["build"], example_site).exit_code == 1  # the build needs the original

    rows = status_rows(example_site)
    assert rows["nl"]["untranslated"] == 1 and rows["nl"]["percent"] < 100
    assert (rows["nl"]["not_in_catalog"], rows["nl"]["not_in_template"]) == (1, 1)
    assert rows["de"]["percent"] == 100.0 and rows["de"]["not_in_catalog"] == 0
    table = run(["i18n", "status", "--min-percent", "100"], example_site)
    assert table.exit_code == 1
    (nl_row,) = [line for line in table.stdout.splitlines() if line.startswith("nl ")]
    assert "out of date (1 new, 1 no longer used)" in nl_row

    checked = run(["i18n", "check", "--format", "json"], example_site)
    findings = json.loads(checked.stdout)["findings"]
    assert [(item["code"], item["location"]["path"]) for item in findings] == [
        ("i18n.untranslated", str(example_site / NL))
    ]
    assert "Performance of a contract" in findings[0]["message"]
    assert findings[0]["extra"] == {"msgctxt": "privacy-notice.purposes.contract.title"}
    assert run(["i18n", "check", "--strict"], example_site).exit_code == 1


def test_content_that_gained_a_message_is_untranslated_until_update(example_site: Path) -> None:
    """The template on disk is older too: status reads what the content gives now."""
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8")
    old = "      title: Performance of a contract\n"
    assert old in text
    notice.write_text(text.replace(old, "      title: Carrying out a contract\n"), "utf-8")
    rows = status_rows(example_site)
    for language in ("nl", "de", "fr"):
        assert (rows[language]["not_in_catalog"], rows[language]["not_in_template"]) == (1, 1)
        assert rows[language]["percent"] < 100
    assert run(["i18n", "check"], example_site).stdout.count("the catalog has no entry for it") == 3

    assert run(["i18n", "extract"], example_site).exit_code == 0
    assert run(["i18n", "update"], example_site).exit_code == 0
    rows = status_rows(example_site)
    assert all(row["not_in_catalog"] == row["not_in_template"] == 0 for row in rows.values())
    assert all(row["fuzzy"] == 1 for row in rows.values())  # kept, for review


def test_a_template_that_cannot_be_read_stops_status_and_says_so(example_site: Path) -> None:
    """What the build translates is not known then: no count is better than a wrong one."""
    page = example_site / "templates" / "page.html"
    page.write_text(page.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    for command, outcome in (
        ("status", "nothing was counted"),
        ("check", "no catalog was checked"),
    ):
        result = run(["i18n", command], example_site)
        assert result.exit_code == 1
        assert "[template.syntax]" in result.stderr
        assert f"cannot be read; {outcome}" in result.stderr


def test_update_and_init_say_when_the_template_is_older_than_the_content(
    example_site: Path,
) -> None:
    """They merge the template on disk: a message the content gained since the last
    `extract` reaches no catalog, and the translator would not know why."""
    assert "out of date" not in run(["i18n", "update"], example_site).stderr
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("Performance of a contract", "Carrying out a contract"), "utf-8")
    note = "notices.pot is out of date with the content (1 new, 1 no longer used message(s))"
    updated = run(["i18n", "update"], example_site)
    assert updated.exit_code == 0 and note in updated.stderr
    started = run(["i18n", "init", "es"], example_site)
    assert started.exit_code == 0 and note in started.stderr
    assert run(["i18n", "extract"], example_site).exit_code == 0
    assert "out of date" not in run(["i18n", "update"], example_site).stderr
