"""The same site as a Hugo project: one content file per notice and language.

Input is the generated notice-builder project (its content YAML, and its .pot for the
English wording of the vocabularies). Every string is translated with the same
pseudo-translation as the catalogs, so each Hugo page carries the same text as the
notice-builder page. Each content file is what a Hugo author would write: front matter
(title, dates, the TOC entries) and a Markdown body -- paragraphs and lists in Markdown,
the section wrappers, the parties' addresses and the retention table as HTML blocks --
rendered by Goldmark once per page. ``bench/hugo_site/layouts`` lays the page out like
``templates/page.html``: TOC, the 13 sections, a 30-language switcher, hreflang links.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_skeleton
from babel.messages.pofile import read_po
from pseudo import pseudo_translate

BENCH = Path(__file__).resolve().parent
LAYOUTS = BENCH / "hugo_site"
UI_KEYS = {
    "skip": "Skip to the notice",
    "language": "Language",
    "contents": "Contents",
    "version": "Version {{ .version }}, effective {{ .date }}",
    "current": "This information is current as of {{ .date }}.",
}
PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9-]*)\.([a-z_]+)\}")
Block = dict[str, Any]
# show: kinds that are a list of one text each: (notice key, field of each entry or "")
SIMPLE = {
    "data-categories": ("data_categories", "name"),
    "data-sources": ("data_sources", "description"),
}
# show: kinds that are one text of one object: (notice key, field)
SINGLE = {
    "provision": ("provision", "consequences"),
    "automated-decisions": ("automated_decisions", "explanation"),
}


@dataclass
class Page:
    """What the block builders need for one notice in one locale."""

    notice: dict[str, Any]
    parties: dict[str, dict[str, Any]]
    vocab: dict[str, str]
    locale: str

    def tr(self, text: str) -> str:
        """The locale's text, with ``{party.email}`` made a Markdown mailto link."""
        local = pseudo_translate(self.locale, " ".join(text.split()))
        return PLACEHOLDER.sub(self._placeholder, local)

    def voc(self, kind: str, code: str, part: str = "") -> str:
        return self.tr(self.vocab[f"vocab.{kind}.{code}" + (f".{part}" if part else "")])

    def term(self, kind: str, code: str) -> str:
        return f"{self.voc(kind, code)} ({self.voc(kind, code, 'article')})"

    def country(self, code: str) -> str:
        return str(Locale.parse(self.locale, sep="-").territories.get(code, code))

    def _placeholder(self, match: re.Match[str]) -> str:
        party = self.parties.get(match.group(1), {})
        value = party.get(match.group(2))
        return f"[{value}](mailto:{value})" if match.group(2) == "email" and value else str(value)


def markdown_blocks(page: Page, text: str) -> list[dict[str, Any]]:
    """Paragraphs and bullet lists of a Markdown text, each translated."""
    blocks: list[dict[str, Any]] = []
    for paragraph in text.strip().split("\n\n") if text.strip() else []:
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            blocks.append({"ul": [page.tr(line[2:]) for line in lines]})
        else:
            blocks.append({"p": page.tr(paragraph)})
    return blocks


def items(css: str, entries: list[tuple[str, list[str]]]) -> Block:
    shown = [{"heading": head, "texts": texts} for head, texts in entries]
    return {"kind": "items", "class": css, "items": shown}


def texts_of(page: Page, css: str, values: list[str]) -> Block:
    """A list block whose items are one translated text each."""
    return items(css, [("", [page.tr(value)]) for value in values])


def purposes(page: Page) -> Block:
    entries = []
    for purpose in page.notice["purposes"]:
        bases = "; ".join(page.term("basis", code) for code in purpose["legal_bases"])
        texts = [page.tr(purpose.get("description", "")), f"{page.tr('Legal basis:')} {bases}"]
        if purpose.get("legitimate_interest"):
            interest = page.tr(purpose["legitimate_interest"])
            texts.append(f"{page.tr('Our legitimate interest:')} {interest}")
        entries.append((page.tr(purpose["title"]), texts))
    return items("purposes", entries)


