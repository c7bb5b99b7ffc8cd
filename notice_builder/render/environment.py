"""The Jinja environment: compiled once per build, strict and autoescaping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import CodeType

import jinja2
import jinja2.meta
from jinja2 import nodes

from notice_builder.diagnostics import Diagnostic, Location, error
from notice_builder.diagnostics_cache import cached_diagnostics, files_key
from notice_builder.i18n import prefetch
from notice_builder.page_cache import digest_files
from notice_builder.paths import resolved
from notice_builder.render.output_escape import EscapingCodeGenerator, escape_output

REQUIRED_TEMPLATES = ("page.html", "index.html", "sitemap.xml")


class _Environment(jinja2.Environment):
    """Remembers, as it parses each template to compile it, the templates it imports,
    includes or extends by a literal name (so they are checked without parsing again).
    Outputs are escaped by :func:`~notice_builder.render.output_escape.escape_output`."""

    code_generator_class = EscapingCodeGenerator
    escape_output = staticmethod(escape_output)

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.referenced: dict[str, list[str]] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if name is not None:
            found = jinja2.meta.find_referenced_templates(tree)
            self.referenced[name] = [item for item in found if item]
        return tree

    def compile(  # type: ignore[override]
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> CodeType | str:
        """Jinja's compile; a template that the build's catalog reader generated ahead
        (:func:`notice_builder.i18n.prefetch.generated_template`: the same file and text,
        the same Jinja) is only compiled by Python here, not parsed and generated again."""
        ahead = None
        if isinstance(source, str) and name is not None and not raw and not defer_init:
            ahead = prefetch.generated_template(name, filename, source)
        if ahead is None:
            if raw:
                return super().compile(source, name, filename, True, defer_init)
            return super().compile(source, name, filename, False, defer_init)
        self.referenced[name or ""] = list(ahead.referenced)
        return self._compile(ahead.generated, filename or "<template>")


class CompiledOnUse(Mapping[str, jinja2.Template]):
    """The required templates, each compiled when it is first used.

    Only for templates an earlier build compiled without a problem (the same bytes,
    the same Jinja): a rebuild that takes its index and sitemap from the cache does
    not compile their templates, nor any template when no page is rendered.
    """

    def __init__(self, environment: _Environment) -> None:
        self.environment = environment

    def __getitem__(self, name: str) -> jinja2.Template:
        if name not in REQUIRED_TEMPLATES:
            raise KeyError(name)
        return self.environment.get_template(name)

    def __iter__(self) -> Iterator[str]:
        return iter(REQUIRED_TEMPLATES)

    def __len__(self) -> int:
        return len(REQUIRED_TEMPLATES)

    def compile(self, name: str) -> None:
        """Compile ``name`` and the templates it uses now (before workers are forked)."""
        pending = [name]
        while pending:
            current = pending.pop()
            self.environment.get_template(current)
            pending.extend(self.environment.referenced.get(current, []))


def compile_now(templates: Mapping[str, jinja2.Template], name: str) -> None:
    """Compile a template (and what it uses) that is compiled on use, before it is used."""
    if isinstance(templates, CompiledOnUse):
        templates.compile(name)


class OutsideTemplates(OSError):
    """A template file that is a symbolic link leading outside the templates folder."""


class _FolderLoader(jinja2.FileSystemLoader):
    """Jinja's loader, reading no file outside the templates folder: a template that is
    a symbolic link to elsewhere (``secret.html -> /proc/self/environ``) would put what
    it leads to on the pages. Jinja refuses ``..`` in names, not links."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self._folder = resolved(folder)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        refuse_outside(self._folder, Path(filename))
        return source, filename, uptodate


def refuse_outside(folder: Path, path: Path) -> None:
    """Raise OutsideTemplates when ``path`` leads outside ``folder`` (resolved)."""
    target = leads_outside(folder, path)
    if target is not None:
        raise OutsideTemplates(f"it is a link to {target}, outside the templates folder")


