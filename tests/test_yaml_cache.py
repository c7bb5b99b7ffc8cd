"""Parsed YAML read back from the cache is exactly what parsing gives, positions included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run

from notice_builder.loader import yaml_cache
from notice_builder.loader.yaml_cache import load_yaml_cached
from notice_builder.loader.yaml_source import LoadedYaml, load_yaml_file


@pytest.mark.parametrize("name", ["site.yaml", "parties.yaml", "privacy-notice.yaml"])
def test_a_cached_file_reads_back_as_parsed(tmp_path: Path, name: str) -> None:
    path = REPO / "content" / name
    first = load_yaml_cached(path, tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    again = load_yaml_cached(path, tmp_path)
    assert_same(first, load_yaml_file(path))
    assert_same(again, load_yaml_file(path))
    assert again.source_map.block_scalars or name != "privacy-notice.yaml"


def assert_same(loaded: LoadedYaml, parsed: LoadedYaml) -> None:
    """Equal data, and equal positions (a source map from the cache is its own class)."""
    assert (loaded.path, loaded.data) == (parsed.path, parsed.data)
    assert loaded.source_map.values == parsed.source_map.values
    assert loaded.source_map.keys == parsed.source_map.keys
    assert loaded.source_map.block_scalars == parsed.source_map.block_scalars


def test_dates_keep_their_type(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text("when: 2024-04-01\nlist: [2024-05-02, '2024-05-03', 1.5, true, null]\n")
    cache = tmp_path / "cache"
    load_yaml_cached(path, cache)
    assert load_yaml_cached(path, cache).data == load_yaml_file(path).data
    assert any(cache.iterdir())


def test_values_json_cannot_keep_are_parsed_every_time(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("at: 2024-04-01 10:00:00\nraw: !!binary aGk=\n")
    cache = tmp_path / "cache"
    assert load_yaml_cached(path, cache).data == load_yaml_file(path).data
    assert not cache.exists() or not any(cache.iterdir())


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    cache = tmp_path / "cache"
    path.write_text("a: 1\n")
    load_yaml_cached(path, cache)
    path.write_text("a: 2\n")
    assert load_yaml_cached(path, cache).data == {"a": 2}


def test_schema_errors_are_the_same_when_the_file_comes_from_the_cache(example_site: Path) -> None:
    notice = example_site / "content" / "privacy-notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("[contract]", "[consnt]", 1))
    first = run(["build"], example_site)
    assert any((example_site / ".notice-builder-cache" / "content").iterdir())
    second = run(["build"], example_site)
    assert first.exit_code == second.exit_code == 1
    assert "[schema.choice]" in first.stderr
    assert first.stderr == second.stderr


def test_damaged_positions_are_read_from_the_file(tmp_path: Path) -> None:
    path = REPO / "content" / "privacy-notice.yaml"
    load_yaml_cached(path, tmp_path)
    (entry,) = tmp_path.iterdir()
    data, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(data + b"\n{damaged")
    assert_same(load_yaml_cached(path, tmp_path), load_yaml_file(path))


def test_damaged_data_is_read_from_the_file(tmp_path: Path) -> None:
    path = REPO / "content" / "privacy-notice.yaml"
    load_yaml_cached(path, tmp_path)
    (entry,) = tmp_path.iterdir()
    _, _, positions = entry.read_bytes().partition(b"\n")
    entry.write_bytes(b'{"data": {damaged\n' + positions)
    assert_same(load_yaml_cached(path, tmp_path), load_yaml_file(path))


def test_the_data_of_a_file_whose_model_is_kept_is_never_decoded(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[bytes] = []
    original = yaml_cache._decoded_data

    def spy(encoded: bytes) -> Any:
        decoded.append(encoded)
        return original(encoded)

    monkeypatch.setattr(yaml_cache, "_decoded_data", spy)
    assert run(["build", "--jobs", "1"], example_site).exit_code == 0
    assert run(["build", "--jobs", "1"], example_site).exit_code == 0
    assert decoded == []  # every model was kept
    for kept in (example_site / ".notice-builder-cache" / "content").glob("*.model.json"):
        kept.unlink()
    assert run(["build", "--jobs", "1"], example_site).exit_code == 0
    assert len(decoded) == len(list((example_site / "content").glob("*.yaml")))
