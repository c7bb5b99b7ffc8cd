"""`notice-builder i18n check`: each broken translation reported with its code and file:line."""

from __future__ import annotations

import importlib
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
from babel.messages.catalog import Catalog, Message
from click.testing import CliRunner

from notice_builder.cli import cli
from notice_builder.errors import NoticeBuilderError
from notice_builder.i18n import quality
from notice_builder.i18n.catalog_io import read_catalog, write_catalog
from notice_builder.i18n.differences import placeholder_difference, placeholders

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"
NL = Path("locales/nl/LC_MESSAGES/notices.po")
CONTACT = "privacy-notice.controller.contact"
DESCRIPTION = "privacy-notice.purposes.marketing.description"
COMPLAINT = "privacy-notice.rights.complaint"
RETENTION = "privacy-notice.retention.note"
SECTIONS = "ui.sections-count"


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
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project with every nl message translated and not fuzzy, as the
    current folder (so reported paths are relative)."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "project", root)
    monkeypatch.chdir(root)
    edit(root, RETENTION, "Back-ups zijn **versleuteld** en worden 30 dagen bewaard.")
    catalog = read_catalog(root / NL)
    for message in catalog:
        message.flags.discard("fuzzy")
    write_catalog(catalog, root / NL, sort=False)
    return root


def edit(root: Path, context: str, string: str | tuple[str, ...]) -> None:
    catalog = read_catalog(root / NL)
    message = next(m for m in catalog if m.context == context)
    message.string = string
    write_catalog(catalog, root / NL, sort=False)


def msgid_line(root: Path, context: str) -> int:
    lines = (root / NL).read_text(encoding="utf-8").split("\n")
    return lines.index(f'msgctxt "{context}"') + 2


