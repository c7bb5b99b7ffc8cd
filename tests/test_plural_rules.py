"""Which Plural-Forms rules fit a language: by the forms counts get, not by nplurals alone.

French, Spanish, Italian, Portuguese and Catalan catalogs say nplurals=2 in GNU gettext,
Poedit and every catalog written before CLDR added a ``many`` form for round millions;
Babel 2.17 and later write nplurals=3. Both must build, whatever Babel is installed.
"""

from __future__ import annotations

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from notice_builder.i18n.plural_rules import plural_rule_problem

GETTEXT_RULES = [
    ("fr", 2, "(n > 1)"),
    ("es", 2, "(n != 1)"),
    ("it", 2, "(n != 1)"),
    ("pt", 2, "(n != 1)"),
    ("pt_BR", 2, "(n > 1)"),
    ("ca", 2, "(n != 1)"),
    ("de", 2, "(n != 1)"),
    ("ja", 1, "0"),
    ("pl", 3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    ("ru", 3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
]
CLDR_RULES = [
    ("fr", 3, "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2"),
    ("es", 3, "(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"),
]


@pytest.mark.parametrize(("language", "nplurals", "rule"), GETTEXT_RULES + CLDR_RULES)
def test_the_rules_of_gettext_and_of_cldr_both_fit(language: str, nplurals: int, rule: str) -> None:
    assert plural_rule_problem(Locale.parse(language), nplurals, rule) is None


@pytest.mark.parametrize("language", ["en", "fr", "pl", "ga", "ar", "ja", "uk", "lt", "cy"])
def test_the_rule_babel_writes_for_init_fits(language: str) -> None:
    written = get_plural(language)
    assert (
        plural_rule_problem(Locale.parse(language), written.num_plurals, written.plural_expr)
        is None
    )


@pytest.mark.parametrize(
    ("language", "nplurals", "rule", "problem"),
    [
        (
            "pl",
            2,
            "(n != 1)",
            "its rule gives 2 and 5 the same form, but CLDR tells 'few' (2) from 'many' (5) for pl",
        ),
        (
            "ja",
            2,
            "(n != 1)",
            "its rule gives 1 and 2 different forms, but CLDR puts both in ja's 'other' category",
        ),
        (
            "de",
            2,
            "(n > 2)",
            "its rule gives 1 and 2 the same form, but CLDR tells 'one' (1) from 'other' (2) for de",
        ),
        ("de", 2, "(n == 1 ? 0 : 2)", "its rule gives 2 form 2, but nplurals=2"),
        ("de", 2, "(n % 0)", "its rule cannot be worked out for 1"),
        ("de", 9, "(n != 1)", "nplurals=9, but its rule picks forms 0 to 1 only"),
        ("de", 2, "(n !=", "its rule '(n !=' cannot be read (unexpected end of plural form)"),
    ],
)
def test_a_rule_that_gives_counts_the_wrong_forms_is_named(
    language: str, nplurals: int, rule: str, problem: str
) -> None:
    assert plural_rule_problem(Locale.parse(language), nplurals, rule) == problem
