"""Spread independent work over the machine's cores.

Workers are forked, so they share the loaded content and compiled templates with
the parent without pickling them; only each task's small result travels back.
Where fork is not available, or there is too little work, it runs in-process.

Ctrl-C reaches every process of the terminal's group; only the parent answers it: a
worker ignores SIGINT (:func:`as_worker`), and the parent, stopped by
KeyboardInterrupt, terminates its workers, which end at SIGTERM without a word. Each
worker printed its own traceback before. On Linux, a worker also ends when its parent
does, however the parent was stopped.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M")

_TASK: Callable[[Any], Any] | None = None
YOUNG_COLLECTION_THRESHOLD = 100_000
"""Allocations between two collections of the young generation while work runs."""


STOPPING = {signal.SIGINT, signal.SIGTERM}
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_FORKED_BY: int | None = None
"""The process that forks under :func:`forking` (in the forked worker: its parent)."""


def as_worker() -> None:
    """Signals in a forked worker process (see the module's docstring): SIGINT is the
    parent's to answer, and SIGTERM ends the worker at once, as the system's default.
    Forked under :func:`forking`, the worker holds them until it has said so. It ends
    with its parent, too (:func:`_end_with_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _end_with_parent() -> None:
    """On Linux, have the kernel kill the worker when its parent ends.

    A SIGTERM or SIGKILL to the parent alone (``kill PID``, a container stopped) left
    its workers at their tasks: each printed two BrokenPipeError tracebacks when it sent
    its result. They cannot simply end then: one that ends while it sends holds the
    result pipe's lock, and the others wait for it for ever. Killed together, at once,
    none waits and none prints. Elsewhere the workers end as before. (The kernel sends
    the signal when the thread that forked ends: the pools here fork from the thread
    that waits for their work.)
    """
    if _FORKED_BY is None or not sys.platform.startswith("linux"):
        return
    import ctypes  # here only: ~5 ms, in the worker, not in every command's start-up

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != _FORKED_BY:  # the parent ended before the kernel was told
        os._exit(1)


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while worker processes are forked: one that arrived
    between a fork and the worker's :func:`as_worker` ran the parent's handler there and
    printed a traceback. The parent gets a held one as soon as the forks are done."""
    global _FORKED_BY
    _FORKED_BY = os.getpid()
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def default_jobs() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


def parallel_map(task: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """``[task(item) for item in items]``, in order, on up to ``jobs`` processes."""
    return parallel_map_meanwhile(task, items, _nothing, jobs)[0]


def parallel_map_meanwhile(
    task: Callable[[T], R], items: Sequence[T], meanwhile: Callable[[], M], jobs: int | None = None
) -> tuple[list[R], M]:
    """:func:`parallel_map`, and ``meanwhile()`` run here while the workers are busy.

    The parent only waits for its workers otherwise; work that needs none of their
    results (the sitemap, say) costs no wall time there.
    """
    workers = min(jobs or default_jobs(), len(items))
    with quiet_collector():
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [task(item) for item in items], meanwhile()
        global _TASK
        _TASK = task
        try:
            with forking():
                pool = multiprocessing.get_context("fork").Pool(workers, as_worker)
            with pool:
                pending = pool.map_async(_run, items, chunksize=1)
                done_here = meanwhile()
                return pending.get(), done_here
        finally:
            _TASK = None


def _nothing() -> None:
    return None


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the young generation every :data:`YOUNG_COLLECTION_THRESHOLD` allocations.

    For a whole command: importing, loading and linking make hundreds of thousands of
    long-lived objects, and at the default threshold the collector walked them in two
    full collections and twenty of the middle generation (~0.15 s of a 3,000-page
    rebuild) to find almost no cycles. Cycles are still collected, only less often.
    At the end, what :func:`imports_frozen` froze and what the command made since are
    put into the oldest generation: a process that runs commands one after another (the
    tests) still collects them, and restoring the threshold does not make the next
    allocation walk them all at once. They are moved before the threshold is restored:
    the other way round, the first allocation after it walked the ~100,000 objects made
    since the last young collection (~17 ms at the end of a 3,000-page rebuild).
    """
    ours = gc.get_freeze_count() == 0
    try:
        with _young_threshold():
            try:
                yield
            finally:
                if ours:
                    gc.freeze()  # the young generations are empty when the threshold returns
    finally:
        if ours:
            gc.unfreeze()  # everything into the oldest generation


@contextlib.contextmanager
def _young_threshold() -> Iterator[None]:
    """The young generation collected every :data:`YOUNG_COLLECTION_THRESHOLD`
    allocations, then as before."""
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@contextlib.contextmanager
def imports_frozen() -> Iterator[None]:
    """Import without collecting, then freeze what is there.

    Modules live as long as the process; walking the ~100,000 objects that importing the
    build makes cost a rebuild one young collection of ~40 ms, and every later full
    collection would walk them again. Frozen objects are never collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """Keep the cyclic garbage collector off the loaded inputs while the work runs.

    The loaded content and catalogs are millions of long-lived objects; without this,
    every full collection scans them all again (it more than doubled a 3,000-page
    build), and in forked workers it would also copy their memory pages. Frozen
    objects are never collected, so the inputs are frozen only for the work's duration;
    inside a command that froze its imports (:func:`imports_frozen`), until the command
    ends (:func:`fewer_collections` puts them into the oldest generation then).
    """
    if not gc.isenabled():  # the caller keeps the collector off (the HTML checks)
        yield
        return
    outer_freeze = gc.get_freeze_count() > 0  # imports_frozen: its caller unfreezes
    gc.collect()
    gc.freeze()
    # A page makes thousands of short-lived objects that reference counting frees;
    # at the default threshold the collector would walk the young ones every 700
    # allocations (6% of a build's time) to find almost no cycles.
    try:
        with _young_threshold():
            yield
    finally:
        if not outer_freeze:
            gc.unfreeze()


def _run(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)
