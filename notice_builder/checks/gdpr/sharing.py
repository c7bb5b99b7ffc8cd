"""Art. 13(1)(e) and (f): who receives the data, and transfers outside the EEA."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, WARNING, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model.notice import Transfer
from notice_builder.model.vocabulary import SAFEGUARDS, Safeguard

RECIPIENTS_MISSING = Rule(
    "gdpr.13-1-e.recipients-missing",
    "Art. 13(1)(e)",
    "The notice names the recipients or categories of recipients",
    WARNING,
    "Required only 'if any'; almost every processing has recipients (hosting and other "
    "processors count), so an empty `recipients:` list is suspicious but not always wrong.",
)
SAFEGUARD_MISSING = Rule(
    "gdpr.13-1-f.safeguard-missing",
    "Art. 13(1)(f)",
    "Each transfer says how its safeguard can be found",
    ERROR,
    "The schema requires a safeguard per transfer. For an adequacy decision the notice must "
    "name the countries it covers; for any other safeguard (Art. 46, 47, 49) the transfer's "
    "`description` must say how to obtain a copy of it or where it is available, or which "
    "derogation applies.",
)
COUNTRIES_MISSING = Rule(
    "gdpr.13-1-f.countries-missing",
    "Art. 13(1)(f)",
    "Transfers name the destination countries",
    WARNING,
    "The article asks for the intention to transfer to 'a third country'; guidance (WP260) "
    "expects the countries to be named where possible, so a transfer 'outside the EEA' in "
    "general is a warning. (With an adequacy decision it is an error: see safeguard-missing.)",
)
RULES = (RECIPIENTS_MISSING, SAFEGUARD_MISSING, COUNTRIES_MISSING)


def recipients_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if not ctx.notice.recipients:
        yield RECIPIENTS_MISSING.finding(
            ctx.id,
            "the recipients or categories of recipients of the personal data, if any",
            "the notice names no recipients",
            ctx.at("id"),
            "add `recipients:` with each recipient or category (e.g. `{id: hosting, name: "
            "Hosting providers}`) and show it with `show: [recipients]`, or suppress this "
            "finding with the reason there are none",
        )


def _safeguard_problem(transfer: Transfer) -> str | None:
    name = f"'{transfer.safeguard.value}' ({SAFEGUARDS[transfer.safeguard].article})"
    if transfer.safeguard is Safeguard.ADEQUACY_DECISION:
        if not transfer.countries:
            return (
                f"the transfer '{transfer.id}' relies on an adequacy decision but names no country"
            )
        return None
    if not transfer.description:
        return (
            f"the transfer '{transfer.id}' relies on {name} but its `description` does not say "
            "how to obtain a copy of the safeguard or where it is available"
        )
    return None


def safeguard_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, transfer in enumerate(ctx.notice.transfers):
        problem = _safeguard_problem(transfer)
        if problem is None:
            continue
        hint = (
            "add `countries:` with the countries the adequacy decision covers, e.g. `[CH]`"
            if transfer.safeguard is Safeguard.ADEQUACY_DECISION
            else "add `description:` saying how to get a copy of the safeguard (e.g. 'For a "
            "copy of the clauses, write to {<party-id>.email}.') or which derogation applies"
        )
        yield SAFEGUARD_MISSING.finding(
            ctx.id,
            "a reference to the safeguards of a transfer and the means to obtain a copy of them",
            problem,
            ctx.at("transfers", index),
            hint,
            target=transfer.id,
        )


def countries_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, transfer in enumerate(ctx.notice.transfers):
        if not transfer.countries and transfer.safeguard is not Safeguard.ADEQUACY_DECISION:
            yield COUNTRIES_MISSING.finding(
                ctx.id,
                "information on the transfer to a third country",
                f"the transfer '{transfer.id}' does not name the countries the data goes to",
                ctx.at("transfers", index),
                "add `countries:` with ISO codes, e.g. `countries: [US, IN]`",
                target=transfer.id,
            )


CHECKS = (recipients_missing, safeguard_missing, countries_missing)
