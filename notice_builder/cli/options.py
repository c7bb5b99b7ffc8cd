"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from notice_builder.diagnostics import display_path
from notice_builder.project import Project

F = TypeVar("F", bound=Callable[..., Any])


PROJECT_OPTION = click.option(
    "--project",
    "project_root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: the current folder).",
)
"""``--project DIR``: every command works on the current folder unless told otherwise."""


def project_options(function: F) -> F:
    """``--project``, ``--content``, ``--locales``, ``--templates``, ``--output-dir``."""
    options = [
        PROJECT_OPTION,
        click.option(
            "--content",
            type=click.Path(path_type=Path),
            default=None,
            help="Content folder (default: PROJECT/content).",
        ),
        click.option(
            "--locales",
            type=click.Path(path_type=Path),
            default=None,
            help="Catalog folder (default: PROJECT/locales).",
        ),
        click.option(
            "--templates",
            type=click.Path(path_type=Path),
            default=None,
            help="Templates folder (default: PROJECT/templates, or site.yaml's `templates`).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def make_project(
    project_root: Path | None,
    content: Path | None,
    locales: Path | None,
    templates: Path | None,
    output: Path | None = None,
) -> Project:
    return Project.at(
        project_root, content=content, locales=locales, templates=templates, output=output
    )


def write_output_file(path: Path, text: str) -> None:
    """Write a file the user named (``--output FILE``); when it cannot be written, a
    usage error (exit 2) that names it and says why, not a traceback."""
    try:
        path.write_bytes(text.encode("utf-8"))
    except OSError as problem:
        reason = problem.strerror or str(problem)
        raise click.ClickException(f"cannot write {display_path(path)}: {reason}") from None
