"""Art. 14: data not obtained from the person needs its categories and sources named.

Art. 14 applies when any data source has ``third_party: true``, or when the notice
names no source at all (then nothing says the data comes from the person).
"""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, Rule
from notice_builder.diagnostics import Diagnostic

CATEGORIES_MISSING = Rule(
    "gdpr.14-1-d.data-categories-missing",
    "Art. 14(1)(d)",
    "Where data comes from third parties, its categories are named",
    ERROR,
    "Checked when Art. 14 applies (a third-party source, or no source named).",
)
SOURCES_MISSING = Rule(
    "gdpr.14-2-f.sources-missing",
    "Art. 14(2)(f)",
    "Where data comes from third parties, its sources are named",
    ERROR,
    "Checked when Art. 14 applies; also every named source needs a `description`.",
)
RULES = (CATEGORIES_MISSING, SOURCES_MISSING)


def categories_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if ctx.art14_applies and not ctx.notice.data_categories:
        yield CATEGORIES_MISSING.finding(
            ctx.id,
            "the categories of personal data concerned where data is not obtained from the person",
            "the notice names no `data_categories`",
            ctx.at("id"),
            "add `data_categories:` (e.g. `- {id: email, name: E-mail address}`) and show them "
            "with `show: [data-categories]`",
        )


def sources_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    if not ctx.art14_applies:
        return
    requires = "the source the personal data originates from"
    if not ctx.notice.data_sources:
        yield SOURCES_MISSING.finding(
            ctx.id,
            requires,
            "the notice names no `data_sources`, so it cannot tell where the data comes from",
            ctx.at("id"),
            "add `data_sources:`: `{id: you, description: ..., third_party: false}` for data "
            "collected from the person, and one entry with `third_party: true` per other source",
        )
    for index, source in enumerate(ctx.notice.data_sources):
        if source.third_party and not source.description:
            yield SOURCES_MISSING.finding(
                ctx.id,
                requires,
                f"the data source '{source.id}' has an empty `description`",
                ctx.at("data_sources", index),
                "write in `description:` where the data comes from, e.g. `From our resellers.`",
                target=source.id,
            )


CHECKS = (categories_missing, sources_missing)
