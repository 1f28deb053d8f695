"""Safe downloads: timeouts, retries, a size cap, content checks, then an atomic write.

Nothing from the network is trusted. A body is read into memory under a byte cap, checked
against its Content-Length, turned into file bytes by `transform` and checked by `validate`
before a single byte is written in place; the file is written to a temp file in the same
folder, fsynced and renamed over the target, so a failed or interrupted download leaves the
previous good file exactly as it was. Every failure is a FetchError naming the URL.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from armatlas.errors import ArmatlasError, FetchError

Progress = Callable[[int, int | None], None]
USER_AGENT = "armatlas (+https://github.com/armatlas/armatlas)"
_CHUNK = 65536


@dataclass(frozen=True)
class DownloadResult:
    """What was written, and where it came from."""

    path: Path
    sha256: str
    bytes: int
    url: str
    retrieved_at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class Body:
    """A checked response body, not yet written anywhere."""

    data: bytes
    url: str
    retrieved_at: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class _Retryable(Exception):
    """A failure worth another attempt (connection, timeout, 5xx, cut-off body)."""


def fetch_body(
    url: str,
    *,
    method: str = "GET",
    json_body: Any = None,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 0.5,
    max_bytes: int = 200_000_000,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
    transform: Callable[[bytes], bytes] | None = None,
    validate: Callable[[bytes], None] | None = None,
) -> Body:
    """Download `url` into memory with retries, then transform and validate it."""
    own = client is None
    cl = client or httpx.Client(timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT})
    try:
        raw = _with_retries(
            cl, method, url, json_body, params, headers, timeout, retries, backoff, max_bytes, progress
        )
    finally:
        if own:
            cl.close()
    retrieved = datetime.now(UTC).isoformat(timespec="seconds")
    data = _check_content(url, raw, transform, validate)
    return Body(data, url, retrieved)


def download(
    url: str,
    dest: Path,
    *,
    method: str = "GET",
    json_body: Any = None,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 0.5,
    max_bytes: int = 200_000_000,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
    transform: Callable[[bytes], bytes] | None = None,
    validate: Callable[[bytes], None] | None = None,
) -> DownloadResult:
    """Download `url` to `dest` atomically; `dest` is untouched unless everything succeeded."""
    body = fetch_body(
        url,
        method=method,
        json_body=json_body,
        params=params,
        headers=headers,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        max_bytes=max_bytes,
        progress=progress,
        client=client,
        transform=transform,
        validate=validate,
    )
    dest = Path(dest)
    write_atomic(dest, body.data)
    return DownloadResult(dest, body.sha256, len(body.data), url, body.retrieved_at)


def write_atomic(dest: Path, data: bytes) -> None:
    """Write to a temp file beside `dest`, fsync, rename over it; no temp file survives."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(dest.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _with_retries(
    cl: httpx.Client,
    method: str,
    url: str,
    json_body: Any,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    timeout: float,
    retries: int,
    backoff: float,
    max_bytes: int,
    progress: Progress | None,
) -> bytes:
    last = ""
    for attempt in range(retries + 1):
        try:
            return _attempt(cl, method, url, json_body, params, headers, timeout, max_bytes, progress)
        except _Retryable as exc:
            last = str(exc)
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    raise FetchError(
        f"Download failed after {retries + 1} attempts: {last}",
        file=url,
        hint="The publisher's server may be down or slow; try again later, or raise --timeout",
    )


def _attempt(
    cl: httpx.Client,
    method: str,
    url: str,
    json_body: Any,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    timeout: float,
    max_bytes: int,
    progress: Progress | None,
) -> bytes:
    try:
        with cl.stream(
            method, url, json=json_body, params=params, headers=headers, timeout=httpx.Timeout(timeout)
        ) as resp:
            _check_status(resp, url)
            total = _content_length(resp, url, max_bytes)
            data = _read_capped(resp, url, max_bytes, total, progress)
            # Content-Length counts bytes on the wire (compressed, if the server gzips).
            if total is not None and resp.num_bytes_downloaded != total:
                raise _Retryable(
                    f"body truncated: got {resp.num_bytes_downloaded:,} of "
                    f"{total:,} bytes announced by Content-Length"
                )
            return data
    except httpx.TimeoutException as exc:
        raise _Retryable(f"timed out after {timeout:g} s ({type(exc).__name__})") from None
    except httpx.RemoteProtocolError as exc:
        raise _Retryable(f"connection closed early, body truncated ({exc})") from None
    except httpx.TransportError as exc:
        raise _Retryable(f"{type(exc).__name__}: {exc}") from None
    except httpx.HTTPError as exc:  # undecodable gzip, bad URL, too many redirects: not transient
        raise FetchError(
            f"Download failed: {type(exc).__name__}: {exc}",
            file=url,
            hint="Check the address; if it is right, the publisher's answer is broken",
        ) from None


def _check_status(resp: httpx.Response, url: str) -> None:
    code = resp.status_code
    if code >= 500 or code == 429:
        raise _Retryable(f"HTTP {code} from the server")
    if code >= 400:
        raise FetchError(
            f"The server refused the request: HTTP {code}",
            file=url,
            hint="The address or request may have changed at the publisher; check for an armatlas update",
        )
    if code >= 300:
        raise FetchError(
            f"Unexpected redirect: HTTP {code} to {resp.headers.get('location')!r}",
            file=url,
            hint="The publisher moved the data; check for an armatlas update",
        )


