"""Hostile and broken YAML: each gives one clear diagnostic at its place, never a traceback.

Every case starts from a site that built successfully, breaks one content file,
and builds again through the CLI. The build must end with exit 2 (the content
could not be loaded; 1 for a value the schema refuses), print the diagnostic code
at ``file:line:col``, print no traceback, and leave ``output/`` byte-identical,
with no staging folder behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hostile_support import (
    NOTICE,
    BuiltSite,
    assert_clean_failure,
    build_once,
    leftovers,
    prepare,
    run_subprocess,
    snapshot,
)

from notice_builder.loader import yaml_source
from notice_builder.loader.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

TITLE = "  title: A short notice\n"


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory.mktemp("hostile-yaml") / "site")


@pytest.fixture
def site(built_template: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    return prepare(built_template, tmp_path, monkeypatch)


@dataclass(frozen=True)
class Case:
    """One broken file: what is written where, and the diagnostic it must give."""

    name: str
    apply: Callable[[BuiltSite], None]
    code: str
    location: str
    message: str
    exit_code: int = 2


def in_notice(old: str, new: str) -> Callable[[BuiltSite], None]:
    def apply(site: BuiltSite) -> None:
        site.replace(NOTICE, old, new)

    return apply


def extra_file(name: str, data: str | bytes) -> Callable[[BuiltSite], None]:
    def apply(site: BuiltSite) -> None:
        site.write(Path("content") / name, data)

    return apply


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        items = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{items}]")
    return "\n".join(lines) + "\n"


CASES = [
    # --- syntax ------------------------------------------------------------------------
    Case(
        "tab-indentation",
        in_notice(TITLE, "\ttitle: A short notice\n"),
        "yaml.syntax",
        "content/notice.yaml:14:1",
        "a tab character is used for indentation",
    ),
    Case(
        "control-character-escape",  # a word processor's line break, pasted as an escape
        in_notice(TITLE, '  title: "A short\\v notice"\n'),
        "yaml.control-character",
        "content/notice.yaml:14:10",
        "the control character U+000B at character 8, which a page cannot show",
    ),
    Case(
        "control-character-escape-in-a-key",
        in_notice(TITLE, TITLE + '  "ti\\x07tle": x\n'),
        "yaml.control-character",
        "content/notice.yaml:15:3",
        "the control character U+0007 at character 3",
    ),
    Case(
        "unclosed-double-quote",
        extra_file("unclosed.yaml", 'notice:\n  id: x\n  title: "A short notice\n'),
        "yaml.syntax",
        "content/unclosed.yaml:3:10",
        "the quoted text that starts here is never closed",
    ),
    Case(
        "unclosed-single-quote",
        extra_file("unclosed.yaml", "notice:\n  title: 'it''s\n"),
        "yaml.syntax",
        "content/unclosed.yaml:2:10",
        "the quoted text that starts here is never closed",
    ),
    Case(
        "unclosed-quote-mid-file",
        in_notice(TITLE, '  title: "A short notice\n'),
        "yaml.syntax",
        "content/notice.yaml:15:13",
        "(while parsing a block mapping that starts at line 13)",
    ),
    Case(
        "unclosed-bracket",
        in_notice("  controllers: [acme]\n", "  controllers: [acme\n"),
        "yaml.syntax",
        "content/notice.yaml:19:11",
        "(while parsing a flow sequence that starts at line 18)",
    ),
    Case(
        "control-character",
        in_notice(TITLE, "  title: A short\x07notice\n"),
        "yaml.syntax",
        "content/notice.yaml:14:17",
        "the character U+0007 is not allowed in YAML",
    ),
    Case(
        "undefined-alias",
        in_notice(TITLE, "  title: *nowhere\n"),
        "yaml.syntax",
        "content/notice.yaml:14:10",
        "found undefined alias",
    ),
    Case(
        "two-documents",
        extra_file("two.yaml", "notice:\n  id: a\n---\nnotice:\n  id: b\n"),
        "yaml.syntax",
        "content/two.yaml:3:1",
        "a second document starts here: a file holds one document",
    ),
    # --- keys --------------------------------------------------------------------------
    Case(
        "duplicate-key",
        in_notice(TITLE, TITLE + "  title: Another title\n"),
        "yaml.duplicate-key",
        "content/notice.yaml:15:3",
        "the key 'title' appears twice in the same mapping (first at line 14)",
    ),
    Case(
        "duplicate-key-in-list-item",
        in_notice("      title: Newsletter\n", "      title: Newsletter\n      title: News\n"),
        "yaml.duplicate-key",
        "content/notice.yaml:22:7",
        "the key 'title' appears twice in the same mapping (first at line 21)",
    ),
    Case(
        "duplicate-flow-key",
        in_notice("{duration: 2 years,", "{duration: 2 years, duration: 3 years,"),
        "yaml.duplicate-key",
        "content/notice.yaml:27:35",
        "the key 'duration' appears twice",
    ),
    Case(
        "integer-key",
        in_notice(TITLE, TITLE + "  1: one\n"),
        "yaml.key-type",
        "content/notice.yaml:15:3",
        "keys must be text; found '1'",
    ),
    Case(
        "boolean-key",
        in_notice(TITLE, TITLE + "  yes: true\n"),
        "yaml.key-type",
        "content/notice.yaml:15:3",
        "keys must be text; found 'yes'",
    ),
    Case(
        "null-key",
        in_notice(TITLE, TITLE + "  ~: nothing\n"),
        "yaml.key-type",
        "content/notice.yaml:15:3",
        "keys must be text; found '~'",
    ),
    Case(
        "date-key",
        in_notice(TITLE, TITLE + "  2025-01-15: a date\n"),
        "yaml.key-type",
        "content/notice.yaml:15:3",
        "keys must be text; found '2025-01-15'",
    ),
    Case(
        "list-key",
        in_notice(TITLE, TITLE + "  ? [a, b]\n  : value\n"),
        "yaml.key-type",
        "content/notice.yaml:15:5",
        "keys must be text; found a list",
    ),
    Case(
        "merge-key",
        extra_file("merge.yaml", "base: &base {id: x}\nnotice:\n  <<: *base\n"),
        "yaml.merge-key",
        "content/merge.yaml:3:3",
        "merge keys (<<) are not supported",
    ),
    # --- tags --------------------------------------------------------------------------
    Case(
        "python-object-tag",
        in_notice(TITLE, "  title: !!python/object:os.system echo hacked\n"),
        "yaml.tag",
        "content/notice.yaml:14:10",
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'",
    ),
    Case(
        "python-apply-tag-on-a-list",
        in_notice(TITLE, "  title: !!python/object/apply:os.system [echo hacked]\n"),
        "yaml.tag",
        "content/notice.yaml:14:10",
        "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not supported",
    ),
    Case(
        "set-tag-on-a-mapping",
        in_notice("  controllers: [acme]\n", "  controllers: !!set {acme}\n"),
        "yaml.tag",
        "content/notice.yaml:18:16",
        "the tag 'tag:yaml.org,2002:set' is not supported",
    ),
    Case(
        "unknown-local-tag",
        in_notice(TITLE, "  title: !include other.yaml\n"),
        "yaml.tag",
        "content/notice.yaml:14:10",
        "could not determine a constructor for the tag '!include'",
    ),
    # --- limits ------------------------------------------------------------------------
    Case(
        "alias-bomb",
        extra_file("bomb.yaml", billion_laughs()),
        "yaml.too-many-values",
        "content/bomb.yaml:6:1",
        f"the document expands to more than {MAX_NODES} values",
    ),
    Case(
        "too-many-plain-values",
        extra_file("many.yaml", "a: [" + "1," * MAX_NODES + "]\n"),
        "yaml.too-many-values",
        f"content/many.yaml:1:{2 * MAX_NODES - 1}",  # the value after the limit
        f"the document has more than {MAX_NODES} values",
    ),
    Case(
        "self-referencing-alias",
        extra_file("loop.yaml", "notice: &loop\n  title: [*loop]\n"),
        "yaml.too-deep",
        "content/loop.yaml:1:9",
        f"the document is nested more than {MAX_DEPTH} levels deep",
    ),
    Case(
        "over-the-size-limit",
        extra_file("huge.yaml", "# " + "x" * MAX_FILE_BYTES + "\n"),
        "yaml.too-large",
        "content/huge.yaml",
        f"the file is {MAX_FILE_BYTES + 3} bytes; the limit is {MAX_FILE_BYTES} bytes",
    ),
    Case(
        "deep-block-nesting",
        extra_file(
            "deep.yaml", "".join("  " * depth + f"k{depth}:\n" for depth in range(80)) + "  " * 80
        ),
        "yaml.too-deep",
        f"content/deep.yaml:{MAX_DEPTH + 2}:{2 * (MAX_DEPTH + 1) + 1}",
        f"the document is nested more than {MAX_DEPTH} levels deep",
    ),
    Case(
        "deep-flow-nesting",
        extra_file("deep.yaml", "a: " + "[" * 1000 + "]" * 1000 + "\n"),
        "yaml.too-deep",
        f"content/deep.yaml:1:{4 + MAX_DEPTH}",
        f"the document is nested more than {MAX_DEPTH} levels deep",
    ),
    # --- bytes -------------------------------------------------------------------------
    Case(
        "invalid-utf8",
        extra_file("latin.yaml", "notice:\n  title: Gr\u00fc\u00dfe\n".encode("latin-1")),
        "yaml.encoding",
        "content/latin.yaml:2:12",
        "the file is not valid UTF-8 (byte 0xfc)",
    ),
    Case(
        "binary-junk",
        extra_file("logo.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        "yaml.encoding",
        "content/logo.yaml:1:1",
        "the file is not valid UTF-8 (byte 0x89)",
    ),
    Case(
        "nul-bytes",
        extra_file("nul.yaml", b"notice:\n  title: a\x00b\n"),
        "yaml.binary",
        "content/nul.yaml:2:11",
        "the file contains a NUL byte: it is not a text file",
    ),
    Case(
        "empty-file",
        extra_file("empty.yaml", b""),
        "yaml.empty",
        "content/empty.yaml:1:1",
        "the file is empty",
    ),
    Case(
        "only-comments",
        extra_file("comments.yaml", "# nothing here yet\n\n   \n"),
        "yaml.empty",
        "content/comments.yaml:1:1",
        "the file is empty",
    ),
    Case(
        "folder-named-yaml",
        lambda site: site.path("content/folder.yaml").mkdir(),
        "yaml.unreadable",
        "content/folder.yaml",
        "this is not a regular file",
    ),
    # --- values the schema refuses (the file loaded, so exit 1) ------------------------
    Case(
        "impossible-date",
        in_notice("  effective_date: 2025-01-15\n", "  effective_date: 2025-13-45\n"),
        "schema.date",
        "content/notice.yaml:16:19",
        "the date '2025-13-45' does not exist: there is no month 13",
        exit_code=1,
    ),
    Case(
        "integer-of-5000-digits",
        in_notice("  last_updated: 2025-01\n", "  last_updated: " + "9" * 5000 + "\n"),
        "schema.date",
        "content/notice.yaml:17:17",
        "expected a date",
        exit_code=1,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_yaml_is_reported_at_its_place(site: BuiltSite, case: Case) -> None:
    case.apply(site)
    result = site.build()
    site.assert_refused(result, case.code, case.location, exit_code=case.exit_code)
    assert case.message in result.output


def test_a_byte_order_mark_is_accepted(site: BuiltSite) -> None:
    for name in ("notice.yaml", "site.yaml"):
        path = site.path(Path("content") / name)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = site.build()
    assert result.exit_code == 0, result.output
    assert snapshot(site.output) == site.before  # the BOM changes nothing in the site
    assert leftovers(site.root) == []


def test_a_lone_surrogate_escape_is_refused(site: BuiltSite) -> None:
    """``"\\ud800"`` decodes to a string that cannot be written as UTF-8. libyaml refuses
    the escape itself; pure PyYAML accepts it, and the loader refuses the value."""
    site.replace(NOTICE, TITLE, '  title: "broken \\ud800 text"\n')
    result = site.build()
    if yaml_source.COMPOSER is yaml.SafeLoader:
        site.assert_refused(result, "yaml.encoding", "content/notice.yaml:14:10", exit_code=2)
        assert "the lone surrogate U+D800" in result.output
    else:
        site.assert_refused(result, "yaml.syntax", "content/notice.yaml:14:20", exit_code=2)
        assert "invalid Unicode character escape code" in result.output


@pytest.mark.parametrize("composer", [yaml.SafeLoader], ids=["pure-python"])
def test_the_pure_python_loader_gives_the_same_diagnostics(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch, composer: type[yaml.SafeLoader]
) -> None:
    """Where libyaml is missing, PyYAML composes; its limits must hold as well."""
    monkeypatch.setattr(yaml_source, "COMPOSER", composer)
    site.write("content/deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    site.write("content/bomb.yaml", billion_laughs())
    site.replace(NOTICE, TITLE, TITLE + "  title: again\n")
    result = site.build()
    assert_clean_failure(result, 2)
    for expected in (
        f"content/deep.yaml:1:{4 + MAX_DEPTH}: error: the document is nested",
        "content/bomb.yaml:6:1: error: the document expands",
        "content/notice.yaml:15:3: error: the key 'title' appears twice",
    ):
        assert expected in result.output
    site.assert_unchanged()


def test_a_pipe_in_content_does_not_hang_the_build(site: BuiltSite) -> None:
    """A FIFO would block a plain read forever; run in a subprocess, bounded."""
    os.mkfifo(site.path("content/pipe.yaml"))
    done = run_subprocess(["build", "--project", str(site.root)], site.root, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "content/pipe.yaml: error: this is not a regular file" in output
    assert "[yaml.unreadable]" in output
    assert "Traceback" not in output
    site.assert_unchanged()


def test_nesting_that_would_crash_libyaml_is_refused(site: BuiltSite) -> None:
    """100,000 brackets (200 kB) overflow the C stack of libyaml's composer (a segfault)
    and Python's recursion limit in PyYAML's; the depth is measured before composing.
    In a subprocess, so that a regression fails this test instead of killing pytest."""
    depth = 100_000
    site.write("content/deep.yaml", "a: " + "[" * depth + "]" * depth + "\n")
    done = run_subprocess(["build", "--project", str(site.root)], site.root, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 2, (done.returncode, output[-2000:])
    assert f"content/deep.yaml:1:{4 + MAX_DEPTH}: error: the document is nested" in output
    assert "[yaml.too-deep]" in output
    site.assert_unchanged()


def test_several_broken_files_are_all_reported(site: BuiltSite) -> None:
    site.write("content/a.yaml", "notice:\n\tid: a\n")
    site.write("content/b.yaml", "x: 1\nx: 2\n")
    site.write("content/c.yaml", b"\xff")
    result = site.build()
    assert_clean_failure(result, 2)
    for expected in (
        "content/a.yaml:2:1: error:",
        "content/b.yaml:2:1: error:",
        "content/c.yaml:1:1: error:",
    ):
        assert expected in result.output
    site.assert_unchanged()


def test_check_reports_broken_yaml_the_same_way(site: BuiltSite) -> None:
    from conftest import run

    site.replace(NOTICE, TITLE, TITLE + "  title: Again\n")
    result = run(["check"], site.root)
    assert_clean_failure(result, 2)
    assert "content/notice.yaml:15:3: error: the key 'title' appears twice" in result.output
    site.assert_unchanged()


@pytest.mark.parametrize("command", ["build", "check"])
def test_text_that_would_act_on_a_terminal_is_shown_as_escapes(
    site: BuiltSite, command: str
) -> None:
    """A file whose name has an OSC sequence that sets the terminal's title, one that
    clears the screen and a carriage return, with an unknown key that has a right-to-left
    override. A terminal or a CI log would act on them; the report shows them as
    escapes. (Control characters in the text itself are refused: yaml.control-character.)"""
    from conftest import run

    site.write("content/\x1b]0;owned\x07\x1b[2J\rX.yaml", "x\u202e: 1\n")
    result = run([command], site.root)
    assert_clean_failure(result, 1)
    assert "content/\\x1b]0;owned\\x07\\x1b[2J\\x0dX.yaml:1:1: error:" in result.output
    assert "'x\\u202e'" in result.output, result.output
    assert [char for char in result.output if not char.isprintable() and char != "\n"] == []
    site.assert_unchanged()
