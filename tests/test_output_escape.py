"""The templates' output escaping: markupsafe's, value for value, on every kind of output."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from notice_builder.render.environment import make_environment
from notice_builder.render.output_escape import ESCAPE_CALL, escape_output


class Html:
    """An object that renders itself, as the page views' translated texts do."""

    def __init__(self, html: object) -> None:
        self.html = html

    def __html__(self) -> object:
        return self.html


def same_as_markupsafe(value: object) -> None:
    expected = markupsafe.escape(value)
    found = escape_output(value)
    assert type(found) is Markup
    assert found == expected


@given(st.text())
def test_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    same_as_markupsafe(text)


@given(st.text())
def test_markup_and_objects_with_html_are_kept_as_markupsafe_keeps_them(text: str) -> None:
    same_as_markupsafe(Markup(text))
    same_as_markupsafe(Html(text))
    same_as_markupsafe(Html(Markup(text)))
    same_as_markupsafe(Html(Html(text)))


@pytest.mark.parametrize("value", [0, 42, -1.5, None, True, ["<a>"], {"k": "<b>"}])
def test_other_values_are_escaped_as_markupsafe_escapes_them(value: object) -> None:
    same_as_markupsafe(value)


def test_the_script_in_a_string_does_not_survive() -> None:
    assert escape_output('<script>alert("x")</script>') == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    )


def test_every_output_of_the_templates_goes_through_it() -> None:
    """A Jinja whose code generator no longer calls the override would fall back to its
    own escaping (the same output, slower): this notices it."""
    environment = make_environment(REPO / "templates")
    for name in ("page.html", "blocks.html", "index.html"):
        source = (REPO / "templates" / name).read_text(encoding="utf-8")
        generated = environment.compile(source, name, raw=True)
        assert isinstance(generated, str)
        assert ESCAPE_CALL in generated, name
        assert "escape(" not in generated.replace(ESCAPE_CALL, ""), name


def test_run_time_and_disabled_autoescape_stay_as_jinja_generates_them(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text(
        "{{ x }}|{% autoescape false %}{{ x }}{% endautoescape %}"
        "|{% autoescape flag %}{{ x }}{% endautoescape %}",
        encoding="utf-8",
    )
    environment = make_environment(tmp_path)
    template = environment.get_template("t.html")
    assert template.render(x="<b>", flag=True) == "&lt;b&gt;|<b>|&lt;b&gt;"
    assert template.render(x="<b>", flag=False) == "&lt;b&gt;|<b>|<b>"


def test_an_undefined_value_still_fails_the_page(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ missing }}", encoding="utf-8")
    template = make_environment(tmp_path).get_template("t.html")
    with pytest.raises(jinja2.UndefinedError):
        template.render()
