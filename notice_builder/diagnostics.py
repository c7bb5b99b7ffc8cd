"""Diagnostics: every problem the tool reports, with a location, a severity and a stable code.

Every stage (loading, validation, localization, rendering, checking) reports problems
as :class:`Diagnostic` values instead of raising, so that one run can collect all of
them and fail once. The code is stable (users suppress and configure by it); the
message says what was expected and what was found; ``hint`` says how to fix it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from notice_builder.characters import CONTROL_CODES
from notice_builder.paths import resolved


class Severity(enum.Enum):
    """How serious a diagnostic is. Only errors make a command fail (unless ``--strict``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional embeddings,
# overrides and isolates, which a terminal or a CI log would act on or hide text with.
_ACTING = (*CONTROL_CODES, ord("\r"), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_SHOWN_ESCAPED = {code: _escape(code) for code in _ACTING}


def shown(text: str) -> str:
    """``text`` as a report for people shows it: characters that would act on a terminal
    (an ESC sequence that sets its title, clears the screen or writes the clipboard; a
    carriage return that writes over the line) or turn text around (a bidi override)
    written as escapes such as ``\\x1b``. A message quotes text from the content and the
    catalogs, which anyone may have written."""
    return text.translate(_SHOWN_ESCAPED)


def shortened(text: str, limit: int = 60) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, cut with "..."."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column; 0 means unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text

    @classmethod
    def of(cls, path: Path | str, line: int = 0, column: int = 0) -> Location:
        return cls(display_path(path), line, column)


def display_path(path: Path | str) -> str:
    """A path as users should see it: relative to the working folder when below it."""
    return _display(str(path), str(Path.cwd()))


@lru_cache(maxsize=4096)
def _display(path: str, cwd: str) -> str:
    """The folders resolved, not the last name: a file that is a symbolic link is shown
    where it is, not where it leads."""
    candidate = Path(path)
    named = candidate.name not in ("", ".", "..")
    real = resolved(candidate.parent) / candidate.name if named else resolved(candidate)
    try:
        return real.relative_to(resolved(Path(cwd))).as_posix()
    except ValueError:
        return candidate.as_posix()


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input or the output.

    ``code`` is dotted and stable, e.g. ``schema.unknown-key`` or
    ``gdpr.13-2-b.portability-missing``. ``suppressed`` carries the written reason
    when the notice suppresses this finding; suppressed findings are reported but
    never fail a run.
    """

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str = ""
    suppressed: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        if self.suppressed:
            text += f"\n  suppressed: {self.suppressed}"
        return shown(text)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.column, self.code, self.message)


def error(code: str, message: str, location: Location | None = None, hint: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location, hint)


def warning(
    code: str, message: str, location: Location | None = None, hint: str = ""
) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, location, hint)


def unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics without repeats (a template error on every page is one problem)."""
    return list(dict.fromkeys(diagnostics))


def fails(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """Whether these diagnostics make a run fail: any unsuppressed error (or warning if strict)."""
    for item in diagnostics:
        if item.suppressed:
            continue
        if item.severity is Severity.ERROR or (strict and item.severity is Severity.WARNING):
            return True
    return False
