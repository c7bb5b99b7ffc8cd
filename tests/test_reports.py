"""Tests of the report stage: every format is rendered and then parsed back."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml, TestCase, TestSuite

import notice_builder.reports as reports_package
from notice_builder.diagnostics import Diagnostic, Location, Severity
from notice_builder.reports import REPORT_FORMATS, family_of, render_report, report_schema
from notice_builder.reports.github import escape_data, escape_property

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHECKS = ("gdpr", "html", "i18n", "link.external", "parity", "schema")
SCHEMA_FILE = Path(reports_package.__file__).parent / "report.schema.json"


def diag(
    code: str,
    severity: Severity,
    message: str,
    path: str | None = None,
    line: int = 0,
    column: int = 0,
    *,
    hint: str = "",
    suppressed: str | None = None,
) -> Diagnostic:
    location = Location(path, line, column) if path is not None else None
    return Diagnostic(code, severity, message, location, hint, suppressed)


ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Deliberately out of order: the reports must sort them.
FINDINGS = [
    diag("html.heading.multiple-h1", WARN, "two <h1> elements", "output/en/privacy.html", 12, 3),
    diag(
        "schema.unknown-key",
        ERR,
        "unknown key 'purpose'",
        "content/privacy.yaml",
        7,
        5,
        hint="did you mean 'purposes'?",
    ),
    diag("schema.missing-key", ERR, "'controller' is required", "content/privacy.yaml", 2, 1),
    diag(
        "gdpr.13-2-b.portability-missing",
        ERR,
        "the right to data portability is not described",
        "content/privacy.yaml",
        1,
        1,
        suppressed="no processing is based on consent or contract",
    ),
    diag("link.external.slow", INFO, "https://example.org answered after 4 s"),
    diag("schema.missing-key", ERR, "'contact' is required", "content/privacy.yaml", 2, 9),
]


def render(
    fmt: str,
    findings: list[Diagnostic] = FINDINGS,
    *,
    checks_run: Sequence[str] = CHECKS,
    strict: bool = False,
    color: bool = False,
) -> str:
    return render_report(
        findings, fmt, checks_run=checks_run, strict=strict, color=color, tool_version="9.8.7"
    )


# ---------------------------------------------------------------- dispatch


def test_formats_are_the_four_the_cli_offers() -> None:
    assert REPORT_FORMATS == ("text", "json", "junit", "github")
    for fmt in REPORT_FORMATS:
        assert render(fmt).endswith("\n")


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="sarif") as raised:
        render_report(FINDINGS, "sarif")
    for fmt in REPORT_FORMATS:
        assert fmt in str(raised.value)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_output_does_not_depend_on_input_order(fmt: str) -> None:
    shuffled = list(FINDINGS)
    random.Random(4).shuffle(shuffled)
    assert shuffled != FINDINGS
    checks = [*reversed(CHECKS), "html"]
    assert render(fmt, shuffled, checks_run=checks) == render(fmt)


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("schema.unknown-key", "schema"),
        ("gdpr.13-2-b.portability-missing", "gdpr"),
        ("link.external.slow", "link.external"),
        ("link.internal.broken", "link"),
        ("parity", "parity"),
    ],
)
def test_family_is_the_longest_check_that_ran_else_the_first_part(code: str, family: str) -> None:
    assert family_of(code, ["gdpr", "link.external", "schema", "parity"]) == family


def test_what_the_build_found_is_in_its_family_when_it_ran() -> None:
    """A JUnit report showed "build: no findings", passing, beside the schema error
    that stopped the build."""
    checks = ["build", "gdpr", "i18n"]
    assert family_of("schema.choice", checks) == "build"
    assert family_of("template.syntax", checks) == "build"
    assert family_of("gdpr.13-2-b.portability-missing", checks) == "gdpr"
    assert family_of("i18n.missing", checks) == "i18n"
    assert family_of("schema.choice", ["gdpr"]) == "schema"


def test_family_prefers_the_most_specific_check() -> None:
    checks = ["link", "link.external"]
    assert family_of("link.external.slow", checks) == "link.external"
    assert family_of("link.internal.broken", checks) == "link"
    assert family_of("linkage.x", checks) == "linkage"


# ---------------------------------------------------------------- text


def test_text_groups_by_file_in_order_and_ends_with_suppressed_and_summary() -> None:
    text = render("text")
    assert text.split("\n\n") == [
        "info: https://example.org answered after 4 s [link.external.slow]",
        "content/privacy.yaml:2:1: error: 'controller' is required [schema.missing-key]\n"
        "content/privacy.yaml:2:9: error: 'contact' is required [schema.missing-key]\n"
        "content/privacy.yaml:7:5: error: unknown key 'purpose' [schema.unknown-key]\n"
        "  hint: did you mean 'purposes'?",
        "output/en/privacy.html:12:3: warning: two <h1> elements [html.heading.multiple-h1]",
        "Suppressed (1 finding):\n"
        "content/privacy.yaml:1:1: error: the right to data portability is not described"
        " [gdpr.13-2-b.portability-missing]\n"
        "  suppressed: no processing is based on consent or contract",
        "3 errors, 1 warning, 1 info, 1 suppressed"
        " (checks: gdpr, html, i18n, link.external, parity, schema)\n",
    ]


def test_text_summary_when_clean_and_when_strict() -> None:
    assert (
        render("text", [], checks_run=["html", "gdpr"])
        == "No problems found (checks: gdpr, html)\n"
    )
    only_suppressed = [FINDINGS[3]]
    assert render("text", only_suppressed, checks_run=["gdpr"]).endswith(
        "\n\nNo problems found, 1 suppressed (checks: gdpr)\n"
    )
    warnings = [FINDINGS[0], diag("i18n.fuzzy", WARN, "fuzzy entry", "locales/nl.po", 3)]
    summary = render("text", warnings, checks_run=[], strict=True).splitlines()[-1]
    assert summary == "0 errors, 2 warnings; strict: warnings count as failures (checks: none)"


def test_text_keeps_code_on_first_line_of_multiline_message() -> None:
    item = diag("parity.section", ERR, "sections differ:\nnl lacks 'rights'", "a.yaml", 4)
    lines = render("text", [item]).splitlines()
    assert lines[:2] == [
        "a.yaml:4: error: sections differ: [parity.section]",
        "    nl lacks 'rights'",
    ]


def test_text_colour_only_when_asked() -> None:
    plain = render("text")
    coloured = render("text", color=True)
    assert "\x1b[" not in plain
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain
    error_line = next(line for line in coloured.splitlines() if "'controller'" in line)
    assert "\x1b[31m" in error_line  # severity in red
    assert "\x1b[2m[schema.missing-key]" in error_line  # code dimmed


# ---------------------------------------------------------------- json


def test_json_validates_against_the_shipped_schema() -> None:
    document = json.loads(render("json"))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert report_schema() == schema
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_json_document_fields() -> None:
    text = render("json", strict=False)
    assert text.endswith("}\n") and text.startswith('{\n  "checks_run"')
    document = json.loads(text)
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "notice-builder", "version": "9.8.7"}
    assert document["strict"] is False
    assert document["checks_run"] == list(CHECKS)
    assert document["summary"] == {
        "errors": 3,
        "warnings": 1,
        "info": 1,
        "suppressed": 1,
        "failed": True,
    }
    by_code = {f["code"]: f for f in document["findings"]}
    assert by_code["link.external.slow"]["location"] is None
    assert by_code["link.external.slow"]["hint"] is None
    assert by_code["link.external.slow"]["suppressed"] is None
    assert by_code["schema.unknown-key"]["hint"] == "did you mean 'purposes'?"
    assert by_code["schema.unknown-key"]["location"] == {
        "path": "content/privacy.yaml",
        "line": 7,
        "column": 5,
    }
    assert [f["code"] for f in document["findings"]] == [
        "link.external.slow",
        "gdpr.13-2-b.portability-missing",
        "schema.missing-key",
        "schema.missing-key",
        "schema.unknown-key",
        "html.heading.multiple-h1",
    ]


def test_json_round_trips_every_finding() -> None:
    document = json.loads(render("json"))

    def back(item: dict[str, Any]) -> Diagnostic:
        where = item["location"]
        return Diagnostic(
            code=item["code"],
            severity=Severity(item["severity"]),
            message=item["message"],
            location=where and Location(where["path"], where["line"], where["column"]),
            hint=item["hint"] or "",
            suppressed=item["suppressed"],
            extra=tuple(item["extra"].items()),
        )

    assert sorted(map(back, document["findings"]), key=repr) == sorted(FINDINGS, key=repr)


def test_json_failed_follows_strict() -> None:
    warnings_only = [FINDINGS[0], FINDINGS[3]]
    lenient = json.loads(render("json", warnings_only))
    strict = json.loads(render("json", warnings_only, strict=True))
    assert lenient["summary"]["failed"] is False
    assert strict["summary"]["failed"] is True and strict["strict"] is True


def test_json_schema_rejects_malformed_reports() -> None:
    validator = jsonschema.Draft202012Validator(report_schema())
    good = json.loads(render("json"))
    assert validator.is_valid(good)
    broken = [
        {**good, "schema_version": 2},
        {**good, "findings": [{**good["findings"][0], "severity": "fatal"}]},
        {**good, "findings": [{**good["findings"][2], "location": {"path": "a", "line": -1}}]},
        {key: value for key, value in good.items() if key != "summary"},
    ]
    for document in broken:
        assert not validator.is_valid(document)


# ---------------------------------------------------------------- junit


def parse_junit(text: str, tmp_path: Path) -> dict[str, TestSuite]:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    report = tmp_path / "report.xml"
    report.write_text(text, encoding="utf-8")
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(report))}
    assert JUnitXml.fromstring(text.encode("utf-8")).tests == sum(s.tests for s in suites.values())
    return suites


def counts(suite: TestSuite) -> tuple[int, int, int, int]:
    cases: list[TestCase] = list(suite)
    actual = (
        len(cases),
        sum(case.is_failure for case in cases),
        sum(case.is_skipped for case in cases),
        sum(case.is_error for case in cases),
    )
    assert (suite.tests, suite.failures, suite.skipped, suite.errors) == actual
    return actual


def test_junit_one_suite_per_family_with_right_counts(tmp_path: Path) -> None:
    extra = diag("render.template", ERR, "template missing", "templates/page.html")
    suites = parse_junit(render("junit", [*FINDINGS, extra]), tmp_path)
    assert sorted(suites) == ["gdpr", "html", "i18n", "link.external", "parity", "render", "schema"]
    assert counts(suites["schema"]) == (3, 3, 0, 0)
    assert counts(suites["gdpr"]) == (1, 0, 1, 0)
    assert counts(suites["html"]) == (1, 0, 0, 0)  # a warning does not fail unless strict
    assert counts(suites["link.external"]) == (1, 0, 0, 0)
    assert counts(suites["render"]) == (1, 1, 0, 0)
    for family in ("i18n", "parity"):
        (case,) = list(suites[family])
        assert case.name == f"{family}: no findings" and case.is_passed


def test_junit_cases_name_code_and_location(tmp_path: Path) -> None:
    suites = parse_junit(render("junit"), tmp_path)
    schema_cases = list(suites["schema"])
    assert [case.name for case in schema_cases] == [
        "schema.missing-key at content/privacy.yaml:2:1",
        "schema.missing-key at content/privacy.yaml:2:9",
        "schema.unknown-key at content/privacy.yaml:7:5",
    ]
    assert {case.classname for case in schema_cases} == {"schema"}
    failure = schema_cases[2].result[0]
    assert failure.message == "unknown key 'purpose'"
    assert failure.type == "schema.unknown-key"
    assert "did you mean 'purposes'?" in failure.text
    (skipped_case,) = list(suites["gdpr"])
    assert skipped_case.result[0].message == "no processing is based on consent or contract"
    (info_case,) = list(suites["link.external"])
    assert info_case.name == "link.external.slow"


def test_junit_strict_fails_warnings(tmp_path: Path) -> None:
    suites = parse_junit(render("junit", strict=True), tmp_path)
    assert counts(suites["html"]) == (1, 1, 0, 0)
    assert counts(suites["link.external"]) == (1, 0, 0, 0)  # info never fails
    properties = {
        prop.name: prop.value
        for prop in suites["html"].properties()  # type: ignore[no-untyped-call]  # junitparser
    }
    assert properties == {"tool": "notice-builder 9.8.7", "strict": "true"}


def test_junit_survives_characters_xml_cannot_carry(tmp_path: Path) -> None:
    item = diag("i18n.bad", ERR, "bell \x07 and form feed \x0c in msgid", "locales/nl.po", 1)
    suites = parse_junit(render("junit", [item], checks_run=[]), tmp_path)
    (case,) = list(suites["i18n"])
    assert case.result[0].message == "bell \\x07 and form feed \\x0c in msgid"


# Text from the content or a catalog, quoted in a message: an OSC sequence that sets the
# terminal's title, one that clears the screen, a carriage return that writes over the
# line, a right-to-left override, and a C1 control (CSI).
ACTING = "\x1b]0;owned\x07\x1b[2J\rfine\u202edesrever\u2066\x9b31m"
SHOWN = "\\x1b]0;owned\\x07\\x1b[2J\\x0dfine\\u202edesrever\\u2066\\x9b31m"


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_reports_for_people_show_what_would_act_on_a_terminal_as_escapes(fmt: str) -> None:
    item = diag(
        "schema.choice",
        ERR,
        f"found '{ACTING}'\nline two {ACTING}",
        f"content/{ACTING}.yaml",
        3,
        hint=f"not '{ACTING}'",
        suppressed=f"because {ACTING}" if fmt == "text" else None,
    )
    report = render(fmt, [item], checks_run=["schema"])
    acting = [char for char in report if char not in "\t\n" and not char.isprintable()]
    assert acting == []
    # GitHub's own escape for a carriage return is %0D
    expected = SHOWN.replace("\\x0d", "%0D") if fmt == "github" else SHOWN
    for part in ("found '", "line two ", "content/", "not '", *(["because "] * (fmt == "text"))):
        assert part + expected in report, part


def test_str_of_a_diagnostic_shows_what_would_act_on_a_terminal_as_escapes() -> None:
    item = diag("schema.choice", ERR, f"found {ACTING}", "content/a.yaml", 3, hint=ACTING)
    assert str(item) == (f"content/a.yaml:3: error: found {SHOWN} [schema.choice]\n  hint: {SHOWN}")


def test_the_json_report_keeps_the_text_as_it_is() -> None:
    item = diag("schema.choice", ERR, f"found {ACTING}", "content/a.yaml", 3)
    (finding,) = json.loads(render("json", [item]))["findings"]
    assert finding["message"] == f"found {ACTING}"


# ---------------------------------------------------------------- github


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the Actions runner does."""
    match = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert match, line
    properties = {}
    for pair in (match.group(2) or "").split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value)
    return match.group(1), properties, unescape(match.group(3))


