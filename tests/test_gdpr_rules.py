"""The `gdpr` profile: no finding on a clean notice, one planted defect per rule, the example.

Each case copies ``tests/fixtures/gdpr`` (a notice that meets every rule) to a
temporary folder, plants one defect by editing the YAML text, and expects exactly
one finding: its code, its file:line:col and the key words of its message.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from notice_builder.checks.gdpr import RULES, check_transparency
from notice_builder.diagnostics import Diagnostic, Location, Severity
from notice_builder.loader import LoadResult, load_content

FIXTURES = Path(__file__).parent / "fixtures" / "gdpr"
EXAMPLE = Path(__file__).parent.parent / "content"
NOTICE = "notice.yaml"
PARTIES = "parties.yaml"
NOTICE_ID = r"^  id: (clean-notice)"


# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in one fixture file."""

    old: str
    new: str
    file: str = NOTICE


def build(folder: Path, *edits: Edit, extra: dict[str, str] | None = None) -> Path:
    """A content folder: the fixtures with ``edits`` applied, plus ``extra`` files."""
    content = folder / "content"
    shutil.copytree(FIXTURES, content)
    for edit in edits:
        path = content / edit.file
        text = path.read_text(encoding="utf-8")
        assert text.count(edit.old) == 1, f"{edit.old!r} must occur once in {edit.file}"
        path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")
    for name, text in (extra or {}).items():
        (content / name).write_text(text, encoding="utf-8")
    return content


def load(content: Path) -> LoadResult:
    """Load a content folder that must be valid."""
    result = load_content(content)
    assert result.diagnostics == [], "\n".join(map(str, result.diagnostics))
    assert result.content is not None
    return result


def run(content: Path) -> list[Diagnostic]:
    result = load(content)
    assert result.content is not None
    return check_transparency(result.content, result.sources)


def position(path: Path, pattern: str) -> Location:
    """Where the first group of the first match of ``pattern`` (multi-line) starts in ``path``."""
    text = path.read_text(encoding="utf-8")
    match = re.search(pattern, text, re.MULTILINE | re.DOTALL)
    assert match is not None, f"{pattern!r} not found in {path}"
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Location.of(path, line, column)


def extra(diagnostic: Diagnostic) -> dict[str, str]:
    return dict(diagnostic.extra)


# ---------------------------------------------------------------- planted defects


@dataclass(frozen=True)
class Case:
    """One planted defect: the edits, where the finding must be and what it must say."""

    code: str
    edits: tuple[Edit, ...]
    at: str
    says: str
    at_file: str = NOTICE
    target: str | None = None


def case(
    code: str, *edits: Edit, at: str, says: str, at_file: str = NOTICE, target: str | None = None
) -> Case:
    return Case(code, edits, at, says, at_file, target)


def drop(text: str, file: str = NOTICE) -> Edit:
    return Edit(text, "", file)


def show(old: str, new: str) -> Edit:
    return Edit(f"show: [{old}]", f"show: [{new}]")


USED = Edit("used: false", "used: true")
NO_OBJECTION_SECTION = drop(
    "    - id: objection\n      title: Your right to object\n      show: [rights]\n"
    "      rights: [objection]\n"
)
WITH_REPRESENTATIVE = Edit("  dpo: acme-dpo\n", "  dpo: acme-dpo\n  eu_representative: acme-rep\n")
RIGHTS_KEY = r"^  (rights):"

