"""A privacy notice: purposes, data, retention, rights and the sections that show them."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from notice_builder.model.base import Part
from notice_builder.model.fields import (
    SHOWN,
    Country,
    Id,
    MarkdownText,
    MonthOrDate,
    Translatable,
)
from notice_builder.model.vocabulary import (
    Art9Condition,
    DurationUnit,
    LegalBasis,
    RetentionEvent,
    Right,
    Safeguard,
)

DURATION_PATTERN = r"^([1-9][0-9]{0,3}) (day|days|week|weeks|month|months|year|years)$"


class Purpose(Part):
    """Why personal data is processed, and on which legal basis."""

    id: Id
    """Stable id, e.g. `marketing`."""
    title: Annotated[str, Translatable("Title of a purpose of processing"), SHOWN]
    """Short title, e.g. `Marketing communication`."""
    description: Annotated[str, MarkdownText("Description of a purpose of processing")] = ""
    """What the processing involves (Markdown)."""
    legal_bases: list[LegalBasis] = Field(min_length=1)
    """One or more of: consent, contract, legal-obligation, vital-interests,
    public-interest, legitimate-interests (GDPR Art. 6(1)(a) to (f))."""
    legitimate_interest: Annotated[str, Translatable("The legitimate interest pursued")] = ""
    """The interest pursued; required when `legitimate-interests` is a basis."""
    data: list[Id] = []
    """Ids of the data categories used for this purpose."""
    retention: list[Id] = []
    """Ids of the retention rules that apply to this purpose."""
    note_for_translators: str = ""
    """A note shown to translators beside this purpose's strings."""


class DataCategory(Part):
    """A category of personal data."""

    id: Id
    """Stable id, e.g. `email`."""
    name: Annotated[str, Translatable("Name of a category of personal data"), SHOWN]
    """Name, e.g. `E-mail address`."""
    special: bool = False
    """True for a special category of GDPR Art. 9(1) (health, ethnic origin, beliefs, ...)."""
    art9_condition: Art9Condition | None = None
    """For special categories: the Art. 9(2) condition that allows the processing."""


class DataSource(Part):
    """Where personal data comes from (GDPR Art. 14(2)(f))."""

    id: Id
    """Stable id, e.g. `partners`."""
    description: Annotated[str, Translatable("A source of personal data")]
    """Where the data comes from, e.g. `From business partners`."""
    third_party: bool = False
    """True when the data is not collected from the person directly (GDPR Art. 14)."""


class Recipient(Part):
    """Who receives personal data (GDPR Art. 13(1)(e))."""

    id: Id
    """Stable id, e.g. `affiliates`."""
    name: Annotated[str, Translatable("A recipient or category of recipients"), SHOWN]
    """The recipient or category of recipients."""
    description: Annotated[str, MarkdownText("What a recipient does with the data")] = ""
    """On what terms and for what the recipient gets the data (Markdown)."""
    requires_consent: bool = False
    """True when data is shared with this recipient only with consent."""


class Transfer(Part):
    """A transfer of personal data outside the EEA (GDPR Art. 13(1)(f))."""

    id: Id
    """Stable id, e.g. `united-states`."""
    countries: list[Country] = []
    """Destination countries (ISO codes); leave empty for 'outside the EEA' in general."""
    safeguard: Safeguard
    """The safeguard: adequacy-decision, standard-contractual-clauses,
    binding-corporate-rules, contractual-commitment or derogation."""
    description: Annotated[str, MarkdownText("Description of a transfer outside the EEA")] = ""
    """How the data is protected (Markdown)."""


class RetentionPeriod(Part):
    """How long data is kept: a duration, an ending event, or both."""

    duration: str | None = Field(default=None, pattern=DURATION_PATTERN)
    """A fixed duration: a number and a unit, e.g. `30 days`, `6 months`, `2 years`."""
    until: list[RetentionEvent] = []
    """Kept until one of these events: consent-withdrawn, objection, contract-ends,
    statutory-period-ends, account-closed, event-ends."""
    or_earlier_on: list[RetentionEvent] = []
    """With a duration: events that end the period earlier, e.g. `[consent-withdrawn]`."""
    statutory_reference: Annotated[str, Translatable("A statute that sets a retention period")] = ""
    """The law that sets the period, e.g. `Section 257 of the German Commercial Code`."""

    @model_validator(mode="after")
    def _names_a_period(self) -> RetentionPeriod:
        if not self.duration and not self.until:
            raise PydanticCustomError(
                "retention_period",
                "a retention period needs a `duration` (e.g. 30 days), an `until` event, or both",
            )
        if self.or_earlier_on and not self.duration:
            raise PydanticCustomError(
                "retention_period", "`or_earlier_on` needs a `duration` to shorten"
            )
        return self

    @property
    def amount_and_unit(self) -> tuple[int, DurationUnit] | None:
        match = re.match(DURATION_PATTERN, self.duration or "")
        if not match:
            return None
        return int(match.group(1)), DurationUnit(match.group(2).rstrip("s"))


class RetentionRule(Part):
    """One row of the retention table."""

    id: Id
    """Stable id, e.g. `marketing`."""
    subject: Annotated[str, Translatable("What a retention rule applies to (table row)"), SHOWN]
    """What is kept, e.g. `Marketing communication`."""
    period: RetentionPeriod
    """How long it is kept."""
    data: list[Id] = []
    """Ids of data categories this rule covers (besides the purposes that name it)."""
    note: Annotated[str, Translatable("A qualification of a retention period")] = ""
    """A qualification, e.g. `for customers: until they object`."""


class RightEntry(Part):
    """A data-subject right the notice explains."""

    right: Right
    """One of: access, rectification, erasure, restriction, portability, objection,
    withdraw-consent, complaint, automated-decisions."""
    details: Annotated[str, MarkdownText("Further details about a data-subject right")] = ""
    """Anything to add to the standard explanation (Markdown)."""


