"""The static files of the templates (``templates/static/``): copied into the site as
they are, with nothing from outside the templates folder.

A symbolic link in the static folder would publish whatever it leads to: a link to
``/proc/self/environ`` or a key in the home folder, committed by anyone, put the
build machine's secrets on the public site. Such a link is an error; a link that
stays inside the templates folder is followed. What is not a regular file (a link to
a folder or to nothing, a FIFO, a device) is not copied, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Location, Severity, error
from notice_builder.paths import resolved
from notice_builder.render.environment import leads_outside

STATIC_FOLDER = "static"


def copy_static(static: Path, write: Callable[[str, bytes], object]) -> list[Diagnostic]:
    """Write every regular file below ``static`` as ``static/<its path>``; a diagnostic
    for each entry that is not copied."""
    if not static.is_dir():
        return []
    templates = resolved(static.parent)
    problems: list[Diagnostic] = []
    for path in sorted(static.rglob("*")):
        target = leads_outside(templates, path) if path.is_symlink() else None
        if target is not None:
            problems.append(_outside(path, target, templates))
        elif path.is_file():
            write(f"{STATIC_FOLDER}/{path.relative_to(static).as_posix()}", path.read_bytes())
        elif path.is_symlink() or not path.is_dir():
            problems.append(_skipped(path))
    return problems


def _outside(path: Path, target: Path, templates: Path) -> Diagnostic:
    return error(
        "template.static-outside",
        f"this link leads to {target}, outside the templates folder "
        f"{Location.of(templates)}: what it leads to would be published",
        Location.of(path),
        "copy the file itself into the static folder; templates shared by several sites "
        "go in one folder that `templates:` in site.yaml names",
    )


def _skipped(path: Path) -> Diagnostic:
    return Diagnostic(
        "template.static-skipped",
        Severity.WARNING,
        "this is not copied: it is not a regular file (a link to a folder or to nothing, "
        "a FIFO or a device)",
        Location.of(path),
        "put the files themselves into the static folder",
    )
