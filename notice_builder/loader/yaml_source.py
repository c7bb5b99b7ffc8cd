"""Safe YAML loading that remembers where every value came from.

PyYAML's plain ``safe_load`` forgets positions, silently keeps the last of two
duplicate keys and expands alias bombs. We compose the node graph with the safe
loader and build the Python values ourselves, recording each value's position,
refusing duplicates and non-string keys, and bounding size, depth and expansion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from notice_builder.diagnostics import Diagnostic, Location, error

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of values (and of mapping keys) by their path in the document."""

    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    block_scalars: set[PathKey] = field(default_factory=set)

    def locate(self, path: PathKey, *, key: bool = False) -> Location | None:
        """The position of a path, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get(())


@dataclass
class LoadedYaml:
    """A YAML document as plain Python data, with its source map."""

    path: Path
    data: Any
    source_map: SourceMap


class YamlProblem(Exception):
    """A YAML document that cannot be turned into data."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read, decode and compose one YAML file; raise :class:`YamlProblem` when it can't."""
    raw = _read_limited(path)
    text = _decode(path, raw)
    return load_yaml_text(path, text)


def load_yaml_text(path: Path, text: str) -> LoadedYaml:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as problem:
        raise YamlProblem(_syntax_diagnostic(path, problem)) from None
    except yaml.YAMLError as problem:
        raise YamlProblem(error("yaml.syntax", str(problem), Location.of(path))) from None
    builder = _Builder(path)
    data = None if node is None else builder.build(node, (), 0)
    return LoadedYaml(path, data, builder.source_map)


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(
                error(
                    "yaml.too-large",
                    f"the file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes",
                    Location.of(path),
                    "split the content into several files in content/",
                )
            )
        return path.read_bytes()
    except OSError as problem:
        raise YamlProblem(
            error("yaml.unreadable", f"cannot read the file: {problem.strerror}", Location.of(path))
        ) from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line, column = _line_and_column(raw, problem.start)
        raise YamlProblem(
            error(
                "yaml.encoding",
                f"the file is not valid UTF-8 (byte 0x{raw[problem.start]:02x})",
                Location.of(path, line, column),
                "save the file as UTF-8 in your editor",
            )
        ) from None
    if "\x00" in text:
        line, column = _line_and_column(raw, raw.index(b"\x00"))
        raise YamlProblem(
            error(
                "yaml.binary",
                "the file contains a NUL byte: it is not a text file",
                Location.of(path, line, column),
            )
        )
    return text


def _line_and_column(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _syntax_diagnostic(path: Path, problem: yaml.MarkedYAMLError) -> Diagnostic:
    mark = problem.problem_mark or problem.context_mark
    location = Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)
    what = problem.problem or "invalid YAML"
    hint = "check the indentation and quotes on this line and the one before"
    if "'\\t'" in what or "\t" in what:
        what = "a tab character is used for indentation"
        hint = "YAML does not allow tabs for indentation: indent with spaces"
    context = f" ({problem.context})" if problem.context else ""
    return error("yaml.syntax", f"{what}{context}", location, hint)


class _Builder:
    """Turns composed nodes into Python values, recording positions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source_map = SourceMap()
        self.nodes_built = 0
        self.constructor = yaml.SafeLoader("")

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location.of(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self._count(node, depth)
        self.source_map.values[path] = self.location(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _count(self, node: yaml.Node, depth: int) -> None:
        self.nodes_built += 1
        if self.nodes_built > MAX_NODES:
            raise YamlProblem(
                error(
                    "yaml.too-many-values",
                    f"the document expands to more than {MAX_NODES} values "
                    "(aliases that repeat aliases?)",
                    self.location(node),
                    "remove the anchors (&) and aliases (*) that multiply the content",
                )
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                error(
                    "yaml.too-deep",
                    f"the document is nested more than {MAX_DEPTH} levels deep",
                    self.location(node),
                )
            )

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.source_map.block_scalars.add(path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as problem:
            raise YamlProblem(
                error(
                    "yaml.tag",
                    f"cannot read this value: {problem.problem}",
                    self.location(node),
                    "remove the YAML tag (the word starting with !) from this value",
                )
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key == "<<":
                raise YamlProblem(
                    error(
                        "yaml.merge-key",
                        "merge keys (<<) are not supported",
                        self.location(key_node),
                        "write the keys out in full",
                    )
                )
            if key in result:
                raise YamlProblem(self._duplicate(key, key_node, (*path, key)))
            self.source_map.keys[(*path, key)] = self.location(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _key(self, key_node: yaml.Node) -> str:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            shown = getattr(key_node, "value", "?")
            raise YamlProblem(
                error(
                    "yaml.key-type",
                    f"keys must be text; found {shown!r}",
                    self.location(key_node),
                    "quote the key, or correct it to one of the documented field names",
                )
            )
        return str(key_node.value)

    def _duplicate(self, key: str, key_node: yaml.Node, path: PathKey) -> Diagnostic:
        first = self.source_map.keys[path]
        return error(
            "yaml.duplicate-key",
            f"the key '{key}' appears twice in the same mapping (first at line {first.line})",
            self.location(key_node),
            "remove one of them; YAML would silently keep only the last",
        )
