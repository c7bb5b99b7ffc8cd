"""``notice-builder build``: the site into output/, swapped in only when it all succeeded."""

from __future__ import annotations

from pathlib import Path

import click

from notice_builder import link_helper
from notice_builder.cli.options import make_project, project_options
from notice_builder.diagnostics import Severity
from notice_builder.i18n import prefetch
from notice_builder.page_cache import CACHE_DIR
from notice_builder.parallel import default_jobs, fewer_collections, imports_frozen
from notice_builder.project import Project


@click.command()
@project_options
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: PROJECT/output).",
)
@click.option(
    "--pseudo",
    is_flag=True,
    help="Also build the pseudo-locales en-XA (accented, longer) and ar-XB (right-to-left).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to parse, read catalogs and render with (default: one per core).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Render every page again instead of reusing the unchanged ones.",
)
def build(
    project_root: Path | None,
    content: Path | None,
    locales: Path | None,
    templates: Path | None,
    output: Path | None,
    pseudo: bool,
    jobs: int | None,
    no_cache: bool,
) -> int:
    """Build the site into output/.

    The build writes into a temporary folder and replaces output/ only when every
    page rendered without errors, so a failed build leaves output/ as it was.
    """
    project = make_project(project_root, content, locales, templates, output)
    _start_helpers(project, jobs, no_cache)
    try:
        with fewer_collections():  # from the imports on
            with imports_frozen():
                from notice_builder.build import build_site

            result = build_site(project, pseudo=pseudo, use_cache=not no_cache, jobs=jobs)
    finally:
        prefetch.stop()
        link_helper.stop()
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.INFO:
            click.echo(str(diagnostic), err=True)
    notices = len(result.loaded.content.notices) if result.loaded.content else 0
    click.echo(
        f"Built {notices} notice(s) in {len(result.locales)} language(s): "
        f"{result.pages} page(s) in {result.seconds:.2f} s -> {project.output_dir}"
    )
    return 0


def _start_helpers(project: Project, jobs: int | None, no_cache: bool) -> None:
    """Before the imports, while forking is cheap: with the cache and more than one core,
    a process that reads the one catalog edited since the last build, and one that links
    the cached pages into the new output while the build renders."""
    cache = project.root / CACHE_DIR
    if no_cache or (jobs or default_jobs()) <= 1 or not cache.is_dir():
        return
    prefetch.start(cache / "catalogs", project.templates_dir)
    if (cache / "pages").is_dir():
        link_helper.start()
