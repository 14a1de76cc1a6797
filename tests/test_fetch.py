"""Safe fetching (veille.fetch): address checks, redirects, limits, conditional requests.

Real servers run on 127.0.0.1 in a thread; public hosts are simulated with a fake resolver and
an httpx.MockTransport, so nothing leaves the machine.
"""
from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from veille.errors import BlockedAddressError, FetchError
from veille.fetch import blocked_reason, fetch
from veille.ingest import article_from_url

from loopback import LocalServer  # tests/loopback.py

PUBLIC_IP = "93.184.216.34"
PAGE = b"<html><head><title>T</title></head><body><p>Le ministre a rencontr\xc3\xa9 son homologue.</p></body></html>"


def _ok(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(PAGE)))
    h.end_headers()
    h.wfile.write(PAGE)


def _etag(h: BaseHTTPRequestHandler) -> None:
    if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == "Wed, 07 Apr 2021 16:05:18 GMT":
        h.send_response(304)
        h.send_header("ETag", '"v1"')
        h.end_headers()
        return
    h.send_response(200)
    h.send_header("ETag", '"v1"')
    h.send_header("Last-Modified", "Wed, 07 Apr 2021 16:05:18 GMT")
    h.send_header("Content-Length", str(len(PAGE)))
    h.end_headers()
    h.wfile.write(PAGE)


def _endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.end_headers()
    while not h.stop.is_set():  # type: ignore[attr-defined]
        h.wfile.write(b"x" * 65536)


def _hang(h: BaseHTTPRequestHandler) -> None:
    h.stop.wait(30)  # type: ignore[attr-defined]


def _trickle(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.end_headers()
    while not h.stop.is_set():  # type: ignore[attr-defined]
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.05)


def _big_declared(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", str(10**9))
    h.end_headers()
    h.wfile.write(b"x" * 1000)


def _redirect(to: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.end_headers()
    return route


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    srv = LocalServer({
        "/ok": _ok, "/etag": _etag, "/endless": _endless, "/hang": _hang, "/trickle": _trickle,
        "/big": _big_declared, "/loop": _redirect("/loop"), "/to-ok": _redirect("/ok"),
        "/to-file": _redirect("file:///etc/passwd"),
    })
    yield srv
    srv.close()


# --- address policy ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
        ("192.168.1.1", "private"), ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"), ("100.64.0.1", "shared address space"),
        ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"), ("fc00::1", "private"),
        ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::7f00:1", "loopback"), ("2002:7f00:1::", "loopback"),
        (PUBLIC_IP, None), ("2606:4700:4700::1111", None), ("::ffff:93.184.216.34", None),
    ],
)
def test_blocked_reason(address: str, reason: str | None) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    assert (found is None) if reason is None else (found is not None and found.startswith(reason))


def test_loopback_is_refused_by_default(server: LocalServer) -> None:
    with pytest.raises(BlockedAddressError, match=r"^\[E202\] .*127\.0\.0\.1, a loopback address"):
        fetch(server.url("/ok"))


@pytest.mark.parametrize("host", ["localhost", "2130706433", "[::ffff:127.0.0.1]", "0x7f.1"])
def test_loopback_in_disguise_is_refused(host: str) -> None:
    with pytest.raises(BlockedAddressError, match=r"^\[E202\]"):
        fetch(f"http://{host}:9/x")


def test_loopback_is_allowed_with_allow_private(server: LocalServer) -> None:
    result = fetch(server.url("/ok"), allow_private=True)
    assert (result.status, result.content, result.address) == (200, PAGE, "127.0.0.1")
    assert result.content_type == "text/html"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/",
                                 "javascript:alert(1)", "data:text/html,hi"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match=r"^\[E203\]"):
        fetch(url)


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"^\[E203\] file:///etc/passwd"):
        fetch(server.url("/to-file"), allow_private=True)


# --- simulated public hosts (fake resolver + mock transport) ------------------------------

def _resolver(table: dict[str, list[str]], calls: list[str] | None = None) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]
    return resolve


