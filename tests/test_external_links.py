"""External link checks against a real HTTP server on the loopback interface only."""

from __future__ import annotations

import contextlib
import email.utils
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from notice_builder.checks import external
from notice_builder.checks.external import (
    ExternalCheckSettings,
    ExternalLink,
    check_external_links,
    html_ids,
    retry_after_seconds,
)
from notice_builder.diagnostics import Diagnostic, Location, Severity

PAGE = (
    b"<!doctype html><html><head><title>t</title></head><body>"
    b'<h1 id="intro">Intro</h1><section id="rights"><p>Rights</p></section>'
    b'<a name="contact">Contact</a></body></html>'
)
HTML = ("Content-Type", "text/html; charset=utf-8")
FIXED: dict[str, tuple[int, bytes, *tuple[tuple[str, str], ...]]] = {
    "/page": (200, PAGE, HTML),
    "/data.json": (200, b"{}", ("Content-Type", "application/json")),
    "/missing": (404, b""),
    "/error": (500, b""),
    "/loop/a": (302, b"", ("Location", "/loop/b")),
    "/moved": (302, b"", ("Location", "page")),
    "/throttled": (429, b"", ("Retry-After", "120")),
}
T0 = 1_700_000_000.0
FAST = ExternalCheckSettings(
    timeout=2.0, retries=2, backoff=0.01, max_redirects=3, max_retry_after=5.0
)
LOCAL = replace(FAST, private_addresses=True)  # the test servers are on this machine


