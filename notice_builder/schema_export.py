"""The content file format as a JSON Schema for editors and as a Markdown field reference.

Both are generated from the pydantic model. ``ContentFile.model_json_schema()`` gives
the structure; :func:`content_schema` then

- names the value formats of :mod:`notice_builder.model.fields` (ids, dates, country
  codes, ...) once under ``$defs`` instead of repeating them in every field;
- puts each field's attribute docstring in ``description`` (a ``Field(description=...)``
  inside a reusable ``Annotated`` type would otherwise hide it) and adds
  ``markdownDescription``, which VS Code renders, marking the translated fields;
- gives enum values their meaning (``enumDescriptions``, ``markdownEnumDescriptions``)
  from the vocabularies of :mod:`notice_builder.model.vocabulary`;
- drops what confuses editors: generated titles such as "Eu Representative" and
  ``default: null`` (a completion would write ``null``);
- sets ``additionalProperties: false`` on every part whose model forbids extra keys.

:func:`render_markdown` turns that same schema, plus the translation metadata of the
model fields, into ``docs/reference.md``. Output is deterministic, so both files are
committed and a test compares them with freshly generated output.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from notice_builder.model import fields as field_types
from notice_builder.model import vocabulary
from notice_builder.model.content import ContentFile
from notice_builder.model.notice import DURATION_PATTERN, Block, Notice

Json = dict[str, Any]
OutputFormat = Literal["json", "markdown"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("json", "markdown")
TranslationKind = Literal["text", "markdown"]

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
REPOSITORY_URL = "https://github.com/notice-builder/notice-builder"
SCHEMA_ID = f"{REPOSITORY_URL}/raw/main/schema/notice-builder.schema.json"
SCHEMA_TITLE = "notice-builder content file"
SCHEMA_FILE = "schema/notice-builder.schema.json"
REFERENCE_FILE = "docs/reference.md"
DEFS = "#/$defs/"


def regenerate_command(output_format: OutputFormat, path: str) -> str:
    """The command that writes ``path`` in ``output_format``, for messages."""
    option = "" if output_format == "json" else " --format markdown"
    return f"notice-builder schema{option} --output {path}"


def generate(output_format: OutputFormat) -> str:
    """The schema (``json``) or the field reference (``markdown``) as text."""
    schema = content_schema()
    return render_json(schema) if output_format == "json" else render_markdown(schema)


# --- value formats ------------------------------------------------------------------


@dataclass(frozen=True)
class ValueFormat:
    """A reusable field type of the model, shown by name in the schema and the reference."""

    name: str
    annotation: Any
    singular: str
    plural: str
    rule: str


VALUE_FORMATS: tuple[ValueFormat, ...] = (
    ValueFormat(
        "Id",
        field_types.Id,
        "id",
        "ids",
        "Lower-case letters `a-z`, digits and hyphens, starting with a letter or a digit, "
        "e.g. `online-events`. Ids are not shown as text: they connect the parts of a "
        "notice and keep page anchors and translations stable, so change them with care.",
    ),
    ValueFormat(
        "Email",
        field_types.Email,
        "e-mail address",
        "e-mail addresses",
        "A complete e-mail address, e.g. `privacy@example.com`. It is shown as a link "
        "that opens the reader's e-mail program.",
    ),
    ValueFormat(
        "Phone",
        field_types.Phone,
        "phone number",
        "phone numbers",
        "An international number: `+`, the country code, then the number, e.g. "
        "`+1 813 555 0100`. Spaces, dots, hyphens and brackets are allowed.",
    ),
    ValueFormat(
        "Country",
        field_types.Country,
        "country code",
        "country codes",
        "Two capital letters from ISO 3166-1 alpha-2, e.g. `NL`, `DE` or `US`. The page "
        'shows the country\'s name in each language. Write Norway as `"NO"` (with quotes).',
    ),
    ValueFormat(
        "Language",
        field_types.Language,
        "language tag",
        "language tags",
        "A BCP 47 language tag, e.g. `en`, `nl`, `de` or `pt-BR` (Portuguese as spoken in "
        "Brazil). The build accepts the languages for which it has locale data (Unicode CLDR).",
    ),
    ValueFormat(
        "MonthOrDate",
        field_types.MonthOrDate,
        "date YYYY-MM-DD or month YYYY-MM",
        "dates or months",
        "A full date `YYYY-MM-DD`, e.g. `2024-04-15`, or a month `YYYY-MM`, e.g. `2024-04`, "
        'which the page shows as "April 2024".',
    ),
)
_FORMATS_BY_NAME = {value_format.name: value_format for value_format in VALUE_FORMATS}
_META_KEYS = frozenset({"title", "description", "default"})


def _format_schema(value_format: ValueFormat) -> Json:
    schema: Json = TypeAdapter(value_format.annotation).json_schema(mode="validation")
    return schema


def _format_definition(value_format: ValueFormat) -> Json:
    schema = _format_schema(value_format)
    description = _prose(schema.get("description") or value_format.rule)
    return {
        **schema,
        "title": value_format.name,
        "description": description,
        "markdownDescription": _prose(value_format.rule),
    }


def _core(node: Json) -> Json:
    return {key: value for key, value in node.items() if key not in _META_KEYS}


def _name_value_formats(node: Any, cores: Mapping[str, Json]) -> Any:
    """``node`` with every inline copy of a value format replaced by a ``$ref`` to it."""
    if isinstance(node, list):
        return [_name_value_formats(item, cores) for item in node]
    if not isinstance(node, dict):
        return node
    core = _core(node)
    for name, format_core in cores.items():
        if core == format_core:
            # the description was the format's own; a field gets its docstring later
            kept = {key: node[key] for key in ("default",) if key in node}
            return {"$ref": DEFS + name, **kept}
    return {key: _name_value_formats(value, cores) for key, value in node.items()}


# --- the model ------------------------------------------------------------------------


def _classes_in(annotation: Any) -> Iterator[type]:
    """Every class named in a field annotation: ``X``, ``list[X]``, ``X | None``, ..."""
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _classes_in(argument)


def _reachable(root: type[BaseModel]) -> list[type]:
    """The models and enums below ``root``, depth first in field order."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        if issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                for inner in _classes_in(field.annotation):
                    if issubclass(inner, BaseModel | Enum):
                        visit(inner)

    visit(root)
    return found


