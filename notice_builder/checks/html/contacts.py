"""Contacts: mailto: and tel: links are valid, addresses are not obfuscated or unlinked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from notice_builder.checks.html.model import HitKind, PageSummary, UrlRef
from notice_builder.checks.html.text import mailto_addresses
from notice_builder.checks.html.urls import EMAIL_PROTECTION, clean_url, url_scheme
from notice_builder.diagnostics import Diagnostic, error, warning

E164 = re.compile(r"\+[0-9]{7,15}")
OBFUSCATION_MARKERS = (EMAIL_PROTECTION, "[email", "email protected")
OBFUSCATION_HINT = (
    "An e-mail obfuscator (such as Cloudflare's) rewrote the address, so readers see "
    "'[email protected]'. Turn off e-mail obfuscation for the site and serve the built "
    "HTML unchanged."
)


def check_page(page: PageSummary) -> Iterator[Diagnostic]:
    obfuscated_lines: set[int] = set()
    for url in page.urls:
        scheme = url_scheme(url.value)
        if is_obfuscated(url.value):
            obfuscated_lines.add(url.line)
            yield obfuscated(page, url.line, f'<{url.tag} href="{url.value}">')
        elif scheme == "mailto":
            yield from check_mailto(page, url)
        elif scheme == "tel":
            yield from check_tel(page, url)
    for hit in page.hits:
        if hit.kind is HitKind.OBFUSCATED_EMAIL and hit.line not in obfuscated_lines:
            obfuscated_lines.add(hit.line)
            yield obfuscated(page, hit.line, f'the text "{hit.text}"')
        elif hit.kind is HitKind.UNLINKED_EMAIL:
            yield unlinked(page, hit.text, hit.line)


@lru_cache(maxsize=8192)
def is_obfuscated(value: str) -> bool:
    """Whether a URL is an obfuscator's placeholder (cached: URLs repeat across pages)."""
    lowered = value.replace("\u00a0", " ").replace("%20", " ").lower()
    return any(marker in lowered for marker in OBFUSCATION_MARKERS)


def obfuscated(page: PageSummary, line: int, what: str) -> Diagnostic:
    return error(
        "html.mailto.obfuscated",
        f"{what} is an obfuscated e-mail placeholder, not a working address",
        page.at(line),
        OBFUSCATION_HINT,
    )


@lru_cache(maxsize=4096)
def email_problem(address: str) -> str | None:
    """Why an address is not a valid e-mail address, or None if it is."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as problem:
        return str(problem)
    return None


def check_mailto(page: PageSummary, url: UrlRef) -> Iterator[Diagnostic]:
    addresses = mailto_addresses(clean_url(url.value))
    if not addresses:
        yield invalid_mailto(page, url, "it names no address")
    for address in addresses:
        problem = email_problem(address)
        if problem:
            yield invalid_mailto(page, url, f'"{address}" is not a valid address: {problem}')


def invalid_mailto(page: PageSummary, url: UrlRef, why: str) -> Diagnostic:
    return error(
        "html.mailto.invalid",
        f'<{url.tag} href="{url.value}">: {why}',
        page.at(url.line),
        "Fix the e-mail address of the party in content/parties.yaml (or the notice).",
    )


def check_tel(page: PageSummary, url: UrlRef) -> Iterator[Diagnostic]:
    number = clean_url(url.value)[len("tel:") :]
    if not E164.fullmatch(number):
        yield error(
            "html.tel.invalid",
            f'<{url.tag} href="{url.value}">: expected E.164 ("+" then 7-15 digits, no '
            f'spaces), found "{number}"',
            page.at(url.line),
            "Write phone numbers in E.164, e.g. +18135550100; the displayed text may be formatted.",
        )


def unlinked(page: PageSummary, address: str, line: int) -> Diagnostic:
    return warning(
        "html.mailto.unlinked",
        f'the text contains the e-mail address "{address}" outside a mailto: link',
        page.at(line),
        f'Link it: <a href="mailto:{address}">{address}</a> (parties\' addresses are '
        "linked by the template).",
    )
