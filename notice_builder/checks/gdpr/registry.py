"""The rule table of the `gdpr` profile: every rule by code, and the checks that run them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from notice_builder.checks.gdpr import (
    decisions,
    indirect,
    parties,
    purposes,
    retention,
    rights,
    sharing,
    visibility,
)
from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import Rule
from notice_builder.diagnostics import Diagnostic

Check = Callable[[NoticeContext], Iterable[Diagnostic]]

_MODULES = (parties, purposes, sharing, retention, rights, decisions, indirect, visibility)


def article_order(rule: Rule) -> tuple[tuple[int, str], ...]:
    """Sort key of a rule by the article reference in its code: 9-2 < 13-1-a < 13-2 < 14-1-d."""
    reference = rule.code.split(".")[1]
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in reference.split("-"))


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in sorted((rule for module in _MODULES for rule in module.RULES), key=article_order)
}
"""Every rule of the profile by its code, in the order of the articles."""

CHECKS: tuple[Check, ...] = tuple(check for module in _MODULES for check in module.CHECKS)
"""The functions that run the rules, each on one notice."""