def test_github_escaping_follows_the_toolkit() -> None:
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_github_annotations(tmp_path: Path) -> None:
    tricky = diag(
        "gdpr.13-1-c.purpose-missing",
        ERR,
        "purpose 'ads' has no legal basis\n100% of purposes must have one",
        "content/a,b: notice.yaml",
        5,
        2,
        hint="add legal_basis",
    )
    lines = render("github", [*FINDINGS, tricky]).splitlines()
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert lines[-1] == (
        "notice-builder: 4 errors, 1 warning, 1 info, 1 suppressed"
        " (checks: gdpr, html, i18n, link.external, parity, schema)"
    )
    commands = [parse_command(line) for line in lines[:-1]]
    assert len(commands) == 6  # the suppressed finding is not annotated
    assert "portability" not in "\n".join(lines)
    assert lines[0] == "::notice title=link.external.slow::https://example.org answered after 4 s"
    assert lines[1] == (
        "::error file=content/a%2Cb%3A notice.yaml,line=5,col=2,title=gdpr.13-1-c.purpose-missing"
        "::purpose 'ads' has no legal basis%0A100%25 of purposes must have one"
        "%0Ahint: add legal_basis"
    )
    assert commands[1] == (
        "error",
        {
            "file": "content/a,b: notice.yaml",
            "line": "5",
            "col": "2",
            "title": "gdpr.13-1-c.purpose-missing",
        },
        "purpose 'ads' has no legal basis\n100% of purposes must have one\nhint: add legal_basis",
    )
    assert [command[0] for command in commands] == [
        "notice",
        "error",
        "error",
        "error",
        "error",
        "warning",
    ]


