"""Synthetic notice-builder projects: N notices x 30 locales, shaped like the example.

Each notice is the example's ``content/privacy-notice.yaml`` (13 sections, purposes,
a 6-row retention table, rights, parties) with a product name worked into every
translatable string, so no two notices share a message. The template catalog comes
from ``notice-builder i18n extract`` run in the generated project; every locale's
catalog is then written with every msgstr pseudo-translated (see ``pseudo.py``).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from pseudo import pseudo_translate

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
EXAMPLE_NOTICE = REPO / "content" / "privacy-notice.yaml"
EXAMPLE_PARTIES = REPO / "content" / "parties.yaml"
TEMPLATES = REPO / "templates"
DOMAIN = "notices"
BASE_URL = "https://www.example.com/privacy"


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The 30 locales: EU official languages first, then large world languages.
LOCALES = words("en nl de fr es it pt pl sv da fi cs sk hu ro bg el hr sl et lv lt ga mt")
LOCALES += words("ja zh ko tr uk nb")
TEXT_KEYS = frozenset(
    {
        "title",
        "publisher",
        "description",
        "legitimate_interest",
        "name",
        "subject",
        "note",
        "details",
        "consequences",
        "explanation",
        "body",
        "closing",
    }
)
ADJECTIVES = words("Nimbus Cobalt Harbor Quartz Summit Meadow Falcon Ember Tidal Aurora")
NOUNS = words("Ledger Portal Relay Atlas Beacon Vault Studio Compass Signal Forge")
SECURITY_LIST = (
    "- Encryption of your data in transit and at rest\n"
    "- Access control based on roles and reviewed every quarter\n"
    "- Regular tests of our security measures by independent experts"
)
FIXED_DATE = datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC)
GENERATOR_FILES = ("generate.py", "pseudo.py")


def product_name(index: int) -> str:
    """A distinct product name per notice: "Nimbus Ledger", "Cobalt Ledger", ..."""
    name = f"{ADJECTIVES[index % 10]} {NOUNS[index // 10 % 10]}"
    return name if index < 100 else f"{name} {index // 100 + 1}"


def vary_line(text: str, product: str) -> str:
    """Work the product name into one sentence, title or list item."""
    text = text.rstrip()
    if text.endswith((".", ":")):
        return f"{text[:-1]} ({product}){text[-1]}"
    return f"{text} ({product})"


def vary_text(text: str, product: str) -> str:
    """Every paragraph and list item of a (Markdown) text, varied; blank lines kept."""
    paragraphs = []
    for paragraph in text.strip().split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            paragraphs.append("\n".join(vary_line(line, product) for line in lines))
        else:
            paragraphs.append(vary_line(" ".join(lines), product))
    return "\n\n".join(paragraphs) + ("\n" if "\n" in text.strip() else "")


def vary(value: Any, product: str, key: str = "") -> Any:
    """A copy of the notice data with every translatable string varied."""
    if isinstance(value, dict):
        return {k: vary(v, product, k) for k, v in value.items()}
    if isinstance(value, list):
        return [vary(item, product, key) for item in value]
    if isinstance(value, str) and key in TEXT_KEYS and value.strip():
        return vary_text(value, product)
    return value


def example_notice() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE_NOTICE.read_text(encoding="utf-8"))
    return dict(data["notice"])


def make_notice(base: dict[str, Any], index: int) -> dict[str, Any]:
    """The example notice as notice number ``index``, with its own id and texts."""
    notice = copy.deepcopy(base)
    for section in notice["sections"]:
        if section["id"] == "security":
            first, _, rest = section["body"].strip().partition("\n\n")
            section["body"] = f"{first}\n\n{SECURITY_LIST}\n\n{rest}\n"
    varied: dict[str, Any] = vary(notice, product_name(index))
    varied["id"] = f"notice-{index:03d}"
    return varied


def site_yaml(locales: tuple[str, ...]) -> dict[str, Any]:
    return {
        "site": {
            "name": "Synthetic privacy notices",
            "base_url": BASE_URL,
            "source_language": locales[0],
            "languages": list(locales),
            "missing_translations": "error",
        }
    }


def dump_yaml(path: Path, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def write_content(project: Path, notices: int, locales: tuple[str, ...]) -> None:
    content = project / "content"
    content.mkdir(parents=True)
    dump_yaml(content / "site.yaml", site_yaml(locales))
    shutil.copyfile(EXAMPLE_PARTIES, content / "parties.yaml")
    base = example_notice()
    for index in range(notices):
        notice = make_notice(base, index)
        dump_yaml(content / f"{notice['id']}.yaml", {"notice": notice})
    shutil.copytree(TEMPLATES, project / "templates")


def translated(message: Message, locale: str, plurals: int) -> str | tuple[str, ...]:
    if isinstance(message.id, tuple | list):
        forms = [pseudo_translate(locale, message.id[min(i, 1)]) for i in range(plurals)]
        return tuple(forms)
    return pseudo_translate(locale, message.id)


def write_catalog(template: Catalog, locale: str, path: Path) -> None:
    """The locale's catalog: the template's messages, every msgstr pseudo-translated."""
    catalog = Catalog(
        locale=locale.replace("-", "_"),
        domain=DOMAIN,
        project="notice-builder bench",
        version="1",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )
    for message in template:
        if not message.id:
            continue
        catalog.add(
            message.id,
            translated(message, locale, catalog.num_plurals),
            locations=message.locations,
            flags=message.flags - {"fuzzy"},
            auto_comments=message.auto_comments,
            context=message.context,
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(unwrap_header(buffer.getvalue()))


def unwrap_header(data: bytes) -> bytes:
    """One line per header field, as GNU gettext writes it (Babel wraps long ones).

    Once a workaround for a bug since fixed (a wrapped ``Plural-Forms`` header was
    read cut short); kept so that generated sites, and so the figures, stay comparable.
    """
    head, separator, rest = data.partition(b"\n\n")
    lines = head.split(b"\n")
    joined: list[bytes] = []
    for line in lines:
        previous = joined[-1] if joined else b""
        if line.startswith(b'"') and previous.startswith(b'"') and not previous.endswith(b'\\n"'):
            joined[-1] = previous[:-1] + line[1:]
        else:
            joined.append(line)
    return b"\n".join(joined) + separator + rest


def write_catalogs(project: Path, tool: list[str], locales: tuple[str, ...]) -> None:
    """``i18n extract`` in the project, then one pseudo-translated catalog per locale."""
    subprocess.run(
        [*tool, "i18n", "extract", "--project", str(project)],
        check=True,
        capture_output=True,
        text=True,
    )
    with (project / "locales" / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    for locale in locales[1:]:
        path = project / "locales" / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"
        write_catalog(template, locale, path)


def fingerprint(notices: int, locales: tuple[str, ...]) -> str:
    """Changes whenever the generator, the example or the size changes."""
    digest = hashlib.sha256(f"{notices}:{','.join(locales)}".encode())
    for path in [*(BENCH / name for name in GENERATOR_FILES), EXAMPLE_NOTICE, EXAMPLE_PARTIES]:
        digest.update(path.read_bytes())
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def generate_project(
    project: Path, notices: int, tool: list[str], locales: tuple[str, ...] = LOCALES
) -> bool:
    """Create (or reuse, when up to date) the project; True when it was regenerated."""
    stamp = project / ".bench-fingerprint"
    wanted = fingerprint(notices, locales)
    if stamp.is_file() and stamp.read_text() == wanted:
        return False
    shutil.rmtree(project, ignore_errors=True)
    write_content(project, notices, locales)
    write_catalogs(project, tool, locales)
    stamp.write_text(wanted)
    return True
