"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

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
