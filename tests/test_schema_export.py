"""Tests of `notice-builder schema`: the JSON Schema for editors and the field reference."""

from __future__ import annotations

import ast
import copy
import datetime
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from pydantic import BaseModel, TypeAdapter, ValidationError

import notice_builder.loader as loader_package
from notice_builder.cli import cli
from notice_builder.cli.failures import run_guarded
from notice_builder.loader.schema_errors import CUSTOM_CODES
from notice_builder.model import ContentFile
from notice_builder.schema_export import (
    REFERENCE_EXAMPLES,
    REFERENCE_FILE,
    SCHEMA_FILE,
    content_schema,
    enum_classes,
    generate,
    model_classes,
    regenerate_command,
    translation_kind,
)

ROOT = Path(__file__).resolve().parents[1]
CONTENT_FILES = sorted((ROOT / "content").glob("*.yaml"))
MODELS = model_classes()


def invoke(*args: str) -> Result:
    """Run the command as the console entry point does: the callback's int is returned."""
    return CliRunner().invoke(cli, ["schema", *args], standalone_mode=False)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = invoke()
    assert result.exception is None, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def reference() -> str:
    return generate("markdown")


def as_editor_sees(value: Any) -> Any:
    """YAML 1.1 reads `2024-04-15` as a date; editors (YAML 1.2) and the schema see text."""
    if isinstance(value, dict):
        return {key: as_editor_sees(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def load_content_file(path: Path) -> Any:
    return as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- the command ------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")
    assert schema["title"] and schema["description"]


def test_command_returns_zero_and_output_is_deterministic() -> None:
    first, second = invoke(), invoke()
    assert first.return_value == 0
    assert first.stdout == second.stdout
    assert first.stdout.endswith("}\n")
    reformatted = json.dumps(json.loads(first.stdout), indent=2, sort_keys=True, ensure_ascii=False)
    assert first.stdout == reformatted + "\n"


def test_markdown_format_prints_the_reference(reference: str) -> None:
    result = invoke("--format", "markdown")
    assert result.return_value == 0
    assert result.stdout == reference


def test_output_writes_the_file_and_check_compares_it(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert invoke("--output", str(target)).return_value == 0
    assert target.read_text(encoding="utf-8") == generate("json")
    assert invoke("--check", str(target)).return_value == 0
    target.write_text("{}\n", encoding="utf-8")
    stale = invoke("--check", str(target))
    assert stale.return_value == 1
    assert "notice-builder schema --output" in stale.stderr
    assert invoke("--check", str(tmp_path / "missing.json")).return_value == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "yaml"],
        ["--output", "a.json", "--check", "b.json"],
        ["--unknown-option"],
    ],
)
def test_bad_usage_exits_with_2(args: list[str]) -> None:
    assert run_guarded(cli, ["schema", *args]) == 2
    assert CliRunner().invoke(cli, ["schema", *args]).exit_code == 2


# --- what the schema accepts and rejects ----------------------------------------------


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda path: path.name)
def test_example_content_is_valid(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    errors = [error.message for error in validator.iter_errors(load_content_file(path))]
    assert errors == []


def _notice() -> dict[str, Any]:
    data: dict[str, Any] = load_content_file(ROOT / "content" / "privacy-notice.yaml")
    return data


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


INVALID = {
    "unknown key": (("notice", "publsher"), "NinjaOne"),
    "unknown key in a list entry": (("notice", "purposes", 0, "legal_basis"), ["consent"]),
    "unknown top-level key": (("notices",), {}),
    "wrong enum value": (("notice", "purposes", 0, "legal_bases"), ["contrct"]),
    "wrong block": (("notice", "sections", 0, "show"), ["purpose"]),
    "id not in the id form": (("notice", "purposes", 0, "id"), "Marketing"),
    "duration without a unit": (("notice", "retention", 3, "period", "duration"), "30"),
    "date in words": (("notice", "effective_date"), "April 2024"),
    "number instead of text": (("notice", "version"), 2024.04),
    "empty list that needs an entry": (("notice", "controllers"), []),
}


@pytest.mark.parametrize("case", INVALID, ids=str)
def test_invalid_content_is_rejected_like_the_model_does(
    case: str, validator: jsonschema.Draft202012Validator
) -> None:
    path, value = INVALID[case]
    data = _set(_notice(), path, value)
    assert not validator.is_valid(data)
    with pytest.raises(ValidationError):
        ContentFile.model_validate(data)


def test_every_part_forbids_unknown_keys(schema: dict[str, Any]) -> None:
    for name, model in MODELS.items():
        node = schema if model is ContentFile else schema["$defs"][name]
        forbids = model.model_config.get("extra") == "forbid"
        assert node.get("additionalProperties") is (False if forbids else None), name


def test_fields_keep_docstrings_and_lose_generated_titles(schema: dict[str, Any]) -> None:
    for name, model in MODELS.items():
        node = schema if model is ContentFile else schema["$defs"][name]
        for key in model.model_fields:
            prop = node["properties"][key]
            assert "title" not in prop, f"{name}.{key}"
            assert prop["description"], f"{name}.{key} has no description"
            assert prop["markdownDescription"].startswith(prop["description"])
    effective = schema["$defs"]["Notice"]["properties"]["effective_date"]
    assert effective["description"].startswith("When this version takes effect")


def test_enum_values_are_described(schema: dict[str, Any]) -> None:
    for name in enum_classes():
        node = schema["$defs"][name]
        assert len(node["markdownEnumDescriptions"]) == len(node["enum"]), name
        assert all(node["enumDescriptions"]), name


# --- golden files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "output_format"), [(SCHEMA_FILE, "json"), (REFERENCE_FILE, "markdown")]
)
def test_committed_files_are_up_to_date(path: str, output_format: Any) -> None:
    committed = (ROOT / path).read_bytes() if (ROOT / path).exists() else b""
    assert committed == generate(output_format).encode("utf-8"), (
        f"{path} is out of date; regenerate it with: {regenerate_command(output_format, path)}"
    )


