"""Does a catalog's ``Plural-Forms`` rule fit its language? Judged by CLDR, through Babel.

The number of forms alone is no test: CLDR has added a ``many`` form for round
millions to French, Spanish, Italian, Portuguese and Catalan, so Babel 2.17 and later
say ``nplurals=3`` where GNU gettext, Poedit and every older catalog say 2, and the
same catalog passed or failed with the Babel version installed. What matters is which
form each count gets. Over the counts a notice shows (1 to 1,000) the rule must give
numbers of one CLDR category the same form and numbers of different categories
different forms. Whether it also singles out round millions is the translator's call,
and so is zero, where gettext's tables and CLDR disagree for Portuguese and others.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType

from babel import Locale

from notice_builder.diagnostics import Diagnostic, Location, Severity

PLURAL_FORMS = "i18n.plural-forms"
SAMPLE_COUNTS = range(1, 1001)
LARGE_COUNTS = (10_000, 100_000, 1_000_000, 2_000_000, 10**9)
GNU_OFTEN = 5
"""GNU gettext takes a plural form that a rule picks for at least this many of the
numbers 0 to 1,000 to stand for infinitely many (``check_plural_eval`` in msgfmt)."""


def plural_rule_diagnostic(
    language: Locale, nplurals: int, expression: str, shown: str, where: Location
) -> Diagnostic | None:
    """The ``i18n.plural-forms`` error for a header that does not fit ``language``
    (shown as ``shown``, at ``where``), with the header CLDR gives as the fix."""
    problem = plural_rule_problem(language, nplurals, expression)
    if problem is None:
        return None
    return Diagnostic(
        PLURAL_FORMS,
        Severity.ERROR,
        f"the Plural-Forms header (nplurals={nplurals}) does not fit {shown}: {problem}",
        where,
        f"Set the header to: Plural-Forms: {_cldr_plural_forms(language)}",
    )


def plural_rule_problem(language: Locale, nplurals: int, expression: str) -> str | None:
    """Why ``nplurals``/``expression`` does not fit ``language``, or None when it does."""
    return _problem(str(language), nplurals, expression.strip())


@lru_cache(maxsize=64)
def _problem(language: str, nplurals: int, expression: str) -> str | None:
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as problem:
        return f"its rule '{expression}' cannot be read ({problem})"
    category_of = Locale.parse(language).plural_form
    form_of_category: dict[str, tuple[int, int]] = {}
    category_of_form: dict[int, tuple[str, int]] = {}
    for count in SAMPLE_COUNTS:
        form, category = _form(rule, count), category_of(count)
        if form is None:
            return f"its rule cannot be worked out for {count}"
        if not 0 <= form < nplurals:
            return f"its rule gives {count} form {form}, but nplurals={nplurals}"
        seen_form, seen_count = form_of_category.setdefault(category, (form, count))
        if seen_form != form:
            return (
                f"its rule gives {seen_count} and {count} different forms, but CLDR puts "
                f"both in {language}'s '{category}' category"
            )
        seen_category, first = category_of_form.setdefault(form, (category, count))
        if seen_category != category:
            return (
                f"its rule gives {first} and {count} the same form, but CLDR tells "
                f"'{seen_category}' ({first}) from '{category}' ({count}) for {language}"
            )
    return _unused_forms(rule, nplurals)


def _unused_forms(rule: Callable[[int], int], nplurals: int) -> str | None:
    """nplurals beyond the forms the rule can pick: every plural entry would need them."""
    used = max(_form(rule, count) or 0 for count in (0, *SAMPLE_COUNTS, *LARGE_COUNTS))
    if nplurals <= used + 1:
        return None
    return f"nplurals={nplurals}, but its rule picks forms 0 to {used} only"


@lru_cache(maxsize=64)
def numbers_of_forms(expression: str) -> Mapping[int, tuple[int, ...]]:
    """The numbers 0 to 1,000 for which a Plural-Forms rule picks each form; empty when
    the rule cannot be read or worked out (the header is reported for that)."""
    try:
        rule = gettext.c2py(expression.strip())
    except (ValueError, SyntaxError, RecursionError):
        return MappingProxyType({})
    found: dict[int, list[int]] = {}
    for count in range(1001):
        form = _form(rule, count)
        if form is None:
            return MappingProxyType({})
        found.setdefault(form, []).append(count)
    return MappingProxyType({form: tuple(counts) for form, counts in found.items()})


def _form(rule: Callable[[int], int], count: int) -> int | None:
    try:
        return int(rule(count))
    except (ArithmeticError, ValueError):  # e.g. n % 0
        return None


def _cldr_plural_forms(language: Locale | str) -> str:
    """CLDR's Plural-Forms header (Babel's messages package is imported only here: a
    rebuild that reads no catalog never needs it)."""
    from babel.messages.plurals import get_plural

    return str(get_plural(language).plural_forms)