def _content_length(resp: httpx.Response, url: str, max_bytes: int) -> int | None:
    raw = resp.headers.get("content-length")
    if raw is None:
        return None
    try:
        total = int(raw)
    except ValueError:
        raise _Retryable(f"invalid Content-Length {raw!r}") from None
    if total > max_bytes:
        raise FetchError(
            f"Response too large: Content-Length {total:,} bytes exceeds the {max_bytes:,}-byte limit",
            file=url,
            hint="Refused before reading; raise max_bytes only if the publisher's file really grew",
        )
    return total


def _read_capped(
    resp: httpx.Response, url: str, max_bytes: int, total: int | None, progress: Progress | None
) -> bytes:
    parts: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"Response too large: more than {max_bytes:,} bytes",
                file=url,
                hint="Download aborted; raise max_bytes only if the publisher's file really grew",
            )
        parts.append(chunk)
        if progress is not None:
            progress(resp.num_bytes_downloaded, total)
    return b"".join(parts)


def _check_content(
    url: str, raw: bytes, transform: Callable[[bytes], bytes] | None, validate: Callable[[bytes], None] | None
) -> bytes:
    """Run transform and validate; any failure becomes a FetchError naming the URL."""
    try:
        data = transform(raw) if transform else raw
        if validate:
            validate(data)
    except FetchError as exc:
        if exc.file is None:
            exc.file = url
            exc.args = (exc.render(),)
        raise
    except (ArmatlasError, ValueError, TypeError, KeyError, UnicodeError) as exc:
        raise FetchError(
            f"The server answered, but not with the expected content: {exc}",
            file=url,
            value=raw[:120].decode("latin-1"),
            hint="Nothing was written; the publisher may have changed its format or returned an "
            "error page. Try again later or check for an armatlas update",
        ) from exc
    return data


# -- one page a user named (e.g. a news article for `armatlas check URL`) ---------------------

PAGE_TYPES = ("text/", "application/xhtml+xml")


@dataclass(frozen=True)
class Page:
    """A fetched page: its bytes, the address it finally came from, and its content type."""

    data: bytes
    url: str
    content_type: str

    def text(self) -> str:
        """Decoded by the declared charset; undeclared, UTF-8, else cp1252 (older news sites)."""
        charset = next(
            (
                p.split("=", 1)[1].strip(" \"'")
                for p in self.content_type.split(";")[1:]
                if p.strip().lower().startswith("charset=")
            ),
            None,
        )
        for enc in ([charset] if charset else []) + ["utf-8", "cp1252"]:
            try:
                return self.data.decode(enc)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.data.decode("latin-1")


def fetch_page(
    url: str,
    *,
    timeout: float = 20.0,
    deadline: float = 60.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    content_types: tuple[str, ...] = PAGE_TYPES,
) -> Page:
    """GET one page with a size cap and an overall deadline (a server sending a byte every few
    seconds cannot hold it), following redirects only to public http(s) hosts (never loopback or
    a private network) and refusing content other than `content_types`. Failures are FetchErrors."""
    end = time.monotonic() + deadline
    with httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as cl:
        for _ in range(max_redirects + 1):
            try:
                with cl.stream("GET", url) as resp:
                    if resp.is_redirect:
                        url = _public_redirect(url, resp.headers.get("location", ""))
                        continue
                    return _read_page(resp, url, max_bytes, end, deadline, content_types)
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # ValueError: e.g. "http://[::1"
                raise FetchError(
                    f"{type(exc).__name__}: {exc}",
                    file=url,
                    hint="Check the address, or save the page as text and give the file.",
                ) from None
            except _Retryable as exc:
                raise FetchError(str(exc), file=url) from None
    raise FetchError(f"More than {max_redirects} redirects", file=url, hint="Give the page's final address.")


def _read_page(
    resp: httpx.Response,
    url: str,
    max_bytes: int,
    end: float,
    deadline: float,
    content_types: tuple[str, ...],
) -> Page:
    if resp.status_code != 200:
        raise FetchError(
            f"HTTP {resp.status_code} from the server",
            file=url,
            hint="Check the address, or save the page as text and give the file.",
        )
    ctype = resp.headers.get("content-type", "")
    if content_types and ctype and not ctype.strip().lower().startswith(content_types):
        raise FetchError(
            f"The page is {ctype.split(';')[0].strip()}, not text or HTML",
            file=url,
            value=ctype,
            hint="Save it as text and give the file.",
        )
    _content_length(resp, url, max_bytes)
    parts: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():  # as it arrives (a fixed chunk size would wait to fill it)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"Page too large: more than {max_bytes:,} bytes",
                file=url,
                hint="Save the article as text and give the file.",
            )
        if time.monotonic() > end:
            raise FetchError(
                f"The page took longer than {deadline:g} s to arrive",
                file=url,
                hint="The server is too slow; save the article as text and give the file.",
            )
        parts.append(chunk)
    return Page(b"".join(parts), url, ctype)


def _public_redirect(url: str, location: str) -> str:
    """The redirect's target, if it is an http(s) address whose host is public."""
    import ipaddress
    import socket
    from urllib.parse import urljoin, urlsplit

    target = urljoin(url, location)
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(
            f"Redirect to a non-web address refused: {target!r}",
            file=url,
            value=target,
            hint="Give the page's final address.",
        )
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(
            f"Redirect to an unknown host refused: {parts.hostname}", file=url, value=target
        ) from None
    for info in infos:
        if not ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_global:
            raise FetchError(
                f"Redirect to a local or private address refused: {target}",
                file=url,
                value=target,
                hint="A public page may not send the fetcher into this machine or its network.",
            )
    return target
