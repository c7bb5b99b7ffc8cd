"""Profile one notice-builder command on a generated site (run ``bench/run.py`` first).

    python bench/profiling.py build --pages 3000            # cProfile, in-process, --jobs 1
    python bench/profiling.py check --pages 3000 --site-dir # check --site-dir output
    python bench/profiling.py build --pages 3000 --stages   # wall time and RSS per stage
    python bench/profiling.py build --pages 3000 --py-spy   # sampled, real --jobs, workers too

cProfile runs the command in this process with ``--jobs 1`` (no forked workers), so
every function is seen; the .prof file goes to bench/work/profiles/ (open it with
``python -m pstats`` or snakeviz). ``--stages`` wraps the stage functions that
``notice_builder.build`` calls and prints, for each, its time and the RSS after it.
``--py-spy`` samples the real command (forked workers included, ``--jobs`` as given or
the default) with py-spy (``pip install --target bench/work/tools py-spy``, or on PATH)
and sums the samples per component and per function: CPU time, no profiler overhead.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import pstats
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
STAGES = (
    "load_content",
    "markdown_diagnostics",
    "load_templates",
    "locale_tables",
    "page_keys",
    "open_staging",
    "render_site",
    "missing_diagnostics",
    "swap_in",
    "check_transparency",
    "check_catalogs",
    "check_site",
    "_model_checks",
    "output_checks",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("build", "check", "version"))
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--site-dir", action="store_true", help="check the built output/ only")
    parser.add_argument(
        "--jobs", type=int, default=None, help="build --jobs (default 1; py-spy: all)"
    )
    parser.add_argument(
        "--cache", action="store_true", help="keep the page cache (default: clean build)"
    )
    parser.add_argument("--stages", action="store_true", help="time and RSS per stage, no cProfile")
    parser.add_argument(
        "--py-spy", action="store_true", help="sample with py-spy (workers included)"
    )
    parser.add_argument("--top", type=int, default=30)
    return parser.parse_args()


def cli_args(args: argparse.Namespace, project: Path) -> list[str]:
    if args.command == "version":
        return ["--version"]
    argv = [args.command, "--project", str(project)]
    if args.command == "build":
        jobs = args.jobs or (None if args.py_spy else 1)
        argv += (["--jobs", str(jobs)] if jobs else []) + ([] if args.cache else ["--no-cache"])
    elif args.site_dir:
        argv += [
            "--site-dir",
            str(project / "output"),
            "--format",
            "json",
            "-o",
            str(WORK / "profile-check.json"),
        ]
    else:
        argv += ["--format", "json", "-o", str(WORK / "profile-check.json")]
    return argv


def run_cli(argv: list[str]) -> None:
    """The command in this process; its end returns here (the CLI ends with ``os._exit``,
    which would leave nothing to report)."""
    import notice_builder.cli as cli

    def leave(code: int) -> NoReturn:
        raise SystemExit(code)

    ending, cli.exit_at_once = cli.exit_at_once, leave
    try:
        with contextlib.suppress(SystemExit):
            cli.main(argv)
    finally:
        cli.exit_at_once = ending


def rss_mib() -> float:
    statm = Path("/proc/self/statm").read_text().split()
    return int(statm[1]) * resource.getpagesize() / 2**20


def wrap_stage(name: str, function: Callable[..., Any], log: list[str]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            log.append(
                f"{name:24} {time.perf_counter() - started:8.2f} s   "
                f"RSS after {rss_mib():7.1f} MiB   peak so far {peak:7.1f} MiB"
            )

    return timed


@contextlib.contextmanager
def staged(log: list[str]) -> Iterator[None]:
    """Wrap the stage functions as ``notice_builder.build`` sees them."""
    import notice_builder.build as build

    saved = {name: getattr(build, name) for name in STAGES if hasattr(build, name)}
    for name, function in saved.items():
        setattr(build, name, wrap_stage(name, function, log))
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(build, name, function)


def report(profile: cProfile.Profile, target: Path, top: int) -> None:
    profile.dump_stats(target)
    for order in ("tottime", "cumulative"):
        print(f"\n=== top {top} by {order} ===")
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.strip_dirs().sort_stats(order).print_stats(top)
    print(f"profile written to {target}")


BABEL_FORMATTING = (
    "babel/dates",
    "babel/units",
    "babel/lists",
    "language_name",
    "text_direction",
    "babel/core",
)
# Components, by priority: a sample counts for the first whose marker is in its stack.
COMPONENTS = (
    ("catalog parsing (locale_tables)", ("locale_tables", "read_translations")),
    ("Markdown + nh3 (render_inline)", ("render_inline",)),
    ("Babel formatting (dates, units, lists, names)", BABEL_FORMATTING),
    ("writing files (output.py, cache)", ("output.py", "page_cache.py")),
    ("Jinja rendering (page.html ...)", ("jinja2/",)),
    ("building page views (build_page, blocks)", ("build_page",)),
    ("index + sitemap", ("_render_index", "_render_sitemap")),
    ("loading content (YAML, pydantic)", ("load_content",)),
    ("page keys (hashing inputs)", ("page_keys",)),
    ("HTML checks (lxml, walkers)", ("checks/html",)),
    ("GDPR + catalog checks", ("checks/gdpr", "i18n/quality")),
    ("process pool / pickling", ("multiprocessing",)),
    ("imports (start-up)", ("_find_and_load",)),
)


def component(stack: str) -> str:
    for name, markers in COMPONENTS:
        if any(marker in stack for marker in markers):
            return name
    return "other"


def summarize_collapsed(path: Path, top: int) -> None:
    """Samples per component, per process, and the top functions (self and inclusive)."""
    from collections import Counter

    parts: Counter[str] = Counter()
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = stack.split(";")
        total += count
        parts[component(stack)] += count
        forked = sum(1 for frame in frames if frame.startswith("process ")) > 1
        processes["worker" if forked else "main"] += count
        code = [frame for frame in frames if not frame.startswith("process ")]
        own[code[-1] if code else "?"] += count
        for frame in set(code):
            inclusive[frame] += count
    print(f"\n{total} samples; by process: {dict(processes)}")
    for title, counter, limit in (
        ("component", parts, len(COMPONENTS) + 1),
        ("self", own, top),
        ("inclusive", inclusive, top),
    ):
        print(f"\n=== by {title} ===")
        for name, count in counter.most_common(limit):
            print(f"{100 * count / total:6.1f}%  {name}")


def py_spy(argv: list[str], target: Path, top: int) -> None:
    import shutil
    import subprocess

    local = WORK / "tools" / "bin" / "py-spy"
    binary = str(local) if local.is_file() else shutil.which("py-spy")
    if binary is None:
        sys.exit("py-spy not found: pip install --target bench/work/tools py-spy")
    script = Path(sys.executable).parent / "notice-builder"
    command = (
        [sys.executable, str(script), *argv]
        if script.is_file()
        else [sys.executable, "-m", "notice_builder", *argv]
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    record = [binary, "record", "--subprocesses", "-r", "200", "--format", "raw", "-o", str(target)]
    subprocess.run([*record, "--", *command], check=False)
    summarize_collapsed(target, top)


def main() -> int:
    args = parse_args()
    project = WORK / "sites" / f"ours-{args.pages}"
    if not project.is_dir():
        sys.exit(f"{project} does not exist: run `python bench/run.py --sizes {args.pages}` first")
    if args.command == "build" and not args.cache:
        from scenarios import clean_ours

        clean_ours(project)
    argv = cli_args(args, project)
    started = time.perf_counter()
    if args.py_spy:
        py_spy(argv, WORK / "profiles" / f"{args.command}-{args.pages}.pyspy.txt", args.top)
    elif args.stages:
        log: list[str] = []
        with staged(log):
            run_cli(argv)
        print("\n".join(log))
    else:
        profile = cProfile.Profile()
        profile.runcall(run_cli, argv)
        folder = WORK / "profiles"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "-site-dir" if args.site_dir else ""
        report(profile, folder / f"{args.command}{suffix}-{args.pages}.prof", args.top)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{' '.join(argv)}: {time.perf_counter() - started:.2f} s, peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