def model_classes(root: type[BaseModel] = ContentFile) -> dict[str, type[BaseModel]]:
    """Every part of the format by its schema name, the root first, then in field order."""
    return {cls.__name__: cls for cls in _reachable(root) if issubclass(cls, BaseModel)}


def enum_classes(root: type[BaseModel] = ContentFile) -> dict[str, type[Enum]]:
    """Every fixed vocabulary of the format by its schema name, in order of first use."""
    return {cls.__name__: cls for cls in _reachable(root) if issubclass(cls, Enum)}


@cache
def attribute_docstrings(cls: type) -> dict[str, str]:
    """The docstrings written under the annotated attributes of a class (do not change it)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source).body[0]
    if not isinstance(tree, ast.ClassDef):
        return {}
    docs: dict[str, str] = {}
    for statement, following in pairwise(tree.body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def translation_kind(field: FieldInfo) -> TranslationKind | None:
    """``markdown`` or ``text`` when the field goes to translators, else None."""
    for item in field.metadata:
        if isinstance(item, field_types.MarkdownText):
            return "markdown"
        if isinstance(item, field_types.Translatable):
            return "text"
    return None


def _prose(text: str) -> str:
    """Docstring text with its line breaks joined; blank lines still separate paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


# --- enum descriptions --------------------------------------------------------------

_VOCABULARY_TEXTS: dict[type[Enum], tuple[Mapping[Any, vocabulary.Term], str]] = {
    vocabulary.LegalBasis: (vocabulary.LEGAL_BASES, ""),
    vocabulary.Right: (vocabulary.RIGHTS, ""),
    vocabulary.RetentionEvent: (vocabulary.RETENTION_EVENTS, "when "),
    vocabulary.Art9Condition: (vocabulary.ART9_CONDITIONS, ""),
    vocabulary.Safeguard: (vocabulary.SAFEGUARDS, ""),
}


