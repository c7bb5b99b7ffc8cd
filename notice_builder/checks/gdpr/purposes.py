"""Art. 13(1)(c) and (d), Art. 9(2): purposes, their legal bases and special categories."""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, WARNING, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model.vocabulary import LEGAL_BASES, LegalBasis

LEGAL_BASIS_MISSING = Rule(
    "gdpr.13-1-c.legal-basis-missing",
    "Art. 13(1)(c)",
    "The notice's list of legal bases includes every basis a purpose relies on",
    ERROR,
    "Each purpose must name its basis (the schema enforces that). When the notice also "
    "gives its own `legal_bases:` list (the legal-bases block), that list must not leave "
    "out a basis a purpose relies on, or the page contradicts itself.",
)
LEGAL_BASIS_UNUSED = Rule(
    "gdpr.13-1-c.legal-basis-unused",
    "Art. 13(1)(c)",
    "The notice lists no legal basis that no purpose relies on",
    WARNING,
    "A legal basis must be tied to the purposes it covers; listing bases no purpose relies "
    "on suggests processing the notice does not describe. A warning: the law does not "
    "forbid the list, but a regulator will ask which processing it covers.",
)
LEGITIMATE_INTEREST_MISSING = Rule(
    "gdpr.13-1-d.legitimate-interest-missing",
    "Art. 13(1)(d)",
    "Purposes based on legitimate interests say what the interest is",
    ERROR,
    "Where processing is based on Art. 6(1)(f), the interest pursued must be stated for "
    "that purpose (also Art. 14(2)(b)).",
)
CONDITION_MISSING = Rule(
    "gdpr.9-2.condition-missing",
    "Art. 9(2)",
    "Special categories of data name the Art. 9(2) condition that allows them",
    ERROR,
    "Processing special categories is prohibited (Art. 9(1)) unless one of the conditions "
    "of Art. 9(2) applies; the notice must say which, beside the Art. 6 basis.",
)
RULES = (LEGAL_BASIS_MISSING, LEGAL_BASIS_UNUSED, LEGITIMATE_INTEREST_MISSING, CONDITION_MISSING)


def _basis_name(basis: LegalBasis) -> str:
    term = LEGAL_BASES[basis]
    return f"'{basis.value}' ({term.article})"


def legal_basis_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    listed = ctx.notice.legal_bases
    if not listed:
        return
    reported: set[LegalBasis] = set()
    for index, purpose in enumerate(ctx.notice.purposes):
        for position, basis in enumerate(purpose.legal_bases):
            if basis in listed or basis in reported:
                continue
            reported.add(basis)
            yield LEGAL_BASIS_MISSING.finding(
                ctx.id,
                "the legal basis of each purpose",
                f"the notice's `legal_bases:` list leaves out {_basis_name(basis)}, which the "
                f"purpose '{purpose.id}' relies on",
                ctx.at("purposes", index, "legal_bases", position),
                f"add `{basis.value}` to the notice's `legal_bases:` list, or remove that list "
                "so that it lists the bases the purposes use",
                target=basis.value,
            )


def legal_basis_unused(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, basis in enumerate(ctx.notice.legal_bases):
        if basis not in ctx.bases:
            yield LEGAL_BASIS_UNUSED.finding(
                ctx.id,
                "the legal basis for the purposes of the processing",
                f"the notice lists the legal basis {_basis_name(basis)}, but no purpose "
                "relies on it",
                ctx.at("legal_bases", index),
                f"add the purpose that relies on `{basis.value}` to `purposes:` (with "
                f"`legal_bases: [{basis.value}]`), or remove it from the notice's `legal_bases:`",
                target=basis.value,
            )


def legitimate_interest_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, purpose in enumerate(ctx.notice.purposes):
        if (
            LegalBasis.LEGITIMATE_INTERESTS in purpose.legal_bases
            and not purpose.legitimate_interest
        ):
            yield LEGITIMATE_INTEREST_MISSING.finding(
                ctx.id,
                "the legitimate interests pursued where processing is based on Art. 6(1)(f)",
                f"the purpose '{purpose.id}' relies on legitimate interests but does not say "
                "which interest",
                ctx.at("purposes", index),
                "add `legitimate_interest:` to the purpose, e.g. `legitimate_interest: Keeping "
                "our customers informed about the products they use.`",
                target=purpose.id,
            )


def condition_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, category in enumerate(ctx.notice.data_categories):
        if category.special and category.art9_condition is None:
            yield CONDITION_MISSING.finding(
                ctx.id,
                "a condition that allows processing special categories of personal data",
                f"the data category '{category.id}' is a special category but names no "
                "Art. 9(2) condition",
                ctx.at("data_categories", index),
                "add `art9_condition:` to the category, e.g. `art9_condition: explicit-consent` "
                "(see the vocabulary for the others)",
                target=category.id,
            )


CHECKS = (legal_basis_missing, legal_basis_unused, legitimate_interest_missing, condition_missing)
