"""The list of check codes is complete and the README shows it as generated."""

from __future__ import annotations

import re

from conftest import REPO, run

from notice_builder.checks.catalog import all_checks, markdown_table

CODE = re.compile(
    r"[\"']((?:gdpr|html|parity|i18n|markdown|template|output|suppress|link\.external)\.[a-z0-9.-]+)[\"']"
)


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "notice_builder").rglob("*.py"):
        found.update(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_code_in_the_source_is_listed() -> None:
    listed = {check.code for check in all_checks()}
    prefixes = {code for code in codes_in_source() if code.endswith(".")}
    missing = sorted(codes_in_source() - listed - prefixes)
    assert missing == [], "add these codes to notice_builder/checks/catalog.py"
    assert len(listed) == len(all_checks()), "a code is listed twice"


def test_readme_lists_the_checks_as_generated() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- checks:start -->\n") + len("<!-- checks:start -->\n")
    end = readme.index("<!-- checks:end -->")
    assert readme[start:end] == markdown_table(), (
        "regenerate the README's checks section from `notice-builder check --list-checks`"
    )


def test_list_checks_option() -> None:
    result = run(["check", "--list-checks"])
    assert result.exit_code == 0
    assert result.stdout == markdown_table()
    assert "| `gdpr.13-2-b.portability-missing` | error |" in result.stdout