def _term_text(term: vocabulary.Term, prefix: str) -> str:
    text = prefix + term.label
    if term.article:
        text += f" (GDPR {term.article})"
    if term.description:
        text += f". {term.description}"
    return text


def _block_text(value: str) -> str:
    field = value.replace("-", "_")
    doc = attribute_docstrings(Notice).get(field)
    return f"Shows the notice's `{field}`: {_prose(doc)}" if doc else ""


def enum_value_text(cls: type[Enum], value: str) -> str:
    """What one value of a vocabulary means, or "" when the model does not say."""
    if cls is Block:
        return _block_text(value)
    terms, prefix = _VOCABULARY_TEXTS.get(cls, ({}, ""))
    term = terms.get(cls(value))
    return _term_text(term, prefix) if term else ""


# --- the schema -----------------------------------------------------------------------


def content_schema() -> Json:
    """The JSON Schema of one content file, in model field order (sort it to write it)."""
    schema = ContentFile.model_json_schema(mode="validation")
    cores = {fmt.name: _core(_format_schema(fmt)) for fmt in VALUE_FORMATS}
    schema = _name_value_formats(schema, cores)
    defs: Json = schema.setdefault("$defs", {})
    defs.update({fmt.name: _format_definition(fmt) for fmt in VALUE_FORMATS})
    for name, model in model_classes().items():
        _describe_model(schema if model is ContentFile else defs[name], model)
    for name, cls in enum_classes().items():
        _describe_enum(defs[name], cls)
    schema["title"] = SCHEMA_TITLE
    return {"$schema": DRAFT_2020_12, "$id": SCHEMA_ID, **schema}


def _describe_model(node: Json, model: type[BaseModel]) -> None:
    node["description"] = _prose(model.__doc__ or "")
    node["markdownDescription"] = node["description"]
    if model.model_config.get("extra") == "forbid":
        node["additionalProperties"] = False
    docs = attribute_docstrings(model)
    for name, field in model.model_fields.items():
        text = docs.get(name) or field.description or ""
        _describe_property(node["properties"][field.alias or name], text, translation_kind(field))


def _describe_property(node: Json, text: str, kind: TranslationKind | None) -> None:
    node.pop("title", None)
    if "default" in node and node["default"] is None:
        del node["default"]
    if text:
        node["description"] = _prose(text)
    markdown = node.get("description", "")
    if kind is not None:
        markdown += "\n\n*Translated.*"
    node["markdownDescription"] = markdown.strip()


def _describe_enum(node: Json, cls: type[Enum]) -> None:
    node["description"] = _prose(cls.__doc__ or "")
    node["markdownDescription"] = node["description"]
    texts = [enum_value_text(cls, value) for value in node["enum"]]
    if all(texts):
        node["enumDescriptions"] = texts
        node["markdownEnumDescriptions"] = texts


def render_json(schema: Json) -> str:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- the Markdown reference ---------------------------------------------------------

REFERENCE_HEADER = f"""\
<!-- Generated from the model by `{regenerate_command("markdown", REFERENCE_FILE)}`.
     Do not edit by hand: change the docstrings in notice_builder/model/ and regenerate. -->

# Field reference

Every file in `content/` is a YAML file with up to three top-level keys: `site:` (the
site settings), `parties:` (the organisations and offices the notices name) and
`notice:` (one privacy notice). This page lists every key you can write, what value it
expects, and whether its text goes to the translators. The [guide](guide.md) explains
step by step how to edit the notice; [errors.md](errors.md) explains the error messages.

How to read the tables:

- **Required**: a required key must be there. An optional key can be left out; the
  default is used then (if there is none, the item is simply not shown).
- **Type**: `text` is any text; "translated" means the text goes to the translators, so
  write it in the source language. "Markdown" text may contain paragraphs (separated by
  an empty line), lists (lines starting with `- `) and links (`[text](https://...)`).
  "one of" lists the only values allowed, explained under [Lists of values](#lists-of-values).
  Ids, dates, country codes and the like are explained under [Value formats](#value-formats).
- **Where** says under which keys the part goes. "(each entry)" means a list: each entry
  starts with `- `. `<key>:` stands for a key you choose, e.g. a language tag under
  `locales:`.
"""


