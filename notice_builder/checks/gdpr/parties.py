"""Art. 13(1)(a) and (b): who the controller is, how to reach it, its representative and DPO."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, WARNING, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model import Party

# The EU member states plus Iceland, Liechtenstein and Norway (ISO 3166-1 alpha-2).
EEA = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO"),
    }
)
CONTACT_HINT = "`email:`, `phone:` or `address:`"

CONTROLLER_MISSING = Rule(
    "gdpr.13-1-a.controller-missing",
    "Art. 13(1)(a)",
    "Each controller is identified by its legal name",
    ERROR,
    "The identity of the controller is its registered (legal) name; a party with only a "
    "`label` names an office, not a legal person. The schema already requires at least "
    "one controller, so this rule checks that each one is identifiable.",
)
CONTROLLER_CONTACT = Rule(
    "gdpr.13-1-a.controller-contact-missing",
    "Art. 13(1)(a)",
    "Each controller has contact details",
    ERROR,
    "Contact details are a postal address, an e-mail address or a phone number; a website "
    "alone is not a way to contact the controller.",
)
REPRESENTATIVE_CONTACT = Rule(
    "gdpr.13-1-a.representative-contact-missing",
    "Art. 13(1)(a)",
    "The EU representative, when named, has contact details",
    ERROR,
    "When the notice names an EU representative (Art. 27), its identity and contact details "
    "are required like the controller's.",
)
REPRESENTATIVE_MISSING = Rule(
    "gdpr.13-1-a.representative-missing",
    "Art. 13(1)(a), Art. 27",
    "Controllers outside the EEA name an EU representative",
    WARNING,
    "Fires when every controller has a postal address and none is in the EEA. A warning: "
    "only controllers that fall under Art. 3(2) need a representative, Art. 27(2) exempts "
    "some, and an address is not the same as an establishment.",
)
DPO_CONTACT = Rule(
    "gdpr.13-1-b.dpo-contact-missing",
    "Art. 13(1)(b)",
    "The data protection officer, when there is one, has contact details",
    ERROR,
    "The DPO's contact details (not necessarily a name) must be given; an e-mail address, "
    "phone number or postal address counts.",
)
RULES = (
    CONTROLLER_MISSING,
    CONTROLLER_CONTACT,
    REPRESENTATIVE_CONTACT,
    REPRESENTATIVE_MISSING,
    DPO_CONTACT,
)


def has_contact(party: Party) -> bool:
    return bool(party.email or party.phone or party.address)


def controller_identity(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for party_id in ctx.notice.controllers:
        party = ctx.party(party_id)
        if party is not None and not party.legal_name:
            yield CONTROLLER_MISSING.finding(
                ctx.id,
                "the identity of the controller",
                f"notice '{ctx.id}' names '{party_id}' as a controller, but that party has "
                "no `legal_name`",
                ctx.at_party(party_id),
                f"add `legal_name:` (the registered name, e.g. `Example B.V.`) to the party "
                f"'{party_id}'",
                target=party_id,
            )


def controller_contact(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for party_id in ctx.notice.controllers:
        party = ctx.party(party_id)
        if party is not None and not has_contact(party):
            yield CONTROLLER_CONTACT.finding(
                ctx.id,
                "the contact details of the controller",
                f"notice '{ctx.id}' names '{party_id}' as a controller, but that party has "
                "no e-mail address, phone number or postal address",
                ctx.at_party(party_id),
                f"add {CONTACT_HINT} to the party '{party_id}'",
                target=party_id,
            )


def representative_contact(ctx: NoticeContext) -> Iterator[Diagnostic]:
    party_id = ctx.notice.eu_representative
    party = ctx.party(party_id) if party_id else None
    if party_id and party is not None and not has_contact(party):
        yield REPRESENTATIVE_CONTACT.finding(
            ctx.id,
            "the contact details of the controller's representative",
            f"notice '{ctx.id}' names '{party_id}' as EU representative, but that party has "
            "no e-mail address, phone number or postal address",
            ctx.at_party(party_id),
            f"add {CONTACT_HINT} to the party '{party_id}'",
            target=party_id,
        )


def representative_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if ctx.notice.eu_representative:
        return
    parties = [ctx.party(party_id) for party_id in ctx.notice.controllers]
    countries = [p.address.country for p in parties if p is not None and p.address is not None]
    if len(countries) == len(parties) and not any(country in EEA for country in countries):
        yield REPRESENTATIVE_MISSING.finding(
            ctx.id,
            "the identity and contact details of the controller's representative in the "
            "Union, where one is required (Art. 27)",
            f"no controller has an address in the EEA ({', '.join(sorted(set(countries)))}) and "
            "the notice names no `eu_representative`",
            ctx.at("controllers", key=True),
            "add `eu_representative: <party-id>` to the notice (and the party to `parties:`), "
            "or suppress this finding with the reason no representative is needed",
        )


def dpo_contact(ctx: NoticeContext) -> Iterator[Diagnostic]:
    party_id = ctx.notice.dpo
    party = ctx.party(party_id) if party_id else None
    if party_id and party is not None and not has_contact(party):
        yield DPO_CONTACT.finding(
            ctx.id,
            "the contact details of the data protection officer",
            f"notice '{ctx.id}' names '{party_id}' as data protection officer, but that party "
            "has no e-mail address, phone number or postal address",
            ctx.at_party(party_id),
            f"add {CONTACT_HINT} to the party '{party_id}'",
            target=party_id,
        )


CHECKS = (
    controller_identity,
    controller_contact,
    representative_contact,
    representative_missing,
    dpo_contact,
)
