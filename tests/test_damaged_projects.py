"""Property-based tests (hypothesis) of whole commands on a damaged example project.

The other property tests feed one reader at a time; these damage the files of a built
project (content, catalogs, the .pot, templates, the built pages, or the build cache)
with the edits a careless editor, a broken tool or a bad disk makes, and run the
command a user would run. Whatever the damage, the command ends with exit 0, 1 or 2,
no internal error, every error at a location; a build that fails leaves ``output/`` as
it was; a damaged cache only costs time. Mutation fuzzing of this kind found that
``i18n extract`` crashed on a template that is not UTF-8, and that a cache entry with a
flipped bit was served (a language's name came out misspelt).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, CliResult, run
from hostile_support import Snapshot, assert_clean_failure, snapshot
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from notice_builder.checks.html import check_site
from notice_builder.cli import failures

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces an edit inserts: the syntax of each kind of file, encodings gone wrong, and
# text meant to be run.
PIECES = [
    "\t", ": ", "- ", "&a ", "*a", "<<: *a\n", "!!python/object:os.system ", "{", "}",
    "[", "]", "? ", "|\n", "---\n", "'", '"', "2023-02-30", "~", "#", "\n  ", "\n- ",
    "{{ x }}", "{%", "%}", "{% if x %}", "{{ page.nope }}", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "%(n)s", "{count}", "\u202e", "\ufeff", "\x00",
    "#, fuzzy\n", 'msgstr ""\n', 'msgstr[1] "x"\n', 'msgid_plural "y"\n', '"\\q"\n',
    '"Plural-Forms: nplurals=3; plural=(n>1);\\n"\n', '"Language: ../../x\\n"\n',
    'msgctxt "a"\n', "<a href='#nowhere'>", "</section>", "<section class='notice-section'>",
    "<html lang='xx'>", "<link rel='alternate' hreflang='zz' href='//'>", "</a>",
]  # fmt: skip
ERROR_LINE = re.compile(r"^(?P<where>\S[^:]*(?::\d+){0,2}): error: ")

Edit = tuple[float, float, str | bytes]
"""Where (0..1 of the file), how much to cut there (0..1 of a line), and what to insert."""
edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from([0.0, 0.0, 0.3, 1.0]),
        st.sampled_from(PIECES) | st.binary(min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=3,
)


SOURCE_FOLDERS = ("content", "locales", "templates")


@dataclass(frozen=True)
class BuiltExample:
    root: Path
    output: Snapshot


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltExample:
    """The example project, its .pot extracted and its site built once."""
    root = tmp_path_factory.mktemp("damaged") / "example"
    for part in SOURCE_FOLDERS:
        shutil.copytree(REPO / part, root / part)
    for command in (["i18n", "extract"], ["build"]):
        done = run(command, root)
        assert done.exit_code == 0, done.output
    return BuiltExample(root, snapshot(root / "output"))


def damaged(data: bytes, changes: list[Edit]) -> bytes:
    for where, cut, piece in changes:
        at = int(where * len(data))
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        inserted = piece if isinstance(piece, bytes) else piece.encode("utf-8")
        data = data[:at] + inserted + data[at + int(cut * (end - at)) :]
    return data


@contextmanager
def damage(target: Path, changes: list[Edit], restored: Sequence[Path]) -> Iterator[None]:
    """The file ``target`` damaged for the duration; afterwards, every file of the
    ``restored`` folders as it was. A command may have rewritten any of them: ``i18n
    update`` after damaged content marks translations fuzzy in every catalog, which
    failed a later example's build when only the damaged folder was put back."""
    kept = {path: path.read_bytes() for folder in restored for path in _files(folder)}
    target.write_bytes(damaged(kept[target], changes))
    try:
        yield
    finally:
        for folder in restored:
            for path in _files(folder):
                if path not in kept:
                    path.unlink()
        for path, data in kept.items():
            path.write_bytes(data)


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def ran_cleanly(result: CliResult, bugs: list[str]) -> None:
    assert not bugs, bugs[0]
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert_clean_failure(result, result.exit_code)
    for line in result.stderr.splitlines():
        if " error: " in line and not line.startswith(("notice-builder:", " ")):
            assert ERROR_LINE.match(line), f"an error without a location: {line}"


