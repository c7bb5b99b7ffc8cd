"""The only module that knows the order of the stages.

load -> validate -> read catalogs -> render (into a staging folder) -> decide -> swap in.
``check`` runs the same stages and keeps the staging folder for the output checks
instead of swapping it in, so what ``check`` passes, ``build`` produces.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Severity, fails
from notice_builder.errors import BuildFailed, InputError
from notice_builder.i18n.policy import locale_tables, missing_diagnostics
from notice_builder.i18n.segments_check import markdown_diagnostics
from notice_builder.loader import LoadResult, load_content
from notice_builder.output import StagingFolder, build_lock, open_staging, swap_in
from notice_builder.project import Project
from notice_builder.render.environment import load_templates
from notice_builder.render.site import SiteInputs, render_site


@dataclass
class BuildResult:
    """What a build produced and found; ``staging`` holds the files until swapped or discarded."""

    loaded: LoadResult
    inputs: SiteInputs | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    staging: StagingFolder | None = None

    @property
    def locales(self) -> list[str]:
        return self.inputs.locales if self.inputs else []


def build_site(project: Project, *, write: bool = True) -> BuildResult:
    """Build the project; with ``write``, swap the result into the output folder."""
    started = time.perf_counter()
    with build_lock(project.output_dir):
        result = render_to_staging(project)
        result.seconds = time.perf_counter() - started
        if fails(result.diagnostics):
            _discard(result)
            raise BuildFailed(_failure_summary(result.diagnostics), result.diagnostics)
        if write and result.staging is not None:
            swap_in(result.staging, project.output_dir)
    return result


def render_to_staging(project: Project) -> BuildResult:
    """Load, validate and render everything into a temporary folder."""
    loaded = load_content(project.content_dir)
    result = BuildResult(loaded, diagnostics=list(loaded.diagnostics))
    if loaded.content is None:
        if not project.content_dir.is_dir():
            raise InputError(f"no content folder at {project.content_dir}", loaded.diagnostics)
        return result
    result.diagnostics.extend(markdown_diagnostics(loaded.content, loaded.sources))
    templates_dir = _templates_dir(project, loaded.content.site.templates)
    templates, problems = load_templates(templates_dir)
    tables, table_problems = locale_tables(project, loaded.content, templates_dir)
    result.diagnostics.extend([*problems, *table_problems])
    if fails(result.diagnostics):
        return result
    result.inputs = SiteInputs(loaded.content, loaded.sources, templates, templates_dir, tables)
    result.staging = open_staging(project.output_dir)
    outcome = render_site(result.inputs, result.staging.write)
    result.pages = outcome.pages
    result.diagnostics.extend(outcome.diagnostics)
    result.diagnostics.extend(missing_diagnostics(project, loaded.content, outcome.missing))
    return result


def _templates_dir(project: Project, configured: str) -> Path:
    if project.templates_dir != project.root / "templates":
        return project.templates_dir
    path = Path(configured)
    return path if path.is_absolute() else project.root / path


def _discard(result: BuildResult) -> None:
    if result.staging is not None:
        result.staging.discard()
        result.staging = None


def _failure_summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR and not d.suppressed)
    return f"build failed with {errors} error(s); output/ was left unchanged"
