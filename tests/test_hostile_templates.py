"""Broken templates: reported at template file:line, once, with exit 1 and output/ intact.

Syntax errors are found while the templates are compiled, before anything is
rendered, in every template of the folder (also ``blocks.html``, which
``page.html`` only imports while rendering). Undefined variables are found while
rendering and reported at the line of the template that used them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_support import BLOCKS, PAGE, BuiltSite, build_once, line_of, prepare

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
    text = site.read(BLOCKS)
    line = line_of(text, PURPOSE_TITLE)
    column = text.splitlines()[line - 1].index(PURPOSE_TITLE) + len("<h3>") + 1
    site.write(BLOCKS, text.replace(PURPOSE_TITLE, "<h3>\u00e9t\u00e9</h3>").encode("latin-1"))
    result = site.build()
    location = f"templates/blocks.html:{line}:{column}"
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
    text = site.read(BLOCKS)
    line = line_of(text, PURPOSE_TITLE)
    column = text.splitlines()[line - 1].index(PURPOSE_TITLE) + len("<h3>") + 1
    site.write(BLOCKS, text.replace(PURPOSE_TITLE, "<h3>\u00e9t\u00e9</h3>").encode("latin-1"))
    result = site.build()
    location = f"templates/blocks.html:{line}:{column}"
    site.assert_refused(result, "template.encoding", location, exit_code=1)
