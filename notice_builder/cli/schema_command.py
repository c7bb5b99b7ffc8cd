"""``notice-builder schema``: the content file format as JSON Schema or as a field reference.

Exit codes: 0 written (or up to date with ``--check``), 1 ``--check`` found a difference,
2 bad usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from notice_builder.cli.options import write_output_file
from notice_builder.diagnostics import display_path
from notice_builder.errors import EXIT_FINDINGS, EXIT_OK
from notice_builder.schema_export import OUTPUT_FORMATS, OutputFormat, generate, regenerate_command


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="json",
    show_default=True,
    help="json: the JSON Schema (draft 2020-12) for editors; markdown: the field reference.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--check",
    "check_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Exit with 1 if this file differs from what would be generated (for CI).",
)
def schema(output_format: OutputFormat, output: Path | None, check_file: Path | None) -> int:
    """Print the schema of the content files, or the field reference.

    Editors use the JSON Schema for completion and validation of content/*.yaml;
    the Markdown field reference is docs/reference.md.
    """
    if output is not None and check_file is not None:
        raise click.UsageError("use either --output or --check, not both")
    text = generate(output_format)
    if check_file is not None:
        return _check(check_file, text, output_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output_file(output, text)
    return EXIT_OK


def _check(path: Path, text: str, output_format: OutputFormat) -> int:
    shown = display_path(path)
    try:
        current = path.read_bytes()
    except OSError as problem:
        found = f"cannot be read ({problem.strerror or problem})"
    else:
        if current == text.encode("utf-8"):
            click.echo(f"{shown} is up to date", err=True)
            return EXIT_OK
        found = "is out of date"
    click.echo(
        f"{shown} {found}; regenerate it with: {regenerate_command(output_format, shown)}",
        err=True,
    )
    return EXIT_FINDINGS
