"""Parsed YAML kept between builds, keyed by the file's bytes.

Composing YAML with every value's position costs far more than validating the
result; a file that has not changed since the last build is read back from its
parsed form (plain data and source map, as JSON: never pickles). Only documents
that parsed without a problem are kept, so every problem is still found by parsing.
Values JSON cannot tell apart (dates) are listed beside the data by their path; a
document with other such values (times, binary) is simply not kept.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from notice_builder.code_version import code_version
from notice_builder.diagnostics import Location, display_path
from notice_builder.loader.yaml_data import (
    LoadedYaml,
    PathKey,
    SourceMap,
    YamlProblem,
    read_yaml_bytes,
)
from notice_builder.page_cache import read_sealed, write_atomic
from notice_builder.parallel import parallel_map

PARALLEL_FROM = 16
"""Files from which parsing is spread over the cores (a worker costs ~30 ms to start)."""

_PLAIN = (str, int, float, bool, type(None))


class _NotPlain(Exception):
    """A value that JSON cannot keep exactly."""


def load_yaml_cached(path: Path, folder: Path | None) -> LoadedYaml:
    """:func:`~notice_builder.loader.yaml_source.load_yaml_file`, from ``folder`` when the
    file's bytes were parsed before."""
    loaded = load_yaml_many([path], folder).documents[0]
    if isinstance(loaded, YamlProblem):
        raise loaded
    return loaded


@dataclass(frozen=True)
class LoadedFiles:
    """The documents of some YAML files, in order, and the hash of each file."""

    documents: list[LoadedYaml | YamlProblem]
    digests: list[str] | None
    """Each file's name and bytes hashed (with the tool's version); None when a file
    could not be read."""


def load_yaml_many(
    paths: Sequence[Path], folder: Path | None, jobs: int | None = None
) -> LoadedFiles:
    """:func:`load_yaml_cached` for each path: a document, or why it has none.

    Each file is read once, here. An unchanged file's document comes from the cache;
    sixteen or more to parse are parsed on up to ``jobs`` processes (default: one per
    core), and a worker sends a document back in the form the cache keeps it (JSON,
    positions decoded only when asked for), which costs far less to send and to read
    than the parsed objects.
    """
    files = [(path, _read(path)) for path in paths]
    digests = [_digest(path, raw) if isinstance(raw, bytes) else "" for path, raw in files]
    found: dict[Path, bytes | LoadedYaml | YamlProblem | None] = {
        path: _known(raw, digest, folder)
        for (path, raw), digest in zip(files, digests, strict=True)
    }
    to_parse = [
        (path, raw) for path, raw in files if isinstance(raw, bytes) and found[path] is None
    ]
    found.update(_parse_all(to_parse, folder, jobs))
    documents = [_received(path, found[path]) for path in paths]
    return LoadedFiles(documents, digests if all(digests) else None)


def _known(
    raw: bytes | YamlProblem, digest: str, folder: Path | None
) -> bytes | YamlProblem | None:
    """What needs no parsing: why the file cannot be read, or its entry in the cache."""
    if isinstance(raw, YamlProblem):
        return raw
    return _entry_bytes(folder / f"{digest}.json") if folder is not None else None


def _parse_all(
    files: list[tuple[Path, bytes]], folder: Path | None, jobs: int | None = None
) -> dict[Path, bytes | LoadedYaml | YamlProblem]:
    """Each file's document; on several processes when there are enough of them."""
    parallel = len(files) >= PARALLEL_FROM and jobs != 1
    parse = partial(_parse, folder=folder, to_send=parallel)
    parsed = parallel_map(parse, files, jobs) if parallel else [parse(file) for file in files]
    return dict(zip((path for path, _ in files), parsed, strict=True))


def _read(path: Path) -> bytes | YamlProblem:
    try:
        return read_yaml_bytes(path)
    except YamlProblem as problem:
        return problem


def _parse(
    file: tuple[Path, bytes], folder: Path | None, *, to_send: bool
) -> bytes | LoadedYaml | YamlProblem:
    """A file's document (kept in ``folder``); in the cache's form when ``to_send``."""
    from notice_builder.loader.yaml_source import load_yaml_bytes  # PyYAML: only to parse

    path, raw = file
    try:
        loaded = load_yaml_bytes(path, raw)
    except YamlProblem as problem:
        return problem
    if folder is None and not to_send:
        return loaded
    try:
        encoded = _encode(loaded)
    except _NotPlain:
        return loaded
    if folder is not None:
        with contextlib.suppress(OSError):  # the cache only saves time
            _write(folder / f"{_digest(path, raw)}.json", encoded)
    return encoded if to_send else loaded


def _entry_bytes(entry: Path) -> bytes | None:
    try:
        found = read_sealed(entry)
        os.utime(entry)  # used by this build: pruning keeps it
    except (OSError, ValueError):  # missing, or damaged: parsed again
        return None
    return found