def test_redirect_from_public_to_loopback_is_refused(server: LocalServer) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": server.url("/ok")})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(BlockedAddressError, match=r"^\[E202\] http://127\.0\.0\.1"):
        fetch("http://news.example/a", client=client, resolver=_resolver({"news.example": [PUBLIC_IP]}))


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(301, headers={"Location": "http://intranet.example/secret"})

    table = {"news.example": [PUBLIC_IP], "intranet.example": ["10.0.0.5"]}
    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(BlockedAddressError, match="intranet.example resolves to 10.0.0.5"):
        fetch("http://news.example/a", client=client, resolver=_resolver(table))
    assert seen == [f"http://{PUBLIC_IP}/a"]  # the private host was never contacted


def test_mixed_answers_are_refused_if_any_address_is_private() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with pytest.raises(BlockedAddressError):
        fetch("http://news.example/", client=client,
              resolver=_resolver({"news.example": [PUBLIC_IP, "127.0.0.1"]}))


def test_connection_goes_to_the_checked_address_with_the_name_in_host_and_sni() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html"})

    calls: list[str] = []
    client = httpx.Client(transport=httpx.MockTransport(handler))
    result = fetch("https://news.example/a?b=1", client=client,
                   resolver=_resolver({"news.example": [PUBLIC_IP]}, calls))
    [request] = requests
    assert request.url.host == PUBLIC_IP and request.url.scheme == "https"
    assert request.headers["Host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
    assert calls == ["news.example"]  # resolved once: no second answer can be swapped in
    assert result.final_url == "https://news.example/a?b=1" and result.address == PUBLIC_IP


def test_redirects_are_followed_and_rechecked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://cdn.example/new"})
        return httpx.Response(200, content=PAGE)

    calls: list[str] = []
    table = {"news.example": [PUBLIC_IP], "cdn.example": ["2606:4700:4700::1111"]}
    client = httpx.Client(transport=httpx.MockTransport(handler))
    result = fetch("http://news.example/old", client=client, resolver=_resolver(table, calls))
    assert result.final_url == "https://cdn.example/new" and result.url == "http://news.example/old"
    assert calls == ["news.example", "cdn.example"]


def test_unresolvable_host_fails_clearly() -> None:
    with pytest.raises(FetchError, match=r"^\[E201\] .*cannot resolve host"):
        fetch("http://nowhere.example/", resolver=_resolver({}))


def test_article_from_url_with_injected_client() -> None:
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})))
    art = article_from_url("http://news.example/a", client=client,
                           resolver=_resolver({"news.example": [PUBLIC_IP]}))
    assert art.url == "http://news.example/a" and "homologue" in art.text and art.title == "T"


# --- limits and conditional requests -----------------------------------------------------

def test_size_limit_stops_an_endless_body(server: LocalServer) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"^\[E201\] .*over the size limit of 1000000 bytes"):
        fetch(server.url("/endless"), allow_private=True, max_bytes=1_000_000)
    assert time.monotonic() - start < 5


def test_declared_length_over_the_limit_is_refused_before_reading(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"1000000000 bytes is over the size limit"):
        fetch(server.url("/big"), allow_private=True, max_bytes=1_000_000)


@pytest.mark.parametrize("path", ["/hang", "/trickle"])
def test_total_time_limit(server: LocalServer, path: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"^\[E201\] .*timed out after 0.8 s"):
        fetch(server.url(path), allow_private=True, timeout=0.8)
    assert time.monotonic() - start < 3


def test_redirect_limit(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"more than 3 redirects"):
        fetch(server.url("/loop"), allow_private=True, max_redirects=3)
    assert fetch(server.url("/to-ok"), allow_private=True).final_url == server.url("/ok")


def test_http_error_status(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"^\[E201\] .*HTTP 404"):
        fetch(server.url("/missing"), allow_private=True)


def test_conditional_requests_get_304(server: LocalServer) -> None:
    first = fetch(server.url("/etag"), allow_private=True)
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Wed, 07 Apr 2021 16:05:18 GMT")
    again = fetch(server.url("/etag"), allow_private=True, etag=first.etag)
    assert again.status == 304 and again.not_modified and again.content == b""
    since = fetch(server.url("/etag"), allow_private=True, last_modified=first.last_modified)
    assert since.status == 304