def render_markdown(schema: Json) -> str:
    """The field reference: one section per part, then the value lists and formats."""
    models = model_classes()
    enums = enum_classes()
    defs: Json = schema["$defs"]
    places = _places(schema)
    used_by = _used_by(schema, models)
    blocks = [REFERENCE_HEADER.rstrip("\n"), _contents(models, enums)]
    for name, model in models.items():
        node = schema if model is ContentFile else defs[name]
        blocks.append(_model_section(name, model, node, defs, places.get(name, [])))
    blocks.append(_enum_sections(enums, defs, used_by))
    blocks.append(_format_sections(defs, used_by))
    return "\n\n".join(blocks) + "\n"


def _anchor(name: str) -> str:
    return "#" + name.lower()


def _link(name: str, text: str | None = None) -> str:
    return f"[{text or name}]({_anchor(name)})"


def _contents(models: Mapping[str, type], enums: Mapping[str, type]) -> str:
    lines = ["## Contents", ""]
    lines += [f"- {_link(name)}: {_prose(cls.__doc__ or '')}" for name, cls in models.items()]
    lines.append(
        f"- {_link('lists-of-values', 'Lists of values')}: " + ", ".join(map(_link, enums))
    )
    formats = ", ".join(_link(fmt.name) for fmt in VALUE_FORMATS)
    lines.append(f"- {_link('value-formats', 'Value formats')}: {formats}")
    return "\n".join(lines)


def _model_section(
    name: str, model: type[BaseModel], node: Json, defs: Json, places: list[str]
) -> str:
    lines = [f"## {name}", "", _prose(model.__doc__ or "")]
    where = "; ".join(places) if places else "the whole file"
    lines += ["", f"**Where:** {where}.", ""]
    lines += ["| Field | Required | Type | Description |", "| --- | --- | --- | --- |"]
    required = node.get("required", [])
    for field_name, field in model.model_fields.items():
        key = field.alias or field_name
        prop = node["properties"][key]
        cells = (
            f"`{key}`",
            _required_text(prop, key in required),
            _type_text(prop, defs, translation_kind(field)),
            prop.get("description", ""),
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    example = REFERENCE_EXAMPLES.get(name)
    if example:
        lines += ["", "Example:", "", "```yaml", example.strip("\n"), "```"]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _required_text(prop: Json, required: bool) -> str:
    if required:
        return "required, at least one" if prop.get("minItems") else "required"
    default = prop.get("default")
    if default in (None, "", [], {}):
        return "optional"
    return f"optional, default `{_yaml_value(default)}`"


def _yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_text(prop: Json, defs: Json, kind: TranslationKind | None) -> str:
    if kind is None:
        return _noun(prop, defs)
    return ("Markdown text" if kind == "markdown" else _noun(prop, defs)) + ", translated"


def _noun(node: Json, defs: Json, *, plural: bool = False) -> str:
    """The type of a value in plain words, e.g. "list of ids" or "one of: `a`, `b`"."""
    if "$ref" in node:
        return _ref_noun(node["$ref"].removeprefix(DEFS), defs, plural=plural)
    if "anyOf" in node:
        branches = [item for item in node["anyOf"] if item.get("type") != "null"]
        return " or ".join(_noun(item, defs, plural=plural) for item in branches)
    if "enum" in node:
        return _choice(node["enum"], plural=plural)
    kind = node.get("type")
    if kind == "array":
        return _list_noun(node["items"], defs)
    if kind == "object":
        return "mapping of `key: value` lines; each value: " + _noun(
            node.get("additionalProperties") or {}, defs
        )
    return _scalar_noun(node, plural=plural)


def _ref_noun(name: str, defs: Json, *, plural: bool) -> str:
    if name in _FORMATS_BY_NAME:
        value_format = _FORMATS_BY_NAME[name]
        return _link(name, value_format.plural if plural else value_format.singular)
    if "enum" in defs[name]:
        return _choice(defs[name]["enum"], plural=plural) + f" (see {_link(name)})"
    return _link(name) + (" entries" if plural else "")


def _list_noun(items: Json, defs: Json) -> str:
    target = defs.get(items.get("$ref", "").removeprefix(DEFS), items)
    if "enum" in target:
        return "list; " + _noun(items, defs, plural=True)
    return "list of " + _noun(items, defs, plural=True)


def _choice(values: list[Any], *, plural: bool) -> str:
    listed = ", ".join(f"`{value}`" for value in values)
    return ("each one of: " if plural else "one of: ") + listed


def _scalar_noun(node: Json, *, plural: bool) -> str:
    kind = node.get("type")
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        bounds = f" from {low} to {high}" if low is not None and high is not None else ""
        return ("whole numbers" if plural else "whole number") + bounds
    if node.get("pattern") == DURATION_PATTERN:
        return "duration: a number and a unit, e.g. `30 days`"
    text = "texts" if plural else "text"
    if node.get("minLength") == 1:
        text = ("texts" if plural else "text") + ", not empty"
    elif "minLength" in node:
        text += f" of at least {node['minLength']} characters"
    return text


# --- where each part goes, and which fields use a vocabulary or format ---------------


def _places(schema: Json) -> dict[str, list[str]]:
    """For each definition, the keys under which it appears, e.g. "under `notice:` -> ..."."""
    defs: Json = schema["$defs"]
    places: dict[str, list[str]] = {}

    def visit_value(node: Json, steps: list[str], chain: tuple[str, ...]) -> None:
        if "$ref" in node:
            name = node["$ref"].removeprefix(DEFS)
            text = "under " + " → ".join(steps)
            if text not in places.setdefault(name, []):
                places[name].append(text)
            if name not in chain and "properties" in defs[name]:
                visit_object(defs[name], steps, (*chain, name))
        for branch in node.get("anyOf", []):
            visit_value(branch, steps, chain)
        if isinstance(node.get("items"), dict):
            visit_value(node["items"], [*steps[:-1], steps[-1] + " (each entry)"], chain)
        if isinstance(node.get("additionalProperties"), dict):
            visit_value(node["additionalProperties"], [*steps, "`<key>:`"], chain)

    def visit_object(node: Json, steps: list[str], chain: tuple[str, ...]) -> None:
        for key, prop in node.get("properties", {}).items():
            visit_value(prop, [*steps, f"`{key}:`"], chain)

    visit_object(schema, [], ())
    return places


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].removeprefix(DEFS)
        for value in node.values():
            yield from _refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs_in(item)


