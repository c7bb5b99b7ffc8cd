"""Exceptions that end a command, each owning its exit code.

Stages report problems as diagnostics; a command raises one of these only to stop.
"""

from __future__ import annotations

from collections.abc import Sequence

from notice_builder.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class NoticeBuilderError(Exception):
    """Base of the errors a user can cause; never shown as a traceback."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)


class InputError(NoticeBuilderError):
    """Input could not be loaded at all (missing folder, unreadable YAML): exit 2."""

    exit_code = EXIT_USAGE


class BuildFailed(NoticeBuilderError):
    """The input loaded but has errors, or the build could not finish: exit 1."""

    exit_code = EXIT_FINDINGS
