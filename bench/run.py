"""Benchmark notice-builder against Hugo: ``python bench/run.py [--quick] [--sizes ...]``.

Generates synthetic sites (ours and Hugo's) in bench/work/, times clean builds of both
tools at each size (alternating, median of --runs), then, on the largest size,
``check --site-dir``, a full ``check``, a rebuild after one catalog edit (and whether it
is byte-identical to a clean build), and ``notice-builder --version``. Prints a Markdown
report and writes it to bench/results.md and bench/results.json (--quick: bench/work/).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from generate import LOCALES, fingerprint, generate_project
from hugo_gen import generate_hugo_site
from measure import compile_package
from report import judge, markdown
from scenarios import (
    Tools,
    alternate_builds,
    check,
    empty_trash,
    one_process_builds,
    rebuild,
    startup,
    tool_command,
    tool_output,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: sizes 30,300, one run each"
    )
    parser.add_argument(
        "--sizes", default=None, help="page counts, multiples of 30 (default 30,300,3000)"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per measurement (default 3; quick 1)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds before a run is killed"
    )
    parser.add_argument(
        "--startup-runs", type=int, default=None, help="runs of --version (default 20)"
    )
    parser.add_argument("--no-hugo", action="store_true", help="do not build (or install) Hugo")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install Hugo")
    parser.add_argument("--skip-check", action="store_true", help="skip the check scenarios")
    parser.add_argument("--skip-rebuild", action="store_true", help="skip the rebuild scenario")
    args = parser.parse_args(argv)
    args.sizes = [
        int(s) for s in (args.sizes or ("30,300" if args.quick else "30,300,3000")).split(",")
    ]
    args.runs = args.runs or (1 if args.quick else 3)
    args.startup_runs = args.startup_runs or (5 if args.quick else 20)
    if any(size % len(LOCALES) for size in args.sizes):
        parser.error(
            f"sizes must be multiples of {len(LOCALES)} (one notice = {len(LOCALES)} pages)"
        )
    return args


def find_hugo(allow_install: bool) -> list[str] | None:
    """Hugo on PATH; otherwise installed from the system package manager when allowed."""
    found = shutil.which("hugo")
    if found or not allow_install or not shutil.which("apt-get"):
        return [found] if found else None
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("hugo not found: apt-get install -y hugo", file=sys.stderr)
    for step in (
        ["apt-get", "update"],
        ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "hugo"],
    ):
        if subprocess.run([*sudo, *step], env=env, check=False).returncode != 0:
            return None
    found = shutil.which("hugo")
    return [found] if found else None


def machine_facts(tools: Tools) -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        "?",
    )
    memory = next(
        (line.split()[1] for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), "0"
    )
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": f"{len(os.sched_getaffinity(0))} (cpu_count {os.cpu_count()})",
        "CPU": cpu,
        "memory": f"{int(memory) // 1024:,} MiB",
        "kernel": platform.release(),
        "Python": platform.python_version(),
        "notice-builder": tool_output([*tools.ours, "--version"]),
        "Hugo": tool_output([*tools.hugo, "version"]) if tools.hugo else "not used",
        "git": _git_state(),
        "load average at start": _load(),
        "machine speed at start": _speed(),
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _fixed_work() -> list[str]:
    return sorted(str(n * 7919 % 100003) for n in range(300000))


def _speed() -> str:
    """The CPU time of a fixed piece of Python work, median of 5: this machine's speed
    drifts, and runs made at different speeds do not compare."""
    times = []
    for _ in range(5):
        started = time.process_time()
        _fixed_work()
        times.append(time.process_time() - started)
    return f"{1000 * sorted(times)[2]:.0f} ms of CPU for a fixed Python loop (lower is faster)"


def _git_state() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    changed = len(git("status", "--porcelain").splitlines())
    return f"{git('rev-parse', '--short', 'HEAD') or '?'} ({changed} uncommitted path(s))"


def prepare(tools: Tools, pages: int) -> tuple[Path, Path]:
    """Generate (or reuse) our project and the Hugo site for ``pages`` pages."""
    notices = pages // len(LOCALES)
    project, hugo_site = WORK / "sites" / f"ours-{pages}", WORK / "sites" / f"hugo-{pages}"
    started = time.perf_counter()
    made = generate_project(project, notices, tools.ours)
    if tools.hugo:
        made = generate_hugo_site(project, hugo_site, fingerprint(notices, LOCALES)) or made
    state = f"generated in {time.perf_counter() - started:.1f} s" if made else "reused"
    print(f"{pages} pages: sites {state}", file=sys.stderr, flush=True)
    return project, hugo_site


def size_item(pages: int, measured: dict[str, Any]) -> dict[str, Any]:
    """One size's row: the medians of both tools, pages per second, the ratio."""
    item: dict[str, Any] = {
        "pages": pages,
        "notices": pages // len(LOCALES),
        "locales": len(LOCALES),
        **measured,
    }
    ours, hugo = measured["ours"].get("seconds"), (measured.get("hugo") or {}).get("seconds")
    if ours:
        item.update(pages_per_s=pages / ours, ms_per_page=1000 * ours / pages)
    if hugo:
        item["hugo_pages_per_s"] = pages / hugo
    if ours and hugo:
        item["ratio"] = ours / hugo
    return item