def _used_by(schema: Json, models: Mapping[str, type[BaseModel]]) -> dict[str, str]:
    """For each definition, the fields that use it: "[Purpose](#purpose) `id`, `data`; ..."."""
    used: dict[str, dict[str, list[str]]] = {}
    for name, model in models.items():
        node = schema if model is ContentFile else schema["$defs"][name]
        for key, prop in node["properties"].items():
            for target in dict.fromkeys(_refs_in(prop)):
                used.setdefault(target, {}).setdefault(name, []).append(f"`{key}`")
    return {
        target: "; ".join(f"{_link(name)} {', '.join(keys)}" for name, keys in users.items())
        for target, users in used.items()
    }


def _enum_sections(enums: Mapping[str, type[Enum]], defs: Json, used_by: Mapping[str, str]) -> str:
    blocks = [
        "## Lists of values\n\n"
        "Keys that take one of a fixed list of values, or a list of them, accept only "
        "the values below. Write them exactly as shown, in lower case with hyphens."
    ]
    for name in enums:
        node = defs[name]
        lines = [f"### {name}", "", node["description"], ""]
        lines += [f"Used by: {used_by.get(name, 'nothing')}.", ""]
        lines += ["| Value | Meaning |", "| --- | --- |"]
        meanings = node.get("enumDescriptions") or [""] * len(node["enum"])
        lines += [
            f"| `{value}` | {_cell(text)} |"
            for value, text in zip(node["enum"], meanings, strict=True)
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _format_sections(defs: Json, used_by: Mapping[str, str]) -> str:
    blocks = [
        "## Value formats\n\n"
        "Some keys take text in a fixed form. The build checks these forms and says what "
        "it expected when a value does not fit."
    ]
    for value_format in VALUE_FORMATS:
        node = defs[value_format.name]
        lines = [f"### {value_format.name}", "", _prose(value_format.rule)]
        if "maxLength" in node:
            lines[-1] += f" At most {node['maxLength']} characters."
        lines += ["", f"Used by: {used_by.get(value_format.name, 'nothing')}."]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --- examples, taken from content/ --------------------------------------------------

REFERENCE_EXAMPLES: dict[str, str] = {
    "ContentFile": """
# yaml-language-server: $schema=../schema/notice-builder.schema.json
parties:
  - id: dpo
    label: Data protection officer
    email: dpo@example.com
""",
    "Site": """
site:
  name: NinjaOne privacy notices
  base_url: https://www.example.com/privacy
  source_language: en
  languages: [en, nl, de, fr]
  missing_translations: error
""",
    "LocaleSettings": """
locales:
  fr:
    missing_translations: fallback
    min_completeness: 90
""",
    "Party": """
parties:
  - id: ninjaone-llc
    legal_name: NinjaOne, LLC
    legal_form: a limited liability company registered in Delaware
    address:
      street: [Suite 200, 3687 Tampa Road]
      postal_code: "34677"
      city: Oldsmar
      region: Florida
      country: US
    email: privacy@example.com
""",
    "Address": """
address:
  street: [Alexanderstraße 1]
  postal_code: "10178"
  city: Berlin
  country: DE
""",
    "Notice": """
notice:
  id: privacy-notice
  title: Privacy notice for data subjects
  publisher: NinjaOne, LLC and its affiliates (together "NinjaOne")
  version: "2024.04"
  effective_date: 2024-04
  last_updated: 2024-04
  controllers: [ninjaone-llc, ninjaone-gmbh]
  dpo: dpo
  rights_contact: ninjaone-llc
  purposes:
    - id: contract
      title: Performance of a contract
      legal_bases: [contract]
  sections:
    - id: purposes
      title: Why we process your personal data
      show: [purposes]
""",
    "Purpose": """
purposes:
  - id: marketing
    title: Marketing communication
    description: We send newsletters and other promotional e-mails.
    legal_bases: [consent, legitimate-interests]
    legitimate_interest: Telling existing customers about similar products and services.
    retention: [marketing]
""",
    "DataCategory": """
data_categories:
  - {id: email, name: E-mail address}
  - id: disability
    name: Physical disability
    special: true
""",
    "DataSource": """
data_sources:
  - id: third-parties
    description: Sometimes we receive it from third parties, such as business partners.
    third_party: true
""",
    "Recipient": """
recipients:
  - id: business-partners
    name: Third parties such as business partners
    description: We share data with third parties only with your consent.
    requires_consent: true
""",
    "Transfer": """
transfers:
  - id: outside-eea
    countries: [US]
    safeguard: contractual-commitment
    description: Every party outside the EEA is bound by contract to protect your data.
""",
    "RetentionRule": """
retention:
  - id: marketing
    subject: Marketing communication
    period: {until: [consent-withdrawn, objection]}
    note: Customers may object at any time.
""",
    "RetentionPeriod": """
period:
  duration: 30 days
  or_earlier_on: [consent-withdrawn]
""",
    "RightEntry": """
rights:
  - right: access
  - right: objection
    details: Send your objection in writing to {ninjaone-llc.email}.
""",
    "Provision": """
provision:
  required: false
  consequences: |
    You do not have to give us your personal data. Without it, however, we may
    not be able to provide some of the services you ask for.
""",
    "AutomatedDecisions": """
automated_decisions:
  used: false
  explanation: We do not make decisions about you by automated means alone.
""",
    "Section": """
sections:
  - id: your-rights
    title: Your rights
    body: You have the following rights.
    show: [rights]
    rights: [access, rectification, erasure, restriction, withdraw-consent, complaint]
    closing: |
      Send your request in writing to {ninjaone-llc.email}. We may ask you to confirm
      your identity before we act on it.
""",
    "Suppression": """
suppress:
  - code: gdpr.13-2-a.retention-missing
    target: contract
    reason: No retention period for contract performance yet; legal review pending.
""",
}
