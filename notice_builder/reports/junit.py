"""The JUnit XML report: lets CI servers (Jenkins, GitLab, Azure, test-report actions)
show findings in their test views without knowing anything about notice-builder.

Each check family is a test suite and each finding a test case, so a reader shows which
families ran and which findings fail; a family without findings gets one passing case,
because an empty suite is shown by some readers as "not run".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from notice_builder.diagnostics import Diagnostic, Severity, shown
from notice_builder.reports._common import ReportOptions, family_of, ordered

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry, even escaped; ElementTree would write them and break
# every reader, so they are shown as \uXXXX text instead.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(diagnostics: Sequence[Diagnostic], options: ReportOptions) -> str:
    """The report as a ``<testsuites>`` document with a UTF-8 declaration."""
    items = ordered(diagnostics)
    by_family: dict[str, list[Diagnostic]] = {name: [] for name in options.checks_run}
    for item in items:
        by_family.setdefault(family_of(item.code, options.checks_run), []).append(item)

    root = ET.Element("testsuites", name="notice-builder")
    for family in sorted(by_family):
        root.append(_suite(family, by_family[family], options))
    _set_counts(root, root.iter("testcase"))
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _suite(family: str, items: list[Diagnostic], options: ReportOptions) -> ET.Element:
    suite = ET.Element("testsuite", name=_clean(family))
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("tool", f"notice-builder {options.tool_version}"),
        ("strict", "true" if options.strict else "false"),
    ):
        ET.SubElement(properties, "property", name=key, value=_clean(value))
    if not items:
        name = _clean(f"{family}: no findings")
        ET.SubElement(suite, "testcase", classname=_clean(family), name=name, time="0")
    for item in items:
        suite.append(_case(family, item, options.strict))
    _set_counts(suite, suite.iter("testcase"))
    return suite


def _case(family: str, item: Diagnostic, strict: bool) -> ET.Element:
    """One finding: ``<failure>`` when it fails the run, ``<skipped>`` when suppressed,
    otherwise a passing case whose output carries the finding so it is not lost."""
    name = f"{item.code} at {item.location}" if item.location else item.code
    case = ET.Element("testcase", classname=_clean(family), name=_clean(name), time="0")
    if item.suppressed:
        ET.SubElement(case, "skipped", message=_clean(item.suppressed))
    elif item.severity is Severity.ERROR or (strict and item.severity is Severity.WARNING):
        failure = ET.SubElement(
            case, "failure", message=_clean(item.message), type=_clean(item.code)
        )
        failure.text = _clean(str(item))
    else:
        ET.SubElement(case, "system-out").text = _clean(str(item))
    return case


def _set_counts(element: ET.Element, cases: Iterable[ET.Element]) -> None:
    """The count attributes readers use for their totals, computed from the cases written
    so that they cannot disagree with the document. ``time`` is 0: checks are not timed,
    and some readers reject a suite without it."""
    written = list(cases)
    element.set("tests", str(len(written)))
    element.set("failures", str(sum(case.find("failure") is not None for case in written)))
    element.set("errors", "0")
    element.set("skipped", str(sum(case.find("skipped") is not None for case in written)))
    element.set("time", "0")


def _clean(text: str) -> str:
    """Text a CI server's page can show: what would act on it, or on a terminal, as
    escapes (:func:`~notice_builder.diagnostics.shown`), and what XML cannot carry too."""
    return _NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04x}", shown(text))
