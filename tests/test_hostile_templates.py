"""Broken templates: reported at template file:line, once, with exit 1 and output/ intact.

Syntax errors are found while the templates are compiled, before anything is
rendered, in every template of the folder (also ``blocks.html``, which
``page.html`` only imports while rendering). Undefined variables are found while
rendering and reported at the line of the template that used them. ``i18n extract``
refuses a template it cannot read the same way, and leaves the .pot as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run
from hostile_support import (
    BLOCKS,
    PAGE,
    BuiltSite,
    assert_clean_failure,
    assert_line_has,
    build_once,
    line_of,
    prepare,
)

H1 = "<h1>{{ page.title }}</h1>"
PURPOSE_TITLE = "<h3>{{ purpose.title }}</h3>"


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory.mktemp("hostile-templates") / "site")


@pytest.fixture
def site(built_template: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    return prepare(built_template, tmp_path, monkeypatch)


def reported_once(output: str, location: str) -> None:
    assert sum(line.startswith(f"{location}: error:") for line in output.splitlines()) == 1, output


@pytest.mark.parametrize(
    ("template", "old", "new", "message"),
    [
        (PAGE, H1, "<h1>{{ page.title }</h1>", "template syntax error: unexpected '}'"),
        (PAGE, H1, "<h1>{% if page.title %}</h1>", "Unexpected end of template"),
        (PAGE, H1, "<h1>{{ page.title | nosuchfilter }}</h1>", "No filter named 'nosuchfilter'"),
        (BLOCKS, PURPOSE_TITLE, "<h3>{% endfro %}</h3>", "Encountered unknown tag 'endfro'"),
        (BLOCKS, PURPOSE_TITLE, "<h3>{{ purpose.title )}</h3>", "unexpected ')'"),
    ],
    ids=["unclosed-expression", "unclosed-block", "unknown-filter", "unknown-tag", "bad-bracket"],
)
def test_syntax_error_is_reported_at_its_line(
    site: BuiltSite, template: Path, old: str, new: str, message: str
) -> None:
    line = site.replace(template, old, new)
    if "Unexpected end of template" in message:
        lines = site.read(template).splitlines()  # Jinja reports its last tag or expression
        line = max(n for n, text in enumerate(lines, 1) if "{{" in text or "{%" in text)
    result = site.build()
    location = f"{template.as_posix()}:{line}"
    site.assert_refused(result, "template.syntax", location, exit_code=1)
    assert message in result.output
    reported_once(result.output, location)


@pytest.mark.parametrize(
    ("template", "old", "new", "message"),
    [
        (PAGE, H1, "<h1>{{ page.titel }}</h1>", "has no attribute 'titel'"),
        (PAGE, H1, "<h1>{{ no_such_variable }}</h1>", "'no_such_variable' is undefined"),
        (BLOCKS, PURPOSE_TITLE, "<h3>{{ purpose.titel }}</h3>", "has no attribute 'titel'"),
    ],
    ids=["attribute-in-page", "variable-in-page", "attribute-in-imported-macro"],
)
def test_undefined_variable_is_reported_at_its_line(
    site: BuiltSite, template: Path, old: str, new: str, message: str
) -> None:
    line = site.replace(template, old, new)
    result = site.build()
    site.assert_refused(result, "template.undefined", f"{template.as_posix()}:{line}", exit_code=1)
    assert message in result.output


def test_a_missing_include_is_reported_at_the_include(site: BuiltSite) -> None:
    line = site.replace(PAGE, H1, '<h1>{% include "nowhere.html" %}</h1>')
    result = site.build()
    site.assert_refused(result, "template.render", f"templates/page.html:{line}", exit_code=1)
    assert "'nowhere.html' not found" in result.output


def test_a_missing_required_template_is_reported(site: BuiltSite) -> None:
    site.path("templates/index.html").unlink()
    result = site.build()
    site.assert_refused(result, "template.missing", "templates/index.html", exit_code=1)


def test_a_template_that_is_not_utf8_is_reported(site: BuiltSite) -> None:
    location = f"templates/blocks.html:{latin1_title(site)}"
    result = site.build()
    site.assert_refused(result, "template.encoding", location, exit_code=1)
    assert "the template is not valid UTF-8 (byte 0xe9)" in result.output


def test_a_missing_templates_folder_is_reported(site: BuiltSite) -> None:
    import shutil

    shutil.rmtree(site.path("templates"))
    result = site.build()
    site.assert_refused(result, "template.folder-missing", "templates", exit_code=1)


def test_jinja_in_content_is_not_evaluated(site: BuiltSite) -> None:
    """Only template files are templates: ``{{ 7*7 }}`` in the content stays text."""
    site.replace("content/notice.yaml", "  title: A short notice", "  title: Total {{ 7*7 }}")
    result = site.build()
    assert result.exit_code == 0, result.output
    page = site.read("output/en/short-notice.html")
    assert "<h1>Total {{ 7*7 }}</h1>" in page
    assert "Total 49" not in page


def test_a_runtime_error_in_a_template_is_reported_at_its_line(site: BuiltSite) -> None:
    line = site.replace(PAGE, H1, "<h1>{{ 1 // 0 }}</h1>")
    result = site.build()
    site.assert_refused(result, "template.render", f"templates/page.html:{line}", exit_code=1)


def test_a_template_that_is_not_utf8_is_reported_with_min_completeness(site: BuiltSite) -> None:
    site.replace("content/site.yaml", "missing_translations: fallback", "min_completeness: 50")
    location = f"templates/blocks.html:{latin1_title(site)}"
    result = site.build()
    site.assert_refused(result, "template.encoding", location, exit_code=1)


def latin1_title(site: BuiltSite) -> str:
    """blocks.html with a title in Latin-1, not UTF-8; its location (line:column)."""
    text = site.read(BLOCKS)
    line = line_of(text, PURPOSE_TITLE)
    column = text.splitlines()[line - 1].index(PURPOSE_TITLE) + len("<h3>") + 1
    site.write(BLOCKS, text.replace(PURPOSE_TITLE, "<h3>\u00e9t\u00e9</h3>").encode("latin-1"))
    return f"{line}:{column}"


@pytest.mark.parametrize("defect", ["syntax", "encoding", "syntax-in-a-subfolder"])
def test_extract_refuses_a_template_it_cannot_read(site: BuiltSite, defect: str) -> None:
    """Jinja's extractor skipped a template it could not parse (its messages then left
    the .pot), and crashed on one that is not UTF-8."""
    assert run(["i18n", "extract"], site.root).exit_code == 0
    pot = site.path("locales/notices.pot")
    extracted = pot.read_bytes()
    if defect == "encoding":
        code, location = "template.encoding", f"{BLOCKS.as_posix()}:{latin1_title(site)}"
    elif defect == "syntax":
        line = site.replace(PAGE, H1, "<h1>{{ page.title }</h1>")
        code, location = "template.syntax", f"{PAGE.as_posix()}:{line}"
    else:
        site.write("templates/parts/footer.html", "<p>\n{% if x %}\n</p>\n")
        code, location = "template.syntax", "templates/parts/footer.html:2"  # its last tag
    result = run(["i18n", "extract"], site.root)
    assert_clean_failure(result, 1)
    assert_line_has(result.output, location, code)
    assert "nothing was extracted" in result.output
    assert pot.read_bytes() == extracted


def test_extract_reads_no_template_where_babel_does_not_look(site: BuiltSite) -> None:
    """Babel's extractor skips folders whose names start with "." or "_"; so does the check."""
    assert run(["i18n", "extract"], site.root).exit_code == 0
    site.write("templates/_drafts/broken.html", "{% if %}")
    site.write("templates/.git/broken.html", "{{")
    assert run(["i18n", "extract"], site.root).exit_code == 0