# --- the reference ----------------------------------------------------------------------


def _section(reference: str, name: str) -> str:
    match = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", reference, re.M | re.S)
    assert match, f"no section '## {name}' in the reference"
    return match.group(1)


def _row(section: str, key: str) -> str:
    match = re.search(rf"^\| `{key}` \|.*$", section, re.M)
    assert match, f"no row for `{key}`"
    return match.group(0)


@pytest.mark.parametrize("name", MODELS)
def test_reference_lists_every_field_of_every_part(reference: str, name: str) -> None:
    section = _section(reference, name)
    for key, field in MODELS[name].model_fields.items():
        row = _row(section, field.alias or key)
        translated = translation_kind(field) is not None
        assert ("translated" in row.split("|")[3]) is translated, row


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    lines = markdown.splitlines()
    return {_slug(line.lstrip("#")) for line in lines if re.match(r"#+ ", line)}


def test_reference_links_point_at_headings(reference: str) -> None:
    links = set(re.findall(r"\]\(#([^)]+)\)", reference))
    assert links - _anchors(reference) == set()
    assert {name.lower() for name in MODELS} <= _anchors(reference)


@pytest.mark.parametrize("document", ["guide.md", "errors.md", "reference.md"])
def test_links_between_the_docs_resolve(document: str) -> None:
    text = (ROOT / "docs" / document).read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([\w.-]*?\.md|)(?:#([^)]+))?\)", text):
        path = ROOT / "docs" / (target or document)
        assert path.exists(), f"{document} links to missing {target}"
        if anchor:
            anchors = _anchors(path.read_text(encoding="utf-8"))
            assert anchor in anchors, f"{document} links to {target}#{anchor}"


def _holders(name: str) -> Iterator[tuple[type[BaseModel], str]]:
    """The fields (model, key) whose schema refers to the definition ``name``."""
    schema = content_schema()
    for model_name, model in MODELS.items():
        node = schema if model is ContentFile else schema["$defs"][model_name]
        for key, prop in node["properties"].items():
            if f'"#/$defs/{name}"' in json.dumps(prop):
                yield model, key


@pytest.mark.parametrize("name", MODELS)
def test_reference_examples_are_valid(name: str) -> None:
    assert name in REFERENCE_EXAMPLES, f"the reference has no example for {name}"
    data = yaml.safe_load(REFERENCE_EXAMPLES[name])
    if MODELS[name] is ContentFile:
        ContentFile.model_validate(data)
        return
    (key, value), *rest = data.items()
    assert rest == [], "an example shows one key"
    holders = [model for model, field in _holders(name) if field == key]
    assert holders, f"no part has a `{key}:` holding {name}"
    annotation = holders[0].model_fields[key].annotation
    assert annotation is not None, f"{key} has no annotation"
    TypeAdapter(annotation).validate_python(value)


# --- the error catalogue ------------------------------------------------------------------

CODE = re.compile(r"^(yaml|schema|ref|content|site)\.[a-z0-9-]+$")


def loader_codes() -> set[str]:
    """Every diagnostic code the loader can report, read from its source."""
    codes = {f"schema.{kind.replace('_', '-')}" for kind in CUSTOM_CODES}
    for path in Path(loader_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and CODE.match(text):
                codes.add(text)
    return codes


@pytest.mark.parametrize("document", ["docs/errors.md", "docs/guide.md"])
def test_every_loader_code_is_documented(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = sorted(code for code in loader_codes() if f"`{code}`" not in text)
    assert missing == []


def test_error_catalogue_has_a_heading_per_code() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `([^`]+)`$", text, re.M))
    assert loader_codes() <= headings