def run(args: argparse.Namespace) -> dict[str, Any]:
    hugo = None if args.no_hugo else find_hugo(not args.no_install)
    compile_package(REPO / "notice_builder")
    tools = Tools(tool_command(REPO), hugo, WORK, args.timeout)
    results: dict[str, Any] = {
        "command": " ".join(["python bench/run.py", shlex.join(sys.argv[1:])]).strip(),
        "machine": machine_facts(tools),
        "builds": [],
        "notes": notes(tools),
    }
    sites = {pages: prepare(tools, pages) for pages in args.sizes}
    print("every size: clean builds, alternating the tools", file=sys.stderr, flush=True)
    measured = alternate_builds(tools, sites, args.runs)
    largest: tuple[dict[str, Any], Path] | None = None
    projects: dict[int, Path] = {}
    for pages in args.sizes:
        item = size_item(pages, measured[pages])
        results["builds"].append(item)
        if item["ours"]["status"] == "ok":
            largest = (item, sites[pages][0])
            projects[pages] = sites[pages][0]
    print("every size: builds with --jobs 1", file=sys.stderr, flush=True)
    alone = one_process_builds(tools, projects, args.runs)
    for item in results["builds"]:
        item["ours_one_process"] = alone.get(item["pages"])
    if largest:
        scenarios_on(tools, args, results, *largest)
    results["startup"] = startup(tools, args.startup_runs)
    results["machine"]["load average at end"] = _load()
    results["machine"]["machine speed at end"] = _speed()
    results["targets"] = judge(results)
    return results


def scenarios_on(
    tools: Tools,
    args: argparse.Namespace,
    results: dict[str, Any],
    item: dict[str, Any],
    project: Path,
) -> None:
    """check and rebuild on the largest size that built."""
    print(f"{item['pages']} pages: check and rebuild", file=sys.stderr, flush=True)
    if not args.skip_check:
        results["machine"]["machine speed before check"] = _speed()
        results["check_site_dir"] = {
            **check(tools, project, args.runs, site_dir=True),
            "pages": item["pages"],
        }
        results["check_full"] = {
            **check(tools, project, args.runs, site_dir=False),
            "pages": item["pages"],
        }
    if not args.skip_rebuild:
        runs = min(args.runs, 3)
        results["rebuild"] = {
            **rebuild(tools, project, runs, item["ours"].get("seconds")),
            "pages": item["pages"],
        }


def notes(tools: Tools) -> list[str]:
    return [
        f"notice-builder runs as `{shlex.join(tools.ours)}`; "
        "wall time is the whole command (start-up included).",
        "peak memory = max(ru_maxrss of the largest single process, sampled peak of the summed "
        "PSS of the process tree, every 0.5 s); '(N proc)': most processes seen at once.",
        "Each clean build starts with no output/ and no cache (Hugo: no public/, no cache): the "
        "previous trees are moved aside and deleted when the benchmark ends (deleting them just "
        "before a build bills that build in the kernel); both tools write an index and a "
        "sitemap besides the notice pages; Hugo writes one per language.",
        "Catalogs: `notice-builder i18n extract`, then every msgstr pseudo-translated.",
        "notice-builder's modules are compiled to bytecode first (`compileall`), as "
        "`pip install` does; this machine sets PYTHONDONTWRITEBYTECODE=1.",
        "`check` (full) runs with the page cache the last build left; `check --site-dir` reads "
        "the output of the largest size. Both exit 1 on findings; that counts as a finished run. "
        "A check keeps what Babel says of the page languages in the project's cache: the first "
        "check run after the last clean build reads it from Babel (~0.15 s more), the next "
        "ones from the cache, as a pipeline's checks after its first do.",
        "Clean builds: each run builds every size, the sizes taking turns (forwards, then "
        "backwards), and within a size the tools alternate which goes first (ABBA).",
        "`--jobs 1`: clean builds in one process, after all the alternating builds, the sizes "
        "taking turns; the CPU time of the work itself, which two busy processes on cores "
        "that share resources inflate.",
        "Rebuild: clean build (timed), one msgstr edited in the de catalog, `build` again "
        "(timed); then a clean build of the edited inputs, and the two output trees compared "
        "by sha256. The target is judged against the clean builds made just before the "
        "rebuilds (seconds apart, at the same machine speed); the share of the main series' "
        "full build is shown beside it.",
        "The machine is shared: other jobs may run at the same time (see load average).",
    ]


def write_outputs(results: dict[str, Any], quick: bool) -> Path:
    folder = WORK if quick else BENCH
    suffix = "-quick" if quick else ""
    folder.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (folder / f"results{suffix}.md").write_text(text, encoding="utf-8")
    (folder / f"results{suffix}.json").write_text(
        json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(text)
    return folder / f"results{suffix}.md"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    empty_trash()  # left by an interrupted run: deleted before anything is timed
    try:
        results = run(args)
    finally:
        empty_trash()
    written = write_outputs(results, args.quick)
    print(f"written: {written.relative_to(REPO)} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