CASES = [
    # Art. 9(2)
    case(
        "gdpr.9-2.condition-missing",
        drop(", art9_condition: explicit-consent"),
        at=r"- (\{id: health)",
        says="'health' is a special category but names no Art. 9(2) condition",
        target="health",
    ),
    # Art. 13(1)(a)
    case(
        "gdpr.13-1-a.controller-missing",
        Edit("    legal_name: Acme B.V.\n", "    label: Acme\n", PARTIES),
        at=r"- id: (acme-bv)",
        at_file=PARTIES,
        says="names 'acme-bv' as a controller, but that party has no `legal_name`",
        target="acme-bv",
    ),
    case(
        "gdpr.13-1-a.controller-contact-missing",
        Edit("controllers: [acme-bv]", "controllers: [acme-bv, acme-web]"),
        at=r"- id: (acme-web)",
        at_file=PARTIES,
        says="'acme-web' as a controller, but that party has no e-mail address, phone number",
        target="acme-web",
    ),
    case(
        "gdpr.13-1-a.representative-contact-missing",
        Edit("  dpo: acme-dpo\n", "  dpo: acme-dpo\n  eu_representative: bare-office\n"),
        show("controllers, dpo", "controllers, dpo, eu-representative"),
        at=r"- id: (bare-office)",
        at_file=PARTIES,
        says="names 'bare-office' as EU representative, but that party has no e-mail",
        target="bare-office",
    ),
    case(
        "gdpr.13-1-a.representative-missing",
        Edit("controllers: [acme-bv]", "controllers: [acme-us]"),
        at=r"^  (controllers):",
        says="no controller has an address in the EEA (US) and the notice names no "
        "`eu_representative`",
    ),
    case(
        "gdpr.13-1-a.controllers-not-shown",
        show("controllers, dpo", "dpo"),
        at=r"^  (controllers):",
        says="`controllers` is declared, but no section shows the `controllers` block",
    ),
    case(
        "gdpr.13-1-a.representative-not-shown",
        WITH_REPRESENTATIVE,
        at=r"^  (eu_representative):",
        says="`eu_representative` is declared, but no section shows the `eu-representative` block",
    ),
    # Art. 13(1)(b)
    case(
        "gdpr.13-1-b.dpo-contact-missing",
        Edit("dpo: acme-dpo", "dpo: bare-office"),
        at=r"- id: (bare-office)",
        at_file=PARTIES,
        says="names 'bare-office' as data protection officer, but that party has no e-mail",
        target="bare-office",
    ),
    case(
        "gdpr.13-1-b.dpo-not-shown",
        show("controllers, dpo", "controllers"),
        at=r"^  (dpo):",
        says="`dpo` is declared, but no section shows the `dpo` block",
    ),
    # Art. 13(1)(c)
    case(
        "gdpr.13-1-c.legal-basis-missing",
        Edit("legal_bases: [contract, consent,", "legal_bases: [consent,"),
        at=r"legal_bases: \[(contract)\]",
        says="`legal_bases:` list leaves out 'contract' (Art. 6(1)(b)), which the purpose 'service'",
        target="contract",
    ),
    case(
        "gdpr.13-1-c.legal-basis-unused",
        Edit(
            "legitimate-interests, legal-obligation]",
            "legitimate-interests, legal-obligation, public-interest]",
        ),
        at=r"(public-interest)",
        says="lists the legal basis 'public-interest' (Art. 6(1)(e)), but no purpose relies on it",
        target="public-interest",
    ),
    case(
        "gdpr.13-1-c.purpose-not-shown",
        show("purposes, legal-bases", "legal-bases"),
        at=r"^  (purposes):",
        says="`purposes` is declared, but no section shows the `purposes` block",
    ),
    # Art. 13(1)(d)
    case(
        "gdpr.13-1-d.legitimate-interest-missing",
        drop("      legitimate_interest: Keeping our systems and your account secure.\n"),
        at=r"- (id: security)",
        says="the purpose 'security' relies on legitimate interests but does not say which",
        target="security",
    ),
    # Art. 13(1)(e)
    case(
        "gdpr.13-1-e.recipients-missing",
        drop("  recipients:\n    - {id: hosting, name: Hosting providers}\n"),
        at=NOTICE_ID,
        says="the notice names no recipients",
    ),
    case(
        "gdpr.13-1-e.recipients-not-shown",
        show("recipients, transfers", "transfers"),
        at=r"^  (recipients):",
        says="`recipients` is declared, but no section shows the `recipients` block",
    ),
    # Art. 13(1)(f)
    case(
        "gdpr.13-1-f.safeguard-missing",
        drop("      description: For a copy of the clauses, write to {acme-bv.email}.\n"),
        at=r"- (id: united-states)",
        says="relies on 'standard-contractual-clauses' (Art. 46(2)(c)) but its `description` "
        "does not say how to obtain a copy",
        target="united-states",
    ),
    case(
        "gdpr.13-1-f.countries-missing",
        drop("      countries: [US]\n"),
        at=r"- (id: united-states)",
        says="the transfer 'united-states' does not name the countries",
        target="united-states",
    ),
    case(
        "gdpr.13-1-f.transfers-not-shown",
        show("recipients, transfers", "recipients"),
        at=r"^  (transfers):",
        says="`transfers` is declared, but no section shows the `transfers` block",
    ),
    # Art. 13(2)(a)
    case(
        "gdpr.13-2-a.retention-missing",
        drop("      retention: [account]\n"),
        at=r"- (id: service)",
        says="the purpose 'service' has no retention rule",
        target="service",
    ),
    case(
        "gdpr.13-2-a.retention-vague",
        drop(", statutory_reference: Article 52 of the General Tax Act"),
        at=r"id: invoices.*?period: (\{)",
        says="'invoices' has no `duration` and ends only at `statutory-period-ends` without a "
        "`statutory_reference`",
        target="invoices",
    ),
    case(
        "gdpr.13-2-a.retention-orphan",
        Edit(
            "  rights:\n",
            "    - {id: spare, subject: Spare, period: {duration: 1 year}}\n\n  rights:\n",
        ),
        at=r"- (\{id: spare)",
        says="no purpose names the retention rule 'spare'",
        target="spare",
    ),
    case(
        "gdpr.13-2-a.retention-not-shown",
        show("retention, provision", "provision"),
        at=r"^  (retention):",
        says="`retention` is declared, but no section shows the `retention` block",
    ),
    # Art. 13(2)(b) to (d), (f): rights
    *(
        case(
            f"gdpr.13-2-b.{right}-missing",
            drop(f"    - right: {right}\n"),
            at=RIGHTS_KEY,
            says=f"the notice's `rights:` list has no `{right}` entry",
        )
        for right in ("access", "rectification", "erasure", "restriction", "portability")
    ),
    case(
        "gdpr.13-2-b.objection-missing",
        drop("    - right: objection\n"),
        NO_OBJECTION_SECTION,
        at=RIGHTS_KEY,
        says="right 'Objection' (Art. 21) (here: the purpose 'security' relies on "
        "legitimate-interests)",
    ),
    case(
        "gdpr.13-2-c.withdraw-consent-missing",
        drop("    - right: withdraw-consent\n"),
        at=RIGHTS_KEY,
        says="(here: the purpose 'newsletter' relies on consent); the notice's `rights:` list "
        "has no `withdraw-consent` entry",
    ),
    case(
        "gdpr.13-2-d.complaint-missing",
        drop("    - right: complaint\n"),
        at=RIGHTS_KEY,
        says="'Complaint to a supervisory authority' (Art. 77)",
    ),
    case(
        "gdpr.13-2-f.automated-decisions-right-missing",
        USED,
        drop("    - right: automated-decisions\n"),
        at=RIGHTS_KEY,
        says="(here: `automated_decisions.used` is true)",
    ),
    case(
        "gdpr.13-2.right-not-shown",
        Edit(
            "      show: [rights]\n    - id: objection",
            "      show: [rights]\n      rights: [access, rectification, erasure, restriction, "
            "portability, objection, withdraw-consent, automated-decisions]\n    - id: objection",
        ),
        at=r"- (right: complaint)",
        says="the right `complaint` is in `rights:`, but no section lists it",
        target="complaint",
    ),
    # Art. 13(2)(e)
    case(
        "gdpr.13-2-e.provision-missing",
        drop(
            "  provision:\n    required: false\n    consequences: Without your e-mail address we "
            "cannot create your account.\n"
        ),
        at=NOTICE_ID,
        says="the notice has no `provision:`",
    ),
    case(
        "gdpr.13-2-e.provision-not-shown",
        show("retention, provision", "retention"),
        at=r"^  (provision):",
        says="`provision` is declared, but no section shows the `provision` block",
    ),
    # Art. 13(2)(f)
    case(
        "gdpr.13-2-f.automated-decisions-missing",
        drop(
            "  automated_decisions:\n    used: false\n    explanation: We do not make decisions "
            "about you by automated means alone.\n"
        ),
        at=NOTICE_ID,
        says="existence of automated decision-making, including profiling; the notice does not "
        "say whether it is used",
    ),
    case(
        "gdpr.13-2-f.automated-decisions-logic-missing",
        USED,
        drop("    explanation: We do not make decisions about you by automated means alone.\n"),
        at=r"automated_decisions:\n    (used)",
        says="`automated_decisions.used` is true but there is no `explanation`",
    ),
    case(
        "gdpr.13-2-f.automated-decisions-not-shown",
        USED,
        drop("      show: [automated-decisions]\n"),
        at=r"^  (automated_decisions):",
        says="`automated_decisions` is declared, but no section shows the `automated-decisions`",
    ),
    # Art. 14
    case(
        "gdpr.14-1-d.data-categories-missing",
        drop(
            "  data_categories:\n    - {id: email, name: E-mail address}\n    - {id: health, "
            "name: Health data, special: true, art9_condition: explicit-consent}\n"
        ),
        drop("      data: [email]\n"),
        drop(", data: [email]"),
        at=NOTICE_ID,
        says="the notice names no `data_categories`",
    ),
    case(
        "gdpr.14-1-d.data-categories-not-shown",
        show("data-categories, data-sources", "data-sources"),
        at=r"^  (data_categories):",
        says="`data_categories` is declared, but no section shows the `data-categories` block",
    ),
    case(
        "gdpr.14-2-f.sources-missing",
        drop(
            "  data_sources:\n    - {id: you, description: Mostly from you.}\n    - {id: partners, "
            "description: Sometimes from our resellers., third_party: true}\n"
        ),
        at=NOTICE_ID,
        says="the notice names no `data_sources`",
    ),
    case(
        "gdpr.14-2-f.sources-not-shown",
        show("data-categories, data-sources", "data-categories"),
        at=r"^  (data_sources):",
        says="`data_sources` is declared, but no section shows the `data-sources` block",
    ),
    # Art. 21(4)
    case(
        "gdpr.21-4.objection-not-separate",
        NO_OBJECTION_SECTION,
        at=r"- (id: rights)",
        says="the section 'rights' shows the right to object together with the rights access",
        target="rights",
    ),
]


