"""The Jinja environment: compiled once per build, strict and autoescaping."""

from __future__ import annotations

from pathlib import Path

import jinja2

from notice_builder.diagnostics import Diagnostic, Location, error

REQUIRED_TEMPLATES = ("page.html", "index.html", "sitemap.xml")


def make_environment(templates: Path) -> jinja2.Environment:
    """Autoescape everything, fail on undefined variables, allow gettext calls."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,
    )


def load_templates(templates: Path) -> tuple[dict[str, jinja2.Template], list[Diagnostic]]:
    """Compile the templates a site needs, reporting syntax errors at file:line."""
    if not templates.is_dir():
        return {}, [_missing_folder(templates)]
    environment = make_environment(templates)
    compiled: dict[str, jinja2.Template] = {}
    problems: list[Diagnostic] = []
    for name in REQUIRED_TEMPLATES:
        try:
            compiled[name] = environment.get_template(name)
        except jinja2.TemplateSyntaxError as problem:
            problems.append(template_error(templates, problem))
        except jinja2.TemplateNotFound as missing:
            problems.append(
                error(
                    "template.missing",
                    f"the template '{missing.name}' is missing",
                    Location.of(templates / name),
                    "copy it from the example project's templates/ folder",
                )
            )
    return compiled, problems


def template_error(templates: Path, problem: jinja2.TemplateSyntaxError) -> Diagnostic:
    name = problem.filename or problem.name or "?"
    path = Path(name) if Path(name).is_absolute() else templates / name
    return error(
        "template.syntax",
        f"template syntax error: {problem.message}",
        Location.of(path, problem.lineno or 0),
        "fix the Jinja syntax on this line",
    )


def _missing_folder(templates: Path) -> Diagnostic:
    return error(
        "template.folder-missing",
        f"the templates folder {Location.of(templates)} does not exist",
        Location.of(templates),
        "create it (copy the example's templates/) or set `templates:` in site.yaml",
    )
