"""The `i18n` commands follow the site's settings: its gettext domain, and its languages.

Both were ignored: with `domain: privacy` in site.yaml, `i18n extract` wrote
notices.pot and `i18n init` notices.po, while the build looked for privacy.po and told
the translator to run those same commands. And a language of the site without a
catalog was missing from `i18n status` and passed `i18n check`, while the build failed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run

from notice_builder.i18n.catalog_io import read_catalog

LANGUAGES = ("nl", "de", "fr")


def set_site(site: Path, setting: str) -> None:
    """Add a line to the `site:` mapping of the example's site.yaml."""
    path = site / "content" / "site.yaml"
    path.write_text(path.read_text().replace("site:\n", f"site:\n  {setting}\n", 1))


def rename_domain(site: Path, domain: str) -> None:
    locales = site / "locales"
    (locales / "notices.pot").rename(locales / f"{domain}.pot")
    for language in LANGUAGES:
        folder = locales / language / "LC_MESSAGES"
        (folder / "notices.po").rename(folder / f"{domain}.po")


def test_every_command_names_catalogs_by_the_domain_of_the_site(example_site: Path) -> None:
    set_site(example_site, "domain: privacy")
    rename_domain(example_site, "privacy")
    locales = example_site / "locales"

    extract = run(["i18n", "extract"], example_site)
    assert extract.exit_code == 0, extract.output
    assert extract.stdout == f"{locales / 'privacy.pot'}: written\n"  # the domain in its header
    assert not (locales / "notices.pot").exists()
    update = run(["i18n", "update"], example_site)
    assert update.exit_code == 0, update.output
    updated = sorted(line.split(": ")[0] for line in update.stdout.splitlines())
    assert updated == [str(locales / lang / "LC_MESSAGES/privacy.po") for lang in sorted(LANGUAGES)]
    status = json.loads(run(["i18n", "status", "--format", "json"], example_site).stdout)
    assert {row["locale"]: row["percent"] for row in status} == dict.fromkeys(LANGUAGES, 100.0)
    assert all(row["path"].endswith("/privacy.po") for row in status)
    assert run(["i18n", "check"], example_site).exit_code == 0
    assert run(["build"], example_site).exit_code == 0

    (locales / "nl" / "LC_MESSAGES" / "privacy.po").unlink()
    assert run(["i18n", "init", "nl"], example_site).exit_code == 0
    assert read_catalog(locales / "nl" / "LC_MESSAGES" / "privacy.po").locale_identifier == "nl"
    assert not list(locales.rglob("notices.po*"))


def test_a_language_of_the_site_without_a_catalog_is_counted_as_untranslated(
    example_site: Path,
) -> None:
    (example_site / "locales" / "fr" / "LC_MESSAGES" / "notices.po").unlink()
    template = read_catalog(example_site / "locales" / "notices.pot")
    messages = sum(1 for message in template if message.id)

    table = run(["i18n", "status"], example_site)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[2].split() == [
        "fr",
        "0",
        "0",
        str(messages),
        "0",
        "0.0%",
        "no",
        "catalog",
    ]
    rows = json.loads(run(["i18n", "status", "--format", "json"], example_site).stdout)
    french = next(row for row in rows if row["locale"] == "fr")
    assert (french["missing"], french["untranslated"], french["percent"]) == (True, messages, 0.0)
    assert [row["missing"] for row in rows if row["locale"] != "fr"] == [False, False]
    low = run(["i18n", "status", "--min-percent", "90"], example_site)
    assert (low.exit_code, low.stderr) == (1, "below 90% translated: fr (0.0%)\n")

    update = run(["i18n", "update"], example_site)
    assert update.exit_code == 0
    assert "fr/LC_MESSAGES/notices.po: no catalog yet; start it with" in update.stdout


@pytest.mark.parametrize(
    ("policy", "severity", "exit_code"), [("error", "error", 1), ("fallback", "warning", 0)]
)
def test_i18n_check_reports_a_language_without_a_catalog_as_the_build_does(
    example_site: Path, policy: str, severity: str, exit_code: int
) -> None:
    set_site(example_site, f"locales: {{fr: {{missing_translations: {policy}}}}}")
    (example_site / "locales" / "fr" / "LC_MESSAGES" / "notices.po").unlink()
    checked = run(["i18n", "check", "--format", "json"], example_site)
    assert checked.exit_code == exit_code, checked.output
    (finding,) = json.loads(checked.stdout)["findings"]
    assert finding["code"] == "i18n.catalog.missing"
    assert finding["severity"] == severity
    assert finding["location"]["path"].endswith("locales/fr/LC_MESSAGES/notices.po")
    built = json.loads(run(["check", "--format", "json"], example_site).stdout)["findings"]
    (in_build,) = [item for item in built if item["code"] == "i18n.catalog.missing"]
    assert in_build["severity"] == severity
    assert run(["i18n", "check", "nl"], example_site).exit_code == 0  # chosen: nl alone


