"""A translator's round trip through the CLI: edit, extract, update, translate, status, build."""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from conftest import run

from notice_builder.i18n.catalog_io import read_catalog

OLD = (
    "Only employees, agents, contractors and other third parties with a legitimate\n"
    "        business need have access to your personal data."
)
NEW = (
    "Only staff, agents, contractors and other third parties with a legitimate\n"
    "        business need can access your personal data."
)
CONTEXT = "privacy-notice.sections.security.body"


def fuzzy_entries(site: Path, locale: str) -> list[tuple[str, str, str]]:
    # our reader: Babel's own read_po does not read previous msgids (#|) back
    catalog = read_catalog(site / "locales" / locale / "LC_MESSAGES" / "notices.po")
    return [
        (str(m.context), str(m.id), " ".join(m.previous_id)) for m in catalog if m.fuzzy and m.id
    ]


def test_editing_one_paragraph_makes_exactly_that_paragraph_fuzzy(example_site: Path) -> None:
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8")
    assert OLD in text
    notice.write_text(text.replace(OLD, NEW), encoding="utf-8")

    assert run(["i18n", "extract"], example_site).exit_code == 0
    stale = run(["i18n", "update", "--check"], example_site)
    assert stale.exit_code == 1
    assert run(["i18n", "update"], example_site).exit_code == 0
    for locale in ("nl", "de", "fr"):
        ((context, msgid, previous),) = fuzzy_entries(example_site, locale)
        assert context == CONTEXT
        assert msgid.startswith("Only staff, agents")
        assert previous.startswith("Only employees, agents")

    status = run(["i18n", "status", "--format", "json", "--min-percent", "100"], example_site)
    assert status.exit_code == 1
    dutch = next(row for row in json.loads(status.stdout) if row["locale"] == "nl")
    assert dutch["fuzzy"] == 1 and dutch["untranslated"] == 0

    failed = run(["build"], example_site)
    assert failed.exit_code == 1
    assert f'msgctxt "{CONTEXT}") is fuzzy' in failed.stderr


def test_after_translating_the_new_text_is_published(example_site: Path) -> None:
    notice = example_site / "content" / "privacy-notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    run(["i18n", "extract"], example_site)
    run(["i18n", "update"], example_site)
    path = example_site / "locales" / "nl" / "LC_MESSAGES" / "notices.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.fuzzy and message.id:
            message.string = (
                "Alleen personeel met een zakelijke noodzaak heeft toegang tot uw gegevens."
            )
            message.flags.discard("fuzzy")
            message.previous_id = []
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    for locale in ("de", "fr"):  # the other languages keep their (outdated) translation
        other = example_site / "locales" / locale / "LC_MESSAGES" / "notices.po"
        other.write_text(
            other.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8"
        )

    assert run(["i18n", "status", "--min-percent", "100"], example_site).exit_code == 0
    assert run(["i18n", "check"], example_site).exit_code == 0
    built = run(["build"], example_site)
    assert built.exit_code == 0, built.output
    html = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    security = BeautifulSoup(html, "html.parser").select_one("#security")
    assert security is not None
    assert "Alleen personeel met een zakelijke noodzaak" in security.get_text()


def test_changed_link_target_in_a_translation_is_reported_with_its_line(example_site: Path) -> None:
    path = example_site / "locales" / "nl" / "LC_MESSAGES" / "notices.po"
    text = path.read_text(encoding="utf-8")
    assert "{ninjaone-llc.email}" in text
    lines = text.splitlines()
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("msgstr") and "{ninjaone-llc.email}" in line
    )
    lines[index] = lines[index].replace("{ninjaone-llc.email}", "{ninjaone-llc.mail}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["i18n", "check"], example_site)
    assert result.exit_code == 1
    assert "[i18n.placeholder]" in result.stdout
    assert f"locales/nl/LC_MESSAGES/notices.po:{index}" in result.stdout or (
        f"notices.po:{index + 1}" in result.stdout
    )


def test_locale_below_minimum_completeness_is_not_published(example_site: Path) -> None:
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace(
            "missing_translations: error",
            "missing_translations: error\n  locales:\n    fr: {missing_translations: fallback, min_completeness: 90}",
        ),
        encoding="utf-8",
    )
    catalog = example_site / "locales" / "fr" / "LC_MESSAGES" / "notices.po"
    with catalog.open("rb") as handle:
        french = read_po(handle)
    for number, message in enumerate(french):
        if message.id and number % 4 == 0:
            message.string = ""
    with catalog.open("wb") as handle:
        write_po(handle, french)
    result = run(["build"], example_site)
    assert result.exit_code == 0, result.output
    assert "[i18n.locale-unpublished]" in result.stderr
    assert not (example_site / "output" / "fr").exists()
    assert "Built 1 notice(s) in 3 language(s)" in result.stdout


def test_pseudo_locales_are_built_on_demand(example_site: Path) -> None:
    result = run(["build", "--pseudo"], example_site)
    assert result.exit_code == 0, result.output
    accented = BeautifulSoup(
        (example_site / "output" / "en-XA" / "privacy-notice.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert accented.h1 is not None and accented.h1.get_text().startswith("[Þŕîṽàçý ñöţîçé")
    assert accented.select_one("a[href='mailto:dpo@example.com']")
    mirrored = (example_site / "output" / "ar-XB" / "privacy-notice.html").read_text(
        encoding="utf-8"
    )
    assert '<html lang="ar-XB" dir="rtl"' in mirrored
    # on demand only: a plain build publishes no pseudo-locale
    assert run(["build"], example_site).exit_code == 0
    assert not (example_site / "output" / "en-XA").exists()


def test_a_catalog_from_init_with_a_wrapped_plural_forms_header_builds(
    example_site: Path,
) -> None:
    """`i18n init pl` wraps Plural-Forms over two lines; the build must read it whole."""
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8")
        .replace("[en, nl, de, fr]", "[en, nl, de, fr, pl]")
        .replace("missing_translations: error", "missing_translations: fallback"),
        encoding="utf-8",
    )
    assert run(["i18n", "init", "pl"], example_site).exit_code == 0
    catalog = (example_site / "locales" / "pl" / "LC_MESSAGES" / "notices.po").read_text(
        encoding="utf-8"
    )
    header_line = next(line for line in catalog.split("\n") if "Plural-Forms:" in line)
    assert header_line.startswith('"Plural-Forms: nplurals=3; plural=')
    assert not header_line.endswith('\\n"'), "the premise: Babel wraps this header"
    result = run(["build"], example_site)
    assert result.exit_code == 0, result.output
    assert "i18n.plural-forms" not in result.output
    assert (example_site / "output" / "pl" / "privacy-notice.html").is_file()
