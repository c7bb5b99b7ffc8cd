"""`pybabel extract` through our entry point gives the same messages as our own extract."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from conftest import REPO, run


def messages(path: Path) -> dict[tuple[str | None, str], list[str]]:
    with path.open("rb") as handle:
        catalog: Catalog = read_po(handle)
    return {(m.context, str(m.id)): list(m.auto_comments) for m in catalog if m.id}


def test_pybabel_extract_matches_notice_builder_extract(example_site: Path) -> None:
    shutil.copy(REPO / "babel.cfg", example_site / "babel.cfg")
    ours = run(["i18n", "extract"], example_site)
    assert ours.exit_code == 0, ours.output
    pybabel = [sys.executable, "-m", "babel.messages.frontend", "extract"]
    done = subprocess.run(
        [*pybabel, "-F", "babel.cfg", "-o", "pybabel.pot", "."],
        cwd=example_site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    theirs = messages(example_site / "pybabel.pot")
    expected = messages(example_site / "locales" / "notices.pot")
    assert theirs.keys() == expected.keys()
    assert len(expected) > 100
    for key, comments in expected.items():
        if key[0] != "ui":  # template strings: Jinja's extractor only keeps tagged comments
            assert theirs[key] == comments, key


def test_markdown_is_one_message_per_paragraph_with_its_line(example_site: Path) -> None:
    assert run(["i18n", "extract"], example_site).exit_code == 0
    with (example_site / "locales" / "notices.pot").open("rb") as handle:
        catalog = read_po(handle)
    changes = [m for m in catalog if m.context == "privacy-notice.sections.changes.body"]
    assert [str(m.id)[:30] for m in changes] == [
        "We may update this notice at a",
        "If we want to use your persona",
        "Where the law requires it, we ",
    ]
    lines = (
        (example_site / "content" / "privacy-notice.yaml").read_text(encoding="utf-8").splitlines()
    )
    for message in changes:
        ((filename, line),) = message.locations
        assert filename == "content/privacy-notice.yaml"
        assert lines[line - 1].strip().startswith(str(message.id)[:20])
