"""The loader's important error messages, exactly: code, file:line:col and text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SITES, copy_site, run

from notice_builder.loader import load_content

NOTICE = (SITES / "minimal" / "content" / "notice.yaml").read_text(encoding="utf-8")


def content_with(tmp_path: Path, notice_text: str) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SITES / "minimal" / "content", folder)
    (folder / "notice.yaml").write_text(notice_text, encoding="utf-8")
    return folder


def messages(folder: Path) -> list[str]:
    return [str(d).splitlines()[0] for d in load_content(folder).diagnostics]


def test_the_minimal_fixture_is_valid(tmp_path: Path) -> None:
    result = load_content(content_with(tmp_path, NOTICE))
    assert result.diagnostics == []
    assert result.content is not None
    assert [n.id for n in result.content.notices] == ["short-notice"]


def edited_notice(tmp_path: Path, old: str, new: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The notice with ``old`` replaced by ``new``, in a content folder below the working
    folder (messages show paths relative to it)."""
    assert old in NOTICE
    folder = content_with(tmp_path, NOTICE.replace(old, new))
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  title: A short notice",
            "  titel: A short notice\n  title: A short notice",
            "content/notice.yaml:14:3: error: unknown key 'titel' in 'notice' [schema.unknown-key]",
        ),
        (
            "      legal_bases: [consent]",
            "      legal_bases: [consnt]",
            "content/notice.yaml:22:21: error: 'notice.purposes[1].legal_bases[1]': expected one of "
            "consent, contract, legal-obligation, vital-interests, public-interest, "
            "legitimate-interests; found 'consnt' [schema.choice]",
        ),
        (
            '  version: "1"\n',
            "",
            "content/notice.yaml:13:3: error: missing required field 'version' in 'notice' [schema.missing]",
        ),
        (
            "    email: privacy@example.com",
            '    email: "[email\u00a0protected]"',
            "content/notice.yaml:9:12: error: 'parties[1].email': '[email\u00a0protected]' is not a valid "
            "e-mail address: An email address must have an @-sign. [schema.email]",
        ),
        (
            "      country: NL",
            "      country: XX",
            "content/notice.yaml:8:16: error: 'parties[1].address.country': 'XX' is not an ISO 3166-1 "
            "alpha-2 country code (e.g. NL, DE, US); see https://www.iso.org/obp/ui/#search/code/ "
            "[schema.country]",
        ),
        (  # CLDR names it, but it is a group of countries (accepted before)
            "      country: NL",
            "      country: EU",
            "content/notice.yaml:8:16: error: 'parties[1].address.country': 'EU' (European "
            "Union) is not a country: give the ISO 3166-1 alpha-2 code of one country (e.g. NL, "
            "DE, US) [schema.country]",
        ),
        (  # "Unknown Region" (accepted before)
            "      country: NL",
            "      country: ZZ",
            "content/notice.yaml:8:16: error: 'parties[1].address.country': 'ZZ' (Unknown "
            "Region) is not a country: give the ISO 3166-1 alpha-2 code of one country (e.g. NL, "
            "DE, US) [schema.country]",
        ),
        (
            "      country: NL",
            "      country: UK",
            "content/notice.yaml:8:16: error: 'parties[1].address.country': 'UK' is not an ISO "
            "3166-1 alpha-2 country code: did you mean GB? [schema.country]",
        ),
        (
            "      country: NL",
            "      country: nl",
            "content/notice.yaml:8:16: error: 'parties[1].address.country': 'nl' is not an ISO "
            "3166-1 alpha-2 country code: write it in capitals, NL [schema.country]",
        ),
        (
            "  controllers: [acme]",
            "  controllers: [acmee]",
            "content/notice.yaml:18:17: error: there is no party with the id 'acmee' [ref.unknown]",
        ),
        (
            "      retention: [newsletter]",
            "      retention: [newsletter, newsletter-old]",
            "content/notice.yaml:23:31: error: there is no retention rule with the id "
            "'newsletter-old' [ref.unknown]",
        ),
        (
            "    - id: keep",
            "    - id: who",
            "content/notice.yaml:37:11: error: the id 'who' is used twice in `sections` "
            "(first at content/notice.yaml:29:11) [ref.duplicate-id]",
        ),
        (
            "  effective_date: 2025-01-15",
            "  effective_date: 15 January 2025",
            "content/notice.yaml:16:19: error: 'notice.effective_date': expected a date as YYYY-MM-DD "
            "(e.g. 2024-04-15) or a month as YYYY-MM (e.g. 2024-04), found '15 January 2025' "
            "[schema.date]",
        ),
        (
            "      period: {duration: 2 years, or_earlier_on: [consent-withdrawn]}",
            "      period: {duration: two years}",
            "content/notice.yaml:27:26: error: 'notice.retention[1].period.duration': 'two years' is "
            "not in the expected form [schema.format]",
        ),
        (
            "  title: A short notice",
            "  title: A short notice\n  title: Again",
            "content/notice.yaml:15:3: error: the key 'title' appears twice in the same mapping "
            "(first at line 14) [yaml.duplicate-key]",
        ),
    ],
)
def test_error_messages(
    tmp_path: Path, old: str, new: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert expected in messages(edited_notice(tmp_path, old, new, monkeypatch))


def test_unknown_key_suggests_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = content_with(
        tmp_path, NOTICE.replace("  title: A short notice", "  titel: A short notice")
    )
    monkeypatch.chdir(tmp_path)
    problems = load_content(folder).diagnostics
    unknown = next(d for d in problems if d.code == "schema.unknown-key")
    assert unknown.hint.startswith("did you mean 'title'?")


def test_all_problems_are_reported_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = NOTICE.replace("[consent]", "[consnt]").replace("country: NL", "country: XX")
    broken = broken.replace('  version: "1"\n', "")
    monkeypatch.chdir(tmp_path)
    codes = sorted(d.code for d in load_content(content_with(tmp_path, broken)).diagnostics)
    assert codes == ["schema.choice", "schema.country", "schema.missing"]


def test_tab_indentation_is_a_located_syntax_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = content_with(tmp_path, NOTICE.replace('  version: "1"', '\tversion: "1"'))
    monkeypatch.chdir(tmp_path)
    (problem,) = load_content(folder).diagnostics
    assert problem.code == "yaml.syntax"
    assert str(problem.location) == "content/notice.yaml:15:1"
    assert "tab" in problem.message + problem.hint


def test_cli_reports_errors_without_traceback_and_exits_1(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    shutil.copytree(Path(__file__).parent.parent / "templates", site / "templates")
    notice = site / "content" / "notice.yaml"
    notice.write_text(NOTICE.replace("[consent]", "[consnt]"), encoding="utf-8")
    result = run(["build"], site)
    assert result.exit_code == 1
    assert "[schema.choice]" in result.output
    assert "Traceback" not in result.output
    assert not (site / "output").exists()


def test_cli_exits_2_when_yaml_cannot_be_loaded(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    shutil.copytree(Path(__file__).parent.parent / "templates", site / "templates")
    (site / "content" / "notice.yaml").write_bytes(b"notice: {id: 'x\n")
    result = run(["build"], site)
    assert result.exit_code == 2
    assert "[yaml.syntax]" in result.output


def test_yaml_files_the_build_skips_get_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file in a subfolder, or ending in .YAML, was skipped without a word: a notice
    filed under content/notices/ was never built. Hidden folders stay unread and quiet."""
    monkeypatch.chdir(tmp_path)
    folder = content_with(tmp_path, NOTICE)
    (folder / "notices").mkdir()
    (folder / "notices" / "other.yaml").write_text(NOTICE, encoding="utf-8")
    (folder / "Extra.YML").write_text(NOTICE, encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "hidden.yaml").write_text(NOTICE, encoding="utf-8")
    (folder / "notes.yaml.bak").write_text(NOTICE, encoding="utf-8")
    result = load_content(folder)
    assert result.content is not None
    assert [notice.id for notice in result.content.notices] == ["short-notice"]
    assert [str(d).splitlines() for d in result.diagnostics] == [
        [
            "content/Extra.YML: warning: this file is not read: a content file's name ends "
            "in .yaml or .yml, in lower case [content.not-read]",
            "  hint: rename it to Extra.yml, or give it another suffix if it is not content",
        ],
        [
            "content/notices/other.yaml: warning: this file is not read: the content files "
            "are the YAML files directly in content/ [content.not-read]",
            "  hint: move it into content/, or give it another suffix if it is not content",
        ],
    ]


def test_the_build_warns_about_a_notice_in_a_subfolder_and_builds_the_rest(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    shutil.copytree(Path(__file__).parent.parent / "templates", site / "templates")
    (site / "content" / "drafts").mkdir()
    other = NOTICE.replace("id: short-notice", "id: draft-notice", 1)
    (site / "content" / "drafts" / "draft.yaml").write_text(other, encoding="utf-8")
    result = run(["build"], site)
    assert result.exit_code == 0, result.output
    assert "drafts/draft.yaml: warning: this file is not read" in result.output
    assert "[content.not-read]" in result.output
    assert not list((site / "output").rglob("draft-notice.html"))


@pytest.mark.parametrize("written", ['""', '"   "'])
def test_a_text_given_empty_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """A notice titled "   " built pages with an empty heading in every language."""
    monkeypatch.chdir(tmp_path)
    folder = content_with(
        tmp_path, NOTICE.replace("  title: A short notice", f"  title: {written}")
    )
    assert messages(folder) == [
        "content/notice.yaml:14:10: error: 'notice.title': needs text, found none [schema.empty]"
    ]


@pytest.mark.parametrize(
    ("base_url", "accepted"),
    [
        ("https://www.example.com/privacy", True),
        ("https://www.example.com", True),
        ("https://www.example.com:8443/legal/privacy", True),
        ("http://xn--bcher-kva.example/datenschutz", True),
        ("https://www.example.fr/confidentialit%C3%A9", True),
        # a sitemap's addresses are URIs: written as IRIs, they were published as they were
        ("http://bücher.example/datenschutz", False),
        ("https://www.example.fr/confidentialité", False),
        ("https://www.example.com/<privacy>", False),
        ("https://www.example.com/100%", False),
        ("https://www.example.com/privacy/", False),
        ("https://www.example.com/privacy?lang=x", False),  # inside every page's address
        ("https://www.example.com/privacy#top", False),
        ("https://editor:secret@www.example.com/privacy", False),  # published on every page
        ("ftp://www.example.com/privacy", False),
    ],
)
def test_the_base_url_is_an_address_pages_can_be_put_under(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_url: str, accepted: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = content_with(tmp_path, NOTICE)
    site = folder / "site.yaml"
    text = site.read_text(encoding="utf-8")
    start = text.index("base_url:")
    end = text.index("\n", start)
    site.write_text(f'{text[:start]}base_url: "{base_url}"{text[end:]}', encoding="utf-8")
    found = [line for line in messages(folder) if "[schema.format]" in line]
    assert (found == []) is accepted, found


@pytest.mark.parametrize(
    ("damage", "error_code"),
    [
        ('  - id: late\n    legal_name: "never closed\n', "yaml.syntax"),
        ("  - id: odd\n    legal_name: Odd Ltd\n    email: [odd@example.com]\n", "schema.type"),
    ],
    ids=["parties-not-parsed", "parties-not-valid"],
)
def test_an_error_in_the_parties_file_is_not_repeated_at_every_reference(
    example_site: Path, damage: str, error_code: str
) -> None:
    """A typo in parties.yaml rejected the whole file, and then each reference to one of
    its parties was an error of its own: seven "there is no party with the id
    'ninjaone-llc'" ("known: none") below the one error to fix."""
    parties = example_site / "content" / "parties.yaml"
    parties.write_text(parties.read_text(encoding="utf-8") + damage, encoding="utf-8")
    found = load_content(example_site / "content").diagnostics
    assert [(d.code, d.location.path if d.location else "") for d in found] == [
        (error_code, str(parties))
    ]


def test_a_wrong_reference_is_still_reported_while_the_parties_file_is_invalid(
    example_site: Path,
) -> None:
    """The ids of an invalid file's parties are known from what was parsed."""
    parties = example_site / "content" / "parties.yaml"
    parties.write_text(parties.read_text().replace("country: US", "country: UK"))
    notice = example_site / "content" / "privacy-notice.yaml"
    notice.write_text(notice.read_text().replace("dpo: dpo", "dpo: dpoo"))
    found = load_content(example_site / "content").diagnostics
    assert [d.code for d in found] == ["schema.country", "ref.unknown"]
    assert found[1].message == "there is no party with the id 'dpoo'"
    assert found[1].hint == "did you mean 'dpo'?"


def test_a_misspelt_placeholder_is_an_error_that_names_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`{DPO.email}` or `{ dpo.email }` built with exit 0, and every page showed the
    braces; braces that are no attempt at a placeholder (no dotted name) stay text."""
    site = copy_site(SITES / "minimal", tmp_path / "site")
    notice = site / "content" / "notice.yaml"
    written = "Write to {Acme.Email}, { acme.email } or {acme.e-mail} (see {note}, {}) or call"
    notice.write_text(NOTICE.replace("Write to {acme.email} or call", written), encoding="utf-8")
    monkeypatch.chdir(site)
    result = run(["build"], site)
    assert result.exit_code == 1
    not_one = "looks like a placeholder but is not one: the page would show it as written, braces and all [ref.placeholder]"
    assert result.output.splitlines()[:6] == [
        f"content/notice.yaml:31:13: error: '{{Acme.Email}}' {not_one}",
        "  hint: did you mean {acme.email}?",
        f"content/notice.yaml:31:13: error: '{{ acme.email }}' {not_one}",
        "  hint: did you mean {acme.email}?",
        f"content/notice.yaml:31:13: error: '{{acme.e-mail}}' {not_one}",
        "  hint: write a placeholder as {party-id.field} in lower case without spaces, the "
        "field one of: name, email, phone, web, address; or remove the braces",
    ]
    assert "{note}" not in result.output
    assert not (site / "output").exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  controllers: [acme]",
            "  controllers: [acme, acme]",
            "content/notice.yaml:18:23: error: 'acme' is listed twice in `controllers` (first "
            "at content/notice.yaml:18:17) [schema.listed-twice]",
        ),
        (
            "      legal_bases: [consent]",
            "      legal_bases: [consent, consent]",
            "content/notice.yaml:22:30: error: 'consent' is listed twice in `legal_bases` "
            "(first at content/notice.yaml:22:21) [schema.listed-twice]",
        ),
        (
            "      retention: [newsletter]",
            "      retention: [newsletter, newsletter]",
            "content/notice.yaml:23:31: error: 'newsletter' is listed twice in `retention` "
            "(first at content/notice.yaml:23:19) [schema.listed-twice]",
        ),
        (
            "or_earlier_on: [consent-withdrawn]",
            "or_earlier_on: [consent-withdrawn, consent-withdrawn]",
            "content/notice.yaml:27:70: error: 'consent-withdrawn' is listed twice in "
            "`or_earlier_on` (first at content/notice.yaml:27:51) [schema.listed-twice]",
        ),
        (
            "      show: [purposes, retention]",
            "      show: [purposes, retention, purposes]",
            "content/notice.yaml:39:35: error: 'purposes' is listed twice in `show` (first at "
            "content/notice.yaml:39:14) [schema.listed-twice]",
        ),
    ],
)
def test_a_value_listed_twice_is_an_error_at_the_second(
    tmp_path: Path, old: str, new: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`controllers: [acme, acme]` built, and the page showed the controller twice."""
    folder = edited_notice(tmp_path, old, new, monkeypatch)
    assert messages(folder) == [expected]
    assert load_content(folder).diagnostics[0].hint == "remove one: the page would show it twice"


def test_the_lines_of_an_address_may_repeat(tmp_path: Path) -> None:
    """Only lists of ids and choices are checked; free text may repeat."""
    notice = NOTICE.replace("street: [Keizersgracht 1]", "street: [Unit 1, Unit 1]")
    assert load_content(content_with(tmp_path, notice)).diagnostics == []


def test_repeats_are_errors_in_the_example_not_duplicate_ids_in_its_pages(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Repeated ids were published twice, and `check` reported html.id.duplicate at
    files of output/ that it had never written."""
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8")
    for old, new in [
        ("[ninjaone-llc, ninjaone-gmbh]", "[ninjaone-llc, ninjaone-gmbh, ninjaone-llc]"),
        (
            "show: [data-categories, data-sources]",
            "show: [data-categories, data-sources, data-categories]",
        ),
    ]:
        assert old in text
        text = text.replace(old, new)
    notice.write_text(text, encoding="utf-8")
    monkeypatch.chdir(example_site)
    result = run(["check"], example_site)
    assert result.exit_code == 1
    found = [line for line in result.output.splitlines() if ": error: " in line]
    assert found == [
        "content/privacy-notice.yaml:16:46: error: 'ninjaone-llc' is listed twice in "
        "`controllers` (first at content/privacy-notice.yaml:16:17) [schema.listed-twice]",
        "content/privacy-notice.yaml:155:45: error: 'data-categories' is listed twice in "
        "`show` (first at content/privacy-notice.yaml:155:14) [schema.listed-twice]",
    ]
    assert "html.id.duplicate" not in result.output


@pytest.mark.parametrize(
    ("written", "usual"),
    [("+49 (0)30 1234567", "+49 30 1234567"), ("+31(0)20 555 0100", "+31 20 555 0100")],
)
def test_a_phone_number_with_the_trunk_prefix_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, usual: str
) -> None:
    """`+49 (0)30 1234567` was linked as tel:+490301234567, which is not the number."""
    phone = f'phone: "{written}"'
    folder = edited_notice(tmp_path, "phone: +31 20 555 0100", phone, monkeypatch)
    (problem,) = load_content(folder).diagnostics
    dialled = "+" + "".join(c for c in written if c.isdigit())
    assert str(problem).splitlines() == [
        f"content/notice.yaml:10:12: error: 'parties[1].phone': '{written}' has a (0) after "
        f"the country code: the tel: link would dial {dialled}, which is not the number "
        "[schema.phone]",
        f"  hint: write {usual}: leave out the (0), which is dialled only within the country",
    ]


@pytest.mark.parametrize(
    ("title", "number"),
    [("1. Who we are", "1."), ("2) Who we are", "2)"), ("1.2 Who we are", "1.2")],
)
def test_a_number_typed_into_a_section_title_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str, number: str
) -> None:
    """`title: 1. Why we process ...` was shown as "1. 1. Why we process ..."."""
    folder = edited_notice(tmp_path, "title: Who we are", f"title: {title}", monkeypatch)
    (problem,) = load_content(folder).diagnostics
    assert str(problem).splitlines() == [
        f"content/notice.yaml:30:14: error: 'notice.sections[1].title': the title starts with "
        f"the number '{number}' [schema.numbered-title]",
        f"  hint: the page numbers sections itself; remove '{number}' from the title",
    ]


@pytest.mark.parametrize("title", ["2024 changes", "3rd parties", "Data kept 2. time"])
def test_a_title_that_starts_with_a_figure_is_no_number(tmp_path: Path, title: str) -> None:
    folder = content_with(tmp_path, NOTICE.replace("title: Who we are", f"title: {title}"))
    assert load_content(folder).diagnostics == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  controllers: [acme]",
            "  controllers: acme",
            [
                "content/notice.yaml:18:16: error: 'notice.controllers': expected a list "
                "(lines starting with '- '), found 'acme' [schema.type]",
                "  hint: write it as a list: `controllers: [acme]`, or one `- item` per line",
            ],
        ),
        (
            "    - id: who\n",
            "    - [who]\n    - id: who\n",
            [
                "content/notice.yaml:29:7: error: 'notice.sections[1]': expected a mapping of "
                "keys and values, found a list [schema.type]",
                "  hint: write each entry of `sections:` as keys and values: the first after "
                "`- `, the others lined up below it (see docs/reference.md)",
            ],
        ),
        (
            "  effective_date: 2025-01-15",
            "  effective_date: 2024-02-30",
            [
                "content/notice.yaml:16:19: error: 'notice.effective_date': the date "
                "'2024-02-30' does not exist: February 2024 has 29 days, not 30 [schema.date]"
            ],
        ),
        (
            "  effective_date: 2025-01-15",
            "  effective_date: 2024-04-01T10:00:00",
            [
                "content/notice.yaml:16:19: error: 'notice.effective_date': expected a date "
                "without a time (2024-04-01), found '2024-04-01T10:00:00' [schema.date]"
            ],
        ),
        (
            "notice:\n",
            "---\nnotice:\n",
            [
                "content/notice.yaml:12:1: error: a second document starts here: a file holds "
                "one document [yaml.syntax]",
                "  hint: remove the `---` line (or split the file in two)",
            ],
        ),
    ],
    ids=["list", "mapping", "no-such-day", "date-and-time", "second-document"],
)
def test_messages_say_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, expected: list[str]
) -> None:
    """Every schema.type said "quote text that YAML reads as a number", 2024-02-30 was
    "not a date as YYYY-MM-DD", a date and time got pydantic's own sentence, and a `---`
    got a hint about indentation."""
    assert old in NOTICE
    monkeypatch.chdir(tmp_path)
    (problem,) = load_content(content_with(tmp_path, NOTICE.replace(old, new, 1))).diagnostics
    assert str(problem).splitlines() == expected
