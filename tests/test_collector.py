"""The build command collects the young generation less often and leaves what it imported
frozen, only while it runs."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from conftest import run

import notice_builder.build
from notice_builder.parallel import YOUNG_COLLECTION_THRESHOLD, fewer_collections


def test_a_build_collects_less_often_and_leaves_the_collector_as_it_was(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, bool]] = []
    original = notice_builder.build.build_site

    def spy(*args: Any, **kwargs: Any) -> notice_builder.build.BuildResult:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return original(*args, **kwargs)

    monkeypatch.setattr(notice_builder.build, "build_site", spy)
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    assert run(["build"], example_site).exit_code == 0
    assert seen == [(YOUNG_COLLECTION_THRESHOLD, True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    (example_site / "content" / "site.yaml").write_text("site: [broken\n", encoding="utf-8")
    assert run(["build"], example_site).exit_code != 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_leaving_fewer_collections_walks_nothing() -> None:
    """What the command made goes to the oldest generation before the default threshold
    returns: the first allocation afterwards does not walk it (~17 ms in a rebuild)."""
    started: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        with fewer_collections():
            made: list[list[int]] = [
                [] for _ in range(20_000)
            ]  # young, tracked, more than the default 700
            started.clear()
        after: list[list[int]] = [[] for _ in range(10)]
    finally:
        gc.callbacks.remove(record)
    assert started == [] and len(made) + len(after) == 20_010
    assert gc.get_freeze_count() == 0


def test_checking_a_site_leaves_nothing_for_the_young_generation(example_site: Path) -> None:
    """What check_site made goes to the oldest generation before the collector is enabled
    again (the first allocation after it would walk it all), and nothing stays frozen."""
    from notice_builder.checks.html import check_site

    assert run(["build"], example_site).exit_code == 0
    gc.collect()
    check_site(example_site / "output")
    young, middle, _ = gc.get_count()
    assert young < 50 and middle == 0, gc.get_count()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
