"""The validated model as plain JSON data, and back without validating it again.

A content file that validated once gives the same model every time its bytes are
the same: a rebuild takes that model from the cache (see
:mod:`notice_builder.loader.model_cache`) instead of validating the file again,
which also spares it building the validators (the models are defined with
``defer_build``), importing ``email_validator`` and loading CLDR's territory names.

The plain form is data only (JSON: objects, lists, strings, numbers), never code;
it is read back by the model's own field types: a part is rebuilt as
``model_construct`` builds one, from exactly the values validation gave (every field,
defaults included), enums from their values, dates from their ISO form (``YYYY-MM`` for a
:class:`~notice_builder.model.fields.MonthDate`). A value of any other type is not
turned into plain data at all (:class:`NotPlain`): such a file is validated every time.
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, cast

from notice_builder.model.base import Part
from notice_builder.model.fields import MonthDate

P = TypeVar("P", bound=Part)
Revive = Callable[[Any], Any]

_SCALARS = (str, int, float, bool, type(None))


class NotPlain(Exception):
    """A validated value that the plain form cannot give back exactly."""


def to_plain(value: Any) -> Any:
    """``value`` (a part, or anything inside one) as JSON data."""
    if isinstance(value, Part):
        return {name: to_plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict) and all(type(key) is str for key in value):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, enum.Enum) and type(value.value) is str:
        return value.value
    if type(value) in (datetime.date, MonthDate):
        return value.isoformat()
    if type(value) in _SCALARS:
        return value
    raise NotPlain(type(value).__name__)


def from_plain(cls: type[P], data: Any) -> P:
    """The part ``cls`` from its plain form; KeyError, TypeError or ValueError when
    ``data`` is not one (a damaged cache entry)."""
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    values = {}
    for name, revive in _fields_of(cls):
        value = data[name]
        values[name] = value if revive is None or value is None else revive(value)
    if not _plain_part(cls):
        # The pydantic plugin types model_construct as returning the base class.
        return cast(P, cls.model_construct(**values))
    part = cls.__new__(cls)
    # What model_construct does when it is given every field (it costs 3x as much: it
    # looks for aliases and defaults field by field, and a rebuild makes 6,000 parts).
    _set = object.__setattr__
    _set(part, "__dict__", values)
    _set(part, "__pydantic_fields_set__", set(values))
    _set(part, "__pydantic_extra__", None)
    _set(part, "__pydantic_private__", None)
    return part


_PLAIN_PARTS: dict[type[Part], bool] = {}


def _plain_part(cls: type[Part]) -> bool:
    """A part that model_construct would build from its fields alone: no aliases, no
    extra or private attributes, nothing run after construction."""
    plain = _PLAIN_PARTS.get(cls)
    if plain is None:
        plain = _PLAIN_PARTS[cls] = (
            not cls.__pydantic_post_init__
            and not cls.__private_attributes__
            and not cls.__pydantic_root_model__
            and cls.model_config.get("extra") != "allow"
            and all(
                info.alias is None and info.validation_alias is None
                for info in cls.model_fields.values()
            )
        )
    return plain


_FIELDS: dict[type[Part], list[tuple[str, Revive | None]]] = {}


def _fields_of(cls: type[Part]) -> list[tuple[str, Revive | None]]:
    """Each field of a part, with how its plain value becomes the model's (None: as it is)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = [
            (name, _reviver(info.annotation)) for name, info in cls.model_fields.items()
        ]
    return found


def _reviver(annotation: Any) -> Revive | None:
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:  # a constrained type inside a list: the type it constrains
        return _reviver(arguments[0])
    if origin is typing.Union or origin is types.UnionType:
        kinds = [kind for kind in arguments if kind is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"no plain form for {annotation}")
        return _reviver(kinds[0])
    if origin is list:
        return _list_of(_reviver(arguments[0]))
    if origin is dict:
        return _dict_of(_reviver(arguments[1]))
    if origin is typing.Literal or annotation in _SCALARS:
        return None  # JSON keeps it as it is
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return lambda value: from_plain(annotation, value)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    if annotation is datetime.date:
        return _date
    raise TypeError(f"no plain form for {annotation}")


def _list_of(item: Revive | None) -> Revive:
    def revive(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return value if item is None else [item(entry) for entry in value]

    return revive


def _dict_of(item: Revive | None) -> Revive:
    def revive(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        return value if item is None else {key: item(entry) for key, entry in value.items()}

    return revive


def _date(value: Any) -> datetime.date:
    if not isinstance(value, str):
        raise TypeError("expected a date")
    if len(value) == len("YYYY-MM"):
        year, month = value.split("-")
        return MonthDate(int(year), int(month))
    return datetime.date.fromisoformat(value)