class ServerState:
    """What the test server saw: hits per path and the most requests at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.release = threading.Event()
        self.retry_date = ""
        self.away = ""  # where /away redirects to

    def enter(self, path: str) -> int:
        with self.lock:
            self.hits[path] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.hits[path]

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class Handler(BaseHTTPRequestHandler):
    state: ServerState
    busy_left: bool

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        hit = self.state.enter(path)
        self.busy_left = False
        try:
            self.route(path, hit)
        finally:
            if not self.busy_left:
                self.state.leave()

    def route(self, path: str, hit: int) -> None:
        if path in FIXED:
            self.send(*FIXED[path])
        elif path == "/slow":
            self.state.release.wait(5)  # the client gives up long before; teardown wakes us
        elif path == "/trickle":
            self.trickle()
        elif path == "/away":
            self.send(302, b"", ("Location", self.state.away))
        elif path == "/loop/b":
            self.send(301, b"", ("Location", f"http://{self.headers['Host']}/loop/a"))
        elif path.startswith("/chain/"):
            self.chain(int(path.rsplit("/", 1)[1]))
        elif path == "/throttled-once":
            self.send(*((429, b"", ("Retry-After", "1")) if hit == 1 else (200, PAGE)))
        elif path == "/unavailable-until":
            self.send(*((503, b"", ("Retry-After", self.state.retry_date)) if hit == 1 else (200,)))
        elif path.startswith("/busy/"):
            time.sleep(0.1)
            # Leave before answering: once the client has the answer it may start its next
            # request at once, and that must not count as a third one in flight.
            self.state.leave()
            self.busy_left = True
            self.send(200, PAGE, HTML)
        else:
            self.send(404)

    def trickle(self) -> None:
        """A page sent a byte at a time, each well within the client's timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        deadline = time.monotonic() + 10  # the client should have hung up long before
        with contextlib.suppress(OSError):
            while time.monotonic() < deadline and not self.state.release.wait(0.05):
                self.wfile.write(b" ")
                self.wfile.flush()

    def chain(self, step: int) -> None:
        """``/chain/N`` redirects (relatively) to ``/chain/N+1`` until ``/chain/10``."""
        self.send(*((200, PAGE, HTML) if step >= 10 else (302, b"", ("Location", str(step + 1)))))

    def send(self, status: int, body: bytes = b"", *headers: tuple[str, str]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Server:
    base: str
    state: ServerState

    def url(self, path: str) -> str:
        return self.base + path


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.calls.append(seconds)


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@contextlib.contextmanager
def serving(host: str) -> Iterator[Server]:
    state = ServerState()
    handler = type("BoundHandler", (Handler,), {"state": state})
    httpd = ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Server(f"http://{host}:{httpd.server_port}", state)
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    with serving("127.0.0.1") as running:
        yield running


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port that is bound but not listening: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def links(*urls: str) -> list[ExternalLink]:
    return [
        ExternalLink(url, Location("output/en/notice.html", n)) for n, url in enumerate(urls, 1)
    ]


def check(
    *urls: str,
    settings: ExternalCheckSettings = LOCAL,
    sleep: FakeSleep | None = None,
    clock: FakeClock | None = None,
) -> list[Diagnostic]:
    return check_external_links(
        links(*urls), settings, clock=clock or FakeClock(), sleep=sleep or FakeSleep()
    )


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [item.code for item in diagnostics]


# --- pages, fragments, statuses -------------------------------------------------------------


def test_page_and_its_fragments_pass_with_one_request(server: Server) -> None:
    page = server.url("/page")
    found = check(
        page, f"{page}#intro", f"{page}#contact", f"{page}#top", server.url("/data.json#x")
    )
    assert found == []
    assert server.state.hits["/page"] == 1


def test_missing_fragment_is_reported_at_the_link(server: Server) -> None:
    [finding] = check(server.url("/page#intro"), server.url("/page#nope"))
    assert finding.code == "link.external.fragment-missing"
    assert finding.severity is Severity.ERROR
    assert finding.location == Location("output/en/notice.html", 2)
    assert 'id="nope"' in finding.message and server.url("/page") in finding.message
    assert finding.hint


def test_404_is_broken_and_not_retried(server: Server) -> None:
    sleep = FakeSleep()
    [finding] = check(server.url("/missing"), sleep=sleep)
    assert finding.code == "link.external.broken"
    assert "404" in finding.message and server.url("/missing") in finding.message
    assert "expected a successful (2xx) response" in finding.message
    assert finding.hint
    assert server.state.hits["/missing"] == 1
    assert sleep.calls == []


def test_500_is_retried_with_exponential_backoff(server: Server) -> None:
    sleep = FakeSleep()
    [finding] = check(server.url("/error"), sleep=sleep)
    assert finding.code == "link.external.broken"
    assert "500" in finding.message and "after 3 attempts" in finding.message
    assert server.state.hits["/error"] == 3
    assert sleep.calls == [0.01, 0.02]


def test_slow_server_times_out_after_retries(server: Server) -> None:
    settings = replace(LOCAL, timeout=0.3, retries=1)
    started = time.monotonic()
    [finding] = check(server.url("/slow"), settings=settings)
    assert finding.code == "link.external.timeout"
    assert "0.3 s" in finding.message
    assert server.state.hits["/slow"] == 2
    assert time.monotonic() - started < 3


def test_a_server_that_trickles_times_out_at_the_deadline(server: Server) -> None:
    """Each byte comes well within the timeout; the whole page never would (100 kB at a
    byte every 50 ms): without a deadline for the whole exchange, the check hung."""
    settings = replace(LOCAL, timeout=1.0, deadline=0.5, retries=0)
    started = time.monotonic()
    [finding] = check(server.url("/trickle"), settings=settings)
    assert finding.code == "link.external.timeout"
    assert "no complete response within 0.5 s" in finding.message
    assert time.monotonic() - started < 3


def test_connection_refused_is_unreachable(refused_port: int) -> None:
    [finding] = check(f"http://127.0.0.1:{refused_port}/x", settings=replace(LOCAL, retries=1))
    assert finding.code == "link.external.unreachable"
    assert "refused" in finding.message


def test_non_web_schemes_are_reported_without_any_request(server: Server) -> None:
    found = check("ftp://example.invalid/file.pdf", "mailto:someone@example.invalid")
    assert codes(found) == ["link.external.unsupported-scheme"] * 2
    assert '"ftp:"' in found[0].message
    assert server.state.hits == Counter()


# --- redirects -----------------------------------------------------------------------------


def test_redirect_to_the_page_passes_and_keeps_the_fragment(server: Server) -> None:
    assert check(server.url("/moved"), server.url("/moved#rights")) == []
    [finding] = check(server.url("/moved#nope"))
    assert finding.code == "link.external.fragment-missing"
    assert f"on {server.url('/page')}" in finding.message


def test_redirect_loop(server: Server) -> None:
    [finding] = check(server.url("/loop/a"))
    assert finding.code == "link.external.redirect-loop"
    assert "/loop/b -> " in finding.message
    assert server.state.hits["/loop/a"] == 1


def test_chain_longer_than_the_limit(server: Server) -> None:
    [finding] = check(server.url("/chain/0"))
    assert finding.code == "link.external.too-many-redirects"
    assert "more than 3 redirects" in finding.message
    assert [server.state.hits[f"/chain/{n}"] for n in range(5)] == [1, 1, 1, 1, 0]


def test_chain_within_the_limit_passes(server: Server) -> None:
    assert check(server.url("/chain/7")) == []
    assert server.state.hits["/chain/10"] == 1


# --- throttling ----------------------------------------------------------------------------


def test_retry_after_seconds_is_honoured(server: Server) -> None:
    sleep = FakeSleep()
    assert check(server.url("/throttled-once"), sleep=sleep) == []
    assert sleep.calls == [1.0]
    assert server.state.hits["/throttled-once"] == 2


def test_retry_after_http_date_is_honoured(server: Server) -> None:
    server.state.retry_date = email.utils.formatdate(T0 + 2, usegmt=True)
    sleep = FakeSleep()
    assert check(server.url("/unavailable-until"), sleep=sleep, clock=FakeClock(T0)) == []
    assert sleep.calls == [pytest.approx(2.0)]


def test_still_throttled_after_retries_is_a_warning(server: Server) -> None:
    sleep = FakeSleep()
    [finding] = check(server.url("/throttled"), sleep=sleep)
    assert finding.code == "link.external.rate-limited"
    assert finding.severity is Severity.WARNING
    assert "429" in finding.message
    assert sleep.calls == [5.0, 5.0]  # Retry-After: 120 capped at max_retry_after
    assert server.state.hits["/throttled"] == 3


def test_retry_after_parsing() -> None:
    assert retry_after_seconds(" 7 ", T0) == 7.0
    assert retry_after_seconds(email.utils.formatdate(T0 + 30, usegmt=True), T0) == 30.0
    assert retry_after_seconds(email.utils.formatdate(T0 - 30, usegmt=True), T0) == 0.0
    assert retry_after_seconds("soon", T0) is None


# --- concurrency and de-duplication --------------------------------------------------------


def test_per_host_limit_is_respected(server: Server) -> None:
    urls = [server.url(f"/busy/{n}") for n in range(8)]
    assert check(*urls, settings=replace(LOCAL, per_host_limit=2)) == []
    assert server.state.max_in_flight <= 2
    assert sum(server.state.hits.values()) == 8


def test_a_higher_per_host_limit_allows_more_in_flight(server: Server) -> None:
    urls = [server.url(f"/busy/{n}") for n in range(8)]
    assert check(*urls, settings=replace(LOCAL, per_host_limit=4)) == []
    assert 2 < server.state.max_in_flight <= 4


def test_fragments_share_a_request_and_duplicates_are_dropped(server: Server) -> None:
    missing = server.url("/missing")
    places = [Location("output/en/a.html", 3), Location("output/nl/b.html", 9), Location("x", 1)]
    items = [
        ExternalLink(missing + "#a", places[1]),
        ExternalLink(missing + "?q=1", places[2]),
        ExternalLink(missing, places[0]),
        ExternalLink(missing, places[0]),
    ]
    found = check_external_links(items, LOCAL, sleep=FakeSleep())
    assert codes(found) == ["link.external.broken"] * 3
    assert [item.location for item in found] == sorted(places)
    assert server.state.hits["/missing"] == 2  # "?q=1" is another URL; "#a" is not


def test_three_links_to_one_broken_url(server: Server) -> None:
    places = [Location("output/en/a.html", 3), Location("output/en/b.html", 1)]
    places.append(Location("output/nl/a.html", 3))
    items = [ExternalLink(server.url("/missing"), place) for place in reversed(places)]
    found = check_external_links(items, LOCAL, sleep=FakeSleep())
    assert [item.location for item in found] == places
    assert codes(found) == ["link.external.broken"] * 3
    assert server.state.hits["/missing"] == 1


# --- cache ---------------------------------------------------------------------------------


def cached(tmp_path: Path, max_age: float = 60.0) -> ExternalCheckSettings:
    return replace(LOCAL, cache_file=tmp_path / "cache" / "links.json", cache_max_age=max_age)


def test_cache_avoids_a_second_request(server: Server, tmp_path: Path) -> None:
    settings = cached(tmp_path)
    assert check(server.url("/page#intro"), settings=settings) == []
    [finding] = check(server.url("/page#nope"), settings=settings)
    assert finding.code == "link.external.fragment-missing"
    assert server.state.hits["/page"] == 1
    assert settings.cache_file is not None
    text = settings.cache_file.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    entry = data[server.url("/page")]
    assert entry == {
        "checked_at": T0,
        "final_url": server.url("/page"),
        "ids": ["contact", "intro", "rights"],
        "status": 200,
    }


def test_stale_entry_is_fetched_again(server: Server, tmp_path: Path) -> None:
    settings, clock = cached(tmp_path, max_age=60.0), FakeClock()
    check(server.url("/page"), settings=settings, clock=clock)
    clock.now += 30
    check(server.url("/page"), settings=settings, clock=clock)
    assert server.state.hits["/page"] == 1
    clock.now += 61
    check(server.url("/page"), settings=settings, clock=clock)
    assert server.state.hits["/page"] == 2


def test_failures_are_not_cached(server: Server, tmp_path: Path) -> None:
    settings = cached(tmp_path)
    for _ in range(2):
        assert codes(check(server.url("/missing"), settings=settings)) == ["link.external.broken"]
    assert server.state.hits["/missing"] == 2
    assert settings.cache_file is not None and not settings.cache_file.exists()


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", '{"URL": {"checked_at": "yesterday", "status": 200}}', "\udcff"],
)
def test_corrupt_cache_is_ignored_and_replaced(
    server: Server, tmp_path: Path, content: str
) -> None:
    settings = cached(tmp_path)
    assert settings.cache_file is not None
    settings.cache_file.parent.mkdir()
    settings.cache_file.write_bytes(
        content.replace("URL", server.url("/page")).encode("utf-8", errors="surrogateescape")
    )
    assert check(server.url("/page#intro"), settings=settings) == []
    assert server.state.hits["/page"] == 1
    assert server.url("/page") in json.loads(settings.cache_file.read_text(encoding="utf-8"))


