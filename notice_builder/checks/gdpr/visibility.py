"""Information the notice declares but no section shows: it never reaches the page.

Each structured part the GDPR requires to be given (Art. 13 and 14) is rendered only
by a section whose ``show:`` list names its block. These rules report a declared
part that no section shows. Rights are checked one by one in ``rights.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model.notice import Block


@dataclass(frozen=True)
class Shown:
    """A notice key whose content only a section showing ``block`` puts on the page."""

    rule: Rule
    block: Block
    key: str
    what: str
    declared: Callable[[NoticeContext], bool]


def _visible(
    code: str,
    article: str,
    block: Block,
    key: str,
    what: str,
    declared: Callable[[NoticeContext], bool],
    when: str,
) -> Shown:
    rationale = f"Checked {when}; the `{block.value}` block is the only place it is rendered."
    title = f"Shown on the page: the {what}"
    return Shown(Rule(code, article, title, ERROR, rationale), block, key, what, declared)


def _always(ctx: NoticeContext) -> bool:
    return True


SHOWN = (
    _visible(
        "gdpr.13-1-c.purpose-not-shown",
        "Art. 13(1)(c)",
        Block.PURPOSES,
        "purposes",
        "purposes and their legal bases",
        _always,
        "always",
    ),
    _visible(
        "gdpr.13-1-a.controllers-not-shown",
        "Art. 13(1)(a)",
        Block.CONTROLLERS,
        "controllers",
        "identity and contact details of the controllers",
        _always,
        "always",
    ),
    _visible(
        "gdpr.13-1-a.representative-not-shown",
        "Art. 13(1)(a)",
        Block.EU_REPRESENTATIVE,
        "eu_representative",
        "identity and contact details of the EU representative",
        lambda ctx: bool(ctx.notice.eu_representative),
        "when `eu_representative` is set",
    ),
    _visible(
        "gdpr.13-1-b.dpo-not-shown",
        "Art. 13(1)(b)",
        Block.DPO,
        "dpo",
        "contact details of the data protection officer",
        lambda ctx: bool(ctx.notice.dpo),
        "when `dpo` is set",
    ),
    _visible(
        "gdpr.13-1-e.recipients-not-shown",
        "Art. 13(1)(e)",
        Block.RECIPIENTS,
        "recipients",
        "recipients or categories of recipients",
        lambda ctx: bool(ctx.notice.recipients),
        "when `recipients` is not empty",
    ),
    _visible(
        "gdpr.13-1-f.transfers-not-shown",
        "Art. 13(1)(f)",
        Block.TRANSFERS,
        "transfers",
        "transfers outside the EEA and their safeguards",
        lambda ctx: bool(ctx.notice.transfers),
        "when `transfers` is not empty",
    ),
    _visible(
        "gdpr.13-2-a.retention-not-shown",
        "Art. 13(2)(a)",
        Block.RETENTION,
        "retention",
        "retention periods",
        lambda ctx: bool(ctx.notice.retention),
        "when `retention` is not empty",
    ),
    _visible(
        "gdpr.13-2-e.provision-not-shown",
        "Art. 13(2)(e)",
        Block.PROVISION,
        "provision",
        "statement whether people must provide their data",
        lambda ctx: ctx.art13_applies and ctx.notice.provision is not None,
        "when `provision` is set and Art. 13 applies",
    ),
    _visible(
        "gdpr.13-2-f.automated-decisions-not-shown",
        "Art. 13(2)(f)",
        Block.AUTOMATED_DECISIONS,
        "automated_decisions",
        "information about automated decision-making",
        lambda ctx: bool(ctx.notice.automated_decisions and ctx.notice.automated_decisions.used),
        "when `automated_decisions.used` is true (saying 'none' is optional)",
    ),
    _visible(
        "gdpr.14-1-d.data-categories-not-shown",
        "Art. 14(1)(d)",
        Block.DATA_CATEGORIES,
        "data_categories",
        "categories of personal data",
        lambda ctx: ctx.art14_applies and bool(ctx.notice.data_categories),
        "when Art. 14 applies and `data_categories` is not empty",
    ),
    _visible(
        "gdpr.14-2-f.sources-not-shown",
        "Art. 14(2)(f)",
        Block.DATA_SOURCES,
        "data_sources",
        "sources of the personal data",
        lambda ctx: ctx.art14_applies and bool(ctx.notice.data_sources),
        "when Art. 14 applies and `data_sources` is not empty",
    ),
)
RULES = tuple(item.rule for item in SHOWN)


def not_shown(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for item in SHOWN:
        if item.block in ctx.shown or not item.declared(ctx):
            continue
        yield item.rule.finding(
            ctx.id,
            f"giving people the {item.what}",
            f"`{item.key}` is declared, but no section shows the `{item.block.value}` block",
            ctx.at(item.key, key=True),
            f"add `{item.block.value}` to the `show:` list of a section, e.g. "
            f"`show: [{item.block.value}]`",
        )


CHECKS = (not_shown,)
