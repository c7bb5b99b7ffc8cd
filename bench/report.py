"""Results as Markdown tables, and the issue's targets judged against them."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

PEAK_MEMORY_MIB = 300
CHECK_SECONDS = 3.5
REBUILD_FRACTION = 0.10
STARTUP_MS = 150
FLAT_RATIO = 1.2


def _num(value: float | None, digits: int = 2, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.{digits}f}{unit}"


def _mark(passed: bool | None) -> str:
    return {True: "✅ pass", False: "❌ fail", None: "– n/a"}[passed]


def build_rows(builds: list[dict[str, Any]]) -> list[str]:
    rows = [
        "| pages (notices × locales) | notice-builder wall | CPU | pages/s | ms/page "
        "| peak memory | Hugo wall | Hugo CPU | Hugo pages/s | Hugo peak memory "
        "| ratio to Hugo | `--jobs 1`: wall | CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for item in builds:
        ours, hugo = item["ours"], item.get("hugo") or {}
        alone = item.get("ours_one_process") or {}
        rows.append(
            f"| {item['pages']:,} ({item['notices']} × {item['locales']}) | {_wall(ours)} "
            f"| {_num(ours.get('cpu_seconds'), 2, ' s')} "
            f"| {_num(item.get('pages_per_s'), 1)} | {_num(item.get('ms_per_page'), 1)} "
            f"| {_num(ours.get('peak_mib'), 0, ' MiB')} ({ours.get('processes', 0)} proc) "
            f"| {_wall(hugo)} | {_num(hugo.get('cpu_seconds'), 2, ' s')} "
            f"| {_num(item.get('hugo_pages_per_s'), 0)} "
            f"| {_num(hugo.get('peak_mib'), 0, ' MiB')} | {_num(item.get('ratio'), 1, '×')} "
            f"| {_wall(alone)} | {_num(alone.get('cpu_seconds'), 2, ' s')} |"
        )
    return rows


def _wall(summary: dict[str, Any]) -> str:
    if not summary:
        return "–"
    if summary.get("status") != "ok" and summary.get("seconds") is None:
        return str(summary.get("status"))
    return _num(summary.get("seconds"), 2, " s")


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target of the issue, with the measured value and pass/fail."""
    builds = {item["pages"]: item for item in results["builds"]}
    largest = builds[max(builds)] if builds else None
    rows = [
        _vs_hugo(largest),
        _memory(largest),
        _check(results.get("check_site_dir"), "site-dir"),
        _check(results.get("check_full"), "full"),
        *_rebuild(results.get("rebuild")),
        _startup(results.get("startup")),
        *_flat(results["builds"]),
    ]
    return [row for row in rows if row]


def _row(target: str, value: str, limit: str, passed: bool | None) -> dict[str, Any]:
    return {"target": target, "value": value, "limit": limit, "pass": passed}


def _vs_hugo(item: dict[str, Any] | None) -> dict[str, Any]:
    if not item:
        return _row("full build vs Hugo", "not run", "≤ Hugo's wall time", None)
    ours, hugo = item["ours"].get("seconds"), (item.get("hugo") or {}).get("seconds")
    value = (
        f"{_wall(item['ours'])} vs Hugo {_num(hugo, 2, ' s')} ({_num(item.get('ratio'), 1, '×')})"
    )
    passed = None if ours is None or hugo is None else ours <= hugo
    if item["ours"].get("status") == "timeout":
        passed = False
    return _row(f"full build, {item['pages']:,} pages", value, "≤ Hugo's wall time", passed)


def _memory(item: dict[str, Any] | None) -> dict[str, Any]:
    peak = item["ours"].get("max_peak_mib") if item else None
    pages = f"{item['pages']:,} pages" if item else "largest size"
    passed = None if peak is None else peak < PEAK_MEMORY_MIB
    return _row(
        f"peak memory of the build, {pages}",
        _num(peak, 0, " MiB"),
        f"< {PEAK_MEMORY_MIB} MiB",
        passed,
    )


def _check(summary: dict[str, Any] | None, kind: str) -> dict[str, Any] | None:
    if summary is None:
        return None
    seconds = summary.get("seconds")
    label = (
        "check --site-dir (HTML, links, parity)"
        if kind == "site-dir"
        else "check (full: build + all checks)"
    )
    limit = (
        f"< {CHECK_SECONDS} s"
        if kind == "site-dir"
        else f"(info; < {CHECK_SECONDS} s if held to the same)"
    )
    passed = None if seconds is None else seconds < CHECK_SECONDS
    value = _wall(summary) + f", peak {_num(summary.get('peak_mib'), 0, ' MiB')}"
    return _row(f"{label}, {summary.get('pages', 0):,} pages", value, limit, passed)