def test_unwritable_cache_is_a_warning(server: Server, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file, not a folder", encoding="utf-8")
    [finding] = check(server.url("/page"), settings=cached(tmp_path))
    assert finding.code == "link.external.cache-unwritable"
    assert finding.severity is Severity.WARNING


# --- HTML decoding -------------------------------------------------------------------------


def test_html_ids_decode_leniently() -> None:
    assert html_ids('<p id="café">'.encode("latin-1"), "iso-8859-1") == {"café"}
    assert html_ids('<meta charset="iso-8859-1"><p id="café">'.encode("latin-1")) == {"café"}
    assert html_ids('<p id="café">'.encode(), "no-such-charset") == {"café"}
    assert html_ids(b"\xff\xfe<div id='a'><a name=b><a name=") >= {"a", "b"}
    assert html_ids(b"") == frozenset()
    assert html_ids(b'<?xml version="1.0" encoding="utf-8"?><html><p id="x"/></html>') == {"x"}


# --- private addresses and addresses that are not addresses -------------------------------


def test_a_link_to_this_machine_is_reported_and_not_fetched(server: Server) -> None:
    """By default: readers of a public notice cannot reach it, and content written by
    anyone must not make the checker probe the network it runs in."""
    [finding] = check(server.url("/page"), settings=FAST)
    assert finding.code == "link.external.private-address"
    assert "127.0.0.1 at 127.0.0.1, on a private network or this machine" in finding.message
    assert server.state.hits == Counter()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://10.1.2.3/",
        "https://192.168.0.1/admin",
        "http://localhost:9/",
        "http://[::1]:9/",
        "http://[::ffff:10.0.0.1]/",  # IPv4 in IPv6; http.client refused the address
        "http://0.0.0.0/",
    ],
)
def test_private_addresses_are_never_connected_to(url: str) -> None:
    [finding] = check(url, settings=FAST)
    assert finding.code == "link.external.private-address", finding.message