def party_view(page: Page, ident: str, role: str) -> dict[str, Any]:
    party = page.parties[ident]
    address = party.get("address") or {}
    lines = []
    if address:
        city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
        region = [address["region"]] if address.get("region") else []
        lines = [*address.get("street", []), city, *region, page.country(address["country"])]
    name = party.get("legal_name") or page.tr(party.get("label", ""))
    if party.get("legal_form"):
        name = f"{name}, {page.tr(party['legal_form'])}"
    return {
        "id": ident,
        "role": page.tr(role),
        "name": name,
        "lines": lines,
        "email": party.get("email", ""),
        "email_label": page.tr("E-mail:"),
    }


def parties(page: Page, ids: list[str], role: str) -> Block:
    return {"kind": "parties", "parties": [party_view(page, ident, role) for ident in ids]}


def period(page: Page, rule: dict[str, Any]) -> str:
    """The period in words, composed in English and then translated as one string."""
    spec = rule["period"]
    codes = spec.get("until", spec.get("or_earlier_on", []))
    events = " or ".join(page.vocab[f"vocab.event.{code}"] for code in codes)
    if "duration" in spec:
        return page.tr(f"{spec['duration']}, or earlier if {events}")
    return page.tr(f"Until {events}")


def retention(page: Page) -> Block:
    rows = []
    for rule in page.notice["retention"]:
        subject, note = page.tr(rule["subject"]), page.tr(rule.get("note", ""))
        rows.append(
            {"id": rule["id"], "subject": subject, "period": period(page, rule), "note": note}
        )
    return {"kind": "table", "rows": rows}


def rights(page: Page, only: list[str]) -> Block:
    entries = []
    for entry in page.notice["rights"]:
        if only and entry["right"] not in only:
            continue
        description = page.voc("right", entry["right"], "description")
        texts = [description, page.tr(entry.get("details", ""))]
        entries.append((page.term("right", entry["right"]), [text for text in texts if text]))
    return items("rights", entries)


def transfers(page: Page) -> Block:
    entries = []
    for transfer in page.notice["transfers"]:
        countries = ", ".join(page.country(code) for code in transfer["countries"])
        safeguard = page.term("safeguard", transfer["safeguard"])
        texts = [f"{page.tr('Countries:')} {countries}", f"{page.tr('Safeguard:')} {safeguard}"]
        entries.append(("", [*texts, page.tr(transfer["description"])]))
    return items("transfers", entries)


def recipients(page: Page) -> Block:
    entries = page.notice["recipients"]
    return items("recipients", [(page.tr(r["name"]), [page.tr(r["description"])]) for r in entries])


def block(page: Page, kind: str, only: list[str]) -> Block:
    """The block ``kind`` of a section's ``show:`` list."""
    notice = page.notice
    if kind in SIMPLE:
        key, field = SIMPLE[kind]
        return texts_of(page, kind, [entry[field] for entry in notice[key]])
    if kind in SINGLE:
        key, field = SINGLE[kind]
        return texts_of(page, kind, [notice[key][field]])
    if kind in ("controllers", "dpo"):
        ids = notice["controllers"] if kind == "controllers" else [notice["dpo"]]
        return parties(
            page, ids, "Controller" if kind == "controllers" else "Data protection officer"
        )
    if kind == "legal-bases":
        return items(kind, [("", [page.term("basis", code)]) for code in notice["legal_bases"]])
    if kind == "rights":
        return rights(page, only)
    builders = {
        "purposes": purposes,
        "retention": retention,
        "transfers": transfers,
        "recipients": recipients,
    }
    return builders[kind](page)


