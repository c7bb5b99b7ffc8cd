"""A GDPR rule: its stable code, the article it enforces, its severity and why."""

from __future__ import annotations

from dataclasses import dataclass

from notice_builder.diagnostics import Diagnostic, Location, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    """One check of the `gdpr` profile.

    ``code`` is ``gdpr.<article-ref>.<what>`` and never changes (notices suppress by
    it); ``article`` is cited in every message; ``rationale`` says what the rule
    looks at and, for warnings, where the law leaves room.
    """

    code: str
    article: str
    title: str
    severity: Severity
    rationale: str = ""

    def finding(
        self,
        notice_id: str,
        requires: str,
        problem: str,
        location: Location | None,
        hint: str,
        target: str | None = None,
    ) -> Diagnostic:
        """A diagnostic of this rule: "GDPR <article> requires <requires>; <problem>"."""
        extra: tuple[tuple[str, str], ...] = (("notice", notice_id),)
        if target is not None:
            extra += (("target", target),)
        extra += (("article", f"GDPR {self.article}"),)
        return Diagnostic(
            self.code,
            self.severity,
            f"GDPR {self.article} requires {requires}; {problem}",
            location,
            hint,
            extra=extra,
        )
