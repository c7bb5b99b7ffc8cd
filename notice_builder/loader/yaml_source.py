"""Safe YAML loading that remembers where every value came from.

PyYAML's plain ``safe_load`` forgets positions, silently keeps the last of two
duplicate keys and expands alias bombs. We compose the node graph with the safe
loader and build the Python values ourselves, recording each value's position,
refusing duplicates and non-string keys, and bounding size, depth and expansion.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from notice_builder.characters import CONTROL_CHARACTERS, unshowable_character
from notice_builder.diagnostics import Diagnostic, Location, display_path, error, shortened
from notice_builder.loader.yaml_data import (
    MAX_FILE_BYTES,
    LoadedYaml,
    PathKey,
    SourceMap,
    YamlProblem,
    read_yaml_bytes,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "LoadedYaml",
    "PathKey",
    "SourceMap",
    "YamlProblem",
    "load_yaml_bytes",
    "load_yaml_file",
    "load_yaml_text",
    "read_yaml_bytes",
]

# libyaml (C) composes about ten times faster; the nodes and marks are the same.
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000
MAX_DEPTH = 64


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read, decode and compose one YAML file; raise :class:`YamlProblem` when it can't."""
    return load_yaml_bytes(path, read_yaml_bytes(path))


def load_yaml_bytes(path: Path, raw: bytes) -> LoadedYaml:
    return load_yaml_text(path, _decode(path, raw))


def load_yaml_text(path: Path, text: str) -> LoadedYaml:
    try:
        _check_depth(path, text)
        node = yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as problem:
        raise YamlProblem(_syntax_diagnostic(path, text, problem)) from None
    except yaml.reader.ReaderError as problem:
        raise YamlProblem(_reader_diagnostic(path, text, problem)) from None
    except yaml.YAMLError as problem:
        raise YamlProblem(error("yaml.syntax", str(problem), Location.of(path))) from None
    builder = _Builder(path)
    data = None if node is None else builder.build(node, (), 0)
    return LoadedYaml(path, data, builder.source_map)


_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_VALUES = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
_SURROGATE = re.compile("[\\ud800-\\udfff]")  # a lone surrogate, from escapes like "\\ud800"
# ... or a control character (from escapes like "\\v"): one search of each text for both
_SUSPECT = re.compile(f"[\\ud800-\\udfff{CONTROL_CHARACTERS}]")


def _check_depth(path: Path, text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, and more than MAX_NODES values, before composing.

    Both composers recurse once per level: PyYAML's ends in a RecursionError and
    libyaml's in a segmentation fault for ``[[[[...`` some 100,000 deep (a 200 kB
    file). The parser's event stream is flat, so it can be measured safely first;
    counting its values also spares composing a million nodes only to refuse them.
    """
    try:
        _measure_events(path, text, COMPOSER)
    except yaml.MarkedYAMLError as problem:
        # Newer libyaml stops at its own nesting limit (1,000) while it scans ahead; the
        # pure-Python parser then finds where our own, lower limit is first passed.
        if "nesting depth" not in str(problem.problem) or problem.problem_mark is None:
            raise
        _measure_events(path, text, yaml.SafeLoader)
        mark = problem.problem_mark
        raise YamlProblem(_too_deep(Location.of(path, mark.line + 1, mark.column + 1))) from None


def _measure_events(path: Path, text: str, loader: Any) -> None:
    depth = 0
    values = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _VALUES):
            values += 1
            if values > MAX_NODES:
                raise YamlProblem(_too_many(_event_location(path, event), aliases=False))
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH + 1:
                raise YamlProblem(_too_deep(_event_location(path, event)))
        elif isinstance(event, _CLOSING):
            depth -= 1


def _event_location(path: Path, event: yaml.Event) -> Location:
    mark = event.start_mark
    return Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)


def _too_many(location: Location, *, aliases: bool) -> Diagnostic:
    if aliases:
        return error(
            "yaml.too-many-values",
            f"the document expands to more than {MAX_NODES} values (aliases that repeat aliases?)",
            location,
            "remove the anchors (&) and aliases (*) that multiply the content",
        )
    return error(
        "yaml.too-many-values",
        f"the document has more than {MAX_NODES} values",
        location,
        "split the content into several files in content/",
    )


def _too_deep(location: Location) -> Diagnostic:
    return error(
        "yaml.too-deep",
        f"the document is nested more than {MAX_DEPTH} levels deep",
        location,
        "a notice needs only a few levels; look for runaway brackets or indentation",
    )


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


def _reader_diagnostic(path: Path, text: str, problem: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow (control characters, lone surrogates)."""
    position = max(0, min(int(problem.position), len(text)))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    character = problem.character
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return error(
        "yaml.syntax",
        f"the character {shown} is not allowed in YAML",
        Location.of(path, line, column),
        "remove it; write special characters as escapes in a double-quoted string",
    )


