"""A rebuild whose content comes from the cache imports neither PyYAML nor the validators'
dependencies (start-up time, issue 5); an edited content file brings them back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run

PARSING_MODULES = ("yaml", "email_validator")
MODULES_AT_EXIT = """
import sys
import notice_builder.cli as cli

def report_modules(code):
    loaded = sorted(name for name in sys.modules if name.startswith({prefixes!r}))
    print("loaded:", ",".join(loaded), flush=True)
    raise SystemExit(code)

cli.exit_at_once = report_modules
cli.main({args!r})
"""


def _build_listing_modules(site: Path) -> str:
    code = MODULES_AT_EXIT.format(prefixes=PARSING_MODULES, args=["build", "--project", str(site)])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_rebuild_of_unchanged_content_neither_parses_nor_validates_it(
    example_site: Path,
) -> None:
    assert run(["build"], example_site).exit_code == 0
    assert "loaded: \n" in _build_listing_modules(example_site)

    parties = example_site / "content" / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(text.replace("privacy@example.com", "office@example.com"), "utf-8")
    edited = _build_listing_modules(example_site)
    assert "yaml" in edited and "email_validator" in edited, edited
    page = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "office@example.com" in page
