"""Writing the site: into a temporary folder, swapped in whole, one build at a time.

A build never leaves a half-written ``output/``: pages go to a temporary folder
beside it, and only when everything succeeded is the old folder replaced by the
new one. A lock file makes a second build wait instead of interleaving.

What can go wrong on the way, and what the user sees:

- the output folder is, holds or lies inside the project folder or a folder the
  build reads (content, catalogs, templates, cache): ``output.overlaps-input`` (exit
  2), before anything is written; replacing it as a whole would delete the sources;
- the output path is a file, or its folder cannot be written: ``output.not-a-folder``
  or ``output.unwritable``, before anything is rendered;
- the disk fills up (or any other write fails) while pages are staged:
  ``output.write-failed``; the staging folder is removed and ``output/`` is untouched;
- another build holds the lock: the build says so and waits, up to
  :data:`LOCK_TIMEOUT` seconds, then gives up with ``output.locked``;
- the output path is a symbolic link: the folder it names is replaced, and the link
  stays (:func:`replaced_folder`);
- the output folder is a version-control checkout (it holds ``.git``): ``output.checkout``
  (exit 2), before anything is written, as replacing it would delete its history;
- the output folder holds files and no build made it (it lacks :data:`OUTPUT_MARK`,
  which every build writes): ``output.foreign-files`` (exit 2), before anything is
  written, as replacing it would delete them (``--output ~/Documents``);
- a build is killed (even with SIGKILL): its staging folder stays behind, but
  ``output/`` is either the old or the new site, never a mix, because the swap is
  one atomic ``renameat2(RENAME_EXCHANGE)`` where the system has it. The next build
  removes what a dead build left behind (each staging folder is ``flock``-ed by its
  live owner, so a running ``check`` is never disturbed) and, after a crash between
  the two renames of the fallback swap, puts the previous ``output/`` back.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import IO

from notice_builder import link_helper
from notice_builder.diagnostics import Diagnostic, Location, error
from notice_builder.errors import BuildFailed, InputError
from notice_builder.paths import loops, resolved

StrPath = str | os.PathLike[str]

LOCK_NAME = ".notice-builder.lock"
LOCK_TIMEOUT = 600.0
"""Seconds a build waits for another build of the same output folder."""
LOCK_POLL = 0.1
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
OUTPUT_MARK = ".notice-builder-output"
"""The file every build writes into the output folder: a folder with files and without
it is none that a build made, and is not replaced (see :func:`refuse_foreign`)."""
OUTPUT_MARK_TEXT = (
    b"This folder is built by notice-builder. Each build replaces it as a whole:\n"
    b"keep no other files here.\n"
)
# What a file manager adds to any folder it shows: no reason to refuse a folder.
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
LINKS_PER_MESSAGE = 256
"""Links sent to the helper together (see :mod:`notice_builder.link_helper`)."""

# Staging folders created in this process and not yet swapped in or discarded.
_ACTIVE: list[StagingFolder] = []


class StagingFolder:
    """A temporary folder that collects the files of one build.

    The folder stays ``flock``-ed while this object owns it, which tells the
    clean-up of a later build that it is in use (see :func:`remove_leftovers`).
    """

    def __init__(self, parent: Path, name: str) -> None:
        self.output = parent / name
        self.path = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=parent))
        _as_new_folder(self.path)  # it becomes the output folder
        self._held: int | None = _hold(self.path)
        self._folders: set[str] = set()  # relative folders made already
        self._helper = link_helper.current()
        self._to_send: list[tuple[str, str]] = []  # links for the helper, not sent yet
        _ACTIVE.append(self)

    def write(self, relative: str, data: bytes) -> Path:
        """Write ``data`` as the file ``relative``; where it was written."""
        target = Path(self._target(relative))
        try:
            target.write_bytes(data)
        except OSError as problem:
            raise write_failed(self.output / relative, problem) from None
        return target

    def link(self, relative: str, source: StrPath) -> None:
        """Put the file ``source`` here unchanged: a hard link, or a copy across file systems.

        The source must never be changed in place afterwards (the page cache replaces
        its files instead): the link would change with it.
        """
        target = self._target(relative)
        if self._helper is not None and self._helper.usable():
            self._to_send.append((os.fspath(source), target))
            if len(self._to_send) >= LINKS_PER_MESSAGE:
                self._send_links()
            return
        try:
            link_helper.link_or_copy(source, target)
        except OSError as problem:
            raise write_failed(self.output / relative, problem) from None

    def _send_links(self) -> None:
        if self._helper is not None and self._to_send:
            self._helper.send(self._to_send)
            self._to_send = []

    def settle(self) -> None:
        """Wait until the helper made the links sent to it; the first that failed fails the
        build, as a link made here would have."""
        if self._helper is None or not self._helper.usable():
            return
        self._send_links()
        failures = self._helper.finish()
        if failures:
            target, number, reason = failures[0]
            relative = target.removeprefix(f"{self.path}/")
            raise write_failed(self.output / relative, OSError(number, reason))

    def _target(self, relative: str) -> str:
        """Where ``relative`` goes, its folder made; refused when it would leave the folder.

        A string, not a :class:`~pathlib.Path`: a rebuild links thousands of cached
        pages, and making a path object for each cost more than the link itself.
        """
        if not _stays_inside(relative):
            raise BuildFailed(
                f"refusing to write outside the output folder: {relative}",
                [
                    error(
                        "output.outside",
                        f"a page would be written outside the output folder: {relative!r}",
                        Location.of(self.output),
                        "this is a bug if the content passed validation; please report it",
                    )
                ],
            )
        folder, _, _ = relative.rpartition("/")
        if folder not in self._folders:
            try:
                (self.path / folder).mkdir(parents=True, exist_ok=True)
            except OSError as problem:
                raise write_failed(self.output / relative, problem) from None
            self._folders.add(folder)
        return f"{self.path}/{relative}"

    def release(self) -> None:
        """Stop owning the folder (after it was swapped in or removed)."""
        if self._held is not None:
            os.close(self._held)
            self._held = None
        if self in _ACTIVE:
            _ACTIVE.remove(self)

    def discard(self) -> None:
        with contextlib.suppress(BuildFailed):
            self.settle()  # nothing may still be linking into the folder being removed
        _remove(self.path)
        self.release()


def write_failed(path: Path, problem: OSError) -> BuildFailed:
    """A write that failed while staging: the disk is full, or the folder went away."""
    reason = problem.strerror or str(problem)
    if problem.errno in DISK_FULL:
        reason = f"the disk is full ({reason})"
    return BuildFailed(
        f"cannot build: {reason}; output/ was left unchanged",
        [
            error(
                "output.write-failed",
                f"cannot write {Location.of(path)}: {reason}",
                Location.of(path),
                "free some disk space (or fix the folder's permissions) and build again; "
                "the previous output/ is unchanged",
            )
        ],
    )


def _stays_inside(relative: str) -> bool:
    """A relative path with no ``..``: it cannot leave the folder it is joined to.

    The staging folder is ours and new, so no symbolic link inside it can lead out.
    """
    return (
        bool(relative)
        and not relative.startswith("/")
        and ".." not in relative.split("/")
        and "\\" not in relative
    )


def _as_new_folder(path: Path) -> None:
    """Give a folder made by mkdtemp (0700) the permissions of any new folder (0777 less
    the umask), keeping the set-group-ID bit the system may have given it. The staging
    folder becomes the output folder: at 0700, a web server running as another user
    could not read the site."""
    current = path.stat().st_mode
    os.chmod(path, (0o777 & ~_umask()) | (current & stat.S_ISGID))  # noqa: PTH101


def _umask() -> int:
    """The process's umask: from /proc on Linux (reading it any other way sets it)."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the output folder; a second build waits for it.

    While the lock is held, what killed builds left behind is cleaned up; when the
    build ends in an exception, the staging folders it opened are removed.
    """
    parent = prepare_parent(output)
    lock_path = parent / f"{LOCK_NAME}.{output.name}"
    try:
        handle = lock_path.open("a+", encoding="utf-8")
    except OSError as problem:
        raise _unwritable(parent, problem) from None
    with handle:
        _acquire(handle, output)
        try:
            remove_leftovers(output)
            with staging_removed_on_error(output):
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staging_removed_on_error(output: Path) -> Iterator[None]:
    """Remove the staging folders for ``output`` opened in the block when it ends in an
    exception (an error, Ctrl-C): only a folder that was swapped in is a site."""
    opened_before = len(_ACTIVE)
    try:
        yield
    except BaseException:
        for staging in list(_ACTIVE[opened_before:]):
            if staging.output == output:
                staging.discard()
        raise


def _acquire(handle: IO[str], output: Path) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        _wait(handle, output)
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()


def _wait(handle: IO[str], output: Path) -> None:
    handle.seek(0)
    owner = handle.read().strip() or "unknown"
    print(
        f"notice-builder: waiting for another build of {Location.of(output)} to finish "
        f"(process {owner}; giving up after {LOCK_TIMEOUT:.0f} s)",
        file=sys.stderr,
        flush=True,
    )
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        time.sleep(LOCK_POLL)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BuildFailed(
                    "another build is still running; nothing was done",
                    [_locked(output, owner)],
                ) from None


def _locked(output: Path, owner: str) -> Diagnostic:
    return error(
        "output.locked",
        f"another build of this output folder (process {owner}) still runs after "
        f"{LOCK_TIMEOUT:.0f} s",
        Location.of(output),
        "wait for it to finish, or stop it, then build again",
    )


def refuse_overlap(output: Path, project: Path, read: Mapping[str, Path]) -> None:
    """Raise InputError when ``output`` cannot be replaced without losing sources.

    A build replaces its output folder as a whole. So it may not be, nor hold, the
    ``project`` folder or a folder the build reads (``read``, by what each is), nor
    lie inside one of those (the next build would read its own output). Symbolic links
    are followed: an output that links to the content is the content.
    """
    target = resolved(output)
    read_only = [(what, folder, False) for what, folder in read.items()]
    for what, folder, may_hold_output in [("project folder", project, True), *read_only]:
        source = resolved(folder)
        if target == source:
            relation = "is"
        elif source.is_relative_to(target):
            relation = "holds"
        elif target.is_relative_to(source) and not may_hold_output:
            relation = "is inside"
        else:
            continue
        problem = error(
            "output.overlaps-input",
            f"the output folder {Location.of(output)} {relation} the {what} "
            f"({Location.of(folder)}): a build replaces its output folder as a whole",
            Location.of(output),
            "choose an output folder of its own (the default is output/ in the project)",
        )
        raise InputError("cannot build", [problem])


VERSION_CONTROL = (".git", ".hg", ".svn")
"""What marks a folder as a version-control checkout (a ``.git`` file marks a worktree)."""


def refuse_checkout(output: Path) -> None:
    """Raise InputError when ``output`` is a version-control checkout (a site published
    from a ``gh-pages`` clone, say): the build replaces the folder whole, and its
    history would go with it."""
    for name in VERSION_CONTROL:
        if (output / name).exists():
            problem = error(
                "output.checkout",
                f"the output folder {Location.of(output)} is a version-control checkout "
                f"({name}): a build replaces its output folder as a whole, and would delete it",
                Location.of(output / name),
                "build into a folder of its own (--output) and copy the site into the "
                "checkout, e.g. `rsync -a --delete --exclude .git output/ site-checkout/`",
            )
            raise InputError("cannot build", [problem])


def refuse_foreign(output: Path) -> None:
    """Raise InputError when ``output`` holds files but no build made it (it lacks
    :data:`OUTPUT_MARK`): the build replaces the folder whole, and they would be lost."""
    try:
        names = sorted({entry.name for entry in output.iterdir()} - SYSTEM_FILES)
    except (FileNotFoundError, NotADirectoryError):
        return  # a new folder; a file is refused as output.not-a-folder
    except OSError as unlisted:  # not even readable: it could not be replaced either
        raise _unwritable(output, unlisted) from None
    if not names or OUTPUT_MARK in names:
        return
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    problem = error(
        "output.foreign-files",
        f"the output folder {Location.of(output)} holds files that no build made "
        f"({shown}): a build replaces its output folder as a whole, and would delete them",
        Location.of(output),
        "build into a new or empty folder (--output DIR), or delete this one first if "
        "nothing in it must be kept",
    )
    raise InputError("cannot build", [problem])


def replaced_folder(output: Path) -> Path:
    """The folder a build of ``output`` replaces: the one a symbolic link names, else
    ``output`` itself. The link stays and names the new site: a site published through a
    link (``output -> /srv/www/privacy``) is updated where the web server reads it,
    instead of the link being replaced by a folder the server never sees."""
    if not output.is_symlink():
        return output
    if loops(output):
        raise InputError("cannot build", [_not_a_folder(output, "a symbolic link that loops")])
    return resolved(output)


def prepare_parent(output: Path) -> Path:
    """The folder that will hold ``output``; refuse a path that is a file or unwritable."""
    if output.exists() and not output.is_dir():
        raise InputError("cannot build", [_not_a_folder(output, "a file")])
    parent = output.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise _unwritable(parent, problem) from None
    if not parent.is_dir():
        raise _unwritable(parent, NotADirectoryError(errno.ENOTDIR, "not a folder"))
    if not os.access(parent, os.W_OK):
        raise _unwritable(parent, PermissionError(errno.EACCES, "permission denied"))
    return parent


def _not_a_folder(output: Path, what: str) -> Diagnostic:
    return error(
        "output.not-a-folder",
        f"the output path {Location.of(output)} is {what}",
        Location.of(output),
        "remove it or choose another --output folder",
    )


def open_staging(output: Path) -> StagingFolder:
    try:
        return StagingFolder(output.parent, output.name)
    except OSError as problem:
        raise _unwritable(output.parent, problem) from None


def swap_in(staging: StagingFolder, output: Path) -> None:
    """Mark the staged folder as built (:data:`OUTPUT_MARK`) and replace ``output`` by
    it; the old one is removed only afterwards."""
    staging.write(OUTPUT_MARK, OUTPUT_MARK_TEXT)
    staging.settle()
    try:
        if (output.exists() or output.is_symlink()) and _exchange(staging.path, output):
            retired: Path | None = staging.path  # now holds the previous output
        else:
            retired = _swap_by_renames(staging.path, output)
    except OSError as problem:
        raise _unwritable(output.parent, problem) from None
    staging.path = output
    staging.release()
    if retired is not None:
        _remove_tree(retired)


def _swap_by_renames(staged: Path, output: Path) -> Path | None:
    """Two renames; a crash between them leaves ``.output.old-*``, restored next time."""
    retired = None
    if output.exists() or output.is_symlink():
        retired = output.parent / f".{output.name}.old-{os.getpid()}"
        _remove(retired)
        output.rename(retired)
    try:
        staged.rename(output)
    except OSError:
        if retired is not None:
            retired.rename(output)
        raise
    return retired


def remove_leftovers(output: Path) -> None:
    """Remove what killed builds left beside ``output``; restore ``output`` if it was lost.

    Call only while holding the build lock: then no other build is swapping.
    A staging folder still ``flock``-ed by a live process (a running ``check``) is kept.
    """
    parent = output.parent
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(f".{output.name}.old-"):
            if not (output.exists() or output.is_symlink()):
                with contextlib.suppress(OSError):
                    entry.rename(output)  # the previous site, from an interrupted swap
                    continue
            _remove(entry)
        elif entry.name.startswith(f".{output.name}.tmp-") and not _in_use(entry):
            _remove(entry)


# --- helpers ---------------------------------------------------------------------------


def _hold(folder: Path) -> int | None:
    """Lock a folder as in use by this process; None where folders cannot be locked."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _in_use(folder: Path) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    held = _hold(folder)
    if held is None:
        return True
    os.close(held)
    return False


def _remove_tree(path: Path) -> None:
    """A previous output removed, its folders (one per language) on two threads.

    Removing a site is one system call per file (~3,000 for 3,000 pages, ~35 ms on the
    project's machine); the calls release the GIL, and two threads run them side by
    side (a rebuild's removal: ~35 -> ~25 ms).
    """
    try:
        with os.scandir(path) as entries:
            folders = [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        folders = []
    if len(folders) > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in pool.map(partial(shutil.rmtree, ignore_errors=True), folders):
                pass
    _remove(path)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _unwritable(folder: Path, problem: OSError) -> BuildFailed:
    return BuildFailed(
        "cannot build",
        [
            error(
                "output.unwritable",
                f"cannot write to {Location.of(folder)}: {problem.strerror or problem}",
                Location.of(folder),
                "check the folder's permissions and free disk space",
            )
        ],
    )
