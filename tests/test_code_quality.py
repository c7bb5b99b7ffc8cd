"""ruff and mypy (strict, over the package, the benchmark and the tests) pass: part of
the test command, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [("ruff", "check", "."), ("ruff", "format", "--check", ".")])
def test_ruff(args: tuple[str, ...]) -> None:
    if shutil.which("ruff") is None and run_tool("ruff", "--version").returncode != 0:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    done = run_tool(*args)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
