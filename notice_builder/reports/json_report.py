"""The JSON report: a versioned document for other programs (dashboards, bots, scripts).

Its shape is fixed by ``report.schema.json`` (JSON Schema draft 2020-12), shipped in this
package; ``schema_version`` changes whenever that shape changes, so consumers can refuse
documents they do not understand instead of misreading them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from notice_builder.diagnostics import Diagnostic
from notice_builder.reports._common import ReportOptions, count, ordered

SCHEMA_VERSION = 1
SCHEMA_RESOURCE = "report.schema.json"
TOOL_NAME = "notice-builder"


def render_json(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    """The report as JSON: sorted keys, two-space indent and a final newline, so that
    the same findings always give the same bytes (diffable, cacheable)."""
    document = report_document(diagnostics, options)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def report_document(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> dict[str, Any]:
    """The report as plain data, valid against ``report.schema.json``."""
    items = ordered(diagnostics)
    totals = count(items, strict=options.strict)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": options.tool_version},
        "strict": options.strict,
        "summary": {
            "errors": totals.errors,
            "warnings": totals.warnings,
            "info": totals.info,
            "suppressed": totals.suppressed,
            "failed": totals.failed,
        },
        "checks_run": list(options.checks_run),
        "findings": [finding(item) for item in items],
    }


def finding(item: Diagnostic) -> dict[str, Any]:
    """One diagnostic as JSON. Absent values are ``null`` rather than empty strings so a
    consumer can tell "no hint" from a hint it must show; 0 in line/column means unknown,
    as in :class:`~notice_builder.diagnostics.Location`."""
    location = item.location
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "hint": item.hint or None,
        "location": (
            None
            if location is None
            else {"path": location.path, "line": location.line, "column": location.column}
        ),
        "suppressed": item.suppressed or None,
        "extra": dict(item.extra),
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report, read from the package data."""
    text = resources.files(__package__ or "notice_builder.reports").joinpath(SCHEMA_RESOURCE)
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema
