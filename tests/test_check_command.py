"""`notice-builder check` as a deploy pipeline runs it: exit codes and machine-readable reports."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import modules_loaded_by, run
from junitparser import JUnitXml

from notice_builder.reports import report_schema


def test_example_passes_with_zero_unsuppressed_findings(example_site: Path) -> None:
    result = run(["check", "--format", "json"], example_site)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    unsuppressed = [f for f in report["findings"] if not f["suppressed"]]
    assert unsuppressed == []
    assert {"gdpr", "html", "parity", "i18n"} <= set(report["checks_run"])
    assert all(f["suppressed"] for f in report["findings"])


def test_check_writes_nothing_to_output(example_site: Path) -> None:
    assert run(["check"], example_site).exit_code == 0
    assert not (example_site / "output").exists()
    assert not list(example_site.glob(".output.tmp-*"))


def test_junit_and_github_reports(example_site: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    result = run(["check", "--format", "junit", "--output", str(target)], example_site)
    assert result.exit_code == 0
    assert result.stdout == ""
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(target))}
    assert "gdpr" in suites and "html" in suites
    assert sum(suite.failures for suite in suites.values()) == 0
    github = run(["check", "--format", "github"], example_site)
    assert github.exit_code == 0
    assert "::error" not in github.stdout


def test_a_junit_report_of_a_build_stopped_by_the_content_shows_the_build_failing(
    example_site: Path, tmp_path: Path
) -> None:
    site_yaml = example_site / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(text.replace("missing_translations: error", "missing_translations: maybe"))
    target = tmp_path / "report.xml"
    result = run(["check", "--format", "junit", "-o", str(target)], example_site)
    assert result.exit_code == 1, result.output
    suites = {suite.name: list(suite) for suite in JUnitXml.fromfile(str(target))}
    assert list(suites) == ["build"]
    (case,) = suites["build"]
    assert case.name.startswith("schema.choice at ") and not case.is_passed
    assert re.search(r"/content/site\.yaml:\d+:\d+$", case.name), case.name


def on_a_terminal(args: list[str], cwd: Path, environ: dict[str, str]) -> bytes:
    """What ``notice-builder ARGS`` writes to a terminal (a pseudo-terminal here)."""
    controller, terminal = pty.openpty()
    try:
        command = [sys.executable, "-m", "notice_builder", *args]
        subprocess.run(command, cwd=cwd, env=environ, stdout=terminal, timeout=300, check=False)
    finally:
        os.close(terminal)
    written = b""
    with contextlib.suppress(OSError):  # EIO once everything written has been read
        while chunk := os.read(controller, 65536):
            written += chunk
    os.close(controller)
    return written


@pytest.mark.parametrize(("no_color", "colored"), [(None, True), ("1", False), ("", True)])
def test_a_terminal_gets_color_unless_no_color_is_set(
    example_site: Path, no_color: str | None, colored: bool
) -> None:
    environ = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    if no_color is not None:
        environ["NO_COLOR"] = no_color
    written = on_a_terminal(["check"], example_site, environ)
    assert b"No problems found" in written
    assert (b"\x1b[" in written) is colored


def test_an_output_of_dash_is_standard_output(example_site: Path) -> None:
    result = run(["check", "--format", "json", "--output", "-"], example_site)
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(result.stdout), report_schema())
    assert not (example_site / "-").exists()


def test_the_list_of_checks_as_json_and_into_a_file(tmp_path: Path) -> None:
    listed = run(["check", "--list-checks", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    by_code = {row["code"]: row for row in rows}
    assert by_code["html.link.broken"]["severity"] == "error"
    assert by_code["html.mailto.unlinked"]["severity"] == "warning"
    assert len(by_code) == len(rows) > 100
    target = tmp_path / "checks.md"
    assert run(["check", "--list-checks", "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("| code | severity | what it finds |")
    refused = run(["check", "--list-checks", "--format", "junit"])
    assert refused.exit_code == 2
    assert "--list-checks writes text or json" in refused.output


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["schema"]])
@pytest.mark.parametrize(
    ("target", "reason"),
    [("missing/folder/report.json", "No such file or directory"), ("/dev/full", "No space left")],
    ids=["missing-folder", "full-disk"],
)
def test_a_report_file_that_cannot_be_written_is_a_usage_error(
    example_site: Path, tmp_path: Path, command: list[str], target: str, reason: str
) -> None:
    """Writing ``--output FILE`` raised to the user as an internal error (a bug report)."""
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("no /dev/full on this system")
    path = target if target.startswith("/") else str(tmp_path / target)
    result = run([*command, "--output", path], example_site if command[0] == "check" else None)
    assert result.exit_code == 2, result.output
    assert f"Error: cannot write {path}: {reason}" in result.stderr
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_planted_defect_in_built_site_fails_with_its_location(example_site: Path) -> None:
    assert run(["build"], example_site).exit_code == 0
    page = example_site / "output" / "de" / "privacy-notice.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('href="#retention"', 'href="#retentoin"', 1), encoding="utf-8")
    line = next(
        n
        for n, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if "#retentoin" in text
    )
    result = run(
        ["check", "--site-dir", str(example_site / "output"), "--format", "json"], example_site
    )
    assert result.exit_code == 1
    findings = [
        f for f in json.loads(result.stdout)["findings"] if f["code"] == "html.anchor.missing"
    ]
    assert len(findings) == 1
    assert findings[0]["location"]["path"].endswith("output/de/privacy-notice.html")
    assert findings[0]["location"]["line"] == line


def test_site_levels_and_strict(example_site: Path) -> None:
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8")
    start = text.index("    - code: gdpr.13-2-a.retention-vague")
    end = text.index("legal review pending.", start) + len("legal review pending.\n")
    notice.write_text(text[:start] + text[end:], encoding="utf-8")  # un-suppress a warning
    lenient = run(["check"], example_site)
    assert lenient.exit_code == 0
    assert "warning:" in lenient.stdout and "[gdpr.13-2-a.retention-vague]" in lenient.stdout
    assert run(["check", "--strict"], example_site).exit_code == 1
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + "  checks:\n    gdpr.13-2-a: error\n",
        encoding="utf-8",
    )
    assert run(["check"], example_site).exit_code == 1
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace(
            "gdpr.13-2-a: error", "gdpr.13-2-a.retention-vague: off"
        ),
        encoding="utf-8",
    )
    quiet = run(["check", "--strict"], example_site)
    assert quiet.exit_code == 0, quiet.stdout
    assert "retention-vague" not in quiet.stdout


def test_unloadable_input_exits_2(example_site: Path) -> None:
    (example_site / "content" / "site.yaml").write_bytes(b"site: [\n")
    result = run(["check"], example_site)
    assert result.exit_code == 2
    assert "[yaml.syntax]" in result.stderr
    assert run(["check", "--format", "xml"], example_site).exit_code == 2


def _break_site_yaml(project: Path) -> None:
    (project / "content" / "site.yaml").write_bytes(b"site:\n  name: [unclosed\n")


def test_a_pipeline_report_shows_why_the_content_could_not_be_loaded(
    example_site: Path, tmp_path: Path
) -> None:
    """A YAML error stops the check (exit 2), and the pipeline that reads the report (a
    JSON document, test results, annotations) finds it there, at its line, instead of a
    report that is missing, or left over from the run before."""
    _break_site_yaml(example_site)
    report_file = tmp_path / "report.json"
    report_file.write_text('{"summary": {"failed": false}}', encoding="utf-8")  # last run's
    command = ["check", "--format", "json", "--output", str(report_file)]
    result = run(command, example_site)
    assert result.exit_code == 2
    assert "the content could not be loaded" in result.stderr
    assert "[yaml." not in result.stderr  # the report has it, once
    report = json.loads(report_file.read_text(encoding="utf-8"))
    jsonschema.validate(report, report_schema())
    assert report["summary"]["failed"] is True and report["checks_run"] == []
    (finding,) = report["findings"]
    assert finding["code"].startswith("yaml.")
    assert finding["location"]["path"].endswith("content/site.yaml")
    assert finding["location"]["line"] >= 2

    annotations = run(["check", "--format", "github"], example_site)
    assert annotations.exit_code == 2
    assert annotations.stdout.startswith("::error file=")
    assert "content/site.yaml,line=" in annotations.stdout
    junit = tmp_path / "report.xml"
    assert run(["check", "--format", "junit", "-o", str(junit)], example_site).exit_code == 2
    (suite,) = JUnitXml.fromfile(str(junit))
    assert suite.name == "yaml" and suite.failures == 1


def test_a_text_report_file_has_the_load_errors_too(example_site: Path, tmp_path: Path) -> None:
    _break_site_yaml(example_site)
    report_file = tmp_path / "report.txt"
    assert run(["check", "-o", str(report_file)], example_site).exit_code == 2
    assert "content/site.yaml:" in report_file.read_text(encoding="utf-8")


def test_site_dir_check_stops_when_the_content_cannot_be_read(example_site: Path) -> None:
    """Without its content, the site's check levels and suppressions would be dropped
    without a word, and the check could pass where the site makes it fail."""
    assert run(["build"], example_site).exit_code == 0
    _break_site_yaml(example_site)
    command = ["check", "--site-dir", str(example_site / "output"), "--format", "json"]
    result = run(command, example_site)
    assert result.exit_code == 2
    assert [item["code"][:5] for item in json.loads(result.stdout)["findings"]] == ["yaml."]


def test_i18n_commands_report_unreadable_content_like_check(example_site: Path) -> None:
    _break_site_yaml(example_site)
    checked = run(["i18n", "check", "--format", "json"], example_site)
    assert checked.exit_code == 2
    assert json.loads(checked.stdout)["findings"][0]["code"].startswith("yaml.")
    extracted = run(["i18n", "extract"], example_site)
    assert extracted.exit_code == 2
    assert "content/site.yaml:" in extracted.stderr


def test_site_dir_uses_the_settings_of_the_loaded_content_not_a_guess(example_site: Path) -> None:
    """site.yaml is read ahead to start the page checks; when the content turns out not to
    load, its settings must not count: the pages are checked as without content. Its
    errors are reported: its check levels and suppressions could not be applied."""
    assert run(["build"], example_site).exit_code == 0
    output = example_site / "output"
    site_yaml = example_site / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(
        text.replace("https://www.example.com/privacy", "https://elsewhere.example/x"),
        encoding="utf-8",
    )
    command = ["check", "--site-dir", str(output), "--format", "json"]
    guessed = json.loads(run(command, example_site).stdout)["findings"]
    assert any(finding["code"].startswith("html.") for finding in guessed)
    notice = example_site / "content" / "privacy-notice.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    invalid = json.loads(run(command, example_site).stdout)["findings"]
    shutil.rmtree(example_site / "content")
    without_content = json.loads(run(command, example_site).stdout)["findings"]
    assert [item for item in invalid if item["code"] != "schema.unknown-key"] == []
    assert any(item["code"] == "schema.unknown-key" for item in invalid)
    assert without_content == []


RENDERING_MODULES = ("notice_builder.build", "notice_builder.render", "jinja2", "markdown")
NETWORK_MODULES = ("notice_builder.checks.external", "http.client")


def test_checking_a_built_site_loads_no_renderer(example_site: Path) -> None:
    """`check --site-dir` needs the HTML checks and the content, not the templates,
    Jinja, Markdown or the build: they are not imported (start-up time, issue 5)."""
    assert run(["build"], example_site).exit_code == 0
    site_dir = ["--site-dir", str(example_site / "output")]
    args = ["check", "--project", str(example_site), *site_dir]
    assert modules_loaded_by(args, RENDERING_MODULES) == []
    full = modules_loaded_by(["check", "--project", str(example_site)], RENDERING_MODULES)
    assert "notice_builder.build" in full and "jinja2" in full, full


def test_checking_without_external_links_loads_no_network_code(example_site: Path) -> None:
    """The external-link checker (http.client, ssl, lxml.html: ~80 ms) is imported for --external only."""
    assert run(["build"], example_site).exit_code == 0
    args = ["check", "--project", str(example_site), "--site-dir", str(example_site / "output")]
    assert modules_loaded_by(args, NETWORK_MODULES) == []
    assert "notice_builder.checks.external" in modules_loaded_by(
        [*args, "--external"], NETWORK_MODULES
    )


def test_checking_a_built_site_reads_its_settings_from_the_yaml_cache(example_site: Path) -> None:
    """The settings guessed before the pages go to the workers come from the YAML cache
    the build left (no PyYAML import, ~20 ms); an edited site.yaml is parsed again."""
    assert run(["build"], example_site).exit_code == 0
    args = ["check", "--project", str(example_site), "--site-dir", str(example_site / "output")]
    assert modules_loaded_by(args, ("yaml",)) == []
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "yaml" in modules_loaded_by(args, ("yaml",))


def test_a_report_imports_only_its_own_format(example_site: Path) -> None:
    assert run(["build"], example_site).exit_code == 0
    args = ["check", "--project", str(example_site), "--site-dir", str(example_site / "output")]
    formats = ("notice_builder.reports.", "xml.etree")
    loaded = modules_loaded_by([*args, "--format", "json"], formats)
    assert "notice_builder.reports.json_report" in loaded
    assert not {"notice_builder.reports.junit", "xml.etree.ElementTree"} & set(loaded), loaded
    assert "notice_builder.reports.junit" in modules_loaded_by(
        [*args, "--format", "junit"], formats
    )


def test_findings_on_pages_name_the_output_folder_not_the_staging_folder(
    example_site: Path,
) -> None:
    """``check`` renders into a temporary folder and removes it: findings named that
    folder (``.output.tmp-x7k2/de/...``), a file no one could open, and a different name
    on every run, so two reports of the same inputs differed."""
    page = example_site / "templates" / "page.html"
    page.write_text(page.read_text().replace("</main>", '<a href="gone.html">x</a></main>'))
    sitemap = example_site / "templates" / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("<loc>", "<loc>x</loc><loc>"))
    reports = [run(["check", "--format", "json"], example_site) for _ in range(2)]
    assert [report.exit_code for report in reports] == [1, 1]
    assert reports[0].stdout == reports[1].stdout
    findings = json.loads(reports[0].stdout)["findings"]
    shown: dict[str, set[str]] = {}
    for finding in findings:
        shown.setdefault(finding["code"], set()).add(finding["location"]["path"])
    output = (example_site / "output").as_posix()
    pages = {f"{output}/{language}/privacy-notice.html" for language in ("en", "nl", "de", "fr")}
    assert shown["html.link.broken"] == pages
    assert shown["html.sitemap.invalid"] == {f"{output}/sitemap.xml"}


def test_the_pages_of_a_build_that_fails_are_not_checked(example_site: Path) -> None:
    """A language the build leaves out (its catalog is for another language) made a
    broken link, an hreflang and a sitemap finding on every other page: twelve errors
    for one. The pages are checked once the site builds."""
    locales = example_site / "locales"
    shutil.copy(locales / "fr/LC_MESSAGES/notices.po", locales / "de/LC_MESSAGES/notices.po")
    result = run(["check", "--format", "json"], example_site)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    errors = [f["code"] for f in report["findings"] if not f["suppressed"]]
    assert errors == ["i18n.catalog.language"]
    assert "html" not in report["checks_run"] and "build" in report["checks_run"]
