"""Check the external (http/https) links of the built site: ``check --external``.

Each distinct URL (without its fragment) is fetched once with GET, concurrently but
with at most ``per_host_limit`` requests in flight per host. Redirects are followed
by hand (loops and over-long chains are reported); 5xx answers, timeouts and
connection errors are retried with exponential backoff, and 429/503 honour
``Retry-After``. A ``#fragment`` must name an ``id`` (or ``<a name>``) on the
final HTML page. Successful results can be cached in a JSON file between runs.
Every finding points at the place of the link that led to it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from urllib.parse import SplitResult, quote, unquote, urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from notice_builder.checks.external_cache import CachedPage, LinkCache
from notice_builder.diagnostics import Diagnostic, Location, Severity

MAX_BODY_BYTES = 4 * 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
_TLS = ssl.create_default_context()
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class ExternalLink:
    """One link to check: an absolute http(s) URL (may include a #fragment) and where it is."""

    url: str
    location: Location


@dataclass(frozen=True)
class ExternalCheckSettings:
    """How to check: time limits, retries, politeness and the cache."""

    timeout: float = 10.0
    deadline: float = 30.0
    """The most one exchange may take in all: ``timeout`` bounds each wait for the
    server, and a server that sends a byte now and then would never exceed it."""
    retries: int = 2
    backoff: float = 0.5
    per_host_limit: int = 2
    concurrency: int = 8
    max_redirects: int = 5
    cache_file: Path | None = None
    cache_max_age: float = 86400.0
    user_agent: str = (
        "notice-builder link checker (+https://github.com/notice-builder/notice-builder)"
    )
    max_retry_after: float = 30.0
    private_addresses: bool = False
    """Fetch links whose host is on a private network or this machine too (tests). By
    default they are reported unfetched: readers of a public notice cannot reach them,
    and content written by anyone must not make the checker probe the network it runs
    in (a cloud's metadata address, a CI runner's neighbours)."""


# what each problem expected, and how to fix it; all are errors but "rate-limited"
_EXPECTED = {
    "broken": "a successful (2xx) response",
    "timeout": "a response in time",
    "unreachable": "a server that accepts the connection",
    "rate-limited": "a response once the site stops throttling",
    "redirect-loop": "redirects that end at a page",
    "too-many-redirects": "a page within the redirect limit",
    "unsupported-scheme": "an http:// or https:// URL",
    "private-address": "a host on the public internet",
}
_HINTS = {
    "broken": "Fix the address or remove the link; if the page moved, link to the new one.",
    "timeout": "Check that the site is up; if it is only slow, raise the link-check timeout.",
    "unreachable": "Check the host name for typos and that the site still exists.",
    "rate-limited": "The site throttles the checker; re-run later or lower the per-host limit.",
    "redirect-loop": "The site redirects in a circle; link to another address instead.",
    "too-many-redirects": "Link directly to the address the redirects lead to.",
    "unsupported-scheme": "Only web links can be checked; use an https:// address instead.",
    "private-address": (
        "Link to the page's public address: readers cannot reach a private network "
        "(10.x, 192.168.x, localhost, ...), and the checker does not fetch one."
    ),
    "fragment-missing": "Link to an anchor that exists on the target page, or drop the #fragment.",
    "cache-unwritable": "Make the cache folder writable or choose another cache file.",
}


@dataclass(frozen=True)
class _Response:
    """One completed HTTP exchange."""

    status: int
    reason: str
    location: str | None
    retry_after: str | None
    ids: frozenset[str] | None


@dataclass(frozen=True)
class _Failure:
    """An HTTP exchange that did not complete: ``kind`` is "timeout" or "unreachable"."""

    kind: str
    found: str
    retryable: bool = True


@dataclass(frozen=True)
class _Outcome:
    """What checking one URL found; ``problem`` is ``None`` when the page loaded."""

    problem: str | None
    found: str
    final_url: str
    status: int | None = None
    ids: frozenset[str] | None = None


def check_external_links(
    links: Sequence[ExternalLink],
    settings: ExternalCheckSettings = ExternalCheckSettings(),
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Diagnostic]:
    """Check every link; findings sorted by location, code and message."""
    unique = sorted(set(links), key=lambda link: (link.location, link.url))
    web = [link for link in unique if _splits(link.url) and _is_web(link.url)]
    found = [_finding(link, _not_fetched(link.url)) for link in unique if link not in web]
    outcomes, cache_findings = _outcomes(
        {page_url(link.url) for link in web}, settings, clock, sleep
    )
    for link in web:
        found.extend(_findings_for(link, outcomes[page_url(link.url)]))
    return sorted([*found, *cache_findings], key=lambda item: (item.sort_key(), item.extra))


def page_url(url: str) -> str:
    """The URL that is fetched for a link: no fragment, lower-case scheme and host."""
    parts = urlsplit(urldefrag(url).url)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme.lower() in {"http", "https"}


def _splits(url: str) -> bool:
    """Whether ``url`` can be taken apart at all (``http://[::1/`` cannot)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _not_fetched(url: str) -> _Outcome:
    """The outcome of a link that is not fetched: not an address, or not a web one."""
    if not _splits(url):
        return _Outcome("unreachable", f"an invalid address ({url})", url)
    scheme = urlsplit(url).scheme
    found = f'the scheme "{scheme}:"' if scheme else "a relative address"
    return _Outcome("unsupported-scheme", found, url)


# --- outcomes: cache first, then the network ---------------------------------------------


def _outcomes(
    urls: set[str],
    settings: ExternalCheckSettings,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> tuple[dict[str, _Outcome], list[Diagnostic]]:
    """The outcome of every URL (fresh cache entries first), and any cache problem."""
    cache = LinkCache(settings.cache_file, clock(), settings.cache_max_age)
    cached = {url: cache.get(url) for url in urls}
    outcomes = {url: _from_cache(page) for url, page in cached.items() if page is not None}
    fetched = _fetch_all(sorted(urls - outcomes.keys()), _Fetcher(settings, clock, sleep))
    now = clock()
    for url, outcome in fetched.items():
        if outcome.problem is None and outcome.status is not None:
            cache.record(url, CachedPage(now, outcome.status, outcome.final_url, outcome.ids))
    problem = cache.save()
    return outcomes | fetched, [] if problem is None else [_cache_warning(cache.path, problem)]


def _from_cache(page: CachedPage) -> _Outcome:
    return _Outcome(None, f"HTTP {page.status}", page.final_url, page.status, page.ids)


def _cache_warning(path: Path | None, problem: str) -> Diagnostic:
    return Diagnostic(
        "link.external.cache-unwritable",
        Severity.WARNING,
        f"expected to save the link-check cache, found {problem}",
        Location.of(path) if path else None,
        _HINTS["cache-unwritable"],
    )


def _fetch_all(urls: list[str], fetcher: _Fetcher) -> dict[str, _Outcome]:
    if not urls:
        return {}
    workers = max(1, min(fetcher.settings.concurrency, len(urls)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="link-check") as pool:
        return dict(zip(urls, pool.map(fetcher.check, urls), strict=True))


class _Fetcher:
    """Fetches URLs: redirects, retries, backoff and the per-host limit."""

    def __init__(
        self,
        settings: ExternalCheckSettings,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def check(self, url: str) -> _Outcome:
        """Follow redirects from ``url`` to a final answer."""
        chain = [url]
        for _hop in range(self.settings.max_redirects + 1):
            current = chain[-1]
            result, attempts = self._get_with_retries(current)
            if isinstance(result, _Failure):
                return _Outcome(result.kind, _after(result.found, attempts), current)
            if result.status not in REDIRECT_STATUSES or not result.location:
                return _final(result, current, attempts)
            target = _redirect_target(current, result.location)
            if target is None or not _splits(target):
                found = f"a redirect to an invalid address ({result.location.strip()})"
                return _Outcome("broken", found, current, result.status)
            if target in chain:
                return _Outcome("redirect-loop", "a loop: " + " -> ".join([*chain, target]), url)
            if not _is_web(target):
                return _Outcome("unsupported-scheme", f"a redirect to {target}", current)
            chain.append(target)
        found = f"more than {self.settings.max_redirects} redirects: " + " -> ".join(chain)
        return _Outcome("too-many-redirects", found, chain[-1])

    def _get_with_retries(self, url: str) -> tuple[_Response | _Failure, int]:
        result, attempt = self._get(url), 1
        while attempt <= self.settings.retries:
            delay = self._retry_delay(result, attempt)
            if delay is None:
                break
            self._sleep(delay)
            result, attempt = self._get(url), attempt + 1
        return result, attempt

    def _get(self, url: str) -> _Response | _Failure:
        with self._host_slot(urlsplit(url).netloc.lower()):
            return fetch_once(url, self.settings)

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._hosts_lock:
            if host not in self._hosts:
                limit = max(1, self.settings.per_host_limit)
                self._hosts[host] = threading.BoundedSemaphore(limit)
            return self._hosts[host]

    def _retry_delay(self, result: _Response | _Failure, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` not to retry."""
        backoff = min(self.settings.backoff * 2 ** (attempt - 1), self.settings.max_retry_after)
        if isinstance(result, _Failure):
            return backoff if result.retryable else None
        if result.status in (429, 503) and result.retry_after:
            wait = retry_after_seconds(result.retry_after, self._clock())
            if wait is not None:
                return min(wait, self.settings.max_retry_after)
        return backoff if result.status == 429 or result.status >= 500 else None


def _redirect_target(current: str, location: str) -> str | None:
    """Where a ``Location`` header leads from ``current``; None when it is no address."""
    try:
        return urldefrag(urljoin(current, location.strip())).url
    except ValueError:
        return None


def retry_after_seconds(value: str, now: float) -> float | None:
    """A ``Retry-After`` header (seconds or HTTP-date) as seconds from ``now``."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _final(response: _Response, url: str, attempts: int) -> _Outcome:
    """The outcome of the last response of a redirect chain."""
    answer = f"HTTP {response.status} {response.reason}".rstrip()
    if response.status == 429:
        return _Outcome("rate-limited", _after(answer, attempts), url, response.status)
    if response.status >= 400:
        return _Outcome("broken", _after(f"{answer} at {url}", attempts), url, response.status)
    if response.status in REDIRECT_STATUSES:
        return _Outcome("broken", f"{answer} without a Location header", url, response.status)
    return _Outcome(None, answer, url, response.status, response.ids)


def _after(found: str, attempts: int) -> str:
    return f"{found} (after {attempts} attempts)" if attempts > 1 else found


# --- one HTTP exchange ------------------------------------------------------------------


def fetch_once(url: str, settings: ExternalCheckSettings) -> _Response | _Failure:
    """GET ``url`` once, without following redirects; reads at most ``MAX_BODY_BYTES``."""
    parts = urlsplit(url)
    try:
        connection = _connection(parts, settings.timeout)
    except (ValueError, http.client.InvalidURL) as problem:
        return _Failure("unreachable", f"an invalid address ({problem})", retryable=False)
    if not settings.private_addresses:
        # http.client's own hook for making the socket; the HTTPS one still checks the
        # certificate against the host name
        connection._create_connection = _public_connection  # type: ignore[attr-defined]
    expired = threading.Event()
    sent: list[socket.socket] = []
    watchdog = threading.Timer(settings.deadline, _cut, (connection, sent, expired))
    watchdog.start()
    try:
        connection.request("GET", _request_target(parts), headers=_headers(settings))
        if connection.sock is not None:  # a response that ends the connection takes it over
            sent.append(connection.sock)
        with connection.getresponse() as response:
            answer = _read(response)
        return _too_slow(settings) if expired.is_set() else answer  # maybe cut short
    except TimeoutError:
        return _Failure("timeout", f"no response within {settings.timeout:g} s")
    except ValueError as problem:
        return _Failure("unreachable", f"an invalid address ({problem})", retryable=False)
    except (OSError, http.client.HTTPException) as problem:
        return _too_slow(settings) if expired.is_set() else _connection_failure(problem)
    finally:
        watchdog.cancel()
        connection.close()


def _cut(
    connection: http.client.HTTPConnection, sent: list[socket.socket], expired: threading.Event
) -> None:
    """End an exchange that ran past its deadline: the waiting read returns at once.
    ``sent`` holds the socket once the request is sent (see ``fetch_once``)."""
    expired.set()
    for sock in (connection.sock, *sent):
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _too_slow(settings: ExternalCheckSettings) -> _Failure:
    return _Failure("timeout", f"no complete response within {settings.deadline:g} s")


def _connection(parts: SplitResult, timeout: float) -> http.client.HTTPConnection:
    if not parts.hostname:
        raise ValueError("no host name")
    https = parts.scheme.lower() == "https"
    # The port is always given: without it, http.client reads the end of an IPv6 host
    # (http://[::1]/) as one (port 1), or refuses it (http://[::ffff:10.0.0.1]/).
    port = parts.port or (443 if https else 80)  # raises ValueError for a malformed port
    if https:
        return http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=_TLS)
    return http.client.HTTPConnection(parts.hostname, port, timeout=timeout)


def _request_target(parts: SplitResult) -> str:
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=")
    return f"{path}?{quote(parts.query, safe='/%:@!$&()*+,;=?')}" if parts.query else path


def _headers(settings: ExternalCheckSettings) -> dict[str, str]:
    return {
        "User-Agent": settings.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "identity",
        "Connection": "close",
    }


def _read(response: http.client.HTTPResponse) -> _Response:
    ids = None
    if 200 <= response.status < 300 and _is_html(response.getheader("Content-Type")):
        ids = html_ids(response.read(MAX_BODY_BYTES), response.headers.get_content_charset())
    location, retry_after = response.getheader("Location"), response.getheader("Retry-After")
    return _Response(response.status, response.reason, location, retry_after, ids)


def _is_html(content_type: str | None) -> bool:
    return content_type is None or content_type.split(";")[0].strip().lower() in HTML_TYPES


class PrivateAddress(OSError):
    """A host on a private network, or this machine: not connected to."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is at {address}")
        self.host = host
        self.address = address


