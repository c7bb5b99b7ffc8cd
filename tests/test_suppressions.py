"""Suppressions: a notice's `suppress:` entries mark its own findings, and stale ones warn."""

from __future__ import annotations

from pathlib import Path

from test_gdpr_rules import FIXTURES, NOTICE, Edit, build, drop, extra, load, position, run

from notice_builder.checks.suppressions import UNUSED, apply_suppressions
from notice_builder.diagnostics import Diagnostic, Severity, error, fails

CONDITION = "gdpr.9-2.condition-missing"
REASON = "Reviewed by legal on 2024-05-01; condition to be added."
# Two special categories without an Art. 9(2) condition: two findings of one code.
TWO_SPECIAL = (
    drop(", art9_condition: explicit-consent"),
    Edit(
        "    - {id: email, name: E-mail address}\n",
        "    - {id: email, name: E-mail address}\n    - {id: beliefs, name: Beliefs, special: true}\n",
    ),
)


def suppress(*entries: str) -> Edit:
    return Edit("\n  rights:\n", f"\n  suppress:\n{''.join(entries)}\n  rights:\n")


def entry(code: str, target: str = "", reason: str = REASON) -> str:
    lines = f"    - code: {code}\n"
    if target:
        lines += f"      target: {target}\n"
    return lines + f"      reason: {reason}\n"


def summary(found: list[Diagnostic]) -> list[tuple[str, str | None, bool]]:
    return [(item.code, extra(item).get("target"), bool(item.suppressed)) for item in found]


def test_without_target_suppresses_every_finding_of_the_code(tmp_path: Path) -> None:
    found = run(build(tmp_path, *TWO_SPECIAL, suppress(entry(CONDITION))))
    assert summary(found) == [(CONDITION, "beliefs", True), (CONDITION, "health", True)]
    assert all(item.suppressed == REASON for item in found)
    assert all(item.severity is Severity.ERROR for item in found)
    assert not fails(found, strict=True)


def test_with_target_suppresses_only_that_finding(tmp_path: Path) -> None:
    found = run(build(tmp_path, *TWO_SPECIAL, suppress(entry(CONDITION, "health"))))
    assert summary(found) == [(CONDITION, "beliefs", False), (CONDITION, "health", True)]
    assert fails(found)


def test_unused_suppression_is_a_warning_at_the_suppression(tmp_path: Path) -> None:
    content = build(tmp_path, suppress(entry("gdpr.13-2-b.portability-missing")))
    found = run(content)
    assert [item.code for item in found] == [UNUSED]
    unused = found[0]
    assert unused.severity is Severity.WARNING
    assert unused.location == position(content / NOTICE, r"  suppress:\n    - (code)")
    assert "`gdpr.13-2-b.portability-missing` in notice 'clean-notice' matches no finding" in (
        unused.message
    )
    assert "remove the entry" in unused.hint
    assert extra(unused)["notice"] == "clean-notice"
    assert not fails(found)


def test_a_misspelt_code_is_named_with_the_code_meant(tmp_path: Path) -> None:
    """It said "nothing reports this code any more" of a code that never existed."""
    content = build(tmp_path, suppress(entry("gdpr.13-2-b.portabilty-missing")))
    (unused,) = run(content)
    assert unused.hint == (
        "no check has the code `gdpr.13-2-b.portabilty-missing`: "
        "did you mean `gdpr.13-2-b.portability-missing`?"
    )
    content = build(tmp_path / "other", suppress(entry("gdpr.made-up")))
    (unused,) = run(content)
    assert unused.hint == (
        "no check has the code `gdpr.made-up`: `notice-builder check --list-checks` lists them"
    )


def test_suppression_with_a_wrong_target_is_unused_and_names_the_targets(tmp_path: Path) -> None:
    content = build(tmp_path, *TWO_SPECIAL, suppress(entry(CONDITION, "heath")))
    found = run(content)
    assert summary(found) == [
        (CONDITION, "beliefs", False),
        (CONDITION, "health", False),
        (UNUSED, CONDITION, False),
    ]
    assert "with target 'heath'" in found[2].message
    assert "findings of this code are about beliefs, health: correct `target:`" in found[2].hint


def test_suppressions_apply_only_to_their_own_notice(tmp_path: Path) -> None:
    other = (FIXTURES / NOTICE).read_text(encoding="utf-8")
    other = other.replace("id: clean-notice", "id: other-notice")
    other = other.replace(", art9_condition: explicit-consent", "")
    content = build(tmp_path, suppress(entry(CONDITION)), extra={"other.yaml": other})
    found = run(content)
    assert [(item.code, extra(item)["notice"], bool(item.suppressed)) for item in found] == [
        (UNUSED, "clean-notice", False),
        (CONDITION, "other-notice", False),
    ]


def test_generic_codes_and_prefix_scope(tmp_path: Path) -> None:
    content = build(tmp_path, suppress(entry("html.leak.source-text", "privacy")))
    result = load(content)
    assert result.content is not None
    finding = error("html.leak.source-text", "English text on the Dutch page")
    about = Diagnostic(
        finding.code,
        finding.severity,
        finding.message,
        extra=(("notice", "clean-notice"), ("target", "privacy")),
    )
    elsewhere = Diagnostic(finding.code, finding.severity, finding.message)
    applied = apply_suppressions([about, elsewhere], result.content, result.sources)
    assert [item.suppressed for item in applied] == [REASON, None]
    scoped = apply_suppressions([about], result.content, result.sources, prefix="gdpr.")
    assert scoped == [about]
    # The gdpr stage leaves the html suppression alone: not applied, not reported unused.
    assert run(content) == []


def test_applying_twice_changes_nothing(tmp_path: Path) -> None:
    content = build(
        tmp_path, *TWO_SPECIAL, suppress(entry(CONDITION, "health"), entry("gdpr.none.unused"))
    )
    result = load(content)
    assert result.content is not None
    once = run(content)
    twice = apply_suppressions(once, result.content, result.sources)
    assert twice == once
    assert [item.code for item in once].count(UNUSED) == 1
