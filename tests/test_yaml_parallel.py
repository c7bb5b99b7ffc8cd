"""Many content files are parsed on all cores: the documents, positions and problems
must be exactly those that parsing them one by one gives, with or without the cache."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from conftest import run

from notice_builder.loader import yaml_cache, yaml_data
from notice_builder.loader.yaml_cache import PARALLEL_FROM, load_yaml_cached, load_yaml_many
from notice_builder.loader.yaml_source import LoadedYaml, YamlProblem


def _files(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(PARALLEL_FROM + 4):
        path = folder / f"notice-{number:02d}.yaml"
        text = f"notice:\n  id: n{number}\n  effective_date: 2024-04-0{number % 9 + 1}\n"
        text += "  title: >-\n    A folded\n    title\n  items: [1, two, {three: 3}]\n"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    paths[3].write_text("notice:\n  id: a\n  id: b\n", encoding="utf-8")  # duplicate key
    paths[7].write_text("notice: [unclosed\n", encoding="utf-8")
    paths[9].write_bytes(b"notice: \xff\n")  # not UTF-8
    return paths


def _one_by_one(paths: list[Path], cache: Path | None) -> list[LoadedYaml | YamlProblem]:
    found: list[LoadedYaml | YamlProblem] = []
    for path in paths:
        try:
            found.append(load_yaml_cached(path, cache))
        except YamlProblem as problem:
            found.append(problem)
    return found


def _comparable(item: LoadedYaml | YamlProblem) -> object:
    if isinstance(item, YamlProblem):
        return ("problem", item.diagnostic)
    positions = item.source_map
    return (item.path, item.data, positions.values, positions.keys, positions.block_scalars)


@pytest.mark.parametrize("cached", [False, True])
def test_parallel_parsing_gives_what_parsing_one_by_one_gives(tmp_path: Path, cached: bool) -> None:
    paths = _files(tmp_path / "content")
    cache = tmp_path / "cache" if cached else None
    expected = [_comparable(item) for item in _one_by_one(paths, None)]

    first = load_yaml_many(paths, cache).documents
    second = load_yaml_many(
        paths, cache
    ).documents  # with a cache: every document read back from it

    assert [_comparable(item) for item in first] == expected
    assert [_comparable(item) for item in second] == expected
    kinds = [type(item).__name__ for item in first]
    assert kinds.count("YamlProblem") == 3 and kinds[3] == kinds[7] == kinds[9] == "YamlProblem"
    assert isinstance(first[3], YamlProblem) and first[3].diagnostic.code == "yaml.duplicate-key"
    document = first[0]
    assert isinstance(document, LoadedYaml)
    assert document.data["notice"]["effective_date"] == datetime.date(2024, 4, 1)
    if cache is not None:
        assert len(list(cache.glob("*.json"))) == len(paths) - 3


@pytest.mark.parametrize("cached", [False, True])
def test_each_file_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    paths = _files(tmp_path / "content")
    cache = tmp_path / "cache" if cached else None
    if cache is not None:
        load_yaml_many(paths, cache)  # fill the cache: the second load reads entries
    reads: list[Path] = []
    real = yaml_data.read_yaml_bytes  # what yaml_cache calls

    def counted(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(yaml_cache, "read_yaml_bytes", counted)
    loaded = load_yaml_many(paths, cache)

    assert sorted(reads) == sorted(paths)
    assert loaded.digests is not None and len(set(loaded.digests)) == len(paths)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per process this one forks."""
    made: list[int] = []
    real = os.fork

    def counted() -> int:
        made.append(1)
        return real()

    monkeypatch.setattr(os, "fork", counted)
    return made


def test_one_job_parses_in_this_process(tmp_path: Path, forks: list[int]) -> None:
    paths = _files(tmp_path / "content")
    expected = [_comparable(item) for item in _one_by_one(paths, None)]
    loaded = load_yaml_many(paths, tmp_path / "cache", jobs=1)
    assert forks == []
    assert [_comparable(item) for item in loaded.documents] == expected
    load_yaml_many(paths, None, jobs=2)
    assert len(forks) == 2  # the same files on two jobs: parsed by two workers


def test_build_with_one_job_forks_nothing(example_site: Path, forks: list[int]) -> None:
    """`build --jobs 1` parses many content files, reads the catalogs and renders in one
    process; with two jobs, the same build forks."""
    for number in range(PARALLEL_FROM):
        (example_site / "content" / f"extra-{number:02d}.yaml").write_text("parties: []\n")
    site_yaml = example_site / "content" / "site.yaml"
    settings = site_yaml.read_text(encoding="utf-8")
    assert "  missing_translations: error\n" in settings
    settings = settings.replace(  # every catalog is then read before rendering, in parallel
        "  missing_translations: error\n", "  missing_translations: error\n  min_completeness: 90\n"
    )
    site_yaml.write_text(settings, encoding="utf-8")
    assert run(["build", "--jobs", "1", "--no-cache"], example_site).exit_code == 0
    assert forks == []
    assert run(["build", "--jobs", "2", "--no-cache"], example_site).exit_code == 0
    assert forks