def leads_outside(folder: Path, path: Path) -> Path | None:
    """Where ``path`` leads when that is outside ``folder`` (resolved); None when inside.
    A template, or a static file, that is a link to elsewhere would publish that file."""
    target = resolved(path)
    return None if target.is_relative_to(folder) else target


def make_environment(templates: Path) -> _Environment:
    """Autoescape everything, fail on undefined variables, allow gettext calls.

    No bytecode cache: the build cache holds data only (JSON, HTML), so a cache folder
    restored from elsewhere (a CI cache) can never run code. Compiling the templates
    costs a rebuild ~50 ms.
    """
    return _Environment(
        loader=_FolderLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,
    )


def load_templates(
    templates: Path, cache: Path | None = None
) -> tuple[Mapping[str, jinja2.Template], list[Diagnostic]]:
    """Compile the templates a site needs, reporting syntax errors at file:line.

    The templates they import, include or extend (``blocks.html``) are compiled too,
    so that a syntax error there is reported here, once and at its line, instead of
    failing every page while it renders. With ``cache``, what this check found is kept
    by the bytes of every file in the folder; when an earlier build found no problem
    in the same files, the templates are compiled only when they are used.
    """
    if not templates.is_dir():
        return {}, [_missing_folder(templates)]
    environment = make_environment(templates)
    compiled: dict[str, jinja2.Template] = {}

    def check() -> list[Diagnostic]:
        found, problems = _compile_all(environment, templates)
        compiled.update(found)
        return problems

    if cache is None:
        return compiled, check()
    key = files_key([digest_files(templates.rglob("*"), salt=f"jinja2 {jinja2.__version__}")])
    problems = cached_diagnostics(cache, f"templates-{key}", check)
    if compiled or problems:
        return compiled, problems  # checked just now, or the build fails on its problems
    return CompiledOnUse(environment), []


def _compile_all(
    environment: _Environment, templates: Path
) -> tuple[dict[str, jinja2.Template], list[Diagnostic]]:
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
        pending.extend(environment.referenced.get(name, []))
    return compiled, problems


def _only_missing(found: list[Diagnostic]) -> bool:
    return all(problem.code == "template.missing" for problem in found)


def _compile(
    environment: jinja2.Environment, templates: Path, name: str, problems: list[Diagnostic]
) -> jinja2.Template | None:
    try:
        return environment.get_template(name)
    except jinja2.TemplateNotFound as missing:  # an OSError: before the others
        problems.append(
            error(
                "template.missing",
                f"the template '{missing.name}' is missing",
                Location.of(templates / name),
                "copy it from the example project's templates/ folder",
            )
        )
    except UNREADABLE as problem:
        problems.append(unreadable_template(templates, templates / name, problem))
    return None


UNREADABLE = (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError)
"""Why a template file cannot become a template (see :func:`unreadable_template`)."""


def unreadable_template(
    templates: Path, path: Path, problem: jinja2.TemplateSyntaxError | UnicodeDecodeError | OSError
) -> Diagnostic:
    """The diagnostic for a template that failed to parse, decode or read."""
    if isinstance(problem, jinja2.TemplateSyntaxError):
        return template_error(templates, problem)
    if isinstance(problem, UnicodeDecodeError):
        return template_encoding_error(path, problem)
    return error(
        "template.unreadable",
        f"cannot read the template: {problem.strerror or problem}",
        Location.of(path),
    )


def template_problems(templates: Path, paths: Iterable[Path]) -> list[Diagnostic]:
    """Parse each of ``paths`` (template files in ``templates``) as the build would:
    what keeps any of them from being a template."""
    environment = make_environment(templates)
    folder = resolved(templates)
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            refuse_outside(folder, path)  # Babel's extractor would read it
            environment.parse(path.read_bytes().decode("utf-8"), path.name, str(path))
        except UNREADABLE as problem:
            problems.append(unreadable_template(templates, path, problem))
    return problems


def template_encoding_error(path: Path, problem: UnicodeDecodeError) -> Diagnostic:
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
