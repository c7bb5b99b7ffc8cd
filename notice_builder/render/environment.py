"""The Jinja environment: compiled once per build, strict and autoescaping."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.meta

from notice_builder.diagnostics import Diagnostic, Location, error

REQUIRED_TEMPLATES = ("page.html", "index.html", "sitemap.xml")


def make_environment(templates: Path) -> jinja2.Environment:
    """Autoescape everything, fail on undefined variables, allow gettext calls.

    No bytecode cache: the build cache holds data only (JSON, HTML), so a cache folder
    restored from elsewhere (a CI cache) can never run code. Compiling the templates
    costs a rebuild ~50 ms.
    """
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
    """Compile the templates a site needs, reporting syntax errors at file:line.

    The templates they import, include or extend (``blocks.html``) are compiled too,
    so that a syntax error there is reported here, once and at its line, instead of
    failing every page while it renders.
    """
    if not templates.is_dir():
        return {}, [_missing_folder(templates)]
    environment = make_environment(templates)
    compiled: dict[str, jinja2.Template] = {}
    problems: list[Diagnostic] = []
    pending = list(REQUIRED_TEMPLATES)
    seen: set[str] = set()
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        found: list[Diagnostic] = []
        template = _compile(environment, templates, name, found)
        if name in REQUIRED_TEMPLATES or not _only_missing(found):
            problems.extend(found)  # a missing import is reported at its line while rendering
        if template is None:
            continue
        if name in REQUIRED_TEMPLATES:
            compiled[name] = template
        pending.extend(_referenced(environment, template))
    return compiled, problems


def _only_missing(found: list[Diagnostic]) -> bool:
    return all(problem.code == "template.missing" for problem in found)


def _referenced(environment: jinja2.Environment, template: jinja2.Template) -> list[str]:
    """The templates a compiled template imports, includes or extends by a literal name."""
    if template.filename is None:
        return []
    try:
        source = Path(template.filename).read_text(encoding="utf-8")
        parsed = environment.parse(source)
    except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
        return []
    return [name for name in jinja2.meta.find_referenced_templates(parsed) if name]


def _compile(
    environment: jinja2.Environment, templates: Path, name: str, problems: list[Diagnostic]
) -> jinja2.Template | None:
    try:
        return environment.get_template(name)
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
    except UnicodeDecodeError as problem:
        problems.append(_not_utf8(templates / name, problem))
    except OSError as problem:
        problems.append(
            error(
                "template.unreadable",
                f"cannot read the template: {problem.strerror or problem}",
                Location.of(templates / name),
            )
        )
    return None


def _not_utf8(path: Path, problem: UnicodeDecodeError) -> Diagnostic:
    raw = bytes(problem.object)
    line = raw.count(b"\n", 0, problem.start) + 1
    column = problem.start - (raw.rfind(b"\n", 0, problem.start) + 1) + 1
    return error(
        "template.encoding",
        f"the template is not valid UTF-8 (byte 0x{raw[problem.start]:02x})",
        Location.of(path, line, column),
        "save the file as UTF-8 in your editor",
    )


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
