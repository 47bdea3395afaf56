"""Fetching pages and feeds over HTTP, defensively.

- Only ``http`` and ``https``; timeouts on connecting and reading; a size cap
  (10 MB by default) checked on the declared length and again while reading;
  the content type checked against what the caller can read.
- Redirects followed by hand, at most ``MAX_REDIRECTS``, each hop checked
  like the first.
- **No internal network.** Every address a host name resolves to must be a
  public one: loopback, private, link-local (cloud metadata), multicast and
  reserved addresses are refused unless ``allow_private`` (``saywho ingest
  --allow-private``), so a feed cannot make saywho probe the network it runs
  in. The connection then goes to the very address that was checked (the
  host name is kept for the ``Host`` header and TLS), so a DNS answer that
  changes between the check and the connection cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from saywho import __version__

MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
TIMEOUT = 20.0
CONNECT_TIMEOUT = 10.0
USER_AGENT = f"saywho/{__version__} (news attribution research)"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
    }
)


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # media type only, lower case
    body: bytes

    @property
    def is_feed(self) -> bool:
        return self.content_type in FEED_TYPES


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address may not be fetched from, or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "not a public address"
    return None


def check_address(address: str) -> str | None:
    """Why saywho refuses to connect to ``address`` (an IP) by default; None when it may."""
    return _refused(ipaddress.ip_address(address))


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for ``host``: every address it resolves to must pass the check."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    if not allow_private:
        for address in addresses:
            why = check_address(address)
            if why:
                raise FetchError(
                    f"refused: {host} resolves to {address}, {why} (use --allow-private to fetch from it)"
                )
    return addresses[0]


class Fetcher:
    """One HTTP client for a run: connection reuse, the same limits for every request."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int = MAX_BYTES,
        timeout: float = TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # no proxy from the environment: the address checked is the one connected to
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, accept: frozenset[str] = PAGE_TYPES | FEED_TYPES) -> Fetched:
        """The body at ``url`` after redirects; :class:`FetchError` with the reason otherwise."""
        current = url
        for _ in range(self.max_redirects + 1):
            response = self._request(current)
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {response.status_code} redirect without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype not in accept:
                    raise FetchError(f"unsupported content type {ctype or '(none)'!r}")
                return Fetched(current, ctype, self._read(response))
            finally:
                response.close()
        raise FetchError(f"more than {self.max_redirects} redirects")

    def _request(self, url: str) -> httpx.Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}")
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve(host, port, self.allow_private)
        # Connect to the address just checked; the host name stays in Host and in TLS (SNI, certificate).
        shown = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((parts.scheme, f"{shown}:{port}", parts.path or "/", parts.query, ""))
        host_header = parts.netloc.rsplit("@", 1)[-1]
        request = self.client.build_request(
            "GET", pinned, headers={"Host": host_header}, extensions={"sni_hostname": host}
        )
        try:
            return self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError("timed out") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None

    def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"too large: {int(declared):,} bytes, the limit is {self.max_bytes:,}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"too large: more than {self.max_bytes:,} bytes")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise FetchError("timed out while reading") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None
        return b"".join(chunks)
