"""What a parsed YAML document is, and reading a content file's bytes: no PyYAML here.

Kept apart from :mod:`notice_builder.loader.yaml_source` (which composes YAML with
PyYAML) so that a build whose content all comes from the cache never imports PyYAML.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notice_builder.diagnostics import Diagnostic, Location, error

MAX_FILE_BYTES = 2 * 1024 * 1024

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

    def __reduce__(self) -> tuple[type[YamlProblem], tuple[Diagnostic]]:
        # Sent back from the worker that parsed the file: rebuilt from its diagnostic.
        return (YamlProblem, (self.diagnostic,))


def read_yaml_bytes(path: Path) -> bytes:
    """The bytes of a YAML file: a regular file (never a device or a pipe) of at most
    MAX_FILE_BYTES; refused with a :class:`YamlProblem` otherwise."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem(
                error(
                    "yaml.unreadable",
                    "this is not a regular file (a folder, a device or a pipe?)",
                    Location.of(path),
                    "content/ may only hold YAML text files",
                )
            )
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(path, info.st_size)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as problem:
        raise YamlProblem(
            error(
                "yaml.unreadable",
                f"cannot read the file: {problem.strerror or problem}",
                Location.of(path),
            )
        ) from None
    if len(raw) > MAX_FILE_BYTES:  # it grew after stat()
        raise _too_large(path, len(raw))
    return raw


def _too_large(path: Path, size: int) -> YamlProblem:
    return YamlProblem(
        error(
            "yaml.too-large",
            f"the file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes",
            Location.of(path),
            "split the content into several files in content/",
        )
    )