class Provision(Part):
    """Whether people must provide their data, and what follows if they do not."""

    required: bool
    """True when providing the data is a statutory or contractual requirement."""
    consequences: Annotated[str, MarkdownText("What follows if data is not provided")]
    """What happens if the data is not provided (Markdown)."""


class AutomatedDecisions(Part):
    """Automated decision-making, including profiling (GDPR Art. 13(2)(f))."""

    used: bool
    """True when decisions are made solely by automated means."""
    explanation: Annotated[str, MarkdownText("About automated decision-making")] = ""
    """The logic involved and its consequences; required when `used` is true."""


class Block(StrEnum):
    """A structured part of the notice that a section shows after its text."""

    PURPOSES = "purposes"
    LEGAL_BASES = "legal-bases"
    CONTROLLERS = "controllers"
    DPO = "dpo"
    EU_REPRESENTATIVE = "eu-representative"
    SUPERVISORY_AUTHORITY = "supervisory-authority"
    DATA_CATEGORIES = "data-categories"
    DATA_SOURCES = "data-sources"
    RECIPIENTS = "recipients"
    TRANSFERS = "transfers"
    RETENTION = "retention"
    PROVISION = "provision"
    RIGHTS = "rights"
    AUTOMATED_DECISIONS = "automated-decisions"


SECTION_NUMBER = re.compile(r"(\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+)\s+")
"""A number typed before a heading: `1. `, `2) `, `1.2 `."""


def _unnumbered(title: str) -> str:
    """A section's title without a number: the page numbers the sections itself, and
    `1. Why we ...` was shown as `1. 1. Why we ...`."""
    number = SECTION_NUMBER.match(title)
    if number:
        raise PydanticCustomError(
            "numbered_title",
            "the title starts with the number '{number}'",
            {
                "number": number[1],
                "hint": f"the page numbers sections itself; remove '{number[1]}' from the title",
            },
        )
    return title


class Section(Part):
    """A numbered section of the page, in the order given."""

    id: Id
    """Stable id; the section's anchor in every language, e.g. `retention`."""
    title: Annotated[str, Translatable("Section heading"), SHOWN, AfterValidator(_unnumbered)]
    """Heading, without a number: sections are numbered from their order."""
    body: Annotated[str, MarkdownText("Section text")] = ""
    """Text before the structured blocks (Markdown: paragraphs, lists, links)."""
    show: list[Block] = []
    """Structured blocks to show after the text, e.g. `[retention, provision]`."""
    rights: list[Right] = []
    """With `show: [rights]`: which rights this section lists (default: all)."""
    closing: Annotated[str, MarkdownText("Section text after the structured blocks")] = ""
    """Text after the structured blocks (Markdown)."""
    note_for_translators: str = ""
    """A note shown to translators beside this section's strings."""


class Suppression(Part):
    """A finding the legal team has reviewed and accepts, with the reason."""

    code: str = Field(pattern=r"^[a-z0-9.-]+$")
    """The code of the finding, e.g. `gdpr.13-2-b.portability-missing`."""
    target: str = ""
    """The id the finding is about, when it names one; empty for all of that code."""
    reason: str = Field(min_length=15)
    """Why it is acceptable; shown in every report."""


class Notice(Part):
    """One privacy notice; every file in content/ with a `notice:` key holds one."""

    id: Id
    """Stable id; the page's file name in every language, e.g. `privacy-notice`."""
    title: Annotated[str, Translatable("Title of the notice"), SHOWN]
    """Title, e.g. `Privacy notice for data subjects`."""
    publisher: Annotated[str, Translatable("Who publishes the notice")] = ""
    """Who speaks, e.g. `NinjaOne, LLC and its affiliates (together "NinjaOne")`."""
    version: str
    """The notice's version, e.g. `2024.04`."""
    effective_date: MonthOrDate
    """When this version takes effect: `YYYY-MM-DD` or `YYYY-MM`."""
    last_updated: MonthOrDate
    """When the information was last checked: `YYYY-MM-DD` or `YYYY-MM`."""
    controllers: list[Id] = Field(min_length=1)
    """Party ids of the controller(s)."""
    dpo: Id | None = None
    """Party id of the data protection officer, if there is one."""
    eu_representative: Id | None = None
    """Party id of the EU representative (GDPR Art. 27), if there is one."""
    supervisory_authority: Id | None = None
    """Party id of the lead supervisory authority, if the notice names one."""
    rights_contact: Id | None = None
    """Party id to write to for requests about rights; defaults to the first controller."""
    purposes: list[Purpose] = Field(min_length=1)
    """The purposes of processing."""
    legal_bases: list[LegalBasis] = []
    """Legal bases listed on their own; defaults to those the purposes use."""
    data_categories: list[DataCategory] = []
    """Categories of personal data."""
    data_sources: list[DataSource] = []
    """Where the data comes from."""
    recipients: list[Recipient] = []
    """Recipients or categories of recipients."""
    transfers: list[Transfer] = []
    """Transfers outside the EEA and their safeguards."""
    retention: list[RetentionRule] = []
    """The retention table, one rule per row."""
    rights: list[RightEntry] = []
    """The data-subject rights explained."""
    provision: Provision | None = None
    """Whether providing the data is required, and what follows if not."""
    automated_decisions: AutomatedDecisions | None = None
    """Whether automated decision-making is used."""
    sections: list[Section] = Field(min_length=1)
    """The page's sections, in order; numbered 1, 2, 3, ... from this order."""
    suppress: list[Suppression] = []
    """Findings the legal team accepts, each with a written reason."""
    note_for_translators: str = ""
    """A note shown to translators beside the notice's title."""
