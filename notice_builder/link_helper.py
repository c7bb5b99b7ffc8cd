"""Hard links made by a small helper process while the build renders.

A rebuild links every cached page into the staging folder (~2,900 of 3,000 after a
catalog edit; a system call of ~15 µs each here), in the process that also renders the
pages that changed. The build command forks this helper before its imports, while the
process is still small: the helper makes the links the build sends it, on another core,
while the build renders. (Forking the loaded build instead made both processes copy
the memory pages they wrote to, which cost more than the links.)

The helper makes each link as :meth:`notice_builder.output.StagingFolder.link` would
(a copy across file systems) and reports what failed when asked; the build waits for
it before the staging folder is swapped in or removed. Only the process that started
the helper uses it: forked workers link by themselves. If the helper is gone, the
build makes the links it sent itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from notice_builder.parallel import as_worker, forking

Failure = tuple[str, int, str]
"""A link that could not be made: its target, the error number and the error's text."""

PIPE_BYTES = 1 << 20
"""The requests' pipe is made this large (where allowed): the ~2,900 links of a
3,000-page rebuild are sent without waiting for the helper to read them."""


@dataclass
class LinkHelper:
    """The helper process and the build's ends of the pipes to and from it."""

    child: int
    requests: IO[bytes]
    replies: IO[bytes]
    sent: list[tuple[str, str]] = field(default_factory=list)
    """Every (source, target) sent since the last :meth:`finish`: made here if it died."""

    def usable(self) -> bool:
        """Only in the process that started it (a forked process forgets it, see
        :func:`_forget`): asked for each link, so no system call."""
        return _HELPER is self

    def send(self, pairs: list[tuple[str, str]]) -> None:
        self.sent.extend(pairs)
        with contextlib.suppress(OSError):  # the helper is gone: finish() links them here
            _write(self.requests, ("link", pairs))

    def finish(self) -> list[Failure]:
        """Wait until every link sent is made; the ones that could not be."""
        sent, self.sent = self.sent, []
        try:
            _write(self.requests, ("done", None))
            failures: list[Failure] = _read(self.replies)
        except (OSError, EOFError, pickle.UnpicklingError):
            return link_all(sent, keep_existing=True)
        return failures


_HELPER: LinkHelper | None = None


def _forget() -> None:
    """In a forked process (a worker, the helper itself): the helper is not its own."""
    global _HELPER
    _HELPER = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)


def start() -> None:
    """Fork the helper (call before the build's imports: the fork is cheap then)."""
    global _HELPER
    if _HELPER is not None or not hasattr(os, "fork"):
        return
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a larger pipe where allowed
        fcntl.fcntl(requests_write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    with forking():
        child = os.fork()
        if child == 0:
            as_worker()  # Ctrl-C is the build's to answer
    if child == 0:  # pragma: no cover (the child ends with os._exit)
        os.close(requests_write)
        os.close(replies_read)
        _serve(os.fdopen(requests_read, "rb"), os.fdopen(replies_write, "wb"))
    os.close(requests_read)
    os.close(replies_write)
    requests, replies = os.fdopen(requests_write, "wb"), os.fdopen(replies_read, "rb")
    _HELPER = LinkHelper(child, requests, replies)


def current() -> LinkHelper | None:
    """The helper this process started, if it runs."""
    return _HELPER if _HELPER is not None and _HELPER.usable() else None


def stop() -> None:
    """End the helper (after the build waited for it, or gave up)."""
    global _HELPER
    helper = _HELPER
    if helper is None or not helper.usable():
        return
    _HELPER = None
    for pipe in (helper.requests, helper.replies):
        with contextlib.suppress(OSError):
            pipe.close()
    os.kill(helper.child, signal.SIGKILL)  # it waits for requests, or links for nobody
    os.waitpid(helper.child, 0)


def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """In the helper: make the links sent until the build hangs up; never return."""
    failures: list[Failure] = []
    try:
        while True:
            kind, payload = _read(requests)
            if kind == "link":
                failures.extend(link_all(payload))
            else:
                _write(replies, failures)
                failures = []
    except BaseException:  # EOFError: the build hung up, as it does when it is done
        pass
    finally:
        os._exit(0)


def _write(pipe: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(8, "little") + data)
    pipe.flush()


def _read(pipe: IO[bytes]) -> Any:
    """One message (between our own processes, through a pipe: never from a file)."""
    size = int.from_bytes(pipe.read(8) or b"", "little")
    data = pipe.read(size) if size else b""
    if len(data) != size or not size:
        raise EOFError
    return pickle.loads(data)


def link_all(pairs: list[tuple[str, str]], *, keep_existing: bool = False) -> list[Failure]:
    """Each source linked (or copied) to its target; with ``keep_existing``, a target
    that is the source already is left as it is (links the helper made before it died)."""
    failures = []
    for source, target in pairs:
        try:
            if keep_existing and _same_file(source, target):
                continue
            link_or_copy(source, target)
        except OSError as problem:
            failures.append((target, problem.errno or 0, problem.strerror or str(problem)))
    return failures


def link_or_copy(source: str | os.PathLike[str], target: str) -> None:
    """``target`` becomes the file ``source``: a hard link, or a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _same_file(source: str, target: str) -> bool:
    try:
        return Path(source).samefile(target)
    except OSError:
        return False