def _received(
    path: Path, item: bytes | LoadedYaml | YamlProblem | None
) -> LoadedYaml | YamlProblem:
    """A document from its cached form; a damaged entry is parsed from the file again."""
    assert item is not None  # every file was found in the cache or parsed
    if not isinstance(item, bytes):
        return item
    try:
        return _decode(path, item)
    except (ValueError, KeyError, TypeError, IndexError):
        raw = _read(path)  # a damaged entry: rare, so the file is read again
        if isinstance(raw, YamlProblem):
            return raw
        return _received(path, _parse((path, raw), None, to_send=False))


def _digest(path: Path, raw: bytes) -> str:
    return hashlib.sha256(f"{code_version()}\0{path}\0".encode() + raw).hexdigest()


def _encode(loaded: LoadedYaml) -> bytes:
    """Two lines of JSON: the data, then the positions (decoded only when one is asked for)."""
    dates: list[list[Any]] = []
    data = {"data": _plain(loaded.data, (), dates), "dates": dates}
    source_map = loaded.source_map
    positions = {
        "values": [[*_where(location), list(key)] for key, location in source_map.values.items()],
        "keys": [[*_where(location), list(key)] for key, location in source_map.keys.items()],
        "block_scalars": [list(key) for key in source_map.block_scalars],
    }
    return b"\n".join(json.dumps(part, ensure_ascii=False).encode() for part in (data, positions))


def _plain(value: Any, path: PathKey, dates: list[list[Any]]) -> Any:
    """``value`` with its dates replaced by None (listed in ``dates`` with their path)."""
    if isinstance(value, dict):
        return {key: _plain(item, (*path, key), dates) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, (*path, index), dates) for index, item in enumerate(value)]
    if type(value) is datetime.date:
        dates.append([list(path), value.isoformat()])
        return None
    if type(value) not in _PLAIN:
        raise _NotPlain(type(value).__name__)
    return value


def _where(location: Location) -> tuple[int, int]:
    return location.line, location.column


def _decode(path: Path, entry: bytes) -> LoadedYaml:
    first, _, positions = entry.partition(b"\n")
    if not first.startswith(b'{"data": ') or not positions:
        raise ValueError("not an entry of this cache")
    return _CachedYaml(path, first, _CachedSourceMap(path, positions))


def _decoded_data(encoded: bytes) -> Any:
    data = json.loads(encoded)
    value = data["data"]
    for where, iso in data["dates"]:
        value = _with_date(value, where, datetime.date.fromisoformat(iso))
    return value


class _CachedYaml(LoadedYaml):
    """A document whose data is decoded on first use: when the file's validated model
    is kept too (:mod:`notice_builder.loader.model_cache`), it never is."""

    def __init__(self, path: Path, encoded: bytes, source_map: SourceMap) -> None:
        # Deliberately not LoadedYaml.__init__: ``data`` is filled in by __getattr__.
        self.path = path
        self.source_map = source_map
        self._encoded = encoded

    def __getattr__(self, name: str) -> Any:
        if name != "data" or "_encoded" not in self.__dict__:
            raise AttributeError(name)
        encoded = self.__dict__.pop("_encoded")
        try:
            self.data = _decoded_data(encoded)
        except (ValueError, KeyError, TypeError, IndexError):  # damaged: parse the file
            from notice_builder.loader.yaml_source import load_yaml_file

            self.data = load_yaml_file(self.path).data  # a YamlProblem when it cannot be
        return self.data


class _CachedSourceMap(SourceMap):
    """A source map decoded on first use: most builds never look up a position."""

    def __init__(self, path: Path, encoded: bytes) -> None:
        # Deliberately not SourceMap.__init__: its fields are filled in by __getattr__.
        self._encoded = (path, encoded)

    def __getattr__(self, name: str) -> Any:
        if name not in ("values", "keys", "block_scalars") or "_encoded" not in self.__dict__:
            raise AttributeError(name)
        path, encoded = self.__dict__.pop("_encoded")
        try:
            self._fill(display_path(path), json.loads(encoded))
        except (ValueError, KeyError, TypeError):  # a damaged entry: the file has the positions
            from notice_builder.loader.yaml_source import load_yaml_file

            parsed = load_yaml_file(path).source_map
            self.values, self.keys, self.block_scalars = (
                parsed.values,
                parsed.keys,
                parsed.block_scalars,
            )
        return getattr(self, name)

    def _fill(self, shown: str, encoded: dict[str, Any]) -> None:
        self.values = {tuple(k): Location(shown, line, col) for line, col, k in encoded["values"]}
        self.keys = {tuple(k): Location(shown, line, col) for line, col, k in encoded["keys"]}
        self.block_scalars = {tuple(key) for key in encoded["block_scalars"]}


def _with_date(value: Any, path: list[str | int], date: datetime.date) -> Any:
    if not path:
        return date
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = date
    return value


def _write(entry: Path, data: bytes) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(entry, data)