# --- the static folder ---------------------------------------------------------------


def test_a_static_link_to_outside_the_templates_stops_the_build(
    site: BuiltSite, tmp_path: Path
) -> None:
    """A committed link such as static/env -> /proc/self/environ published the build
    machine's file on the site; now the build stops and output/ is unchanged."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the CI's token", encoding="utf-8")
    static = site.path("templates/static")
    static.mkdir(exist_ok=True)
    (static / "leak.txt").symlink_to(secret)
    (static / "folder").symlink_to(tmp_path)
    result = site.build()
    assert_clean_failure(result, 1)
    for name in ("leak.txt", "folder"):
        assert_line_has(result.output, f"templates/static/{name}", "template.static-outside")
    site.assert_unchanged()
    assert not any(
        "token" in path.read_text(errors="replace") for path in site.output.rglob("*.txt")
    )


def test_static_links_inside_the_templates_are_followed_and_odd_entries_skipped(
    site: BuiltSite,
) -> None:
    static = site.path("templates/static")
    static.mkdir(exist_ok=True)
    (static / "page-copy.html").symlink_to(Path("..", "page.html"))
    (static / "nowhere.css").symlink_to("missing.css")
    os.mkfifo(static / "pipe")
    (static / "loop").symlink_to("loop")  # Path.resolve() raised RuntimeError for it
    result = site.build()
    assert result.exit_code == 0, result.output
    copied = site.path("output/static/page-copy.html").read_bytes()
    assert copied == site.path(PAGE).read_bytes()
    warned = [line for line in result.output.splitlines() if "[template.static-skipped]" in line]
    assert [line.split(":")[0] for line in warned] == [
        "templates/static/loop",
        "templates/static/nowhere.css",
        "templates/static/pipe",
    ]


def test_a_template_that_links_outside_the_templates_is_not_read(
    site: BuiltSite, tmp_path: Path
) -> None:
    """``{% include "secret.html" %}`` with secret.html -> a file elsewhere put that
    file on every page; Jinja refuses ``..`` in a name, not a link."""
    secret = tmp_path / "secret.html"
    secret.write_text("<p>the CI's token</p>", encoding="utf-8")
    site.path("templates/secret.html").symlink_to(secret)
    site.replace(PAGE, H1, H1 + '{% include "secret.html" %}')
    result = site.build()
    assert_clean_failure(result, 1)
    assert_line_has(result.output, "templates/secret.html", "template.unreadable")
    assert "outside the templates folder" in result.output
    site.assert_unchanged()


def test_i18n_extract_reads_no_template_outside_the_templates(
    site: BuiltSite, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.html"
    outside.write_text('{{ _("a message from elsewhere") }}', encoding="utf-8")
    site.path("templates/elsewhere.html").symlink_to(outside)
    pot = site.path("locales/notices.pot")
    before = pot.read_bytes() if pot.exists() else None
    result = run(["i18n", "extract"], site.root)
    assert_clean_failure(result, 1)
    assert_line_has(result.output, "templates/elsewhere.html", "template.unreadable")
    assert (pot.read_bytes() if pot.exists() else None) == before


def test_a_template_that_links_inside_the_templates_is_read(site: BuiltSite) -> None:
    site.write("templates/parts/probe.html", '<span class="probe">linked inside</span>')
    site.path("templates/probe.html").symlink_to(Path("parts", "probe.html"))
    site.replace(PAGE, H1, H1 + '{% include "probe.html" %}')
    result = site.build()
    assert result.exit_code == 0, result.output
    assert "linked inside" in site.read("output/en/short-notice.html")