def _public_connection(
    address: tuple[str, int],
    timeout: float | None = None,
    source_address: tuple[str, int] | None = None,
) -> socket.socket:
    """``socket.create_connection`` to a host whose every address is public.

    The host is resolved once, here, and the connection made to an address that was
    checked: a name that resolved to a public address for a check and to a private one
    for the connection (DNS rebinding) cannot get through.
    """
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in found:
        if not is_public(str(sockaddr[0])):
            raise PrivateAddress(host, str(sockaddr[0]))
    failure: OSError = OSError(f"no address for {host}")
    for *_, sockaddr in found:
        try:
            return socket.create_connection((str(sockaddr[0]), port), timeout, source_address)
        except OSError as problem:
            failure = problem
    raise failure


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (IPv4 in IPv6 as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone: fe80::1%eth0
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _connection_failure(problem: BaseException) -> _Failure:
    if isinstance(problem, PrivateAddress):
        found = f"{problem.host} at {problem.address}, on a private network or this machine"
        return _Failure("private-address", found + " (not fetched)", retryable=False)
    if isinstance(problem, socket.gaierror):
        retry = problem.errno == socket.EAI_AGAIN
        return _Failure("unreachable", f"an unknown host ({problem.strerror})", retry)
    if isinstance(problem, ssl.SSLCertVerificationError):
        return _Failure("unreachable", f"a bad TLS certificate ({problem.verify_message})", False)
    if isinstance(problem, ConnectionRefusedError):
        return _Failure("unreachable", "a refused connection")
    return _Failure("unreachable", f"a connection error ({problem!r})")


# --- fragment targets -------------------------------------------------------------------


def html_ids(body: bytes, charset: str | None = None) -> frozenset[str]:
    """Every ``id`` and ``<a name>`` in an HTML document, decoded leniently."""
    text = body.decode(_encoding(body, charset), errors="replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", recover=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return frozenset()
    return frozenset(_strings(root.xpath("//@id | //a/@name")))


def _strings(values: object) -> Iterable[str]:
    return [str(value) for value in values] if isinstance(values, list) else []


def _encoding(body: bytes, charset: str | None) -> str:
    """The header charset, else a ``<meta charset>``, else UTF-8; unknown names fall back."""
    sniffed = _META_CHARSET.search(body[:4096])
    for candidate in (charset, sniffed.group(1).decode("ascii") if sniffed else None):
        if candidate and _known_codec(candidate):
            return candidate
    return "utf-8"


def _known_codec(name: str) -> bool:
    try:
        "".encode(name)
    except LookupError:
        return False
    return True


# --- findings ---------------------------------------------------------------------------


def _findings_for(link: ExternalLink, outcome: _Outcome) -> list[Diagnostic]:
    if outcome.problem is not None:
        return [_finding(link, outcome)]
    fragment = urldefrag(link.url).fragment
    if _fragment_found(fragment, outcome.ids):
        return []
    return [
        Diagnostic(
            "link.external.fragment-missing",
            Severity.ERROR,
            f'external link {link.url}: expected an element with id="{unquote(fragment)}"'
            f' or <a name="{unquote(fragment)}">, found no such target on {outcome.final_url}',
            link.location,
            _HINTS["fragment-missing"],
            extra=(("url", link.url),),
        )
    ]


def _fragment_found(fragment: str, ids: frozenset[str] | None) -> bool:
    """Whether ``#fragment`` resolves; non-HTML pages and text fragments are not checked."""
    if not fragment or ids is None or fragment.startswith(":~:"):
        return True
    return fragment in ids or unquote(fragment) in ids or unquote(fragment).lower() == "top"


def _finding(link: ExternalLink, outcome: _Outcome) -> Diagnostic:
    problem = outcome.problem or "broken"
    severity = Severity.WARNING if problem == "rate-limited" else Severity.ERROR
    extra: tuple[tuple[str, str], ...] = (("url", link.url),)
    if outcome.status is not None:
        extra += (("status", str(outcome.status)),)
    return Diagnostic(
        f"link.external.{problem}",
        severity,
        f"external link {link.url}: expected {_EXPECTED[problem]}, found {outcome.found}",
        link.location,
        _HINTS[problem],
        extra=extra,
    )