def test_github_leaves_out_unknown_line_and_column() -> None:
    no_line = diag("render.template", ERR, "missing", "templates/page.html", 0, 7)
    no_column = diag("html.lang", WARN, "no lang", "output/en/a.html", 3, 0)
    lines = render("github", [no_line, no_column]).splitlines()
    assert lines[:2] == [
        "::warning file=output/en/a.html,line=3,title=html.lang::no lang",
        "::error file=templates/page.html,title=render.template::missing",
    ]


# ---------------------------------------------------------------- all formats, any input

texts = st.text(st.characters(codec="utf-8"), max_size=30)
diagnostics = st.builds(
    Diagnostic,
    code=st.from_regex(r"[a-z]{1,6}(\.[a-z0-9-]{1,6}){0,3}", fullmatch=True),
    severity=st.sampled_from(Severity),
    message=texts,
    location=st.none()
    | st.builds(
        Location,
        texts,
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=500),
    ),
    hint=texts,
    suppressed=st.none() | texts.filter(bool),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(diagnostics, max_size=8), st.booleans())
def test_every_format_stays_parseable_and_consistent(
    findings: list[Diagnostic], strict: bool
) -> None:
    active = [item for item in findings if not item.suppressed]
    document = json.loads(render("json", findings, strict=strict))
    jsonschema.Draft202012Validator(report_schema()).validate(document)
    assert len(document["findings"]) == len(findings)
    assert document["summary"]["suppressed"] == len(findings) - len(active)

    junit = JUnitXml.fromstring(render("junit", findings, strict=strict).encode("utf-8"))
    assert junit.tests == len(findings) + sum(
        not any(family_of(item.code, CHECKS) == family for item in findings) for family in CHECKS
    )
    assert junit.failures == sum(
        item.severity is Severity.ERROR or (strict and item.severity is Severity.WARNING)
        for item in active
    )
    assert junit.skipped == len(findings) - len(active)

    lines = render("github", findings, strict=strict).split("\n")
    assert lines[-1] == ""
    assert len(lines) == len(active) + 2
    assert all(line.startswith("::") for line in lines[:-2])
    assert not lines[-2].startswith("::")
