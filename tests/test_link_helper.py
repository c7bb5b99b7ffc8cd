"""A rebuild's cached pages are linked by a helper process while the build renders."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import assert_nl_edit_equals_a_clean_build, edit_nl_title, run, tree

from notice_builder import link_helper


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every link the build sent to a helper."""
    pairs: list[tuple[str, str]] = []
    original = link_helper.LinkHelper.send

    def spy(self: link_helper.LinkHelper, batch: list[tuple[str, str]]) -> None:
        pairs.extend(batch)
        original(self, batch)

    monkeypatch.setattr(link_helper.LinkHelper, "send", spy)
    yield pairs


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The process id of every helper started."""
    children: list[int] = []
    original = link_helper.start

    def spy() -> None:
        original()
        helper = link_helper.current()
        if helper is not None:
            children.append(helper.child)

    monkeypatch.setattr(link_helper, "start", spy)
    yield children


def assert_ended(child: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def test_a_rebuild_links_its_cached_pages_through_the_helper(
    example_site: Path, sent: list[tuple[str, str]], helpers: list[int]
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert helpers == [] and sent == []  # a clean build: nothing cached to link
    edit_nl_title(example_site)

    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert len(helpers) == 1 and link_helper.current() is None
    assert_ended(helpers[0])
    linked = {Path(target).relative_to(Path(target).parents[1]).as_posix() for _, target in sent}
    assert "de/privacy-notice.html" in linked and "nl/privacy-notice.html" not in linked
    assert not list(example_site.glob(".output.*"))
    assert_nl_edit_equals_a_clean_build(example_site)


def test_links_a_dead_helper_did_not_make_are_made_by_the_build(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    original = link_helper.LinkHelper.send

    def send_then_die(self: link_helper.LinkHelper, batch: list[tuple[str, str]]) -> None:
        original(self, batch[:1])
        os.kill(self.child, signal.SIGKILL)  # the build's stop() reaps it
        original(self, batch[1:])

    monkeypatch.setattr(link_helper.LinkHelper, "send", send_then_die)
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    monkeypatch.undo()
    assert_nl_edit_equals_a_clean_build(example_site)


def test_a_link_the_helper_could_not_make_fails_the_build(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    before = tree(example_site / "output")
    edit_nl_title(example_site)
    original = link_helper.link_or_copy

    def disk_full_for_french(source: str | os.PathLike[str], target: str) -> None:
        if "/fr/" in target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
        original(source, target)

    monkeypatch.setattr(link_helper, "link_or_copy", disk_full_for_french)  # in the helper too
    result = run(["build", "--jobs", "2"], example_site)
    assert result.exit_code == 1
    assert "output.write-failed" in result.output and "output/fr/" in result.output
    assert "the disk is full" in result.output
    assert tree(example_site / "output") == before
    assert not list(example_site.glob(".output.*"))
