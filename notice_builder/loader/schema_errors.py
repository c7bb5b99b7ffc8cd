"""Turn pydantic's validation errors into diagnostics a legal team can act on.

Pydantic says *which* path failed; the source map says *where* it is in the file;
this module says *what* was expected, what was found, and how to fix it.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from notice_builder.diagnostics import Diagnostic, error
from notice_builder.loader.yaml_data import PathKey, SourceMap

TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "model_type": "a mapping of keys and values",
    "model_attributes_type": "a mapping of keys and values",
    "dict_type": "a mapping of keys and values",
}
CUSTOM_CODES = {
    "email",
    "phone",
    "country",
    "language",
    "date",
    "retention_period",
    "numbered_title",
}
PATTERN_HINTS = {
    "id": "ids use lower-case letters, digits and hyphens only, e.g. `online-events`",
    "duration": "write a number and a unit: days, weeks, months or years, e.g. `30 days`",
    "base_url": (
        "write the full address without a trailing slash, query, #fragment or user name, "
        "e.g. https://www.example.com/privacy; as a URI: other characters of the path "
        "percent-encoded (priv%C3%A9 for privé), an international domain name in its "
        "xn-- form"
    ),
    "web": "write the full address starting with https://",
}


def schema_diagnostics(
    problem: ValidationError, root: type[BaseModel], source_map: SourceMap, path: Path
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located in the YAML file."""
    return [_diagnostic(item, root, source_map) for item in problem.errors(include_url=False)]


def _diagnostic(item: ErrorDetails, root: type[BaseModel], source_map: SourceMap) -> Diagnostic:
    loc: PathKey = tuple(item["loc"])
    kind = item["type"]
    if kind == "extra_forbidden":
        return _unknown_key(loc, root, source_map)
    location = source_map.locate(loc)
    where = _describe(loc)
    if kind == "missing":
        field = str(loc[-1])
        return error(
            "schema.missing",
            f"missing required field '{field}' in {_describe(loc[:-1])}",
            source_map.locate(loc[:-1]),
            f"add `{field}:` with a value here (see docs/reference.md)",
        )
    if kind in TYPE_NAMES:
        found = _describe_value(item.get("input"))
        return error(
            "schema.type",
            f"{where}: expected {TYPE_NAMES[kind]}, found {found}",
            location,
            _type_hint(kind, loc, item.get("input")),
        )
    if kind in ("enum", "literal_error"):
        return _bad_choice(item, loc, location)
    if kind in CUSTOM_CODES:
        hint = str((item.get("ctx") or {}).get("hint", ""))
        return error(f"schema.{kind.replace('_', '-')}", f"{where}: {item['msg']}", location, hint)
    if kind == "string_pattern_mismatch":
        return _bad_pattern(item, loc, location)
    if kind == "string_too_short":
        return error(
            "schema.empty",
            f"{where}: needs text, found none",
            location,
            "write the text; leave out a key that is optional instead of giving it no text",
        )
    if kind == "too_short":
        return error(
            "schema.empty",
            f"{where}: needs at least one item, found none",
            location,
            "add at least one entry",
        )
    return error("schema.invalid", f"{where}: {item['msg']}", location)


def _type_hint(kind: str, loc: PathKey, value: object) -> str:
    """How to write a value of the kind expected at ``loc``."""
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "key")
    if kind == "list_type":
        example = value if isinstance(value, str | int | float) else "a, b"
        return f"write it as a list: `{key}: [{example}]`, or one `- item` per line"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if loc and isinstance(loc[-1], int):
            return (
                f"write each entry of `{key}:` as keys and values: the first after `- `, "
                "the others lined up below it (see docs/reference.md)"
            )
        return (
            f"write the keys below `{key}:`, each on a line of its own, indented by two "
            "more spaces (see docs/reference.md)"
        )
    return "correct the value; quote text that YAML reads as a number, date or yes/no"


def _unknown_key(loc: PathKey, root: type[BaseModel], source_map: SourceMap) -> Diagnostic:
    key = str(loc[-1])
    allowed = allowed_keys(root, loc[:-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    suggestion = f"did you mean '{close[0]}'?" if close else ""
    listing = ", ".join(sorted(allowed))
    hint = f"{suggestion} Allowed keys here: {listing}".strip()
    return error(
        "schema.unknown-key",
        f"unknown key '{key}' in {_describe(loc[:-1])}",
        source_map.locate(loc, key=True),
        hint,
    )


def _bad_choice(item: ErrorDetails, loc: PathKey, location: Any) -> Diagnostic:
    context = item.get("ctx") or {}
    expected = str(context.get("expected", "")).replace("'", "")
    options = [part.strip() for part in expected.replace(" or ", ",").split(",") if part.strip()]
    value = item.get("input")
    found = str(value)
    close = difflib.get_close_matches(found, options, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(options)}"
    if isinstance(value, bool):
        found = str(value).lower()
        hint = "YAML reads yes, no, on and off as true or false: put the word in quotes"
    return error(
        "schema.choice",
        f"{_describe(loc)}: expected one of {', '.join(options)}; found '{found}'",
        location,
        hint,
    )


def _bad_pattern(item: ErrorDetails, loc: PathKey, location: Any) -> Diagnostic:
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else "id"
    if field not in PATTERN_HINTS and not isinstance(loc[-1], str):
        field = "id"
    hint = PATTERN_HINTS.get(field, PATTERN_HINTS["id"] if field.endswith("id") else "")
    return error(
        "schema.format",
        f"{_describe(loc)}: '{item.get('input')}' is not in the expected form",
        location,
        hint,
    )


def _describe(loc: PathKey) -> str:
    if not loc:
        return "the file"
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return f"'{text}'"


def _describe_value(value: object) -> str:
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def allowed_keys(root: type[BaseModel], loc: PathKey) -> list[str]:
    """The field names of the model found at ``loc`` below ``root``."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``X``, ``X | None``, ``list[X]`` or ``dict[str, X]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, dict):
        for argument in typing.get_args(annotation):
            inner = _inner_model(argument)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation
