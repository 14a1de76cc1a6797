"""Safe HTTP(S) fetching for untrusted URLs (server-side request forgery guard).

Only http and https; every hop's host is resolved once, each resolved address must be public
(not private, loopback, link-local, multicast, reserved, unspecified, shared, or such an
address embedded in IPv6) unless `allow_private=True`, and the connection goes to the very
address that was checked (the URL is rewritten to the IP; Host header and TLS SNI keep the
name), so a second DNS answer cannot swap it (DNS rebinding). Redirects are followed by hand
and re-checked. Body size, total time and redirect count are bounded; the body is streamed and
the transfer stops at the limit.

    FetchError            [E201] network failure, HTTP error status, size/time/redirect limit
    ├── BlockedAddressError [E202] the host resolves to a non-public address
    [E203] (a FetchError) scheme other than http/https
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from veille.errors import BlockedAddressError, Errors, FetchError

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "FetchResult", "Resolver", "fetch", "system_resolver",
    "blocked_reason",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
USER_AGENT = "veille/0.1 (+offline event coder)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class FetchResult:
    """A fetched resource. `status` is 304 (and `content` empty) for a conditional hit."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    address: str | None = None  # the IP address the last hop connected to

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses `host` resolves to, in resolver order (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def blocked_reason(address: IPAddress) -> str | None:
    """Why `address` must not be fetched from (None when it is a public unicast address)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            inner = blocked_reason(embedded)
            return f"{inner} (embedded in {address})" if inner else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("shared address space", isinstance(address, ipaddress.IPv4Address) and address in _SHARED),
        ("not globally routable", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def _default_port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def _pinned_address(url: httpx.URL, shown: str, allow_private: bool, resolver: Resolver) -> str:
    host = url.raw_host.decode("ascii")
    if not host:
        raise FetchError(Errors.E201.format(url=shown, reason="no host in URL"))
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolver(host, _default_port(url))
        except (OSError, UnicodeError) as exc:
            raise FetchError(Errors.E201.format(url=shown, reason=f"cannot resolve host {host!r}: {exc}")) from None
    if not addresses:
        raise FetchError(Errors.E201.format(url=shown, reason=f"host {host!r} has no address"))
    parsed: list[IPAddress] = []
    for raw in addresses:
        try:
            parsed.append(ipaddress.ip_address(raw))
        except ValueError:
            raise FetchError(Errors.E201.format(url=shown, reason=f"resolver gave a bad address {raw!r}")) from None
    if not allow_private:
        for address in parsed:
            reason = blocked_reason(address)
            if reason:
                raise BlockedAddressError(Errors.E202.format(
                    url=shown, reason=f"{host} resolves to {address}, a {reason} address"))
    return str(parsed[0])


def _request(client: httpx.Client, url: httpx.URL, address: str, headers: dict[str, str],
             timeout: float) -> httpx.Response:
    ip = ipaddress.ip_address(address)
    ip_host = f"[{ip}]" if ip.version == 6 else str(ip)
    name = url.raw_host.decode("ascii")  # IDNA-encoded
    bracketed = f"[{name}]" if ":" in name else name
    host_header = bracketed if url.port is None else f"{bracketed}:{url.port}"
    target = url.copy_with(host=ip_host.strip("[]"))
    extensions: dict[str, object] = {}
    if url.scheme == "https" and ":" not in name:
        extensions["sni_hostname"] = name  # the certificate is checked against the name
    request = client.build_request(
        "GET", target, headers={**headers, "Host": host_header},
        timeout=httpx.Timeout(timeout), extensions=extensions,
    )
    return client.send(request, stream=True, follow_redirects=False)


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = 5,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> FetchResult:
    """GET `url` safely (see the module docstring); raises FetchError / BlockedAddressError.

    `etag` / `last_modified` make the request conditional (If-None-Match / If-Modified-Since);
    an unchanged resource comes back with status 304 and no content. `client` (an httpx.Client,
    e.g. with a MockTransport) and `resolver` are seams for tests.
    """
    resolver = resolver or system_resolver
    own_client = client is None
    if client is None:
        # trust_env=False: an HTTP(S)_PROXY variable must not route around the address check
        client = httpx.Client(trust_env=False, follow_redirects=False)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout
    try:
        current = _parse_url(url, url)
        for _hop in range(max_redirects + 1):
            shown = str(current)
            address = _pinned_address(current, shown, allow_private, resolver)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(Errors.E201.format(url=shown, reason=f"timed out after {timeout:g} s"))
            try:
                response = _request(client, current, address, headers, remaining)
            except httpx.TimeoutException:
                raise FetchError(Errors.E201.format(url=shown, reason=f"timed out after {timeout:g} s")) from None
            except httpx.HTTPError as exc:
                raise FetchError(Errors.E201.format(url=shown, reason=f"{type(exc).__name__}: {exc}"[:200])) from None
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    current = _parse_url(response.headers["location"], shown, base=current)
                    continue
                return _read(response, url, current, address, max_bytes, deadline, timeout)
            finally:
                response.close()
        raise FetchError(Errors.E201.format(url=url, reason=f"more than {max_redirects} redirects"))
    finally:
        if own_client:
            client.close()


def _parse_url(raw: str, shown: str, base: httpx.URL | None = None) -> httpx.URL:
    try:
        url = base.join(raw) if base is not None else httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(Errors.E201.format(url=shown, reason=f"invalid URL: {exc}")) from None
    if url.scheme not in ("http", "https"):
        raise FetchError(Errors.E203.format(url=raw))
    return url


def _read(response: httpx.Response, url: str, current: httpx.URL, address: str, max_bytes: int,
          deadline: float, timeout: float) -> FetchResult:
    shown = str(current)
    status = response.status_code
    common = {
        "url": url, "final_url": shown, "status": status, "headers": dict(response.headers),
        "etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
        "address": address,
    }
    if status == 304:
        return FetchResult(**common)  # type: ignore[arg-type]
    if status >= 400:
        raise FetchError(Errors.E201.format(url=shown, reason=f"HTTP {status}"))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(Errors.E201.format(
            url=shown, reason=f"{declared} bytes is over the size limit of {max_bytes} bytes"))
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(Errors.E201.format(
                    url=shown, reason=f"response is over the size limit of {max_bytes} bytes"))
            if time.monotonic() > deadline:
                raise FetchError(Errors.E201.format(url=shown, reason=f"timed out after {timeout:g} s"))
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(Errors.E201.format(url=shown, reason=f"timed out after {timeout:g} s")) from None
    except httpx.HTTPError as exc:
        raise FetchError(Errors.E201.format(url=shown, reason=f"{type(exc).__name__}: {exc}"[:200])) from None
    return FetchResult(content=b"".join(chunks), **common)  # type: ignore[arg-type]
