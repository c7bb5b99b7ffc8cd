"""Run one command and measure it: wall time, peak memory of its whole process tree.

Memory is measured two ways, because a tool may fork workers:

* ``max_rss_mib``: ``ru_maxrss`` from ``wait4`` -- the largest *single* process of the
  tree (the command or any descendant it waited for); what ``/usr/bin/time -v`` shows.
* ``tree_rss_mib``: the peak, over samples every 20 ms, of the *sum* of the resident
  set of every live process in the tree (PSS when there are several processes, so the
  copy-on-write pages forked workers share are counted once). Short spikes between two
  samples can be missed; ``max_rss_mib`` cannot miss them for a single process.

``peak_mib`` is the larger of the two: the figure to hold against a memory budget.
A run that exceeds its timeout has its whole process group killed and is reported as
a timeout instead of hanging the benchmark.
"""

from __future__ import annotations

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


@dataclass
class RunResult:
    """One measured run of one command."""

    command: list[str]
    seconds: float
    returncode: int | None
    timed_out: bool
    max_rss_mib: float
    tree_rss_mib: float
    processes: int
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


def _sample(waiter: _Waiter, timeout: float) -> tuple[int, int, bool]:
    """Poll the tree until the child ends; (peak KiB, most processes, timed out)."""
    peak, most = 0, 1
    while not waiter.done.wait(SAMPLE_SECONDS):
        pids = descendants(waiter.pid)
        most = max(most, len(pids))
        peak = max(peak, sum(resident_kib(pid, len(pids) > 1) for pid in pids))
        if time.perf_counter() - waiter.started > timeout:
            _kill_group(waiter.pid)
            waiter.done.wait()
            return peak, most, True
    return peak, most, False


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
        peak_kib, processes, timed_out = _sample(waiter, timeout)
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
        tree_rss_mib=peak_kib / 1024,
        processes=processes,
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
