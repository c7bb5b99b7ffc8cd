"""The fixed vocabularies of the format: legal bases, rights, retention events, ...

Each term has a stable code (what the YAML says), the GDPR article it comes from,
and English labels. The labels are source strings: they go to the catalog with the
context ``vocab.<kind>.<code>`` and are translated like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary, with its article and its English wording."""

    code: str
    article: str
    label: str
    description: str = ""


class LegalBasis(StrEnum):
    """A lawful basis for processing, GDPR Art. 6(1)(a) to (f)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal-obligation"
    VITAL_INTERESTS = "vital-interests"
    PUBLIC_INTEREST = "public-interest"
    LEGITIMATE_INTERESTS = "legitimate-interests"


class Right(StrEnum):
    """A data-subject right, GDPR Art. 7(3) and 15 to 22, and Art. 77."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    WITHDRAW_CONSENT = "withdraw-consent"
    COMPLAINT = "complaint"
    AUTOMATED_DECISIONS = "automated-decisions"


class RetentionEvent(StrEnum):
    """An event that ends (or shortens) a retention period."""

    CONSENT_WITHDRAWN = "consent-withdrawn"
    OBJECTION = "objection"
    CONTRACT_ENDS = "contract-ends"
    STATUTORY_PERIOD_ENDS = "statutory-period-ends"
    ACCOUNT_CLOSED = "account-closed"
    EVENT_ENDS = "event-ends"


class Art9Condition(StrEnum):
    """A condition of GDPR Art. 9(2) that allows processing special categories."""

    EXPLICIT_CONSENT = "explicit-consent"
    EMPLOYMENT = "employment"
    VITAL_INTERESTS = "vital-interests"
    NOT_FOR_PROFIT = "not-for-profit"
    MADE_PUBLIC = "made-public"
    LEGAL_CLAIMS = "legal-claims"
    SUBSTANTIAL_PUBLIC_INTEREST = "substantial-public-interest"
    HEALTH_CARE = "health-care"
    PUBLIC_HEALTH = "public-health"
    ARCHIVING_RESEARCH = "archiving-research"


class Safeguard(StrEnum):
    """The safeguard for a transfer outside the EEA, GDPR Art. 45 to 49."""

    ADEQUACY_DECISION = "adequacy-decision"
    STANDARD_CONTRACTUAL_CLAUSES = "standard-contractual-clauses"
    BINDING_CORPORATE_RULES = "binding-corporate-rules"
    CONTRACTUAL_COMMITMENT = "contractual-commitment"
    DEROGATION = "derogation"