def test_a_redirect_to_a_private_address_is_not_followed(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """127.0.0.1 stands for a public server here; 127.0.0.2, where it redirects, is
    private. The check of the address is made where the connection is made."""
    monkeypatch.setattr(external, "is_public", lambda address: address == "127.0.0.1")
    with serving("127.0.0.2") as inside:
        server.state.away = inside.url("/page")
        [finding] = check(server.url("/away"), settings=FAST)
        assert finding.code == "link.external.private-address"
        assert "127.0.0.2" in finding.message
        assert inside.state.hits == Counter()
        assert server.state.hits["/away"] == 1


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("100.64.1.1", False),  # shared address space (carrier-grade NAT)
        ("224.0.0.1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert external.is_public(address) is public


def test_an_address_that_cannot_be_parsed_is_reported_not_raised(server: Server) -> None:
    """``http://[::1/`` in a page, or in a Location header, ended the check in an
    internal error (urlsplit raises ValueError)."""
    [finding] = check("http://[::1/")
    assert finding.code == "link.external.unreachable"
    assert "an invalid address (http://[::1/)" in finding.message
    server.state.away = "http://[::1"
    [redirect] = check(server.url("/away"))
    assert redirect.code == "link.external.broken"
    assert "a redirect to an invalid address (http://[::1)" in redirect.message


def test_an_ipv6_address_is_connected_to_on_the_default_port() -> None:
    """http.client read the end of ``::1`` as a port (1) when none was given."""
    connection = external._connection(urlsplit("http://[::1]/x"), 1.0)
    assert (connection.host, connection.port) == ("::1", 80)
    secure = external._connection(urlsplit("https://[2001:db8::1]/"), 1.0)
    assert (secure.host, secure.port) == ("2001:db8::1", 443)
