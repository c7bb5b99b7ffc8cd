"""Run one command and measure it: wall time, peak memory of its whole process tree.

Memory is measured two ways, because a tool may fork workers:

* ``max_rss_mib``: ``ru_maxrss`` from ``wait4`` -- the largest *single* process of the
  tree (the command or any descendant it waited for); what ``/usr/bin/time -v`` shows.
* ``tree_rss_mib``: the peak of the *sum* of the memory of every live process in the
  tree: RSS, read every 20 ms from ``statm`` while there is one process, and PSS, read
  every 0.5 s from ``smaps_rollup`` while there are several (so the copy-on-write pages
  forked workers share are counted once). PSS is read rarely because the kernel walks
  the page tables for it: at 50 Hz that took enough CPU to slow a 2-core build by 20%.
  Short spikes between two samples can be missed; ``max_rss_mib`` cannot miss them for
  a single process. ``rss_sum_mib`` (sum of RSS, shared pages counted in each process)
  is kept as an upper bound.

``peak_mib`` is the larger of the two: the figure to hold against a memory budget.
``cpu_seconds`` is user + system time from the same ``wait4``: the command's and that
of every descendant it waited for (forked workers, Hugo's threads), so it is the work
done, however it was spread over the cores.
A run that exceeds its timeout has its whole process group killed and is reported as
a timeout instead of hanging the benchmark.
"""

from __future__ import annotations

import compileall
import contextlib
import hashlib
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_SECONDS = 0.02
PSS_SECONDS = 0.5


@dataclass
class RunResult:
    """One measured run of one command."""

    command: list[str]
    seconds: float
    returncode: int | None
    timed_out: bool
    max_rss_mib: float
    tree_rss_mib: float
    rss_sum_mib: float
    processes: int
    cpu_seconds: float = 0.0
    log: str = ""

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode is not None

    @property
    def peak_mib(self) -> float:
        return max(self.max_rss_mib, self.tree_rss_mib)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "peak_mib": round(self.peak_mib, 1)}


def descendants(pid: int) -> list[int]:
    """The process and every live descendant (via /proc/<pid>/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def resident_kib(pid: int, proportional: bool) -> int:
    """RSS (or PSS) of one process in KiB; 0 when it has gone."""
    try:
        if proportional:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            return next(
                (int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0
            )
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class _Waiter:
    """Waits for the child in a thread, so the wall time is exact, not a sample."""

    pid: int
    started: float
    ended: float = 0.0
    status: int = 0
    rusage: Any = None
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        _, self.status, self.rusage = os.wait4(self.pid, 0)
        self.ended = time.perf_counter()
        self.done.set()


@dataclass
class _Peaks:
    """What the sampler saw: peak memory of the tree (KiB) and the most processes."""

    tree: int = 0
    rss_sum: int = 0
    processes: int = 1
    last_pss: float = 0.0

    def sample(self, pid: int) -> None:
        pids = descendants(pid)
        self.processes = max(self.processes, len(pids))
        rss = sum(resident_kib(p, proportional=False) for p in pids)
        self.rss_sum = max(self.rss_sum, rss)
        if len(pids) == 1:
            self.tree = max(self.tree, rss)
        elif time.perf_counter() - self.last_pss >= PSS_SECONDS:
            self.last_pss = time.perf_counter()
            self.tree = max(self.tree, sum(resident_kib(p, proportional=True) for p in pids))


def _sample(waiter: _Waiter, timeout: float) -> tuple[_Peaks, bool]:
    """Poll the tree until the child ends; (peaks, timed out)."""
    peaks = _Peaks()
    while not waiter.done.wait(SAMPLE_SECONDS):
        peaks.sample(waiter.pid)
        if time.perf_counter() - waiter.started > timeout:
            _kill_group(waiter.pid)
            waiter.done.wait()
            return peaks, True
    return peaks, False


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float = 600.0,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> RunResult:
    """Run ``command`` to completion (or ``timeout``) and measure it."""
    out = log.open("wb") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        waiter = _Waiter(process.pid, started)
        thread = threading.Thread(target=waiter.run, daemon=True)
        thread.start()
        peaks, timed_out = _sample(waiter, timeout)
        thread.join()
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(waiter.status)
    process.returncode = code
    return RunResult(
        command=list(command),
        seconds=waiter.ended - started,
        returncode=None if timed_out else code,
        timed_out=timed_out,
        max_rss_mib=waiter.rusage.ru_maxrss / 1024 if waiter.rusage else 0.0,
        tree_rss_mib=peaks.tree / 1024,
        rss_sum_mib=peaks.rss_sum / 1024,
        processes=peaks.processes,
        cpu_seconds=waiter.rusage.ru_utime + waiter.rusage.ru_stime if waiter.rusage else 0.0,
        log=str(log or ""),
    )


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(runs: Sequence[RunResult]) -> dict[str, Any]:
    """Median wall time and memory of the successful runs, and every run's raw figures."""
    good = [run for run in runs if run.ok and run.returncode == 0]
    status = (
        "ok"
        if len(good) == len(runs)
        else ("timeout" if any(r.timed_out for r in runs) else "failed")
    )
    return {
        "status": status,
        "seconds": median([run.seconds for run in good]),
        "cpu_seconds": median([run.cpu_seconds for run in good]),
        "peak_mib": median([run.peak_mib for run in good]),
        "max_peak_mib": max((run.peak_mib for run in good), default=None),
        "max_rss_mib": median([run.max_rss_mib for run in good]),
        "tree_rss_mib": median([run.tree_rss_mib for run in good]),
        "processes": max((run.processes for run in good), default=0),
        "runs": [run.as_dict() for run in runs],
    }


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file below ``root``, by ``/``-separated relative path."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return hashes


def tree_differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    """Files that differ, or exist on one side only (sorted)."""
    names = set(first) | set(second)
    return sorted(name for name in names if first.get(name) != second.get(name))


def compile_package(package: Path) -> None:
    """Compile a package's modules to bytecode, as ``pip install`` does for an installed
    one, so that no measured run compiles them. An editable install writes its bytecode
    on first use, unless PYTHONDONTWRITEBYTECODE is set (this machine sets it)."""
    compileall.compile_dir(package, quiet=1)
