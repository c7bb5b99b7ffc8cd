"""Values listed twice in a list of ids or choices: `controllers: [acme, acme]`.

The page would show such a value twice (a controller's address, a legal basis, a
block), so any repeat in a list of ids, codes or choices is a mistake. Lists of free
text (the lines of a street address) may repeat a line and are left alone.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from notice_builder.loader.yaml_data import PathKey


@dataclass(frozen=True)
class Repeat:
    """A value listed a second time: where, and the index of its first listing."""

    path: PathKey
    first: int
    value: str


def repeats(part: BaseModel, path: PathKey = ()) -> Iterator[Repeat]:
    """Every repeated value in the lists of ids or choices below ``part``."""
    for name, info in type(part).model_fields.items():
        value = getattr(part, name)
        if isinstance(value, list) and _lists_choices(info.annotation):
            yield from _repeats_in(value, (*path, name))
        else:
            yield from _repeats_below(value, (*path, name))


def _repeats_below(value: object, path: PathKey) -> Iterator[Repeat]:
    if isinstance(value, BaseModel):
        yield from repeats(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _repeats_below(item, (*path, index))


def _repeats_in(values: list[Any], path: PathKey) -> Iterator[Repeat]:
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        text = str(value.value if isinstance(value, enum.Enum) else value)
        if text in first:
            yield Repeat((*path, index), first[text], text)
        first.setdefault(text, index)


def _lists_choices(annotation: Any) -> bool:
    """Whether a field is a list of ids or choices: of an enum, a literal, or a
    constrained text (an id, a country, a language), not of free text."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_lists_choices(argument) for argument in typing.get_args(annotation))
    if typing.get_origin(annotation) is not list:
        return False
    (item,) = typing.get_args(annotation)
    if typing.get_origin(item) in (typing.Annotated, typing.Literal):
        return True
    return isinstance(item, type) and issubclass(item, enum.Enum)
