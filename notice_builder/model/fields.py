"""Field types of the notice format, with the checks each value must pass.

Translatable fields are plain strings marked with :class:`Translatable` or
:class:`MarkdownText`; extraction finds them through this metadata, so the schema
is the one place that says which strings go to translators.
"""

from __future__ import annotations

import calendar
import datetime
import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Translatable:
    """Marks a plain-text field for translation; ``what`` becomes the translator comment."""

    what: str


@dataclass(frozen=True)
class MarkdownText:
    """Marks a Markdown field; it is translated one paragraph or list item at a time."""

    what: str


ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
PLACEHOLDER_SPACES = re.compile(r"[\s().-]")
TRUNK_PREFIX = re.compile(r"(\+[1-9][0-9]{0,2})\s*\(0\)\s*")
"""A country code and the trunk prefix "(0)", as in +49 (0)30 1234567: dialled from
abroad, the 0 is left out."""

SHOWN = StringConstraints(min_length=1)
"""For a text that is a heading, a name or a table row: given empty, or as white space
alone (the model strips it), every language's page showed an empty heading."""

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
]


def _check_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as problem:
        raise PydanticCustomError(
            "email",
            "'{value}' is not a valid e-mail address: {why}",
            {"value": value, "why": str(problem)},
        ) from None
    return value


def _check_phone(value: str) -> str:
    trunk = TRUNK_PREFIX.match(value)
    if trunk:
        usual = f"{trunk[1]} {value[trunk.end() :]}"
        raise PydanticCustomError(
            "phone",
            "'{value}' has a (0) after the country code: the tel: link would dial "
            "{dialled}, which is not the number",
            {
                "value": value,
                "dialled": e164(value),
                "hint": f"write {usual}: leave out the (0), which is dialled only within "
                "the country",
            },
        )
    digits = PLACEHOLDER_SPACES.sub("", value)
    if not E164.match(digits):
        raise PydanticCustomError(
            "phone",
            "'{value}' is not an international phone number: write it as + country code "
            "and number, e.g. +31 20 555 0100",
            {"value": value},
        )
    return value


@lru_cache(maxsize=1)
def _territory_names() -> dict[str, str]:
    """CLDR's two-letter territories and their English names: the countries, and also
    groupings (EU, UN, EZ), placeholders (ZZ, QO) and pseudo-regions (XA, XB)."""
    from babel import Locale

    territories = Locale("en").territories.items()
    return {code: name for code, name in territories if isinstance(code, str) and code.isalpha()}


@lru_cache(maxsize=1)
def _territory_codes() -> frozenset[str]:
    """The countries and territories: those that CLDR records the languages of (its
    population data), which leaves out groupings, placeholders and pseudo-regions."""
    from babel.core import get_global

    spoken = get_global("territory_languages")
    return frozenset(code for code in _territory_names() if spoken.get(code))


def _check_country(value: str) -> str:
    if value in _territory_codes():
        return value
    name = _territory_names().get(value)
    if name is not None:
        raise PydanticCustomError(
            "country",
            "'{value}' ({name}) is not a country: give the ISO 3166-1 alpha-2 code of one "
            "country (e.g. NL, DE, US)",
            {"value": value, "name": name},
        )
    raise PydanticCustomError(
        "country",
        "'{value}' is not an ISO 3166-1 alpha-2 country code{instead}",
        {"value": value, "instead": _instead_of_country(value)},
    )


def _instead_of_country(value: str) -> str:
    """What to write instead: the same code in capitals, the code that replaced an old
    or reserved one (UK -> GB, from CLDR's aliases), or where to look codes up."""
    from babel.core import get_global

    if value.upper() in _territory_codes():
        return f": write it in capitals, {value.upper()}"
    replaced = get_global("territory_aliases").get(value.upper(), [])
    codes = [code for code in replaced if code in _territory_codes()]
    if codes:
        return f": did you mean {' or '.join(codes)}?"
    return " (e.g. NL, DE, US); see https://www.iso.org/obp/ui/#search/code/"


def _check_language(value: str) -> str:
    """A BCP 47 tag CLDR knows, in its usual case (``en-US``, ``sr-Latn``).

    Tags are the same in any case, but the tag is also a folder and a catalog's name:
    ``en-us`` made the build look for ``locales/en_us/``, where ``i18n init en-us``
    had made ``locales/en_US/``."""
    from babel import UnknownLocaleError

    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise PydanticCustomError(
            "language",
            "'{value}' is not a BCP 47 language tag such as 'en', 'nl' or 'pt-BR'",
            {"value": value},
        )
    try:
        usual = usual_spelling(value, "-")
    except (UnknownLocaleError, ValueError):
        raise PydanticCustomError(
            "language",
            "'{value}' is not a language known to CLDR; use a BCP 47 tag "
            "(https://www.rfc-editor.org/info/bcp47)",
            {"value": value},
        ) from None
    if value != usual:
        raise PydanticCustomError(
            "language",
            "write '{value}' as '{usual}': the language in lower case, a script in "
            "title case, a region in upper case",
            {"value": value, "usual": usual},
        )
    return value


def usual_spelling(tag: str, separator: str) -> str:
    """``tag`` (subtags joined by ``-`` or ``_``) in the case CLDR writes it, joined by
    ``separator``: ``en-us`` -> ``en-US``. A tag CLDR knows by another name (``iw`` for
    ``he``, ``zh-TW`` for ``zh-Hant-TW``) keeps its subtags, in BCP 47's case: it names
    its folder and catalog as it is. Raises Babel's
    UnknownLocaleError or ValueError for a tag CLDR does not know."""
    from babel import Locale

    written = tag.replace("-", separator).replace("_", separator)
    cldr = str(Locale.parse(tag.replace("-", "_"))).replace("_", separator)
    if cldr.lower() == written.lower():
        return cldr
    return separator.join(_subtag_case(i, part) for i, part in enumerate(written.split(separator)))


def _subtag_case(index: int, subtag: str) -> str:
    """BCP 47's case for a subtag (RFC 5646, 2.1.1): ``zh-tw`` -> ``zh-TW``."""
    if index and len(subtag) == 4 and subtag.isalpha():
        return subtag.title()  # a script
    if index and len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()  # a region
    return subtag.lower()


def _parse_month_or_date(value: object) -> object:
    if isinstance(value, datetime.datetime):
        raise PydanticCustomError(
            "date",
            "expected a date without a time ({day}), found '{value}'",
            {"value": value.isoformat(), "day": value.date().isoformat()},
        )
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = (int(part) for part in value.split("-"))
        if 1 <= month <= 12:
            return MonthDate(year, month)
        _no_such_date(value, f"there is no month {month}")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            _no_such_date(value, _why_no_day(value))
    raise PydanticCustomError(
        "date",
        "expected a date as YYYY-MM-DD (e.g. 2024-04-15) or a month as YYYY-MM "
        "(e.g. 2024-04), found '{value}'",
        {"value": str(value)},
    )


def _no_such_date(value: str, why: str) -> typing.NoReturn:
    raise PydanticCustomError(
        "date", "the date '{value}' does not exist: {why}", {"value": value, "why": why}
    )


def _why_no_day(value: str) -> str:
    """Why a date written as YYYY-MM-DD is none: its month, or its day in that month."""
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days, not {day}"


class MonthDate(datetime.date):
    """A date known only to the month (``2024-04``); rendered as "April 2024"."""

    def __new__(cls, year: int, month: int) -> MonthDate:
        return super().__new__(cls, year, month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


Email = Annotated[str, AfterValidator(_check_email), Field(examples=["privacy@example.com"])]
Phone = Annotated[str, AfterValidator(_check_phone), Field(examples=["+1 813 555 0100"])]
Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(examples=["NL"]),
]
Language = Annotated[
    str,
    AfterValidator(_check_language),
    Field(examples=["nl"]),
]
MonthOrDate = Annotated[
    datetime.date,
    BeforeValidator(_parse_month_or_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]


def e164(phone: str) -> str:
    """The E.164 form of a phone number as written in the YAML (spaces removed)."""
    return PLACEHOLDER_SPACES.sub("", phone)