def _rebuild(summary: dict[str, Any] | None) -> list[dict[str, Any]]:
    if summary is None:
        return []
    paired = summary.get("fraction_of_adjacent")
    main = summary.get("fraction_of_full")
    fraction = paired if paired is not None else main
    adjacent = _num(summary.get("adjacent_full_seconds"), 2, " s")
    limit = f"< {REBUILD_FRACTION:.0%} of a full build"
    passed = None if fraction is None else fraction < REBUILD_FRACTION
    timing = _row(
        "rebuild after one msgstr edit",
        f"{_wall(summary)} = {_percent(paired)} of the clean builds just before it "
        f"({adjacent}); {_percent(main)} of the main series' full build",
        limit,
        passed,
    )
    identical = summary.get("identical")
    differing = f"differs ({len(summary.get('differences', []))} files listed)"
    shown = {True: "identical", False: differing, None: "–"}[identical]
    value = f"{shown}; edit visible in the page: {summary.get('edit_visible')}"
    same = _row(
        "rebuild output vs clean build (sha256 of every file)", value, "byte-identical", identical
    )
    return [timing, same]


def _percent(fraction: float | None) -> str:
    return _num(fraction * 100 if fraction else None, 1, "%")


def _startup(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    ms = summary.get("median_ms")
    baseline = _num(summary.get("python_baseline_ms"), 0, " ms")
    value = f"{_num(ms, 0, ' ms')} (bare `python -c pass`: {baseline})"
    target = f"`notice-builder --version`, median of {summary['runs']}"
    return _row(target, value, f"< {STARTUP_MS} ms", None if ms is None else ms < STARTUP_MS)


def marginal_costs(
    builds: list[dict[str, Any]], measure: str = "seconds", series: str = "ours"
) -> list[tuple[int, int, float]]:
    """(from pages, to pages, marginal ms per page) between consecutive sizes, of wall
    time (``seconds``) or of CPU time (``cpu_seconds``), of the builds with every core
    (``ours``) or with one process (``ours_one_process``)."""
    done = [
        b for b in sorted(builds, key=lambda b: b["pages"]) if (b.get(series) or {}).get(measure)
    ]
    costs = []
    for small, large in pairwise(done):
        extra = large[series][measure] - small[series][measure]
        costs.append(
            (small["pages"], large["pages"], 1000 * extra / (large["pages"] - small["pages"]))
        )
    return costs


FLATNESS_SERIES = (
    ("cpu_seconds", "ours", "CPU time"),
    ("seconds", "ours", "wall time"),
    ("cpu_seconds", "ours_one_process", "CPU time of `build --jobs 1`"),
)


def _flat(builds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Marginal cost per page: in CPU time (the work a page costs) and in wall time, of
    the builds with every core; and in CPU time with one process, where two busy
    processes cannot slow each other down on cores that share their resources."""
    rows = []
    for measure, series, name in FLATNESS_SERIES:
        costs = marginal_costs(builds, measure, series)
        margins = ", ".join(f"{a:,}→{b:,}: {cost:.1f}" for a, b, cost in costs)
        passed = costs[-1][2] <= FLAT_RATIO * costs[0][2] if len(costs) >= 2 else None
        rows.append(
            _row(
                f"cost per page flat from 30 to 3,000 pages ({name})",
                f"marginal ms/page {margins or '–'}",
                f"last marginal ≤ {FLAT_RATIO}× first marginal",
                passed,
            )
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# notice-builder benchmark",
        "",
        f"Command: `{results['command']}`",
        "",
        "## Machine",
        "",
    ]
    lines += ["| fact | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine.items()]
    lines += [
        "",
        "## Clean builds (median of runs, alternating the tools)",
        "",
        *build_rows(results["builds"]),
    ]
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | target value | result |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r['target']} | {r['value']} | {r['limit']} | {_mark(r['pass'])} |"
        for r in results["targets"]
    ]
    for key in ("check_site_dir", "check_full"):
        found = (results.get(key) or {}).get("findings")
        if found:
            summary, codes = found.get("summary"), found.get("codes")
            lines += ["", f"Findings of `check` ({key}): {summary}; by code: {codes}"]
    lines += ["", "## Notes", ""] + [f"- {note}" for note in results.get("notes", [])]
    return "\n".join(lines) + "\n"
