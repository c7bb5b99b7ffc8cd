"""The one catalog a translator edited, read on another core while the build imports.

A rebuild after one catalog edit spends its first ~0.25 s importing and loading in
one process, with the other core idle, and then reads the edited catalog (~0.1 s for
2.5 MB) before it can render that locale's pages. The build command calls
:func:`start` before its imports: when the hash memo of the catalogs (see
:func:`notice_builder.i18n.table_cache.catalog_digest`) shows that exactly one catalog
changed since the last build, a forked process reads it and sends the table back,
with the Python source Jinja generates for ``page.html`` and the templates it uses
(the page of that locale is rendered next, and parsing them costs ~30 ms).
:func:`take` receives it where the build reads that catalog, and uses it only when it
was read from the very bytes the build hashed (the same path, locale and hash);
otherwise the build reads the catalog itself, as without this module. A template is
used only for the same file and text (:func:`generated_template`). Nothing of it is
kept: it travels through a pipe from our own child. :func:`stop` ends the process
when the build never asked for it: nothing runs after the command returns.

This module is imported before the build's imports: it imports nothing heavy itself.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notice_builder.page_cache import read_sealed
from notice_builder.parallel import as_worker, forking

if TYPE_CHECKING:
    from notice_builder.diagnostics import Diagnostic
    from notice_builder.i18n.translations import TranslationTable

    Read = tuple[TranslationTable, list[Diagnostic]]


@dataclass(frozen=True)
class Changed:
    """A catalog whose file is not the one its hash was kept for."""

    path: Path
    locale: str


@dataclass(frozen=True)
class _Reader:
    """The forked process reading ``catalog``; ``owner`` is the process that forked it."""

    catalog: Changed
    child: int
    pipe: int
    owner: int


@dataclass(frozen=True)
class GeneratedTemplate:
    """A template's Python source as Jinja generated it from ``source`` (never kept: it
    comes from the child through a pipe, and is used only for the same file and text)."""

    filename: str
    source: str
    generated: str
    referenced: list[str]


@dataclass(frozen=True)
class Sent:
    """What the child sent: the catalog's table and problems with the hash of the bytes
    it read, and the page template (with those it uses) generated."""

    catalog: Changed
    digest: str
    table: TranslationTable
    problems: list[Diagnostic]
    templates: dict[str, GeneratedTemplate]


_READER: _Reader | None = None
_SENT: Sent | None = None


def identity(path: Path) -> list[int] | None:
    """What tells a file apart from itself edited: inode, size, mtime and ctime."""
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def changed_catalogs(memo: Path) -> list[Changed]:
    """The catalogs whose kept hash (in ``memo``) is for another state of their file."""
    found = []
    for entry in sorted(memo.glob("*.stat.json")) if memo.is_dir() else []:
        try:
            kept = json.loads(read_sealed(entry))
            path, locale = Path(kept["path"]), str(kept["locale"])
            if identity(path) not in (None, kept["identity"]):
                found.append(Changed(path, locale))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an entry of an older version, or damaged: nothing to go by
    return found


def start(memo: Path, templates: Path) -> None:
    """Read the one catalog that changed (if exactly one did) in a forked process, and
    generate the page template (from ``templates``) there too."""
    global _READER
    changed = changed_catalogs(memo)
    if _READER is not None or len(changed) != 1 or not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    with forking():
        child = os.fork()
        if child == 0:
            as_worker()  # Ctrl-C is the build's to answer
    if child == 0:  # pragma: no cover (the child ends with os._exit)
        os.close(read_end)
        _read_and_send(changed[0], templates, write_end)
    os.close(write_end)
    _READER = _Reader(changed[0], child, read_end, os.getpid())


def _read_and_send(catalog: Changed, templates: Path, pipe: int) -> None:
    """In the child: send a :class:`Sent`; never return."""
    status = 1
    try:
        from notice_builder.i18n.table_cache import read_with_digest

        digest, table, problems = read_with_digest(catalog.path, catalog.locale)
        sent = Sent(catalog, digest, table, problems, _generated(templates))
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(sent, pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)


def _generated(templates: Path) -> dict[str, GeneratedTemplate]:
    """``page.html`` and the templates it uses, generated as the build's environment
    would; none when one of them fails (the build then reports it)."""
    from notice_builder.render.environment import make_environment

    environment = make_environment(templates)
    found: dict[str, GeneratedTemplate] = {}
    pending = ["page.html"]
    try:
        while pending:
            name = pending.pop()
            source, filename, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
            generated = environment.compile(source, name, filename, raw=True)
            referenced = environment.referenced.get(name, [])
            assert isinstance(generated, str)  # raw: the Python source
            found[name] = GeneratedTemplate(filename or "", source, generated, referenced)
            pending.extend(item for item in referenced if item not in found)
    except Exception:  # whatever is wrong with a template, the build finds and reports it
        return {}
    return found


def take(path: Path, locale: str, digest: str) -> Read | None:
    """The catalog read by the forked process, if it read these bytes of this catalog."""
    sent = _sent()
    if sent is None or sent.catalog != Changed(path, locale) or sent.digest != digest:
        return None
    return sent.table, sent.problems


def generated_template(name: str, filename: str | None, source: str) -> GeneratedTemplate | None:
    """The template generated by the forked process, if it was from this file and text."""
    sent = _sent()
    found = sent.templates.get(name) if sent is not None else None
    if found is None or found.filename != (filename or "") or found.source != source:
        return None
    return found


def _sent() -> Sent | None:
    """What the child sent (received once, when first asked for)."""
    global _READER, _SENT
    reader = _READER
    if reader is not None and reader.owner == os.getpid():
        _READER = None
        _SENT = _received(reader)
    return _SENT


def _received(reader: _Reader) -> Sent | None:
    """What the child sent, once it has ended; None when it did not end well (then what
    it sent may be cut short)."""
    with os.fdopen(reader.pipe, "rb") as received:
        data = received.read()
    _, status = os.waitpid(reader.child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    # From our own child, through a pipe: never from a file, never kept.
    sent = pickle.loads(data)
    return sent if isinstance(sent, Sent) else None


def stop() -> None:
    """End the reading process if the build did not take what it read."""
    global _READER, _SENT
    _SENT = None
    reader = _READER
    if reader is None or reader.owner != os.getpid():
        return
    _READER = None
    os.close(reader.pipe)
    os.kill(reader.child, signal.SIGKILL)
    os.waitpid(reader.child, 0)
