"""Cross-references: ids unique, every id referred to exists, placeholders resolve."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence

from pydantic import BaseModel

from notice_builder.diagnostics import Diagnostic, Location, error
from notice_builder.loader.repeats import repeats
from notice_builder.loader.sources import ContentSources, Origin
from notice_builder.model import Content, Notice
from notice_builder.model.notice import Block

PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9-]*)\.([a-z_]+)\}")
LIKE_A_PLACEHOLDER = re.compile(r"\{\s*([A-Za-z0-9][\w-]*)\s*\.\s*([A-Za-z_][\w-]*)\s*\}")
"""Braces around a dotted name in any case, with or without spaces: an attempt at a
placeholder. Only what ``PLACEHOLDER`` matches is filled in; the rest is published as
it is written, braces and all."""
PARTY_FIELDS = ("name", "email", "phone", "web", "address")
LISTS = (
    "purposes",
    "data_categories",
    "data_sources",
    "recipients",
    "transfers",
    "retention",
    "sections",
)
PARTY_ROLES = ("dpo", "eu_representative", "supervisory_authority", "rights_contact")


def check_references(content: Content, sources: ContentSources) -> list[Diagnostic]:
    problems = list(_check_site(content, sources))
    parties = _party_ids(content, sources)
    for notice in content.notices:
        origin = sources.notices[notice.id]
        problems.extend(_unique_ids(notice, origin))
        problems.extend(_listed_twice(notice, origin))
        problems.extend(_party_refs(notice, origin, parties))
        problems.extend(_inner_refs(notice, origin))
        problems.extend(_placeholders(notice, origin, content, parties))
    return problems


def _check_site(content: Content, sources: ContentSources) -> Iterator[Diagnostic]:
    site = content.site
    assert sources.site is not None
    if site.source_language not in site.languages:
        yield error(
            "site.source-language",
            f"the source language '{site.source_language}' is not among the languages "
            f"{site.languages}",
            sources.site.locate(("languages",)),
            f"add {site.source_language} to `languages`",
        )
    for repeat in repeats(site):
        yield error(
            "site.duplicate-language",
            f"the language '{repeat.value}' is listed twice",
            sources.site.locate(repeat.path),
        )
    for locale in site.locales:
        if locale not in site.languages:
            yield error(
                "site.unknown-locale",
                f"settings are given for '{locale}', which is not among the languages",
                sources.site.locate(("locales", locale), key=True),
                "add it to `languages` or remove these settings",
            )


def _unique_ids(notice: Notice, origin: Origin) -> Iterator[Diagnostic]:
    for name in LISTS:
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(notice, name)):
            if item.id in seen:
                yield error(
                    "ref.duplicate-id",
                    f"the id '{item.id}' is used twice in `{name}` "
                    f"(first at {origin.locate((name, seen[item.id], 'id'))})",
                    origin.locate((name, index, "id")),
                    "give each entry its own id; ids are anchors and translation keys",
                )
            seen.setdefault(item.id, index)


def _listed_twice(part: BaseModel, origin: Origin) -> Iterator[Diagnostic]:
    for repeat in repeats(part):
        first = origin.locate((*repeat.path[:-1], repeat.first))
        yield error(
            "schema.listed-twice",
            f"'{repeat.value}' is listed twice in `{repeat.path[-2]}` (first at {first})",
            origin.locate(repeat.path),
            "remove one: the page would show it twice",
        )


def _party_ids(content: Content, sources: ContentSources) -> list[str] | None:
    """The ids a reference may name: the valid parties and those of invalid files; None
    when a content file could not be read (any id may be declared there)."""
    rejected = sources.rejected_parties
    return None if rejected is None else [*content.parties, *sorted(rejected)]


def _party_refs(notice: Notice, origin: Origin, known: list[str] | None) -> Iterator[Diagnostic]:
    if known is None:
        return
    for index, party_id in enumerate(notice.controllers):
        yield from _expect(party_id, known, "party", origin, ("controllers", index))
    for role in PARTY_ROLES:
        value = getattr(notice, role)
        if value is not None:
            yield from _expect(value, known, "party", origin, (role,))


def _inner_refs(notice: Notice, origin: Origin) -> Iterator[Diagnostic]:
    categories = [item.id for item in notice.data_categories]
    rules = [item.id for item in notice.retention]
    for index, purpose in enumerate(notice.purposes):
        for position, ident in enumerate(purpose.data):
            yield from _expect(
                ident, categories, "data category", origin, ("purposes", index, "data", position)
            )
        for position, ident in enumerate(purpose.retention):
            yield from _expect(
                ident, rules, "retention rule", origin, ("purposes", index, "retention", position)
            )
    for index, rule in enumerate(notice.retention):
        for position, ident in enumerate(rule.data):
            yield from _expect(
                ident, categories, "data category", origin, ("retention", index, "data", position)
            )
    yield from _section_rights(notice, origin)


def _section_rights(notice: Notice, origin: Origin) -> Iterator[Diagnostic]:
    listed = [entry.right.value for entry in notice.rights]
    for index, section in enumerate(notice.sections):
        if section.rights and Block.RIGHTS not in section.show:
            yield error(
                "ref.rights-without-block",
                f"section '{section.id}' lists rights but does not show the rights block",
                origin.locate(("sections", index, "rights")),
                "add `rights` to the section's `show:` list, or remove `rights:`",
            )
        for position, right in enumerate(section.rights):
            yield from _expect(
                right.value,
                listed,
                "right in `rights`",
                origin,
                ("sections", index, "rights", position),
            )


def _expect(
    ident: str, known: Sequence[str], kind: str, origin: Origin, path: tuple[str | int, ...]
) -> Iterator[Diagnostic]:
    if ident in known:
        return
    close = difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known) or 'none'}"
    yield error(
        "ref.unknown", f"there is no {kind} with the id '{ident}'", origin.locate(path), hint
    )


def _placeholders(
    notice: Notice, origin: Origin, content: Content, known: list[str] | None
) -> Iterator[Diagnostic]:
    """Placeholders name a party that exists and one of its fields that is filled in;
    ``known`` as for ``_party_refs`` (the fields of a party that is invalid are unknown)."""
    for path, text in iter_strings(notice):
        for match in LIKE_A_PLACEHOLDER.finditer(text):
            party_id, field = match.groups()
            if not PLACEHOLDER.fullmatch(match.group(0)):
                yield _misspelt_placeholder(match.group(0), content, origin.locate(path))
            elif party_id not in content.parties:
                if known is not None:
                    yield from _expect(party_id, known, "party", origin, path)
            elif field not in PARTY_FIELDS:
                yield error(
                    "ref.placeholder",
                    f"'{match.group(0)}' names the unknown field '{field}'",
                    origin.locate(path),
                    f"use one of: {', '.join(PARTY_FIELDS)}",
                )
            elif _party_value_missing(content, party_id, field):
                yield error(
                    "ref.placeholder",
                    f"'{match.group(0)}': the party '{party_id}' has no {field}",
                    origin.locate(path),
                    f"add `{field}:` to the party, or remove the placeholder",
                )


def _misspelt_placeholder(written: str, content: Content, location: Location | None) -> Diagnostic:
    """A placeholder in another case or with spaces; the hint names the one it means
    when that one is valid."""
    meant = re.sub(r"\s", "", written).lower()
    match = PLACEHOLDER.fullmatch(meant)
    valid = match and match[1] in content.parties and match[2] in PARTY_FIELDS
    hint = (
        f"did you mean {meant}?"
        if valid
        else "write a placeholder as {party-id.field} in lower case without spaces, the field "
        f"one of: {', '.join(PARTY_FIELDS)}; or remove the braces"
    )
    return error(
        "ref.placeholder",
        f"'{written}' looks like a placeholder but is not one: the page would show it as "
        "written, braces and all",
        location,
        hint,
    )


def _party_value_missing(content: Content, party_id: str, field: str) -> bool:
    party = content.parties[party_id]
    if field == "name":
        return not (party.legal_name or party.label)
    return not getattr(party, field)


def iter_strings(
    part: BaseModel, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every string value below a model part, with its path."""
    for name in type(part).model_fields:
        yield from _strings_in(getattr(part, name), (*path, name))


def _strings_in(
    value: object, path: tuple[str | int, ...]
) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, BaseModel):
        yield from iter_strings(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, (*path, index))
    elif isinstance(value, str):
        yield path, value
