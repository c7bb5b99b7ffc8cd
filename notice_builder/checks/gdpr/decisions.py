"""Art. 13(2)(e) and (f): whether people must provide data, and automated decisions."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, WARNING, Rule
from notice_builder.diagnostics import Diagnostic

PROVISION_MISSING = Rule(
    "gdpr.13-2-e.provision-missing",
    "Art. 13(2)(e)",
    "The notice says whether people must provide their data, and what follows if not",
    ERROR,
    "Required where data is collected from the person (Art. 13 applies: some data source is "
    "not a third party, or no source is named); `provision.consequences` must not be empty.",
)
AUTOMATED_MISSING = Rule(
    "gdpr.13-2-f.automated-decisions-missing",
    "Art. 13(2)(f)",
    "The notice says whether automated decision-making is used",
    WARNING,
    "The article requires information only where automated decisions (Art. 22(1) and (4)) "
    "exist; saying so either way is good practice, so a notice without "
    "`automated_decisions:` gets a warning.",
)
LOGIC_MISSING = Rule(
    "gdpr.13-2-f.automated-decisions-logic-missing",
    "Art. 13(2)(f)",
    "Automated decisions come with meaningful information about the logic involved",
    ERROR,
    "Where automated decisions are used, the logic involved and the significance and "
    "envisaged consequences must be explained (`automated_decisions.explanation`).",
)
RULES = (PROVISION_MISSING, AUTOMATED_MISSING, LOGIC_MISSING)


def provision_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if not ctx.art13_applies:
        return
    provision = ctx.notice.provision
    if provision is not None and provision.consequences:
        return
    where = ctx.at("id") if provision is None else ctx.at("provision")
    problem = (
        "the notice has no `provision:`"
        if provision is None
        else "`provision.consequences` is empty"
    )
    yield PROVISION_MISSING.finding(
        ctx.id,
        "saying whether providing the data is a statutory or contractual requirement, whether "
        "people are obliged to provide it, and the consequences of not providing it",
        problem,
        where,
        "add `provision:` with `required: true|false` and `consequences:` (what happens if the "
        "data is not provided)",
    )


def automated_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if ctx.notice.automated_decisions is None:
        yield AUTOMATED_MISSING.finding(
            ctx.id,
            "informing people of the existence of automated decision-making, including profiling",
            "the notice does not say whether it is used",
            ctx.at("id"),
            "add `automated_decisions:` with `used: false` (or `used: true` and an "
            "`explanation:`), and show it with `show: [automated-decisions]`",
        )


def logic_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    decisions = ctx.notice.automated_decisions
    if decisions is not None and decisions.used and not decisions.explanation:
        yield LOGIC_MISSING.finding(
            ctx.id,
            "meaningful information about the logic involved in automated decisions and their "
            "significance and envisaged consequences",
            "`automated_decisions.used` is true but there is no `explanation`",
            ctx.at("automated_decisions"),
            "add `explanation:` to `automated_decisions:` (what is decided, on which data and "
            "logic, and what it means for the person)",
        )


CHECKS = (provision_missing, automated_missing, logic_missing)