@pytest.mark.parametrize(
    ("policy", "severity", "outcome", "exit_code"),
    [
        (
            "error",
            "error",
            "the build fails where a page shows it (missing_translations: error)",
            1,
        ),
        (
            "fallback",
            "warning",
            "pages show the source text instead (missing_translations: fallback)",
            0,
        ),
    ],
)
def test_i18n_check_reports_untranslated_messages_by_the_policy_as_the_build_does(
    example_site: Path, policy: str, severity: str, outcome: str, exit_code: int
) -> None:
    """It warned "the source text is shown instead" where the build failed, and said a
    message whose msgctxt the translator deleted was newer than the catalog."""
    set_site(example_site, f"locales: {{de: {{missing_translations: {policy}}}}}")
    catalog = example_site / "locales" / "de" / "LC_MESSAGES" / "notices.po"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace('msgstr "Stand dieser Informationen: %(date)s."', 'msgstr ""')
    catalog.write_text(text.replace('msgctxt "ui"\nmsgid "Contents"', 'msgid "Contents"'))

    checked = run(["i18n", "check", "de", "--format", "json"], example_site)

    assert checked.exit_code == exit_code, checked.output
    found = json.loads(checked.stdout)["findings"]
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [
        (
            "i18n.untranslated",
            severity,
            '"Contents" (msgctxt "ui") is not translated: the catalog has no entry for it '
            f"(its msgid or msgctxt was edited, or the catalog predates it); {outcome}",
        ),
        ("i18n.untranslated", severity, f"the message is not translated; {outcome}"),
    ]
    assert run(["build"], example_site).exit_code == exit_code


@pytest.mark.parametrize(("policy", "severity"), [("error", "error"), ("fallback", "warning")])
def test_i18n_check_rates_a_fuzzy_translation_by_the_policy_as_the_build_does(
    example_site: Path, policy: str, severity: str
) -> None:
    """A fuzzy translation is not used, as an untranslated one; under `error` the build
    fails on it, where `i18n check` said "warning"."""
    set_site(example_site, f"locales: {{de: {{missing_translations: {policy}}}}}")
    catalog = example_site / "locales" / "de" / "LC_MESSAGES" / "notices.po"
    text = catalog.read_text(encoding="utf-8")
    old = 'msgctxt "ui"\nmsgid "Contents"'
    assert old in text
    catalog.write_text(text.replace(old, f"#, fuzzy\n{old}"), encoding="utf-8")

    checked = run(["i18n", "check", "de", "--format", "json"], example_site)

    found = json.loads(checked.stdout)["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("i18n.fuzzy", severity)]
    assert checked.exit_code == run(["build"], example_site).exit_code == (policy == "error")


def test_the_commands_need_content_that_loads_to_know_the_domain(example_site: Path) -> None:
    set_site(example_site, "domain: Not A Domain")
    for command in (["status"], ["check"], ["update"], ["init", "it"]):
        result = run(["i18n", *command], example_site)
        assert result.exit_code == 1, (command, result.output)
        assert "content/site.yaml:" in result.output and "[schema.format]" in result.output
    assert not (example_site / "locales" / "it").exists()


def test_init_refuses_the_source_language_and_names_a_language_the_site_lacks(
    example_site: Path,
) -> None:
    """`i18n init en` made a catalog the build never reads (English is the content)."""
    source = run(["i18n", "init", "en"], example_site)
    assert source.exit_code == 2
    assert "en is the source language" in source.stderr
    assert not (example_site / "locales" / "en").exists()

    other = run(["i18n", "init", "pt-BR"], example_site)
    assert other.exit_code == 0
    assert (example_site / "locales/pt_BR/LC_MESSAGES/notices.po").is_file()
    assert "site.yaml does not list pt-BR in `languages:`" in other.stderr
    listed = run(["i18n", "init", "nl", "--force"], example_site)
    assert (listed.exit_code, listed.stderr) == (0, "")


def test_extract_check_finds_a_template_older_than_the_content(example_site: Path) -> None:
    """After an edit of the content, `i18n update --check` and `i18n status` judged the
    catalogs by a template that lacked the new text: all "up to date", 100 %, while
    the build failed. `extract --check` is the gate for the template itself."""
    template = example_site / "locales" / "notices.pot"
    before = template.read_bytes()
    assert run(["i18n", "extract", "--check"], example_site).exit_code == 0
    notice = example_site / "content" / "privacy-notice.yaml"
    old = "to correspond with you and to run our business."
    notice.write_text(notice.read_text().replace(old, "to correspond with you."))

    stale = run(["i18n", "extract", "--check"], example_site)
    assert stale.exit_code == 1
    assert template.read_bytes() == before  # nothing written
    context = "privacy-notice.purposes.business-communication.description"
    assert f"  + {context}: We use your details to correspond with you.\n" in stale.stderr
    assert f"  - {context}: We use your details to correspond with you and to run our..." in (
        stale.stderr
    )
    built = run(["build"], example_site)
    assert built.exit_code == 1
    assert "run `notice-builder i18n extract` and `i18n update` first" in built.output

    assert run(["i18n", "extract"], example_site).exit_code == 0
    assert run(["i18n", "extract", "--check"], example_site).exit_code == 0