@pytest.fixture(scope="module")
def bugs() -> Iterator[list[str]]:
    """The internal errors of the commands run (a failing property names the first)."""
    found: list[str] = []
    patch = pytest.MonkeyPatch()

    def report_bug() -> int:
        import traceback

        found.append(traceback.format_exc())
        return 1

    patch.setattr(failures, "report_bug", report_bug)
    yield found
    patch.undo()


SOURCES = [
    "content/privacy-notice.yaml",
    "content/site.yaml",
    "content/parties.yaml",
    "locales/nl/LC_MESSAGES/notices.po",
    "locales/de/LC_MESSAGES/notices.po",
    "locales/notices.pot",
    "templates/page.html",
    "templates/blocks.html",
    "templates/sitemap.xml",
]
COMMANDS = [
    ["build"],
    ["check", "--format", "json"],
    ["i18n", "extract"],
    ["i18n", "update"],
    ["i18n", "check", "--strict"],
    ["i18n", "status"],
]


@EXAMPLES
@given(file=st.sampled_from(SOURCES), changes=edits, command=st.sampled_from(COMMANDS))
@example(file="templates/page.html", changes=[(0.0, 0.0, b"\x80")], command=["i18n", "extract"])
def test_a_damaged_project_gives_diagnostics_not_crashes(
    built: BuiltExample, bugs: list[str], file: str, changes: list[Edit], command: list[str]
) -> None:
    bugs.clear()
    with damage(built.root / file, changes, [built.root / folder for folder in SOURCE_FOLDERS]):
        result = run(command, built.root)
        ran_cleanly(result, bugs)
        if command == ["build"] and result.exit_code:
            assert snapshot(built.root / "output") == built.output
    if snapshot(built.root / "output") != built.output:  # a damaged build succeeded
        assert run(["build"], built.root).exit_code == 0
        assert snapshot(built.root / "output") == built.output


PAGES = ["en/privacy-notice.html", "nl/privacy-notice.html", "index.html", "sitemap.xml"]


@EXAMPLES
@given(file=st.sampled_from(PAGES), changes=edits)
def test_the_html_checks_survive_any_damage_to_a_built_site(
    built: BuiltExample, file: str, changes: list[Edit]
) -> None:
    site = built.root / "output"
    with damage(site / file, changes, [site]):
        found = check_site(site, jobs=1)
    for diagnostic in found.diagnostics:
        assert diagnostic.location is not None
        assert Path(diagnostic.location.path).resolve().is_relative_to(site.resolve())


CACHE = ".notice-builder-cache"


damages = st.lists(
    st.tuples(
        st.integers(0, 10**6),  # which file (of those there are), whatever their number
        st.sampled_from(["flip", "cut", "add", "delete"]),
        st.floats(0, 1, exclude_max=True),  # where in the file
        st.integers(0, 7),  # which bit
        st.binary(min_size=1, max_size=4),  # what is added
    ),
    min_size=1,
    max_size=3,
)


@EXAMPLES
@given(damage=damages)
def test_a_damaged_cache_gives_the_clean_build(
    built: BuiltExample, damage: list[tuple[int, str, float, int, bytes]]
) -> None:
    """A flipped bit, bytes cut off or added, or a missing file, anywhere in the cache
    (JSON entries and page bodies): the build still succeeds and its output is the clean
    build's, byte for byte. (A body changed in place with its time stamp put back would
    be served: bodies are checked by size and time stamp only.)"""
    cache = built.root / CACHE
    kept = {path: path.read_bytes() for path in sorted(cache.rglob("*")) if path.is_file()}
    stamps = {path: path.stat().st_mtime_ns for path in kept}
    names = list(kept)
    for which, how, where, bit, added in damage:
        path = names[which % len(names)]
        content = kept[path]
        at = int(where * len(content))
        path.unlink(missing_ok=True)  # a new file: a body is a link to an output page
        if how == "delete":
            continue
        if how == "flip" and content:
            content = content[:at] + bytes([content[at] ^ 1 << bit]) + content[at + 1 :]
        elif how == "cut":
            content = content[:at]
        else:
            content = content[:at] + added + content[at:]
        path.write_bytes(content)
    try:
        result = run(["build"], built.root)
        assert result.exit_code == 0, result.output
        assert snapshot(built.root / "output") == built.output
    finally:
        for stray in cache.rglob("*"):
            if stray.is_file():
                stray.unlink()
        for path, content in kept.items():  # as it was, time stamps too: pages stay hits
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            os.utime(path, ns=(stamps[path], stamps[path]))