def findings(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("i18n", "check", "--format", "json", *args)
    return result.code, json.loads(result.out)["findings"]


def where(finding: dict[str, Any]) -> str:
    return f"{finding['location']['path']}:{finding['location']['line']}"


def test_a_clean_catalog_passes(site: Path) -> None:
    result = run("i18n", "check")

    assert result.code == 0
    assert "No problems found" in result.out


@pytest.mark.parametrize(
    ("context", "translation", "code"),
    [
        (
            CONTACT,
            "Neem contact op met onze functionaris via {dpo.mail}.",
            "i18n.placeholder",
        ),
        (
            COMPLAINT,
            "Je kunt een klacht indienen bij de [toezichthouder](https://example.org).",
            "i18n.link-target",
        ),
        (
            DESCRIPTION,
            "We bewaren je adres 24 maanden. Lees [ons cookiebeleid]"
            "(https://example.com/cookies) of schrijf naar privacy@example.nl.",
            "i18n.email",
        ),
        (
            RETENTION,
            "Back-ups zijn **versleuteld** <script>alert('x')</script> en 30 dagen bewaard.",
            "i18n.html",
        ),
    ],
)
def test_each_broken_translation_is_reported_with_code_and_catalog_line(
    site: Path, context: str, translation: str, code: str
) -> None:
    edit(site, context, translation)

    status, found = findings()

    assert status == 1
    assert [(f["code"], where(f)) for f in found] == [(code, f"{NL}:{msgid_line(site, context)}")]
    assert found[0]["severity"] == "error"
    assert found[0]["extra"] == {"msgctxt": context}


def test_text_report_names_file_line_and_code(site: Path) -> None:
    edit(site, CONTACT, "Mail {dpo.mail}.")

    result = run("i18n", "check")

    line = msgid_line(site, CONTACT)
    assert result.code == 1
    assert f"{NL}:{line}: error: placeholders differ from the source text" in result.out
    assert "missing {dpo.email}; not in the source: {dpo.mail} [i18n.placeholder]" in result.out


def test_doubled_braces_around_a_placeholder_are_an_error(site: Path) -> None:
    """The page showed {<a href="mailto:...">...</a>}: i18n check, build and check passed."""
    edit(site, CONTACT, "Neem contact op met onze functionaris via {{dpo.email}}.")

    status, found = findings()

    assert status == 1
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [
        (
            "i18n.placeholder",
            "error",
            "placeholders differ from the source text: missing {dpo.email}; "
            "not in the source: {{dpo.email}}",
        )
    ]


def test_a_placeholder_used_more_often_than_in_the_source_is_named_as_such(site: Path) -> None:
    """It was reported as "not in the source: {dpo.email}", though the source has it."""
    edit(site, CONTACT, "Mail {dpo.email} of {dpo.email}.")

    _, found = findings()

    assert [f["message"] for f in found] == [
        "placeholders differ from the source text: {dpo.email} appears 2 times, "
        "the source has it once"
    ]


def test_changed_url_and_number_are_reported(site: Path) -> None:
    edit(site, DESCRIPTION, "Zie https://example.org/privacy. We bewaren je adres 12 maanden.")

    _, found = findings()

    codes = {f["code"]: f["severity"] for f in found}
    assert codes["i18n.url"] == "error"
    assert codes["i18n.number"] == "warning"


def test_a_number_change_alone_is_a_warning(site: Path) -> None:
    edit(site, RETENTION, "Back-ups zijn **versleuteld** en worden 31 dagen bewaard.")

    assert run("i18n", "check").code == 0
    assert findings("--strict")[0] == 1


def test_broken_markdown_is_reported(site: Path) -> None:
    edit(site, RETENTION, "Back-ups zijn **versleuteld en worden 30 dagen bewaard.")

    _, found = findings()

    assert [f["code"] for f in found] == ["i18n.markup"]
    assert "unbalanced ** (bold)" in found[0]["message"]


def test_fuzzy_and_untranslated_are_warnings(site: Path) -> None:
    catalog = read_catalog(site / NL)
    next(m for m in catalog if m.context == CONTACT).flags.add("fuzzy")
    next(m for m in catalog if m.context == RETENTION).string = ""
    write_catalog(catalog, site / NL, sort=False)

    status, found = findings()

    assert status == 0
    assert sorted((f["code"], f["severity"]) for f in found) == [
        ("i18n.fuzzy", "warning"),
        ("i18n.untranslated", "warning"),
    ]
    assert run("i18n", "check", "--strict").code == 1


def test_a_partly_translated_plural_is_an_error(site: Path) -> None:
    edit(site, SECTIONS, ("{count} sectie", ""))

    _, found = findings()

    assert [(f["code"], where(f)) for f in found] == [
        ("i18n.plural-forms", f"{NL}:{msgid_line(site, SECTIONS)}")
    ]


def test_plural_forms_header_must_agree_with_cldr(site: Path) -> None:
    path = site / NL
    text = path.read_text(encoding="utf-8")
    wrong = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
    path.write_text(text.replace("nplurals=2; plural=(n != 1);", wrong), encoding="utf-8")

    _, found = findings()

    lines = path.read_text(encoding="utf-8").split("\n")
    assert [(f["code"], f["location"]["line"]) for f in found] == [
        ("i18n.plural-forms", lines.index(f'"Plural-Forms: {wrong}\\n"') + 1),
        ("i18n.plural-forms", msgid_line(site, SECTIONS)),
    ]
    assert "nplurals=3" in found[0]["message"] and "nplurals=2" in found[0]["hint"]
    assert "msgstr[2]" in found[1]["message"]


def test_a_link_target_is_quoted_whole(site: Path) -> None:
    """Markdown reads balanced parentheses as part of a link's target: the message named
    "javascript:alert(1", cut at the first ")"."""
    edit(
        site, COMPLAINT, "Je kunt een klacht indienen bij de [toezichthouder](javascript:alert(1))."
    )

    _, found = findings()

    assert [f["code"] for f in found] == ["i18n.link-target"]
    assert found[0]["message"] == (
        "link targets differ from the source text: missing "
        "https://autoriteitpersoonsgegevens.nl; not in the source: javascript:alert(1)"
    )


def test_babel_checkers_are_reported(site: Path) -> None:
    catalog = read_catalog(site / NL)
    catalog.add("%s of %s", "%s", context="ui.pages")  # positional: not one the build checks
    write_catalog(catalog, site / NL, sort=False)

    _, found = findings()

    assert [(f["code"], where(f), f["message"]) for f in found] == [
        (
            "i18n.babel-check",
            f"{NL}:{msgid_line(site, 'ui.pages')}",
            "Babel python_format check: positional format placeholders are unbalanced",
        )
    ]


def test_a_format_the_build_refuses_is_reported_once_as_the_build_does(site: Path) -> None:
    """The build's i18n.catalog.format; Babel's python_format check would say it again."""
    catalog = read_catalog(site / NL)
    catalog.add("Hello %(name)s", "Hallo %(naam)s", context="ui.greeting")
    write_catalog(catalog, site / NL, sort=False)

    _, found = findings()

    assert [(f["code"], where(f), f["message"]) for f in found] == [
        (
            "i18n.catalog.format",
            f"{NL}:{msgid_line(site, 'ui.greeting')}",
            'the translation of "Hello %(name)s" is not used: it uses the variable '
            "%(naam)s, which the original does not have",
        )
    ]


def test_a_plural_form_for_many_numbers_must_show_the_number(site: Path) -> None:
    """msgstr[1] is for 0, 2, 3, ...: without %(num)d the reader cannot tell how many
    (msgfmt -c refuses it); msgstr[0], for 1 alone, may say "one"."""
    catalog = read_catalog(site / NL)
    ids = ("one section", "%(num)d sections")
    catalog.add(ids, ("één sectie", "meerdere secties"), context="ui.count")
    write_catalog(catalog, site / NL, sort=False)

    _, found = findings()

    assert [(f["code"], where(f), f["message"]) for f in found] == [
        (
            "i18n.catalog.format",
            f"{NL}:{msgid_line(site, 'ui.count')}",
            'the translation of "one section" is not used: msgstr[1] (for 0, 2, 3, ...): '
            "it leaves out %(num)d, which the original has",
        )
    ]


def test_only_chosen_languages_are_checked(site: Path) -> None:
    edit(site, CONTACT, "Mail {dpo.mail}.")
    shutil.copytree(site / "locales/nl", site / "locales/de")
    german = site / "locales/de/LC_MESSAGES/notices.po"
    german.write_text(german.read_text().replace('"Language: nl\\n"', '"Language: de\\n"'))

    assert len(findings("nl")[1]) == 1
    assert len(findings()[1]) == 2


def test_a_catalog_for_another_language_than_its_folder_is_reported(site: Path) -> None:
    """A copy of the Dutch catalog saved as the German one: the build refuses it, and
    `i18n check` found nothing wrong."""
    shutil.copytree(site / "locales/nl", site / "locales/de")
    code, found = findings("de")
    assert code == 1
    assert [(f["code"], f["location"]["path"]) for f in found] == [
        ("i18n.catalog.language", "locales/de/LC_MESSAGES/notices.po")
    ]


# --- the comparisons -----------------------------------------------------------------


def check(source: str | tuple[str, str], target: str | tuple[str, ...]) -> list[str]:
    catalog = Catalog(locale="ar" if isinstance(source, tuple) else "nl")
    message = Message(source, target, context="x", lineno=3)
    return [d.code for d in quality.check_message(catalog, message, Path("ar.po"))]


@pytest.mark.parametrize(
    ("source", "target", "codes"),
    [
        ("Mail {dpo.email}", "Mail {dpo.email}", []),
        ("Mail {dpo.email}", "Mail {dpo.email} {dpo.email}", ["i18n.placeholder"]),
        ("Mail {dpo.email}", "Mail {dpo. email}", ["i18n.placeholder"]),
        # doubled braces: the page shows them around the value
        ("Mail {dpo.email}.", "Mail {{dpo.email}}.", ["i18n.placeholder"]),
        ("Mail {dpo.email}.", "Mail {{dpo.email}.", ["i18n.placeholder"]),
        ("Keep {{these}} and {dpo.email}", "Behalte {{these}} und {dpo.email}", []),
        ("See [our policy](/cookies).", "Zie [ons beleid](/cookies).", []),
        ("See [our policy](/cookies).", "Zie [ons beleid] (/cookies).", ["i18n.link-target"]),
        ("Write to a@example.com.", "Schrijf naar A@Example.com.", []),
        ("Visit https://example.com.", "Bezoek https://example.com.", []),
        ("Visit https://example.com.", "Bezoek http://example.com.", ["i18n.url"]),
        ("Article 6(1)(f)", "Artikel 6(1)(f)", []),
        ("Within 30 days", "Binnen ٣٠ dagen", []),
        ("A <b>bold</b> claim", "Een <b>stellige</b> bewering", []),
        ("A claim", "Een <i>bewering</i>", ["i18n.html"]),
        ("Use `code` here", "Gebruik `code hier", ["i18n.markup"]),
        ("Keep [this] (a) as is", "Houd [dit] (a) zo", []),
        # one message is one paragraph or list item: blocks on new lines run together
        ("We protect it.", "Wir schützen sie.\n\nImmer.", ["i18n.markup"]),
        ("We protect it.", "Wir schützen sie:\n- gut\n- sicher", ["i18n.markup"]),
        ("We protect it.", "Wir schützen sie:\n2. sicher", ["i18n.number", "i18n.markup"]),
        ("We protect it.", "Wir schützen sie\n===", ["i18n.markup"]),
        ("We protect it.", "Wir schützen\n> sie", ["i18n.markup"]),
        ("We protect it.", "Wir schützen\nsie.", []),  # a line break is a space
        ("From 1 January", "1. Januar an", []),  # shown as written
        ("On 1 January", "# 1 Januar", []),
    ],
)
def test_comparisons(source: str, target: str, codes: list[str]) -> None:
    assert check(source, target) == codes


def test_plural_forms_may_drop_but_not_add_placeholders() -> None:
    source = ("{count} section", "{count} sections")
    forms = ("لا أقسام", "قسم واحد", "قسمان", "{count} أقسام", "{count} قسمًا", "{count} قسم")
    assert check(source, forms) == []
    assert check(source, (*forms[:5], "{total} قسم")) == ["i18n.placeholder"]


@pytest.mark.parametrize(
    ("extract", "text", "expected"),
    [
        (placeholders, "Ask {dpo.name} at {dpo.email}", ["{dpo.name}", "{dpo.email}"]),
        (placeholders, "{{a}} {{b} {c}}} {{{d", ["{{a}}", "{{b}", "{c}}}"]),
        (
            quality.link_targets,
            '[a](https://x.org "T") and [b](<mailto:x@y.z>)',
            ["https://x.org", "mailto:x@y.z"],
        ),
        (
            quality.link_targets,
            "[Kiel](https://de.wikipedia.org/wiki/Kiel_(Stadt)) [x](a(b(c))) [y](a(b(c(d))))",
            ["https://de.wikipedia.org/wiki/Kiel_(Stadt)", "a(b(c))"],  # two levels deep
        ),
        (quality.link_targets, "[a](<x y> 'T') [b]( c  ) [d](e", ["c"]),
        (quality.emails, "Mail [us](mailto:x@y.org) or dpo@example.com.", ["dpo@example.com"]),
        (
            quality.urls,
            "See https://example.com/a, or www.example.org.",
            ["https://example.com/a", "www.example.org"],
        ),
        (quality.numbers, "Within ٣٠ days, see {rule.2} and https://x.org/9", ["30"]),
        (quality.html_tags, "a <b>c</b> <https://x.org> <x@y.z>", ["<b>", "</b>"]),
    ],
)
def test_extractors(extract: Callable[[str], list[str]], text: str, expected: list[str]) -> None:
    assert extract(text) == expected


# --- untrusted text: the patterns must not backtrack -----------------------------------
# A translation is untrusted. '[a](b' * 4000 took `i18n check` 19 s: from each "](" the
# link pattern scanned to the end of the text and gave it back a character at a time.
# The tests below show the patterns give the right answer on such shapes; the time is
# shown by the patterns' structure (the last test), not by a clock.

HOSTILE = 2000


@pytest.mark.parametrize(
    ("extract", "text", "expected"),
    [
        pytest.param(quality.link_targets, "[a](b" * HOSTILE, [], id="link-unclosed"),
        pytest.param(quality.link_targets, "[a](b)" * HOSTILE, ["b"] * HOSTILE, id="links"),
        pytest.param(quality.link_targets, "](" + " " * HOSTILE + "x", [], id="link-spaces"),
        pytest.param(quality.link_targets, '[a](b "' * HOSTILE, [], id="link-titles"),
        pytest.param(quality.link_targets, "[a](" + "(" * HOSTILE, [], id="link-parentheses"),
        pytest.param(quality.emails, "a" * HOSTILE, [], id="address-letters"),
        pytest.param(
            quality.emails, "a" * HOSTILE + "@x.org", ["a" * HOSTILE + "@x.org"], id="address"
        ),
        pytest.param(quality.emails, "a@" + "b" * HOSTILE, [], id="address-no-dot"),
        pytest.param(quality.html_tags, "<a " * HOSTILE, [], id="tags-unclosed"),
        pytest.param(quality.html_tags, "<a " * HOSTILE + ">", ["<a>"], id="tag"),
        pytest.param(placeholders, "{" * HOSTILE, [], id="braces"),
        pytest.param(placeholders, "{" * HOSTILE + "a}", ["{" * HOSTILE + "a}"], id="placeholder"),
    ],
)
def test_hostile_shapes(
    extract: Callable[[str], list[str]], text: str, expected: list[str]
) -> None:
    assert extract(text) == expected


def _repeats(pattern: re.Pattern[str]) -> list[str]:
    """The kinds of repeat in a compiled pattern (``MAX_REPEAT`` backtracks, and
    ``POSSESSIVE_REPEAT`` never gives back what it took), read by Python's own parser."""
    parser = importlib.import_module("re._parser")
    return [opcode for opcode in _opcodes(parser.parse(pattern.pattern)) if "REPEAT" in opcode]


def _opcodes(node: object) -> Iterator[str]:
    if hasattr(node, "data"):  # a parsed (sub)pattern: a list of (opcode, argument)
        for opcode, argument in node.data:
            yield str(opcode)
            yield from _opcodes(argument)
    elif isinstance(node, list | tuple):
        for part in node:
            yield from _opcodes(part)


@pytest.mark.parametrize("name", ["_LINK_TARGET", "_EMAIL", "PLACEHOLDER_PATTERN"])
def test_the_link_address_and_placeholder_patterns_cannot_backtrack(name: str) -> None:
    """Every repeat is possessive, so a failed match costs one pass over what it read; and
    the address and placeholder patterns start only where a run of their first characters
    does (a look-behind), not at each of them: the work is linear in the text's length."""
    pattern = getattr(quality, name)
    repeats = _repeats(pattern)
    assert repeats and set(repeats) == {"POSSESSIVE_REPEAT"}
    assert name != "_EMAIL" or pattern.pattern.startswith(r"(?<![\w.+-])[\w.+-]++")
    assert name != "PLACEHOLDER_PATTERN" or pattern.pattern.startswith(r"(?<!\{)\{++")


@pytest.mark.parametrize(
    ("translation", "refused"),
    [
        ("Schrijf naar {dpo.email}.", False),
        ("Schrijf naar {dpo.Email}.", True),  # shown as written
        ("Schrijf naar { dpo.email }.", True),
        ("Schrijf ons.", True),  # the address is lost
        ("Schrijf naar {dpo.email} of {dpo.email}.", True),
        ("Schrijf naar {dpo.email} {{ 7*7 }}.", False),  # text, escaped; i18n check says so
    ],
)
def test_the_build_refuses_a_translation_that_drops_or_misspells_a_placeholder(
    translation: str, refused: bool
) -> None:
    found = placeholder_difference("Write to {dpo.email}.", translation, strict=True)
    assert bool(found) is refused, found
