"""The ``%(name)s`` variables of translations: the build refuses what ``msgfmt -c`` refuses.

GNU gettext's rule for ``python-format``: every named variable of the msgid must be in
the msgstr; a plural form is held against the msgid_plural, and may leave variables out
when the catalog's rule picks it for fewer than 5 of the numbers 0 to 1,000. A
translation that dropped ``%(date)s`` passed the build and ``i18n check`` (the page
was published without the date), and msgfmt refused it.

The agreement tests need ``msgfmt`` (apt: gettext); they are skipped without it, except
in CI (environment variable CI set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from notice_builder.i18n.catalog_scan import Entry
from notice_builder.i18n.python_format import directives, format_problem
from notice_builder.i18n.translations import FORMAT, read_translations

GERMAN = "nplurals=2; plural=(n != 1);"
FRENCH = "nplurals=2; plural=(n > 1);"
CZECH = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
ARABIC = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
)


@dataclass(frozen=True)
class Case:
    name: str
    language: str
    plural_forms: str
    ids: tuple[str, ...]
    strings: tuple[str, ...]
    refused: bool


SECTIONS = ("one section", "%(num)d sections")
IN_DOCUMENT = ("%(num)d section in %(doc)s", "%(num)d sections in %(doc)s")
CASES = [
    Case("kept", "de", GERMAN, ("As of %(date)s.",), ("Stand: %(date)s.",), False),
    Case("left-out", "de", GERMAN, ("As of %(date)s.",), ("Stand dieser Informationen.",), True),
    Case("percent-sign", "de", GERMAN, ("As of %(date)s.",), ("Zu 100% am %(date)s.",), True),
    Case("escaped-percent", "de", GERMAN, ("As of %(date)s.",), ("Zu 100%% am %(date)s.",), False),
    Case("unknown", "de", GERMAN, ("As of %(date)s.",), ("Stand: %(datum)s.",), True),
    Case("one-says-one", "de", GERMAN, SECTIONS, ("ein Abschnitt", "%(num)d Abschnitte"), False),
    Case("many-say-many", "de", GERMAN, SECTIONS, ("%(num)d Abschnitt", "Abschnitte"), True),
    Case(
        "one-leaves-out-all",
        "de",
        GERMAN,
        IN_DOCUMENT,
        ("ein Abschnitt", "%(num)d Abschnitte in %(doc)s"),
        False,
    ),
    Case(
        "many-leave-out-one",
        "de",
        GERMAN,
        IN_DOCUMENT,
        ("%(num)d Abschnitt in %(doc)s", "%(num)d Abschnitte"),
        True,
    ),
    Case(
        "singular-variable-only",
        "de",
        GERMAN,
        ("%(doc)s has one section", "%(num)d sections"),
        ("ein Abschnitt", "%(num)d Abschnitte"),
        False,
    ),
    Case("zero-and-one", "fr", FRENCH, SECTIONS, ("une section", "%(num)d sections"), False),
    # 2, 3 and 4 are fewer than 5 numbers: msgfmt lets that form leave the number out too
    Case("two-to-four", "cs", CZECH, SECTIONS, ("jeden", "několik", "%(num)d oddílů"), False),
    Case("five-and-more", "cs", CZECH, SECTIONS, ("jeden", "%(num)d oddíly", "mnoho"), True),
    Case(
        "arabic-few-words",
        "ar",
        ARABIC,
        SECTIONS,
        ("لا أقسام", "قسم", "قسمان", "%(num)d أقسام", "%(num)d قسمًا", "%(num)d قسم"),
        False,
    ),
    Case(
        "arabic-few-without-number",
        "ar",
        ARABIC,
        SECTIONS,
        ("لا أقسام", "قسم", "قسمان", "أقسام", "%(num)d قسمًا", "%(num)d قسم"),
        True,
    ),
]


def catalog_text(case: Case) -> str:
    header = (
        'msgid ""\nmsgstr ""\n'
        f'"Language: {case.language}\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {case.plural_forms}\\n"\n'
    )
    entry = f'\n#, python-format\nmsgctxt "ui"\nmsgid "{case.ids[0]}"\n'
    if len(case.ids) == 1:
        entry += f'msgstr "{case.strings[0]}"\n'
    else:
        entry += f'msgid_plural "{case.ids[1]}"\n'
        entry += "".join(f'msgstr[{i}] "{text}"\n' for i, text in enumerate(case.strings))
    return header + entry


@pytest.fixture
def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is required in CI; msgfmt is missing")
        pytest.skip("GNU gettext is not installed; msgfmt is missing")
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_build_refuses_what_msgfmt_refuses(msgfmt: str, tmp_path: Path, case: Case) -> None:
    path = tmp_path / "notices.po"
    path.write_text(catalog_text(case), encoding="utf-8")
    checked = subprocess.run(
        [msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )

    table, problems = read_translations(path, case.language)

    assert (checked.returncode != 0) == case.refused, checked.stderr
    assert [d.code for d in problems if d.code == FORMAT] == ([FORMAT] if case.refused else [])
    used = table.plurals if len(case.ids) > 1 else table.strings
    assert (("ui", case.ids[0]) in used) == (not case.refused)


def entry(ids: tuple[str, ...], strings: tuple[str, ...]) -> Entry:
    return Entry("ui", ids, strings, False, 7)


@pytest.mark.parametrize(
    ("ids", "strings", "problem"),
    [
        (
            ("This information is current as of %(date)s.",),
            ("Zu 100% aktuell am %(date)s.",),
            "'% a' reads as a format directive; write a literal percent sign as %%, and a "
            "variable by its name, as the original does (%(date)s)",
        ),
        (
            ("As of %(date)s.",),
            ("100% sicher: %(date)s",),
            "'% s' reads as a format directive; write a literal percent sign as %%, and a "
            "variable by its name, as the original does (%(date)s)",
        ),
        (
            ("As of %(date)s.",),
            ("100% zeker: %(date)s",),
            "'% z' is not a format directive Python can read; write a literal percent sign as %%",
        ),
        (
            ("As of %(date)s.",),
            ("Stand: %(date",),
            "'%(date' is not a format directive Python can read; write a literal percent "
            "sign as %%",
        ),
        (
            ("Version %(version)s, effective %(date)s",),
            ("Version %(version)s",),
            "it leaves out %(date)s, which the original has",
        ),
        (
            SECTIONS,
            ("%(num)d Abschnitt", "viele Abschnitte"),
            "msgstr[1] (for 0, 2, 3, ...): it leaves out %(num)d, which the original has",
        ),
        (SECTIONS, ("ein Abschnitt", "%(num)s Abschnitte"), ""),  # num: any number
        # no format: not checked (a plural text that is not fills in nothing, as before)
        (("100% of the data",), ("100 % der Daten",), ""),
        (("{count} section", "{count} sections"), ("{count} Abschnitt", "100% {count}"), ""),
    ],
)
def test_format_problems(ids: tuple[str, ...], strings: tuple[str, ...], problem: str) -> None:
    assert format_problem(entry(ids, strings), "(n != 1)") == problem


def test_directives_are_read_as_python_reads_them() -> None:
    found = directives("%(a)s %% %-5.2f %(b")
    assert [(d.written, d.name, d.kind, d.readable) for d in found] == [
        ("%(a)s", "a", "s", True),
        ("%-5.2f", None, "f", True),
        ("%(b", "b", "", False),
    ]
