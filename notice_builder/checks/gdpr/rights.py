"""Art. 13(2)(b) to (d), Art. 21(4): the rights the notice must explain and how it shows them.

Which rights are required depends on the notice: access, rectification, erasure,
restriction and complaint always; portability where a purpose relies on consent or
a contract (Art. 20(1)); objection where one relies on legitimate interests or the
public interest (Art. 21(1)); withdrawal of consent where one relies on consent or a
special category on explicit consent (Art. 13(2)(c)); the Art. 22 right where
automated decisions are used.

Art. 21(4) (decision): the right to object is "presented clearly and separately"
when some section shows nothing but the rights block and lists objection as its
only right. Objection may also appear in an overview of all rights, as long as such
a section of its own exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from notice_builder.checks.gdpr.context import NoticeContext, RightsSection
from notice_builder.checks.gdpr.rule import ERROR, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model.notice import Block
from notice_builder.model.vocabulary import RIGHTS, Art9Condition, LegalBasis, Right

B, C, D = "Art. 13(2)(b)", "Art. 13(2)(c)", "Art. 13(2)(d)"


def _always(ctx: NoticeContext) -> str | None:
    return ""


def _relying_on(*bases: LegalBasis) -> Callable[[NoticeContext], str | None]:
    def reason(ctx: NoticeContext) -> str | None:
        for purpose in ctx.notice.purposes:
            for basis in purpose.legal_bases:
                if basis in bases:
                    return f"the purpose '{purpose.id}' relies on {basis.value}"
        return None

    return reason


def _consent(ctx: NoticeContext) -> str | None:
    reason = _relying_on(LegalBasis.CONSENT)(ctx)
    if reason is not None:
        return reason
    for category in ctx.notice.data_categories:
        if category.art9_condition is Art9Condition.EXPLICIT_CONSENT:
            return f"the data category '{category.id}' relies on explicit consent"
    return None


def _automated(ctx: NoticeContext) -> str | None:
    used = ctx.notice.automated_decisions is not None and ctx.notice.automated_decisions.used
    return "`automated_decisions.used` is true" if used else None


@dataclass(frozen=True)
class Requirement:
    """A right, the rule that requires it, and when it applies (a reason, or None)."""

    right: Right
    rule: Rule
    applies: Callable[[NoticeContext], str | None]


def _requirement(
    right: Right,
    code: str,
    article: str,
    applies: Callable[[NoticeContext], str | None],
    applies_when: str,
) -> Requirement:
    term = RIGHTS[right]
    title = f"The right '{term.label}' ({term.article}) is explained"
    return Requirement(
        right, Rule(code, article, title, ERROR, f"Required {applies_when}."), applies
    )


EVERY = "in every notice"
REQUIREMENTS = (
    _requirement(Right.ACCESS, "gdpr.13-2-b.access-missing", B, _always, EVERY),
    _requirement(Right.RECTIFICATION, "gdpr.13-2-b.rectification-missing", B, _always, EVERY),
    _requirement(Right.ERASURE, "gdpr.13-2-b.erasure-missing", B, _always, EVERY),
    _requirement(Right.RESTRICTION, "gdpr.13-2-b.restriction-missing", B, _always, EVERY),
    _requirement(
        Right.OBJECTION,
        "gdpr.13-2-b.objection-missing",
        B,
        _relying_on(LegalBasis.LEGITIMATE_INTERESTS, LegalBasis.PUBLIC_INTEREST),
        "where a purpose relies on legitimate interests or the public interest (Art. 21(1))",
    ),
    _requirement(
        Right.PORTABILITY,
        "gdpr.13-2-b.portability-missing",
        B,
        _relying_on(LegalBasis.CONSENT, LegalBasis.CONTRACT),
        "where a purpose relies on consent or a contract (Art. 20(1))",
    ),
    _requirement(
        Right.WITHDRAW_CONSENT,
        "gdpr.13-2-c.withdraw-consent-missing",
        C,
        _consent,
        "where a purpose relies on consent, or a special category on explicit consent",
    ),
    _requirement(Right.COMPLAINT, "gdpr.13-2-d.complaint-missing", D, _always, EVERY),
    _requirement(
        Right.AUTOMATED_DECISIONS,
        "gdpr.13-2-f.automated-decisions-right-missing",
        "Art. 13(2)(f), Art. 22(3)",
        _automated,
        "where decisions are made by automated means alone (`automated_decisions.used`)",
    ),
)

RIGHT_NOT_SHOWN = Rule(
    "gdpr.13-2.right-not-shown",
    "Art. 13(2)",
    "Every right the notice explains is shown in some section",
    ERROR,
    "A right in `rights:` that no section with `show: [rights]` lists never reaches the page.",
)
OBJECTION_NOT_SEPARATE = Rule(
    "gdpr.21-4.objection-not-separate",
    "Art. 21(4)",
    "The right to object is presented separately from other information",
    ERROR,
    "Some section must show only the rights block and list only `objection`; it may also "
    "appear in an overview of all rights. Checked when objection is shown at all (a right "
    "not shown is reported by right-not-shown).",
)
RULES = (*(item.rule for item in REQUIREMENTS), RIGHT_NOT_SHOWN, OBJECTION_NOT_SEPARATE)


def rights_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for item in REQUIREMENTS:
        reason = item.applies(ctx)
        if reason is None or item.right in ctx.declared_rights:
            continue
        term = RIGHTS[item.right]
        because = f" (here: {reason})" if reason else ""
        yield item.rule.finding(
            ctx.id,
            f"telling people of their right '{term.label}' ({term.article}){because}",
            f"the notice's `rights:` list has no `{item.right.value}` entry",
            ctx.at_key_or_id("rights"),
            f"add `- right: {item.right.value}` to the notice's `rights:` list, and list it in a "
            "section with `show: [rights]`",
        )


def right_not_shown(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, entry in enumerate(ctx.notice.rights):
        if entry.right in ctx.shown_rights:
            continue
        term = RIGHTS[entry.right]
        where = (
            "no section lists it" if ctx.rights_sections else "no section shows the rights block"
        )
        yield RIGHT_NOT_SHOWN.finding(
            ctx.id,
            f"informing people of their right '{term.label}' ({term.article})",
            f"the right `{entry.right.value}` is in `rights:`, but {where}",
            ctx.at("rights", index),
            f"add `{entry.right.value}` to the `rights:` of a section with `show: [rights]` "
            "(an empty `rights:` there lists every right)",
            target=entry.right.value,
        )


def _company(item: RightsSection) -> str:
    """What the right to object shares its section with."""
    others = [right.value for right in item.rights if right is not Right.OBJECTION]
    if others:
        return f"with the rights {', '.join(others)}"
    blocks = [block.value for block in item.section.show if block is not Block.RIGHTS]
    return f"with the blocks {', '.join(blocks)}"


def objection_not_separate(ctx: NoticeContext) -> Iterator[Diagnostic]:
    showing = [item for item in ctx.rights_sections if Right.OBJECTION in item.rights]
    alone = [item for item in showing if item.rights == (Right.OBJECTION,) and item.only_rights]
    if not showing or alone:
        return
    first = showing[0]
    yield OBJECTION_NOT_SEPARATE.finding(
        ctx.id,
        "the right to object to be presented clearly and separately from any other information",
        f"the section '{first.section.id}' shows the right to object together {_company(first)}, "
        "and no section presents it on its own",
        ctx.at("sections", first.index),
        "add a section of its own with `show: [rights]` and `rights: [objection]` (it may stay "
        "in the overview of rights too)",
        target=first.section.id,
    )


CHECKS = (rights_missing, right_not_shown, objection_not_separate)
