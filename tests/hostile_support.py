"""Shared helpers of the hostile-input tests (tests/test_hostile_*.py).

Every hostile test follows the same pattern: a site that built successfully once
(so ``output/`` exists), a snapshot of every file in ``output/``, one defect, the
CLI again, and then the same checks: the exit code, the exact diagnostic code at
its exact location, no traceback, ``output/`` byte-identical to the snapshot, and
no staging folder left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from conftest import FIXTURES, REPO, CliResult, copy_site, run

HOSTILE_SITE = FIXTURES / "hostile" / "site"
NOTICE = Path("content/notice.yaml")
SITE = Path("content/site.yaml")
CATALOG = Path("locales/nl/LC_MESSAGES/notices.po")
PAGE = Path("templates/page.html")
BLOCKS = Path("templates/blocks.html")

Snapshot = dict[str, str]


def snapshot(folder: Path) -> Snapshot:
    """Every path below ``folder``: files by their SHA-256, folders as ``<dir>``."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            found[relative] = "<dir>"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(project: Path, name: str = "output") -> list[str]:
    """Staging or retired folders a build left beside its output folder."""
    return sorted(
        entry.name
        for entry in project.iterdir()
        if entry.name.startswith((f".{name}.tmp-", f".{name}.old-"))
    )


@dataclass
class BuiltSite:
    """A hostile-test site that was built once; ``before`` is its output snapshot."""

    root: Path
    before: Snapshot

    @property
    def output(self) -> Path:
        return self.root / "output"

    def path(self, relative: Path | str) -> Path:
        return self.root / relative

    def read(self, relative: Path | str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: Path | str, data: str | bytes) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
        return target

    def replace(self, relative: Path | str, old: str, new: str) -> int:
        """Replace the first ``old`` in a file; the 1-based line where it was."""
        text = self.read(relative)
        assert old in text, f"{old!r} is not in {relative}"
        self.write(relative, text.replace(old, new, 1))
        return line_of(text, old)

    def build(self, *extra: str) -> CliResult:
        return run(["build", *extra], self.root)

    def assert_refused(
        self, result: CliResult, code: str, location: str, *, exit_code: int
    ) -> None:
        """The build failed cleanly: exit code, code at location, old output intact."""
        assert_clean_failure(result, exit_code)
        assert f"{location}: error:" in result.output, result.output
        assert f"[{code}]" in result.output, result.output
        assert_line_has(result.output, location, code)
        self.assert_unchanged()

    def assert_unchanged(self) -> None:
        assert snapshot(self.output) == self.before
        assert leftovers(self.root) == []


def assert_clean_failure(result: CliResult, exit_code: int) -> None:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output


def assert_line_has(output: str, location: str, code: str) -> None:
    """One line of the report names both the location and the code."""
    lines = [line for line in output.splitlines() if line.startswith(f"{location}: ")]
    assert any(f"[{code}]" in line for line in lines), output


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def make_site(target: Path) -> Path:
    """A fresh copy of the hostile-test site (content, a complete nl catalog, templates)."""
    return copy_site(HOSTILE_SITE, target)


def build_once(target: Path) -> BuiltSite:
    """A copy of the site, built successfully, with the snapshot of its output."""
    root = make_site(target)
    result = run(["build"], root)
    assert result.exit_code == 0, result.output
    return BuiltSite(root, snapshot(root / "output"))


def clone(built: BuiltSite, target: Path) -> BuiltSite:
    """A copy of an already built site (faster than building again)."""
    shutil.copytree(
        built.root, target, ignore=shutil.ignore_patterns(".notice-builder.lock.*"), symlinks=True
    )
    copy = BuiltSite(target, snapshot(target / "output"))
    assert copy.before == built.before
    return copy


def prepare(
    built: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, cwd: str = "root"
) -> BuiltSite:
    """A clone of ``built`` to break. Diagnostics show paths relative to the working
    folder: the project root (``content/notice.yaml``), or with ``cwd="parent"`` its
    parent (``site/output``). A crash report, should there be one, stays in tmp_path."""
    copy = clone(built, tmp_path / "site")
    monkeypatch.chdir(copy.root if cwd == "root" else tmp_path)
    reports = tmp_path / "crash-reports"
    reports.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(reports))
    return copy


def run_subprocess(
    args: list[str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, as a user would start it."""
    return subprocess.run(
        [sys.executable, "-m", "notice_builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=subprocess_env(),
        check=False,
    )


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


# --- what may not be in a built page ------------------------------------------------------

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "object", "embed", "svg", "math", "style", "form",
    "base", "link-import", "applet", "noscript", "template", "button", "input", "img",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "srcdoc", "poster", "background",
    "xlink:href", "{http://www.w3.org/1999/xlink}href", "cite", "longdesc", "manifest",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def squeeze(value: str) -> str:
    """A URL as a browser might read its scheme: no spaces, controls or invisible characters."""
    return "".join(
        character
        for character in value
        if not character.isspace() and unicodedata.category(character)[0] not in "CZ"
    ).lower()


def runnable_parts(html: bytes) -> list[str]:
    """Everything in a page that could run, described; empty when the page is safe."""
    found: list[str] = []
    if re.search(rb"<\s*/?\s*script", html, re.IGNORECASE):
        found.append("a literal <script tag in the bytes")
    document = lxml.html.document_fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower()
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in element.attrib:
            found.append("<meta http-equiv>")
        for raw_name, raw_value in element.attrib.items():
            name, value = str(raw_name), str(raw_value)
            if name.lower().startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if name.lower() in URL_ATTRIBUTES and squeeze(value).startswith(BAD_SCHEMES):
                found.append(f"{name}={value!r} on <{tag}>")
            if name.lower() == "style" and "url(" in value.lower():
                found.append(f"style with url() on <{tag}>")
    return found
