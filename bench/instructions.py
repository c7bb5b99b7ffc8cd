"""Count the instructions of a command with callgrind: a measure that this machine's
drifting speed does not move, for comparing two versions of the code.

    python bench/instructions.py check                   # per analyzed page, 3,000-page site
    python bench/instructions.py build                   # a --jobs 1 --no-cache build, 300 pages
    python bench/instructions.py check --source ../old   # another checkout's code (A/B)

``check`` analyzes the first ``--pages`` pages of the built site (two notices in 30
languages by default) as a ``check --site-dir`` worker does, once and then three times,
and gives the difference per page: the start-up and the imports cancel out. ``build``
counts a whole clean build in one process. Run ``bench/run.py`` first (it makes the
sites); valgrind must be installed (``apt-get install valgrind``). Each count takes a
minute or two: callgrind runs the code about fifty times slower.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import compile_package

BENCH = Path(__file__).resolve().parent
SITES = BENCH / "work" / "sites"
TOTAL = re.compile(r"Collected : (\d+)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("check", "build"))
    parser.add_argument("--site", type=Path, help="a generated site (default by command)")
    parser.add_argument("--pages", type=int, default=60, help="check: pages analyzed")
    parser.add_argument("--source", type=Path, help="the checkout whose code runs")
    return parser.parse_args()


def instructions(argv: list[str], source: Path | None, cwd: Path) -> int:
    """The instructions callgrind counts for ``python argv`` (the whole process)."""
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    compile_package((source or BENCH.parent).resolve() / "notice_builder")  # not counted
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source.resolve())
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*command, sys.executable, *argv],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    found = TOTAL.search(done.stderr)
    if done.returncode not in (0, 1) or found is None:
        sys.exit(f"the counted run failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def count_check(site: Path, pages: int, source: Path | None) -> None:
    output = site / "output"
    once = instructions([__file__, "--analyze", str(pages), "1"], source, output)
    thrice = instructions([__file__, "--analyze", str(pages), "3"], source, output)
    print(f"check: {(thrice - once) / (2 * pages):,.0f} instructions per analyzed page")


def count_build(site: Path, source: Path | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "site"
        shutil.copytree(site, project, ignore=shutil.ignore_patterns("output", ".notice-*"))
        argv = ["-m", "notice_builder", "build", "--jobs", "1", "--no-cache"]
        total = instructions(argv, source, project)
        pages = len(list((project / "output").glob("*/*.html")))
    print(f"build: {total:,} instructions, {total / pages:,.0f} per page ({pages} pages)")


def analyze(pages: int, repeats: int) -> None:
    """Inside callgrind: analyze the first pages of the site in this folder ``repeats``
    times, each time as a fresh worker would (its source pages not yet seen)."""
    import gc

    from notice_builder.checks.html import locale_facts
    from notice_builder.checks.html import pages as site_pages

    here = Path()
    files = site_pages.site_files(here)
    tasks = site_pages.page_tasks(here, files)[:pages]
    analyzer = site_pages.PageAnalyzer(here, files, None, None)
    locale_facts.prepare(analyzer.folders.values(), None)
    gc.disable()  # as in the workers
    for _ in range(repeats):
        analyzer = site_pages.PageAnalyzer(here, files, None, None)
        for task in tasks:
            analyzer(task)


def main() -> None:
    if sys.argv[1:2] == ["--analyze"]:
        analyze(int(sys.argv[2]), int(sys.argv[3]))
        return
    args = parse_args()
    if args.command == "check":
        count_check(args.site or SITES / "ours-3000", args.pages, args.source)
    else:
        count_build(args.site or SITES / "ours-300", args.source)


if __name__ == "__main__":
    main()