def section(page: Page, number: int, data: dict[str, Any]) -> dict[str, Any]:
    only = data.get("rights", [])
    blocks = [block(page, kind, only) for kind in data.get("show", [])]
    return {
        "id": data["id"],
        "number": number,
        "title": page.tr(data["title"]),
        "body": markdown_blocks(page, data.get("body", "")),
        "blocks": blocks,
        "closing": markdown_blocks(page, data.get("closing", "")),
    }


def month(locale: str, value: str) -> str:
    year, mon = (int(part) for part in str(value).split("-")[:2])
    babel_locale = Locale.parse(locale, sep="-")
    return str(format_skeleton("yMMMM", datetime.date(year, mon, 1), locale=babel_locale))


def front_matter(page: Page, sections: list[dict[str, Any]]) -> dict[str, Any]:
    notice = page.notice
    return {
        "title": page.tr(notice["title"]),
        "notice": notice["id"],
        "publisher": page.tr(notice.get("publisher", "")),
        "version": str(notice["version"]),
        "effective": month(page.locale, notice["effective_date"]),
        "updated": month(page.locale, notice["last_updated"]),
        "toc": [{"id": item["id"], "title": item["title"]} for item in sections],
    }


def text_markdown(block: dict[str, Any]) -> str:
    if "p" in block:
        return str(block["p"])
    return "\n".join(f"- {item}" for item in block["ul"])


def list_item(heading: str, texts: list[str]) -> str:
    """One Markdown list item; several paragraphs make it a loose item."""
    paragraphs = ([f"**{heading}**"] if heading else []) + texts
    return "- " + "\n\n  ".join(paragraphs)


def party_html(party: dict[str, Any]) -> str:
    esc = html.escape
    lines = "<br>".join(esc(line) for line in party["lines"])
    parts = [
        f'<address class="party" id="party-{party["id"]}">',
        f'<p class="party-role">{esc(party["role"])}</p>',
        f'<p class="party-name">{esc(party["name"])}</p>',
    ]
    parts += [f'<p class="postal-address">{lines}</p>'] if lines else []
    if party["email"]:
        email = esc(party["email"])
        label = esc(party["email_label"])
        parts.append(
            f'<p><span class="label">{label}</span> <a href="mailto:{email}">{email}</a></p>'
        )
    return "\n".join([*parts, "</address>"])


def table_html(rows: list[dict[str, Any]], page: Page) -> str:
    esc = html.escape
    head = (
        f"<caption>{esc(page.tr('How long we keep your data'))}</caption>\n<thead>\n"
        f'<tr><th scope="col">{esc(page.tr("Data"))}</th>'
        f'<th scope="col">{esc(page.tr("Retention period"))}</th></tr>\n</thead>'
    )
    body = []
    for row in rows:
        note = f'<br><span class="note">{esc(row["note"])}</span>' if row["note"] else ""
        body.append(
            f'<tr id="retention-{row["id"]}"><th scope="row">{esc(row["subject"])}</th>'
            f"<td>{esc(row['period'])}{note}</td></tr>"
        )
    return "\n".join(['<table class="retention">', head, "<tbody>", *body, "</tbody>", "</table>"])


def block_markdown(block: Block, page: Page) -> str:
    if block["kind"] == "table":
        return table_html(block["rows"], page)
    if block["kind"] == "parties":
        shown = "\n".join(party_html(party) for party in block["parties"])
        return f'<div class="parties">\n{shown}\n</div>'
    return "\n".join(list_item(item["heading"], item["texts"]) for item in block["items"])


def section_markdown(data: dict[str, Any], page: Page) -> str:
    """A section: an HTML wrapper around its Markdown heading, texts and blocks."""
    ident = data["id"]
    heading = f'## <span class="section-number">{data["number"]}.</span> {data["title"]}'
    parts = [
        f'<section id="{ident}" class="notice-section" aria-labelledby="{ident}-heading">',
        f"{heading} {{#{ident}-heading}}",
    ]
    parts += [text_markdown(block) for block in data["body"]]
    parts += [block_markdown(block, page) for block in data["blocks"]]
    parts += [text_markdown(block) for block in data["closing"]]
    return "\n\n".join([*parts, "</section>"])


