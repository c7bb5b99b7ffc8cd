"""Art. 13(2)(a): how long data is kept, or the criteria that decide it.

A retention rule is *vague* when its period has no duration and every event in
its ``until:`` list fails to tell people, from their own situation, when the data
goes. The events of the vocabulary are judged as follows:

- ``contract-ends``, ``account-closed``, ``event-ends``: objective facts the person
  can observe; always criteria.
- ``consent-withdrawn``: a criterion only where the person can withdraw consent,
  i.e. when the rule belongs to no purpose or to one that relies on consent.
- ``objection``: a criterion only where the person can object (Art. 21), i.e. when
  the rule belongs to no purpose or to one that relies on legitimate interests or
  the public interest.
- ``statutory-period-ends``: "as long as the law requires" is the textbook vague
  answer; it is a criterion only with ``statutory_reference`` naming the law.
"""

from __future__ import annotations

from collections.abc import Iterator

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.rule import ERROR, WARNING, Rule
from notice_builder.diagnostics import Diagnostic
from notice_builder.model.notice import RetentionPeriod, RetentionRule
from notice_builder.model.vocabulary import LegalBasis, RetentionEvent

RETENTION_MISSING = Rule(
    "gdpr.13-2-a.retention-missing",
    "Art. 13(2)(a)",
    "Every purpose has a retention rule",
    ERROR,
    "The period for which data is stored (or the criteria used to determine it) must be "
    "given; the notice links it to a purpose through the purpose's `retention:` list.",
)
RETENTION_VAGUE = Rule(
    "gdpr.13-2-a.retention-vague",
    "Art. 13(2)(a)",
    "Retention rules give a duration or an objective criterion",
    WARNING,
    "A rule without a duration whose only events are not criteria the person can apply "
    "(see the module docs: `statutory-period-ends` without `statutory_reference`, "
    "`consent-withdrawn` without consent, `objection` without an objectionable basis). A "
    "warning: whether criteria are specific enough is a judgement.",
)
RETENTION_ORPHAN = Rule(
    "gdpr.13-2-a.retention-orphan",
    "Art. 13(2)(a)",
    "Every retention rule belongs to a purpose or to data categories",
    WARNING,
    "A row no purpose names and that covers no data category says how long 'something' is "
    "kept; people cannot tell which of their data it applies to. A warning: the table row is "
    "still shown, the model just does not link it.",
)
RULES = (RETENTION_MISSING, RETENTION_VAGUE, RETENTION_ORPHAN)

SUBJECT_EVENTS: dict[RetentionEvent, frozenset[LegalBasis]] = {
    RetentionEvent.CONSENT_WITHDRAWN: frozenset({LegalBasis.CONSENT}),
    RetentionEvent.OBJECTION: frozenset(
        {LegalBasis.LEGITIMATE_INTERESTS, LegalBasis.PUBLIC_INTEREST}
    ),
}


def why_not_criterion(
    event: RetentionEvent, period: RetentionPeriod, bases: frozenset[LegalBasis]
) -> str | None:
    """Why an ``until`` event does not determine the period here; None when it does."""
    if event is RetentionEvent.STATUTORY_PERIOD_ENDS and not period.statutory_reference:
        return "`statutory-period-ends` without a `statutory_reference` naming the law"
    needed = SUBJECT_EVENTS.get(event)
    if needed is not None and bases and not bases & needed:
        wanted = " or ".join(sorted(basis.value for basis in needed))
        return f"`{event.value}`, but no purpose using the rule relies on {wanted}"
    return None


def vagueness(ctx: NoticeContext, rule: RetentionRule) -> list[str] | None:
    """The reasons a rule is vague, or None when it gives a duration or a criterion."""
    period = rule.period
    if period.duration:
        return None
    bases = frozenset(b for p in ctx.purposes_naming(rule.id) for b in p.legal_bases)
    reasons = [why_not_criterion(event, period, bases) for event in period.until]
    if any(reason is None for reason in reasons):
        return None
    return [reason for reason in reasons if reason]


def retention_missing(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, purpose in enumerate(ctx.notice.purposes):
        if not purpose.retention:
            yield RETENTION_MISSING.finding(
                ctx.id,
                "the period for which personal data is stored, or the criteria to determine it",
                f"the purpose '{purpose.id}' has no retention rule",
                ctx.at("purposes", index),
                "add `retention: [<rule-id>]` to the purpose, and a rule with that id and a "
                "`period:` to the notice's `retention:` list",
                target=purpose.id,
            )


def retention_vague(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, rule in enumerate(ctx.notice.retention):
        reasons = vagueness(ctx, rule)
        if reasons:
            yield RETENTION_VAGUE.finding(
                ctx.id,
                "the storage period, or criteria from which people can tell it",
                f"the retention rule '{rule.id}' has no `duration` and ends only at "
                f"{'; '.join(reasons)}",
                ctx.at("retention", index, "period"),
                "add a `duration:` (e.g. `duration: 10 years`), name the law in "
                "`statutory_reference:`, or use an event people can observe (e.g. "
                "`until: [contract-ends]`)",
                target=rule.id,
            )


def retention_orphan(ctx: NoticeContext) -> Iterator[Diagnostic]:
    for index, rule in enumerate(ctx.notice.retention):
        if not rule.data and not ctx.purposes_naming(rule.id):
            yield RETENTION_ORPHAN.finding(
                ctx.id,
                "retention periods people can relate to their data",
                f"no purpose names the retention rule '{rule.id}' in its `retention:` list "
                "and the rule covers no data category",
                ctx.at("retention", index),
                f"add '{rule.id}' to the `retention:` list of the purpose it belongs to, or "
                "list the data categories it covers in the rule's `data:`; otherwise remove it",
                target=rule.id,
            )


CHECKS = (retention_missing, retention_vague, retention_orphan)