class DurationUnit(StrEnum):
    """Units of a retention duration; Babel names them in every language."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


LEGAL_BASES: dict[LegalBasis, Term] = {
    LegalBasis.CONSENT: Term("consent", "Art. 6(1)(a)", "Consent"),
    LegalBasis.CONTRACT: Term(
        "contract",
        "Art. 6(1)(b)",
        "Performance of a contract, or steps taken at your request before entering into one",
    ),
    LegalBasis.LEGAL_OBLIGATION: Term(
        "legal-obligation", "Art. 6(1)(c)", "Compliance with a legal obligation"
    ),
    LegalBasis.VITAL_INTERESTS: Term(
        "vital-interests", "Art. 6(1)(d)", "Protection of vital interests"
    ),
    LegalBasis.PUBLIC_INTEREST: Term(
        "public-interest", "Art. 6(1)(e)", "A task carried out in the public interest"
    ),
    LegalBasis.LEGITIMATE_INTERESTS: Term(
        "legitimate-interests", "Art. 6(1)(f)", "Legitimate interests"
    ),
}

RIGHTS: dict[Right, Term] = {
    Right.ACCESS: Term(
        "access",
        "Art. 15",
        "Access",
        "You can ask for a copy of the personal data we hold about you.",
    ),
    Right.RECTIFICATION: Term(
        "rectification", "Art. 16", "Rectification", "You can have inaccurate data corrected."
    ),
    Right.ERASURE: Term("erasure", "Art. 17", "Erasure", "You can ask us to delete your data."),
    Right.RESTRICTION: Term(
        "restriction",
        "Art. 18",
        "Restriction of processing",
        "You can ask us to limit how we use your data.",
    ),
    Right.PORTABILITY: Term(
        "portability",
        "Art. 20",
        "Data portability",
        "You can receive your data in a machine-readable format or have it sent to another "
        "organisation.",
    ),
    Right.OBJECTION: Term(
        "objection",
        "Art. 21",
        "Objection",
        "You can object to processing that is based on legitimate interests.",
    ),
    Right.WITHDRAW_CONSENT: Term(
        "withdraw-consent",
        "Art. 7(3)",
        "Withdrawal of consent",
        "You can withdraw your consent at any time. This does not affect the lawfulness of "
        "processing before the withdrawal.",
    ),
    Right.COMPLAINT: Term(
        "complaint",
        "Art. 77",
        "Complaint to a supervisory authority",
        "You can lodge a complaint with your local supervisory authority.",
    ),
    Right.AUTOMATED_DECISIONS: Term(
        "automated-decisions",
        "Art. 22",
        "Automated decision-making",
        "You have the right not to be subject to a decision based solely on automated processing.",
    ),
}

RETENTION_EVENTS: dict[RetentionEvent, Term] = {
    RetentionEvent.CONSENT_WITHDRAWN: Term("consent-withdrawn", "", "you withdraw your consent"),
    RetentionEvent.OBJECTION: Term("objection", "", "you object"),
    RetentionEvent.CONTRACT_ENDS: Term("contract-ends", "", "the contract ends"),
    RetentionEvent.STATUTORY_PERIOD_ENDS: Term(
        "statutory-period-ends", "", "the statutory retention periods end"
    ),
    RetentionEvent.ACCOUNT_CLOSED: Term("account-closed", "", "the account is closed"),
    RetentionEvent.EVENT_ENDS: Term("event-ends", "", "the event ends"),
}

ART9_CONDITIONS: dict[Art9Condition, Term] = {
    Art9Condition.EXPLICIT_CONSENT: Term("explicit-consent", "Art. 9(2)(a)", "Explicit consent"),
    Art9Condition.EMPLOYMENT: Term(
        "employment", "Art. 9(2)(b)", "Obligations in employment and social security law"
    ),
    Art9Condition.VITAL_INTERESTS: Term(
        "vital-interests", "Art. 9(2)(c)", "Protection of vital interests"
    ),
    Art9Condition.NOT_FOR_PROFIT: Term(
        "not-for-profit", "Art. 9(2)(d)", "Activities of a not-for-profit body"
    ),
    Art9Condition.MADE_PUBLIC: Term(
        "made-public", "Art. 9(2)(e)", "Data you have manifestly made public"
    ),
    Art9Condition.LEGAL_CLAIMS: Term("legal-claims", "Art. 9(2)(f)", "Legal claims"),
    Art9Condition.SUBSTANTIAL_PUBLIC_INTEREST: Term(
        "substantial-public-interest", "Art. 9(2)(g)", "Substantial public interest"
    ),
    Art9Condition.HEALTH_CARE: Term("health-care", "Art. 9(2)(h)", "Health or social care"),
    Art9Condition.PUBLIC_HEALTH: Term("public-health", "Art. 9(2)(i)", "Public health"),
    Art9Condition.ARCHIVING_RESEARCH: Term(
        "archiving-research", "Art. 9(2)(j)", "Archiving, research or statistics"
    ),
}

SAFEGUARDS: dict[Safeguard, Term] = {
    Safeguard.ADEQUACY_DECISION: Term("adequacy-decision", "Art. 45", "Adequacy decision"),
    Safeguard.STANDARD_CONTRACTUAL_CLAUSES: Term(
        "standard-contractual-clauses", "Art. 46(2)(c)", "Standard contractual clauses"
    ),
    Safeguard.BINDING_CORPORATE_RULES: Term(
        "binding-corporate-rules", "Art. 47", "Binding corporate rules"
    ),
    Safeguard.CONTRACTUAL_COMMITMENT: Term(
        "contractual-commitment",
        "Art. 46",
        "Contractual commitment to a level of protection equal to the GDPR",
    ),
    Safeguard.DEROGATION: Term("derogation", "Art. 49", "Derogation for a specific situation"),
}

VOCABULARIES: dict[str, dict[str, Term]] = {
    "basis": {k.value: v for k, v in LEGAL_BASES.items()},
    "right": {k.value: v for k, v in RIGHTS.items()},
    "event": {k.value: v for k, v in RETENTION_EVENTS.items()},
    "art9": {k.value: v for k, v in ART9_CONDITIONS.items()},
    "safeguard": {k.value: v for k, v in SAFEGUARDS.items()},
}
