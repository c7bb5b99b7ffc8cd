"""The `gdpr` check profile: Art. 9, 13, 14 and 21 transparency rules on the notice model.

:func:`check_transparency` runs every rule of :data:`RULES` on every notice and
applies each notice's ``suppress:`` list to the findings. Each finding carries
``("notice", <id>)`` and, when it is about one entry, ``("target", <id>)`` in
``Diagnostic.extra``.
"""

from __future__ import annotations

from notice_builder.checks.gdpr.context import NoticeContext
from notice_builder.checks.gdpr.registry import CHECKS, RULES
from notice_builder.checks.gdpr.rule import Rule
from notice_builder.checks.suppressions import apply_suppressions
from notice_builder.diagnostics import Diagnostic
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content

__all__ = ["PROFILE", "RULES", "Rule", "check_transparency"]

PROFILE = "gdpr"


def check_transparency(content: Content, sources: ContentSources) -> list[Diagnostic]:
    """Every GDPR transparency finding of every notice, suppressions applied, sorted."""
    found: list[Diagnostic] = []
    for notice in content.notices:
        context = NoticeContext(notice, content, sources)
        for check in CHECKS:
            found.extend(check(context))
    applied = apply_suppressions(found, content, sources, prefix=f"{PROFILE}.")
    return sorted(applied, key=Diagnostic.sort_key)