def _syntax_diagnostic(path: Path, text: str, problem: yaml.MarkedYAMLError) -> Diagnostic:
    what = problem.problem or "invalid YAML"
    mark = problem.problem_mark or problem.context_mark
    if "end of stream" in what and problem.context_mark:
        mark = problem.context_mark  # an unclosed quote or bracket: show where it opened
    location = Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)
    hint = "check the indentation and quotes on this line and the one before"
    if "'\\t'" in what or "\t" in what or "tab character" in what or _is_tab(text, mark):
        what = "a tab character is used for indentation"
        hint = "YAML does not allow tabs for indentation: indent with spaces"
    elif "another document" in what:
        return error(
            "yaml.syntax",
            "a second document starts here: a file holds one document",
            location,
            "remove the `---` line (or split the file in two)",
        )
    elif "end of stream" in what and "quoted scalar" in (problem.context or ""):
        what = "the quoted text that starts here is never closed"
        hint = (
            "add the closing quote; a quote inside the text is written twice ('') or escaped (\\\")"
        )
    context = f" ({problem.context})" if problem.context else ""
    opened = problem.context_mark
    if problem.context and opened and mark and mark is not opened and opened.line != mark.line:
        context = f" ({problem.context} that starts at line {opened.line + 1})"
    return error("yaml.syntax", f"{what}{context}", location, hint)


def _is_tab(text: str, mark: Any) -> bool:
    """Whether the problem is at a tab (libyaml's messages do not say so)."""
    if mark is None:
        return False
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return False
    line = lines[mark.line]
    return bool(0 <= mark.column < len(line) and line[mark.column] == "\t")


class _Builder:
    """Turns composed nodes into Python values, recording positions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source_map = SourceMap()
        self.nodes_built = 0
        self.constructor = yaml.SafeLoader("")
        self.shown = display_path(path)  # once: it resolves the path on disk

    def location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.shown, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self._count(node, path, depth)
        self.source_map.values[path] = self.location(node)
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, "tag:yaml.org,2002:map")
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _count(self, node: yaml.Node, path: PathKey, depth: int) -> None:
        self.nodes_built += 1
        if self.nodes_built > MAX_NODES:
            # Aliases share nodes, so the node at hand may be far from the alias that
            # multiplied it; the top-level entry being expanded is where to look.
            where = self.source_map.keys.get(path[:1]) or self.location(node)
            raise YamlProblem(_too_many(where, aliases=True))
        if depth > MAX_DEPTH:
            raise YamlProblem(_too_deep(self.location(node)))

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        """A list or mapping with a tag (``!!python/object/apply:os.system [...]``)."""
        if node.tag != expected:
            raise YamlProblem(
                error(
                    "yaml.tag",
                    f"cannot read this value: the tag '{node.tag}' is not supported",
                    self.location(node),
                    "remove the YAML tag (the word starting with !) from this value",
                )
            )

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.source_map.block_scalars.add(path)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as problem:
            raise YamlProblem(
                error(
                    "yaml.tag",
                    f"cannot read this value: {problem.problem}",
                    self.location(node),
                    "remove the YAML tag (the word starting with !) from this value",
                )
            ) from None
        except (ValueError, OverflowError, TypeError, IndexError, KeyError, AttributeError):
            # It looks like a date or a number but is none (2025-13-45, !!int abc, an empty
            # !!int, !!bool maybe, an integer of 5000 digits): keep the text, and let the
            # schema say what it expects.
            value = str(node.value)
        if isinstance(value, str):
            self._check_text(value, node)
        return value

    def _check_text(self, value: str, node: yaml.Node) -> None:
        """Refuse lone surrogates (from escapes like "\\ud800"): they cannot be written out;
        and control characters (from escapes like "\\v"): a page cannot show them."""
        if _SUSPECT.search(value) is None:
            return  # nearly every text
        surrogate = _SURROGATE.search(value)
        if surrogate is not None:
            raise YamlProblem(
                error(
                    "yaml.encoding",
                    f"the text contains the lone surrogate U+{ord(surrogate.group()):04X} "
                    f"(at character {surrogate.start() + 1}), which is not a character",
                    self.location(node),
                    "write the character itself, or its \\U escape, instead of a "
                    "surrogate pair of \\u escapes",
                )
            )
        control = unshowable_character(value)
        if control:
            raise YamlProblem(
                error(
                    "yaml.control-character",
                    f"the text contains the control character {control}, which a page cannot show",
                    self.location(node),
                    "remove its escape (such as \\a, \\b, \\v or \\x0b); a line break is \\n",
                )
            )

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    error(
                        "yaml.merge-key",
                        "merge keys (<<) are not supported",
                        self.location(key_node),
                        "write the keys out in full",
                    )
                )
            key = self._key(key_node)
            if key in result:
                raise YamlProblem(self._duplicate(key, key_node, (*path, key)))
            self.source_map.keys[(*path, key)] = self.location(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _key(self, key_node: yaml.Node) -> str:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            if isinstance(key_node, yaml.SequenceNode):
                shown = "a list"
            elif isinstance(key_node, yaml.MappingNode):
                shown = "a mapping"
            else:
                shown = repr(shortened(str(key_node.value), 40))
            raise YamlProblem(
                error(
                    "yaml.key-type",
                    f"keys must be text; found {shown}",
                    self.location(key_node),
                    "quote the key, or correct it to one of the documented field names",
                )
            )
        key = str(key_node.value)
        self._check_text(key, key_node)
        return key

    def _duplicate(self, key: str, key_node: yaml.Node, path: PathKey) -> Diagnostic:
        first = self.source_map.keys[path]
        return error(
            "yaml.duplicate-key",
            f"the key '{key}' appears twice in the same mapping (first at line {first.line})",
            self.location(key_node),
            "remove one of them; YAML would silently keep only the last",
        )
