"""How a command ends: exit codes for user errors, a saved traceback for bugs."""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path

import click

from notice_builder.diagnostics import shown
from notice_builder.errors import EXIT_FINDINGS, EXIT_USAGE, NoticeBuilderError

BUG_REPORT_URL = "https://github.com/notice-builder/notice-builder/issues"


def run_guarded(command: click.Command, argv: list[str] | None) -> int:
    """Run a click command; no traceback reaches the user for an input error."""
    try:
        result = command.main(args=argv, prog_name="notice-builder", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as usage:
        usage.show()
        return EXIT_USAGE
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_FINDINGS
    except NoticeBuilderError as failure:
        report_failure(failure)
        return failure.exit_code
    except Exception:
        return report_bug()
    return result if isinstance(result, int) else 0


def report_failure(failure: NoticeBuilderError, *, with_diagnostics: bool = True) -> None:
    """The failure on standard error: its problems (unless a report has them), then why
    the command stopped."""
    for diagnostic in failure.diagnostics if with_diagnostics else ():
        click.echo(str(diagnostic), err=True)
    click.echo(f"notice-builder: {shown(failure.message)}", err=True)


def report_bug() -> int:
    """Save the traceback to a file and tell the user it is a bug."""
    handle, name = tempfile.mkstemp(prefix="notice-builder-crash-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(traceback.format_exc())
    click.echo(
        "notice-builder: internal error. This is a bug in notice-builder, not in your input.\n"
        f"The traceback was saved to {Path(name)}; please attach it to a report at "
        f"{BUG_REPORT_URL}",
        err=True,
    )
    return EXIT_FINDINGS
