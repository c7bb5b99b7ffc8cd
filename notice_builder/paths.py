"""Where a path leads, whatever symbolic links it holds.

``Path.resolve()`` raises RuntimeError for a loop of symbolic links in Python 3.11 and
3.12 (``ln -s output output``), which reached users as an internal error; from 3.13 it
returns the path where the loop starts. These functions behave the same on every
version: :func:`resolved` stops where a loop starts, and :func:`loops` says whether it
does.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def resolved(path: Path) -> Path:
    """``path`` made absolute, every symbolic link followed; where links loop, the path
    where the loop starts is kept as it is (a later ``stat`` of it fails with ELOOP)."""
    return Path(os.path.realpath(path))


def loops(path: Path) -> bool:
    """Whether following the symbolic links of ``path`` never ends."""
    try:
        os.path.realpath(path, strict=True)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