def test_clean_notice_has_no_findings(tmp_path: Path) -> None:
    assert run(build(tmp_path)) == []


@pytest.mark.parametrize("planted", CASES, ids=[item.code for item in CASES])
def test_planted_defect(planted: Case, tmp_path: Path) -> None:
    content = build(tmp_path, *planted.edits)
    found = run(content)
    assert [item.code for item in found] == [planted.code], "\n".join(map(str, found))
    finding = found[0]
    assert finding.location == position(content / planted.at_file, planted.at)
    assert planted.says in finding.message
    assert finding.message.startswith(f"GDPR {RULES[planted.code].article} requires ")
    assert finding.severity is RULES[planted.code].severity
    assert finding.hint
    assert finding.suppressed is None
    assert extra(finding)["notice"] == "clean-notice"
    assert extra(finding).get("target") == planted.target


def test_every_rule_has_a_planted_defect() -> None:
    assert sorted(item.code for item in CASES) == sorted(RULES)


# ---------------------------------------------------------------- when rules apply and when not

NO_CONSENT = (
    Edit(
        "legal_bases: [consent]\n      retention: [newsletter]",
        "legal_bases: [contract]\n      retention: [newsletter]",
    ),
    Edit(
        "legal_bases: [contract, consent, legitimate-interests",
        "legal_bases: [contract, legitimate-interests",
    ),
    Edit("period: {until: [consent-withdrawn]}", "period: {until: [contract-ends]}"),
)
ONLY_FROM_YOU = drop(
    "    - {id: partners, description: Sometimes from our resellers., third_party: true}\n"
)
VARIANTS: dict[str, tuple[tuple[Edit, ...], list[tuple[str, str | None]]]] = {
    "adequacy without countries": (
        (
            drop("      countries: [US]\n"),
            Edit("standard-contractual-clauses", "adequacy-decision"),
        ),
        [("gdpr.13-1-f.safeguard-missing", "united-states")],
    ),
    "adequacy with countries needs no description": (
        (
            Edit("standard-contractual-clauses", "adequacy-decision"),
            drop("      description: For a copy of the clauses, write to {acme-bv.email}.\n"),
        ),
        [],
    ),
    "explicit consent alone requires withdrawal": (
        (*NO_CONSENT, drop("    - right: withdraw-consent\n")),
        [("gdpr.13-2-c.withdraw-consent-missing", None)],
    ),
    "no consent at all: withdrawal not required": (
        (
            *NO_CONSENT,
            drop("    - right: withdraw-consent\n"),
            drop(", art9_condition: explicit-consent"),
        ),
        [("gdpr.9-2.condition-missing", "health")],
    ),
    "until consent-withdrawn is vague without consent": (
        (Edit("period: {until: [account-closed]}", "period: {until: [consent-withdrawn]}"),),
        [("gdpr.13-2-a.retention-vague", "account")],
    ),
    "until objection is a criterion with legitimate interests": (
        (Edit("period: {duration: 30 days}", "period: {until: [objection]}"),),
        [],
    ),
    "until objection is vague with a contract": (
        (Edit("period: {until: [account-closed]}", "period: {until: [objection]}"),),
        [("gdpr.13-2-a.retention-vague", "account")],
    ),
    "one objective event is enough": (
        (
            Edit(
                "until: [statutory-period-ends], statutory_reference: Article 52 of the General Tax "
                "Act",
                "until: [statutory-period-ends, contract-ends]",
            ),
        ),
        [],
    ),
    "a duration is never vague": (
        (Edit("period: {until: [account-closed]}", "period: {duration: 2 years}"),),
        [],
    ),
    "third-party source without description": (
        (
            Edit(
                "description: Sometimes from our resellers., third_party",
                "description: '', third_party",
            ),
        ),
        [("gdpr.14-2-f.sources-missing", "partners")],
    ),
    "empty consequences": (
        (
            Edit(
                "consequences: Without your e-mail address we cannot create your account.",
                "consequences: ''",
            ),
        ),
        [("gdpr.13-2-e.provision-missing", None)],
    ),
    "only from the person: Art. 14 does not apply": (
        (ONLY_FROM_YOU, show("data-categories, data-sources", "data-sources")),
        [],
    ),
    "only from third parties: Art. 13(2)(e) does not apply": (
        (
            drop("    - {id: you, description: Mostly from you.}\n"),
            show("retention, provision", "retention"),
            drop(
                "  provision:\n    required: false\n    consequences: Without your e-mail "
                "address we cannot create your account.\n"
            ),
        ),
        [],
    ),
    "objection section with another block is not separate": (
        (
            Edit(
                "      show: [rights]\n      rights: [objection]",
                "      show: [rights, retention]\n      rights: [objection]",
            ),
        ),
        [("gdpr.21-4.objection-not-separate", "rights")],
    ),
    "objection only in a section of its own": (
        (
            Edit(
                "      show: [rights]\n    - id: objection",
                "      show: [rights]\n      rights: "
                "[access, rectification, erasure, restriction, portability, withdraw-consent, "
                "complaint, automated-decisions]\n    - id: objection",
            ),
        ),
        [],
    ),
    "objection and portability not required by the bases": (
        (
            Edit(
                "legal_bases: [contract]\n      data", "legal_bases: [legal-obligation]\n      data"
            ),
            Edit("legal_bases: [consent]\n", "legal_bases: [legal-obligation]\n"),
            Edit(
                "legal_bases: [legitimate-interests]\n      legitimate_interest: Keeping our "
                "systems and your account secure.",
                "legal_bases: [legal-obligation]",
            ),
            drop("  legal_bases: [contract, consent, legitimate-interests, legal-obligation]\n"),
            drop("    - right: portability\n"),
            drop("    - right: objection\n"),
            NO_OBJECTION_SECTION,
            Edit("period: {until: [consent-withdrawn]}", "period: {duration: 1 year}"),
        ),
        [],
    ),
    "a controller without an address: no representative warning": (
        (Edit("controllers: [acme-bv]", "controllers: [acme-us, acme-rep]"),),
        [],
    ),
    "a representative when all controllers are outside the EEA": (
        (
            Edit("controllers: [acme-bv]", "controllers: [acme-us]"),
            WITH_REPRESENTATIVE,
            show("controllers, dpo", "controllers, dpo, eu-representative"),
        ),
        [],
    ),
    "automated decisions used and explained": (
        (USED,),
        [],
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_when_rules_apply(name: str, tmp_path: Path) -> None:
    edits, expected = VARIANTS[name]
    found = run(build(tmp_path, *edits))
    assert [(item.code, extra(item).get("target")) for item in found] == expected, "\n".join(
        map(str, found)
    )


def test_findings_name_the_notice_of_a_second_file(tmp_path: Path) -> None:
    other = (FIXTURES / NOTICE).read_text(encoding="utf-8")
    other = other.replace("id: clean-notice", "id: other-notice").replace(
        "    - right: complaint\n", ""
    )
    content = build(tmp_path, extra={"other.yaml": other})
    found = run(content)
    assert [(item.code, extra(item)["notice"]) for item in found] == [
        ("gdpr.13-2-d.complaint-missing", "other-notice")
    ]
    assert found[0].location == position(content / "other.yaml", RIGHTS_KEY)


# ---------------------------------------------------------------- the rule table


def test_rule_codes_match_their_articles() -> None:
    for code, rule in RULES.items():
        assert rule.code == code
        match = re.fullmatch(r"gdpr\.(\d+(?:-\d+)?(?:-[a-z])?)\.[a-z]+(?:-[a-z]+)*", code)
        assert match, code
        first = rule.article.split(",")[0].removeprefix("Art. ")
        assert match.group(1) == re.sub(r"\((\w+)\)", r"-\1", first), (code, rule.article)
        assert rule.title and rule.rationale


def test_rule_table_lists_warnings_with_their_room() -> None:
    warnings = sorted(code for code, rule in RULES.items() if rule.severity is Severity.WARNING)
    assert warnings == [
        "gdpr.13-1-a.representative-missing",
        "gdpr.13-1-c.legal-basis-unused",
        "gdpr.13-1-e.recipients-missing",
        "gdpr.13-1-f.countries-missing",
        "gdpr.13-2-a.retention-orphan",
        "gdpr.13-2-a.retention-vague",
        "gdpr.13-2-f.automated-decisions-missing",
    ]


def test_rules_are_listed_in_article_order() -> None:
    references = [code.split(".")[1] for code in RULES]
    assert references[0] == "9-2"
    assert references[-1] == "21-4"
    assert references.index("13-2") < references.index("13-2-a") < references.index("14-1-d")


# ---------------------------------------------------------------- the example site

EXAMPLE_SUPPRESSED = [
    ("gdpr.13-1-c.legal-basis-unused", "legal-obligation"),
    ("gdpr.13-1-c.legal-basis-unused", "public-interest"),
    ("gdpr.13-2-a.retention-missing", "contract"),
    ("gdpr.13-2-a.retention-vague", "business-communication"),
    ("gdpr.13-2-b.portability-missing", None),
    ("gdpr.9-2.condition-missing", "disability"),
    ("gdpr.9-2.condition-missing", "origin-and-belief"),
]


def test_example_content_gives_only_its_suppressed_findings() -> None:
    result = load(EXAMPLE)
    assert result.content is not None
    found = check_transparency(result.content, result.sources)
    suppressed = sorted(
        ((item.code, extra(item).get("target")) for item in found if item.suppressed),
        key=str,
    )
    assert suppressed == sorted(EXAMPLE_SUPPRESSED, key=str)
    notice = result.content.notices[0]
    assert {item.code for item in found if item.suppressed} == {s.code for s in notice.suppress}
    assert [item for item in found if not item.suppressed] == []
