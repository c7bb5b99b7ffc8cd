"""Fixture sites and a CLI runner, shared by the tests."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notice_builder.checks.html import locale_facts
from notice_builder.cli import cli
from notice_builder.cli.failures import run_guarded

# When a property fails, hypothesis imports libcst to suggest a patch, and libcst warns
# (mypy_extensions.TypedDict); with warnings as errors the failure report itself would
# crash. Importing it once here, quietly, keeps every property test's report readable.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITES = FIXTURES / "sites"
CACHE = ".notice-builder-cache"
NL_CATALOG = Path("locales/nl/LC_MESSAGES/notices.po")
NL_TITLE = 'msgstr "Privacyverklaring voor betrokkenen"'
"""A message of the example's Dutch catalog that the rebuild tests edit ..."""
NL_TITLE_EDITED = 'msgstr "Privacyverklaring (herzien)"'
"""... and what they make of it."""


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the sha256 of its bytes, to compare two builds."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit_nl_title(site: Path, new: str = NL_TITLE_EDITED) -> None:
    """Edit one message of the Dutch catalog, as a translator would."""
    path = site / NL_CATALOG
    text = path.read_text(encoding="utf-8")
    assert NL_TITLE in text
    path.write_text(text.replace(NL_TITLE, new, 1), encoding="utf-8")


def copy_site(source: Path, target: Path, *, with_templates: bool = True) -> Path:
    """A fixture site copied to ``target``, with the example's templates unless it has its own."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    if with_templates and not (target / "templates").exists():
        shutil.copytree(REPO / "templates", target / "templates")
    return target


@pytest.fixture
def site_factory(tmp_path: Path) -> Callable[[str], Path]:
    def make(name: str) -> Path:
        return copy_site(SITES / name, tmp_path / name)

    return make


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repository's example project (content, locales, templates)."""
    target = tmp_path / "example"
    for part in ("content", "locales", "templates"):
        shutil.copytree(REPO / part, target / part)
    return target


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(args: list[str], project: Path | None = None) -> CliResult:
    """Run the CLI as a user would (exit codes and error printing included).

    ``project`` is passed as --project after the subcommand path (e.g. after ``i18n status``).
    """
    depth = 2 if args[:1] == ["i18n"] else 1
    full = [*args[:depth], *(["--project", str(project)] if project else []), *args[depth:]]
    with CliRunner().isolation() as streams:
        code = run_guarded(cli, full)
    return CliResult(code, streams[0].getvalue().decode(), streams[1].getvalue().decode())


MODULES_AT_EXIT = """
import sys
import notice_builder.cli as cli

def report_modules(code):
    loaded = sorted(name for name in sys.modules if name.startswith({prefixes!r}))
    print("loaded:", ",".join(loaded), flush=True)
    raise SystemExit(code)

cli.exit_at_once = report_modules
cli.main({args!r})
"""


def modules_loaded_by(args: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """Run the CLI with ``args`` in a new interpreter, as a user would; the modules
    whose names start with one of ``prefixes`` that it had imported when it ended."""
    code = MODULES_AT_EXIT.format(prefixes=prefixes, args=args)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = done.stdout.rpartition("loaded: ")[2].strip()
    return listed.split(",") if listed else []


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of every template parsed (to be compiled) by the builds of the test."""
    from notice_builder.render.environment import _Environment

    names: list[str] = []
    original = _Environment._parse

    def spy(self: _Environment, source: str, name: str | None, filename: str | None) -> Any:
        names.append(name or "")
        return original(self, source, name, filename)

    monkeypatch.setattr(_Environment, "_parse", spy)
    yield names


def assert_nl_edit_equals_a_clean_build(site: Path) -> None:
    """After ``edit_nl_title`` and a rebuild: the edit is on the page, and the output is
    byte for byte a clean build's."""
    page = (site / "output/nl/privacy-notice.html").read_text(encoding="utf-8")
    assert NL_TITLE_EDITED.removeprefix('msgstr "').rstrip('"') in page
    incremental = tree(site / "output")
    shutil.rmtree(site / CACHE)
    assert run(["build", "--jobs", "1"], site).exit_code == 0
    assert tree(site / "output") == incremental


@pytest.fixture
def forgotten_locale_facts() -> Iterator[None]:
    """What this process knows of the page languages is forgotten, as in a new process;
    what a test plants is not left behind for the next ones."""
    digits, directions = locale_facts.memories()
    known_digits, known_directions = dict(digits), dict(directions)
    digits.clear()
    directions.clear()
    yield
    digits.clear()
    directions.clear()
    digits.update(known_digits)
    directions.update(known_directions)
