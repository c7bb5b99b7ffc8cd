"""Writing the site: into a temporary folder, swapped in whole, one build at a time.

A build never leaves a half-written ``output/``: pages go to a temporary folder
beside it, and only when everything succeeded is the old folder replaced by the
new one. A lock file makes a second build wait instead of interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from notice_builder.diagnostics import Location, error
from notice_builder.errors import BuildFailed

LOCK_NAME = ".notice-builder.lock"


class StagingFolder:
    """A temporary folder that collects the files of one build."""

    def __init__(self, parent: Path, name: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=parent))

    def write(self, relative: str, data: bytes) -> None:
        target = self.path / relative
        if not target.resolve().is_relative_to(self.path.resolve()):
            raise BuildFailed(f"refusing to write outside the output folder: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder; a second build waits for it."""
    parent = prepare_parent(output)
    lock_path = parent / f"{LOCK_NAME}.{output.name}"
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"notice-builder: waiting for another build of {output} to finish", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_parent(output: Path) -> Path:
    """The folder that will hold ``output``; refuse a path that is a file or unwritable."""
    if output.exists() and not output.is_dir():
        raise BuildFailed(
            "cannot build",
            [error("output.not-a-folder", f"the output path {Location.of(output)} is a file",
                   Location.of(output), "remove it or choose another --output folder")],
        )
    parent = output.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise _unwritable(parent, problem) from None
    if not os.access(parent, os.W_OK):
        raise _unwritable(parent, PermissionError("permission denied"))
    return parent


def open_staging(output: Path) -> StagingFolder:
    try:
        return StagingFolder(output.parent, output.name)
    except OSError as problem:
        raise _unwritable(output.parent, problem) from None


def swap_in(staging: StagingFolder, output: Path) -> None:
    """Replace ``output`` by the staged folder; the old one is removed only afterwards."""
    retired = None
    if output.exists():
        retired = output.parent / f".{output.name}.old-{os.getpid()}"
        shutil.rmtree(retired, ignore_errors=True)
        output.rename(retired)
    try:
        staging.path.rename(output)
    except OSError:
        if retired is not None:
            retired.rename(output)
        raise
    staging.path = output
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _unwritable(folder: Path, problem: OSError) -> BuildFailed:
    return BuildFailed(
        "cannot build",
        [error("output.unwritable", f"cannot write to {Location.of(folder)}: {problem.strerror or problem}",
               Location.of(folder), "check the folder's permissions and free disk space")],
    )
