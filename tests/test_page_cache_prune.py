"""Pruning the page cache keeps exactly the files the last build used."""

from __future__ import annotations

from pathlib import Path

from notice_builder.page_cache import PageCache


def test_prune_keeps_only_the_files_of_the_keys_used(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("kept.html", "kept.json", "dropped.html", "dropped.json", "kept.json.1.tmp"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "stray-folder").mkdir()
    (folder / "stray-folder" / "inside.html").write_text("x", encoding="utf-8")
    (folder / "stray-link").symlink_to(tmp_path)

    PageCache(folder).prune(["kept"])

    assert sorted(p.name for p in folder.iterdir()) == ["kept.html", "kept.json"]
    assert tmp_path.is_dir()  # a link is removed, never what it points to


def test_prune_without_a_folder_does_nothing(tmp_path: Path) -> None:
    PageCache(tmp_path / "missing").prune([])
    PageCache(None).prune([])
    assert not (tmp_path / "missing").exists()
