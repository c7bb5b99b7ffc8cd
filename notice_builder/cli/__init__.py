"""The ``notice-builder`` command line.

Subcommands are imported only when they run, so ``notice-builder --version`` stays fast.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import NoReturn

import click

from notice_builder import __version__
from notice_builder.cli.failures import run_guarded

# name -> "module:attribute" of the click command, imported on first use
SUBCOMMANDS = {
    "build": "notice_builder.cli.build_command:build",
    "check": "notice_builder.cli.check_command:check",
    "schema": "notice_builder.cli.schema_command:schema",
    "i18n": "notice_builder.cli.i18n:i18n",
}


class LazyGroup(click.Group):
    """A group whose subcommands live in modules imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="notice-builder")
def cli() -> None:
    """Build and check multilingual privacy notices from one YAML source.

    With no options, every command works on the project in the current folder:
    content/, locales/, templates/ and output/.
    """


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: runs the command and turns failures into exit codes."""
    exit_at_once(run_guarded(cli, argv))


def exit_at_once(code: int) -> NoReturn:
    """End the process without tearing the interpreter down object by object.

    Everything is written and closed by now (no atexit handlers are ours); freeing a
    build's millions of objects one at a time took a third of a second of a rebuild.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
            stream.flush()
    os._exit(code)
