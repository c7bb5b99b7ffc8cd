"""The measured scenarios: clean builds (ours and Hugo), check, rebuild, start-up."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from measure import RunResult, hash_tree, median, run_measured, summarize, tree_differences

TRASH = Path(__file__).resolve().parent / "work" / "trash"
EDIT_LOCALE = "de"
EDIT_SUFFIX = " (geändert)"


@dataclass(frozen=True)
class Tools:
    """How to run each tool, and where the scratch space is."""

    ours: list[str]
    hugo: list[str] | None
    work: Path
    timeout: float

    def log(self, name: str) -> Path:
        folder = self.work / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.log"


# --- clean builds ------------------------------------------------------------------


def retire(path: Path) -> None:
    """Move a previous build's tree aside, to be deleted when the benchmark ends.

    Deleting it here would bill the next build, whichever tool runs it: ext4 skips the
    inodes freed in the last minute when it allocates new ones, and creating 3,000
    files right after deleting 3,000 spent ~15% of a build in the kernel (perf:
    recently_deleted, find_get_block_common).
    """
    if not (path.exists() or path.is_symlink()):
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(TRASH / f"{path.name}-{uuid.uuid4().hex}")


def empty_trash() -> None:
    """Delete what :func:`retire` moved aside (after the last timed run)."""
    shutil.rmtree(TRASH, ignore_errors=True)


def clean_ours(project: Path) -> None:
    """Remove every trace of a previous build: output, staging folders, caches."""
    for name in ("output", ".notice-builder-cache"):
        retire(project / name)
    for leftover in project.glob(".output.*"):
        retire(leftover)


def build_ours(
    tools: Tools, project: Path, name: str, clean: bool = True, jobs: int | None = None
) -> RunResult:
    if clean:
        clean_ours(project)
    command = [*tools.ours, "build", "--project", str(project)]
    command += ["--jobs", str(jobs)] if jobs else []
    return run_measured(command, cwd=project, timeout=tools.timeout, log=tools.log(name))


def build_hugo(tools: Tools, site: Path, name: str) -> RunResult:
    assert tools.hugo is not None
    for folder in ("public", ".cache", "resources"):
        retire(site / folder)
    command = [
        *tools.hugo,
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(site / "public"),
        "--cacheDir",
        str(site / ".cache"),
    ]
    return run_measured(command, cwd=site, timeout=tools.timeout, log=tools.log(name))


def taking_turns(sizes: Iterable[int], run: int) -> list[int]:
    """The sizes in the order of run ``run``: forwards, then backwards, and so on."""
    return sorted(sizes, reverse=run % 2 == 1)


def alternate_builds(
    tools: Tools, sites: dict[int, tuple[Path, Path]], runs: int
) -> dict[int, dict[str, Any]]:
    """``runs`` clean builds of each tool at every size, by page count. Within a size the
    tools alternate which goes first (ABBA); the sizes take turns (forwards, then
    backwards), so that a drift of the machine's speed does not fall on one size: the
    flatness of the cost per page compares them, as the ratio to Hugo compares the two
    tools of one size."""
    ours: dict[int, list[RunResult]] = {pages: [] for pages in sites}
    hugo: dict[int, list[RunResult]] = {pages: [] for pages in sites}
    for run in range(runs):
        for pages in taking_turns(sites, run):
            if ours[pages] and ours[pages][-1].timed_out:
                continue  # the next runs would time out too; report what we have
            project, hugo_site = sites[pages]
            tools_first = ("ours", "hugo") if run % 2 == 0 else ("hugo", "ours")
            for tool in tools_first:
                if tool == "ours":
                    ours[pages].append(build_ours(tools, project, f"build-ours-{pages}-{run}"))
                    _progress(
                        f"  notice-builder build {pages} run {run + 1}: {_brief(ours[pages][-1])}"
                    )
                elif tools.hugo:
                    hugo[pages].append(build_hugo(tools, hugo_site, f"build-hugo-{pages}-{run}"))
                    _progress(f"  hugo build {pages} run {run + 1}: {_brief(hugo[pages][-1])}")
    return {
        pages: {
            "ours": summarize(ours[pages]),
            "hugo": summarize(hugo[pages]) if hugo[pages] else None,
        }
        for pages in sites
    }


def one_process_builds(
    tools: Tools, projects: dict[int, Path], runs: int
) -> dict[int, dict[str, Any]]:
    """Clean builds with ``--jobs 1`` at every size, by page count: the CPU time of the
    work itself, which two busy processes on cores that share resources inflate. The
    sizes take turns (forwards, then backwards), so that a drift of the machine's speed
    does not fall on one size: the flatness of the cost per page compares them."""
    built: dict[int, list[RunResult]] = {pages: [] for pages in projects}
    for run in range(runs):
        for pages in taking_turns(projects, run):
            name = f"build-ours-{pages}-jobs1-{run}"
            built[pages].append(build_ours(tools, projects[pages], name, jobs=1))
            _progress(
                f"  notice-builder build --jobs 1 {pages} run {run + 1}: {_brief(built[pages][-1])}"
            )
    return {pages: summarize(results) for pages, results in built.items()}


def _brief(run: RunResult) -> str:
    state = "timeout" if run.timed_out else f"exit {run.returncode}"
    return f"{run.seconds:.2f} s, peak {run.peak_mib:.0f} MiB, {run.processes} process(es), {state}"


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- check -------------------------------------------------------------------------


def check(tools: Tools, project: Path, runs: int, site_dir: bool) -> dict[str, Any]:
    """``notice-builder check`` (over the built output with ``site_dir``), median of runs."""
    results = []
    kind = "site-dir" if site_dir else "full"
    report = tools.work / "logs" / f"check-{kind}.json"
    for run in range(runs):
        command = [
            *tools.ours,
            "check",
            "--project",
            str(project),
            "--format",
            "json",
            "-o",
            str(report),
        ]
        command += ["--site-dir", str(project / "output")] if site_dir else []
        results.append(
            run_measured(
                command, cwd=project, timeout=tools.timeout, log=tools.log(f"check-{kind}-{run}")
            )
        )
        _progress(f"  check {kind} run {run + 1}: {_brief(results[-1])}")
    # check exits 1 when it finds errors: that is a finished run, not a failure
    finished = [r for r in results if r.ok and r.returncode in (0, 1)]
    summary = summarize(
        [_as_success(r) for r in finished] + [r for r in results if r not in finished]
    )
    summary["findings"] = _findings(report)
    return summary


def _as_success(run: RunResult) -> RunResult:
    return RunResult(**{**run.__dict__, "returncode": 0})


def _findings(report: Path) -> dict[str, Any]:
    import json
    from collections import Counter

    if not report.is_file():
        return {}
    data = json.loads(report.read_text(encoding="utf-8"))
    codes = Counter(
        f"{f['severity']}:{f['code']}" for f in data.get("findings", []) if not f.get("suppressed")
    )
    return {"summary": data.get("summary", {}), "codes": dict(codes.most_common(12))}


# --- rebuild after one catalog edit ------------------------------------------------


def edit_catalog(po: Path, context: str, suffix: str) -> bool:
    """Append ``suffix`` to the msgstr of ``context`` (text edit, as a translator would)."""
    lines = po.read_text(encoding="utf-8").split("\n")
    marker = f'msgctxt "{context}"'
    for index, line in enumerate(lines):
        if line != marker:
            continue
        target = next(i for i in range(index, len(lines)) if lines[i].startswith("msgstr "))
        if (
            lines[target] == 'msgstr ""'
            and target + 1 < len(lines)
            and lines[target + 1].startswith('"')
        ):
            target += 1
        lines[target] = re.sub(r'"$', lambda _: suffix + '"', lines[target])
        po.write_text("\n".join(lines), encoding="utf-8")
        return True
    return False


def rebuild(tools: Tools, project: Path, runs: int, full_seconds: float | None) -> dict[str, Any]:
    """Time a build after one msgstr changed; compare its output with a clean build's.

    Each rebuild follows a clean build of the same site, seconds before: the rebuild's
    share of a full build is given against those (a paired measure: this machine's speed
    drifts by a third within minutes) and against the clean builds of the main series.
    """
    po = project / "locales" / EDIT_LOCALE / "LC_MESSAGES" / "notices.po"
    context = "notice-000.sections.purposes.title"
    pristine = po.read_bytes()
    timed: list[RunResult] = []
    befores: list[RunResult] = []
    try:
        for run in range(runs):
            po.write_bytes(pristine)
            befores.append(build_ours(tools, project, f"rebuild-before-{run}"))
            if not befores[-1].ok or befores[-1].returncode != 0:
                return {"status": "failed", "note": "the build before the edit failed"}
            if not edit_catalog(po, context, EDIT_SUFFIX):
                return {"status": "failed", "note": f"no entry {context} to edit"}
            timed.append(build_ours(tools, project, f"rebuild-{run}", clean=False))
            _progress(
                f"  rebuild run {run + 1}: {_brief(timed[-1])} (clean build before it: "
                f"{_brief(befores[-1])})"
            )
        result = summarize(timed)
        result.update(_compare_with_clean(tools, project))
    finally:
        po.write_bytes(pristine)
    seconds = result.get("seconds")
    adjacent = summarize(befores).get("seconds")
    result["adjacent_full_seconds"] = adjacent
    result["fraction_of_adjacent"] = seconds / adjacent if seconds and adjacent else None
    result["fraction_of_full"] = seconds / full_seconds if seconds and full_seconds else None
    return result


def _compare_with_clean(tools: Tools, project: Path) -> dict[str, Any]:
    output = project / "output"
    if not output.is_dir():
        return {"identical": None}
    rebuilt = hash_tree(output)
    page = output / EDIT_LOCALE / "notice-000.html"
    visible = page.is_file() and EDIT_SUFFIX.strip() in page.read_text(encoding="utf-8")
    clean = build_ours(tools, project, "rebuild-clean-reference")
    fresh = hash_tree(output) if clean.ok and clean.returncode == 0 else {}
    differences = tree_differences(rebuilt, fresh)
    return {
        "identical": bool(fresh) and not differences,
        "edit_visible": visible,
        "files": len(rebuilt),
        "differences": differences[:20],
        "clean_reference_seconds": clean.seconds,
    }


# --- start-up ----------------------------------------------------------------------


def startup(tools: Tools, runs: int) -> dict[str, Any]:
    """``notice-builder --version``, and the bare interpreter for comparison."""
    ours = [run_measured([*tools.ours, "--version"], timeout=60) for _ in range(runs)]
    python = interpreter(tools.ours)
    bare = [run_measured([python, "-c", "pass"], timeout=60) for _ in range(runs)]
    return {
        "command": " ".join([*tools.ours, "--version"]),
        "median_ms": _ms(median([r.seconds for r in ours])),
        "min_ms": _ms(min(r.seconds for r in ours)),
        "max_ms": _ms(max(r.seconds for r in ours)),
        "python_baseline_ms": _ms(median([r.seconds for r in bare])),
        "runs": runs,
    }


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


def interpreter(command: list[str]) -> str:
    """The Python that runs the tool: the console script's shebang, else this one."""
    if command[0].endswith(("python", "python3")) or len(command) > 1:
        return command[0]
    first = Path(command[0]).read_bytes()[:200].split(b"\n", 1)[0]
    if first.startswith(b"#!") and b"python" in first:
        return first[2:].decode().strip().split()[0]
    return sys.executable


def tool_command(repo: Path) -> list[str]:
    """The installed console script next to this Python, else ``python -m notice_builder``."""
    beside = Path(sys.executable).parent / "notice-builder"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("notice-builder")
    if found:
        return [found]
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(repo), os.environ.get("PYTHONPATH")])
    )
    return [sys.executable, "-m", "notice_builder"]


def tool_output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return f"unavailable ({problem})"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else ""
    )