def page_file(page: Page) -> str:
    """The content file: JSON front matter, then the Markdown body."""
    sections = [section(page, i + 1, data) for i, data in enumerate(page.notice["sections"])]
    head = json.dumps(front_matter(page, sections), ensure_ascii=False, indent=1)
    body = "\n\n".join(section_markdown(data, page) for data in sections)
    return f"{head}\n\n{body}\n"


Project = tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, str]]


def read_project(project: Path) -> Project:
    """(site settings, parties by id, notices, English vocabulary by msgctxt)."""
    content = project / "content"
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))["site"]
    parties = yaml.safe_load((content / "parties.yaml").read_text(encoding="utf-8"))["parties"]
    notices = [
        yaml.safe_load(path.read_text(encoding="utf-8"))["notice"]
        for path in sorted(content.glob("notice-*.yaml"))
    ]
    with (project / "locales" / "notices.pot").open("rb") as handle:
        catalog = read_po(handle)
    vocab = {m.context: str(m.id) for m in catalog if m.context and m.context.startswith("vocab.")}
    return site, {party["id"]: party for party in parties}, notices, vocab


def language_name(code: str) -> str:
    own = Locale.parse(code, sep="-")
    name = own.get_display_name(own) or code
    return name[:1].upper() + name[1:]


def config(site: dict[str, Any]) -> str:
    source = site["source_language"]
    lines = [
        f'baseURL = "{site["base_url"]}/"',
        f"title = {json.dumps(site['name'])}",
        f'defaultContentLanguage = "{source}"',
        "defaultContentLanguageInSubdir = true",
        "uglyURLs = true",
        "enableRobotsTXT = false",
        'disableKinds = ["taxonomy", "term", "RSS", "section"]',
        f'params = {{ source = "{source}" }}',
        "[markup.goldmark.renderer]",
        "unsafe = true",
        "[languages]",
    ]
    for weight, code in enumerate(site["languages"], start=1):
        name = json.dumps(language_name(code))
        lines += [f"[languages.{code}]", f"languageName = {name}", f"weight = {weight}"]
    return "\n".join(lines) + "\n"


def write_language(
    out: Path,
    locale: str,
    parties: dict[str, Any],
    notices: list[dict[str, Any]],
    vocab: dict[str, str],
) -> None:
    ui = {key: {"other": pseudo_translate(locale, text)} for key, text in UI_KEYS.items()}
    ui_file = out / "i18n" / f"{locale}.json"
    ui_file.write_text(json.dumps(ui, ensure_ascii=False), encoding="utf-8")
    for notice in notices:
        page = Page(notice, parties, vocab, locale)
        (out / "content" / f"{notice['id']}.{locale}.md").write_text(
            page_file(page), encoding="utf-8"
        )


def generate_hugo_site(project: Path, out: Path, stamp: str) -> bool:
    """Write the Hugo project for the generated notice-builder ``project``; reuse if current."""
    marker = out / ".bench-fingerprint"
    stamp = f"{stamp}:{layout_fingerprint()}"
    if marker.is_file() and marker.read_text() == stamp:
        return False
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(LAYOUTS / "layouts", out / "layouts")
    for folder in ("content", "i18n", "static/static"):
        (out / folder).mkdir(parents=True)
    site, parties, notices, vocab = read_project(project)
    (out / "hugo.toml").write_text(config(site), encoding="utf-8")
    for locale in site["languages"]:
        write_language(out, locale, parties, notices, vocab)
    static = project / "templates" / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static" / "static", dirs_exist_ok=True)
    marker.write_text(stamp)
    return True


def layout_fingerprint() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(LAYOUTS.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
