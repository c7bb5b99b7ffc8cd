"""Parties: the organisations and people a notice names (controllers, DPO, ...)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from notice_builder.model.base import Part
from notice_builder.model.fields import Country, Email, Id, Phone, Translatable


class Address(Part):
    """A postal address."""

    street: list[str] = Field(min_length=1)
    """Street lines, e.g. `["Suite 200", "3687 Tampa Road"]`."""
    postal_code: str = ""
    """Postal or ZIP code."""
    city: str
    """City or town."""
    region: str = ""
    """State, province or region, where the address needs one."""
    country: Country
    """ISO 3166-1 alpha-2 code; the country's name is shown in each language."""


class Party(Part):
    """An organisation or office a notice refers to by its id."""

    id: Id
    """Stable id used to refer to this party, e.g. `ninjaone-llc`."""
    legal_name: str = ""
    """Registered legal name, never translated, e.g. `NinjaOne, LLC`."""
    label: Annotated[
        str, Translatable("Name of an office or role, e.g. a data protection officer")
    ] = ""
    """A translatable name for an office without a legal name, e.g. `Data protection officer`."""
    legal_form: Annotated[str, Translatable("Legal form of a company")] = ""
    """Legal form and registration, e.g. `a Delaware limited liability company`."""
    address: Address | None = None
    """Postal address."""
    email: Email | None = None
    """Contact e-mail address; shown as a working mailto: link."""
    phone: Phone | None = None
    """Phone number with country code, e.g. `+1 813 555 0100`; shown as a tel: link."""
    web: str | None = Field(default=None, pattern=r"^https?://")
    """Web address starting with https:// (or http://)."""
    note_for_translators: str = ""
    """A note shown to translators beside this party's strings."""
