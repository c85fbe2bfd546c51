"""Download one file over http(s), safely: retries with backoff, timeouts, a size cap and content sniffing.

``download(url, dest_dir)`` streams the body to a hidden temporary file in ``dest_dir``, checks what it
is (:mod:`analysis.formats.sniff`) and only then renames it to a sanitised file name. Any failure raises
``DownloadError`` with one line saying what happened, and leaves nothing behind in ``dest_dir``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from analysis import __version__
from analysis.errors import DownloadError
from analysis.formats.sniff import check_file

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds; read is the longest wait for the next bytes
DEFAULT_RETRIES = 3
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MAX_SECONDS = 10 * 60.0  # whole download, so that a server dripping bytes cannot hold us forever
MAX_RETRY_AFTER = 30.0
"""The longest a server's ``Retry-After`` may make us wait before one retry (``Retry-After: 86400`` would be days)."""
RETRY_STATUSES = (500, 502, 503, 504)
FALLBACK_NAME = "download.bin"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class DownloadedFile:
    """A downloaded file: where it is, where it came from, and its size and sha256 (hex) as stored."""

    path: Path
    url: str
    final_url: str
    filename: str
    bytes: int
    sha256: str
    content_type: str | None


def safe_filename(name: str | None, fallback: str = FALLBACK_NAME) -> str:
    """A file name that cannot leave its folder: the last path component, safe characters only.

    Keeps letters, digits, space and ``. - _ ( ) + ,``; replaces anything else with ``_``; strips leading
    and trailing dots and spaces (so never ``..`` or a hidden file); at most 120 characters, the extension
    kept. Nothing left -> ``fallback``.
    """
    if not name:
        return fallback
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"[^\w .\-()+,]", "_", name)
    name = re.sub(r"_{2,}", "_", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = name.strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 119 - len(ext)] + "." + ext if dot and 0 < len(ext) <= 10 else name[:120]
        name = name.strip(" .")
    if not name.strip("_") or name in {".", ".."}:
        return fallback
    return name


def filename_from_response(content_disposition: str | None, final_url: str) -> str:
    """Sanitised name from ``Content-Disposition`` (``filename*`` first), else the URL's last path part."""
    if content_disposition:
        msg = Message()
        msg["content-disposition"] = content_disposition
        plain = extended = None
        try:
            for key, value in msg.get_params(header="content-disposition") or []:
                if key.lower() != "filename":
                    continue
                if isinstance(value, tuple):  # filename*=charset'lang'value (RFC 5987/2231)
                    extended = collapse_rfc2231_value(value, errors="replace")
                else:
                    plain = value
        except (ValueError, LookupError):
            pass
        name = extended or plain
        if name:
            return safe_filename(name)
    path = urlsplit(final_url).path
    return safe_filename(unquote(path.rsplit("/", 1)[-1]))


class CappedRetry(Retry):
    """urllib3's Retry, honouring a server's ``Retry-After`` only up to :data:`MAX_RETRY_AFTER` seconds."""

    max_retry_after = MAX_RETRY_AFTER

    def get_retry_after(self, response) -> float | None:  # noqa: ANN001 - urllib3's BaseHTTPResponse
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, self.max_retry_after)


def strip_credentials(url: str) -> str:
    """``http://user:password@host/x`` → ``http://host/x``: a URL as it may be stored or printed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def make_session(*, retries: int = DEFAULT_RETRIES, backoff_factor: float = 0.5,
                 max_redirects: int = DEFAULT_MAX_REDIRECTS) -> requests.Session:
    """A requests Session that retries connection errors, timeouts and HTTP 500/502/503/504 with backoff
    (a server's Retry-After honoured up to :data:`MAX_RETRY_AFTER`)."""
    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        redirect=False,  # requests follows redirects itself, limited by Session.max_redirects
        backoff_factor=backoff_factor,
        backoff_max=30.0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = max_redirects
    session.headers["User-Agent"] = f"false-confessions/{__version__} (+research data pipeline)"
    return session


def _walk(exc: BaseException | None, seen: set[int] | None = None) -> Iterator[BaseException]:
    """The exception, its args, ``reason``, cause and context, depth first (urllib3 nests them)."""
    seen = seen if seen is not None else set()
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    yield exc
    for inner in (*[a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)],
                  getattr(exc, "reason", None), exc.__cause__, exc.__context__):
        if isinstance(inner, BaseException):
            yield from _walk(inner, seen)


def _timeout_kind(exc: BaseException) -> str | None:
    for inner in _walk(exc):
        if isinstance(inner, NewConnectionError):  # a subclass of ConnectTimeoutError, but e.g. "refused"
            continue
        if isinstance(inner, (ConnectTimeoutError, requests.exceptions.ConnectTimeout)):
            return "connect"
        if isinstance(inner, (ReadTimeoutError, requests.exceptions.ReadTimeout, TimeoutError)):
            return "read"
    return None


def _status_text(status: int, reason: str | None) -> str:
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"HTTP {status} {reason}".rstrip()


def _attempt_count(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    history = getattr(retries, "history", None) or ()
    return len(history) + 1


def _error_for(
    exc: requests.RequestException, url: str, timeout: tuple[float, float], retries: int
) -> DownloadError:
    """One-line ``DownloadError`` for a requests exception (timeouts are found however deeply nested)."""
    kind = _timeout_kind(exc)
    tries = f"{retries + 1} attempts" if retries else "1 attempt"
    if kind == "connect":
        return DownloadError(f"timed out after {timeout[0]:g}s connecting to {url} ({tries})")
    if kind == "read":
        return DownloadError(f"timed out after {timeout[1]:g}s waiting for data from {url} ({tries})")
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return DownloadError(f"too many redirects for {url}")
    if isinstance(exc, requests.exceptions.SSLError):
        return DownloadError(f"TLS/SSL error talking to {url}: {_first_line(exc)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return DownloadError(f"not a usable URL: {url} ({_first_line(exc)})")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return DownloadError(f"the connection broke off before the whole file arrived from {url}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        host = urlsplit(url).netloc or url
        return DownloadError(f"could not connect to {host} ({tries}): {_first_line(exc)}")
    return DownloadError(f"download of {url} failed: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    innermost = exc
    for inner in _walk(exc):
        innermost = inner
    text = str(innermost) or type(innermost).__name__
    return text.splitlines()[0][:200]


def download(
    url: str,
    dest_dir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff_factor: float = 0.5,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    session: requests.Session | None = None,
) -> DownloadedFile:
    """Fetch ``url`` into ``dest_dir`` and return what was stored, or raise ``DownloadError`` saying why.

    The body must be at most ``max_bytes`` bytes (checked against Content-Length first, then while
    streaming) and must sniff as xlsx, csv or json. The stored name comes from Content-Disposition or the
    URL, sanitised by :func:`safe_filename`; an existing file in ``dest_dir`` is never overwritten.
    """
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise DownloadError(f"not a usable URL: {url} ({exc})") from None
    if scheme not in ("http", "https"):
        raise DownloadError(f"only http(s) URLs can be downloaded: {url}")
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    own_session = session is None
    if session is None:
        session = make_session(retries=retries, backoff_factor=backoff_factor, max_redirects=max_redirects)
    fd, part_name = tempfile.mkstemp(prefix=".part-", dir=dest_dir)
    part = Path(part_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size, response = _fetch(session, url, out, max_bytes=max_bytes, timeout=timeout,
                                            retries=retries, max_seconds=max_seconds)
        check_file(part, downloaded=True, error=DownloadError)
        filename = filename_from_response(response.headers.get("Content-Disposition"), response.url)
        target = _claim_name(dest_dir, filename)
        os.replace(part, target)  # onto the empty placeholder we created: never someone else's file
        return DownloadedFile(
            path=target,
            url=url,
            final_url=response.url,
            filename=target.name,
            bytes=size,
            sha256=digest,
            content_type=response.headers.get("Content-Type"),
        )
    finally:
        part.unlink(missing_ok=True)
        if own_session:
            session.close()


def _claim_name(dest_dir: Path, filename: str) -> Path:
    """Create ``dest_dir/filename`` empty and exclusively (``name-2.ext`` etc. when taken); its path."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem:
        stem, ext = filename, ""
    for n in range(1, 1000):
        name = filename if n == 1 else (f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}")
        target = dest_dir / name
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            continue
        return target
    raise DownloadError(f"no free file name for {filename} in {dest_dir}")


def _fetch(session: requests.Session, url: str, out, *, max_bytes: int, timeout: tuple[float, float],
           retries: int, max_seconds: float | None) -> tuple[str, int, requests.Response]:
    """Stream ``url`` into the open file ``out``; returns (sha256 hex, bytes, response)."""
    started = time.monotonic()
    try:
        response = session.get(url, stream=True, timeout=timeout, allow_redirects=True)
    except requests.RequestException as exc:
        raise _error_for(exc, url, timeout, retries) from None
    too_long = f"the download took longer than {max_seconds:g}s; stopped reading {strip_credentials(url)}"
    watchdog, fired = None, threading.Event()
    if max_seconds is not None:  # a server dripping bytes never lets a read time out: close the stream instead

        def stop() -> None:
            fired.set()
            _shut(response)
            response.close()

        watchdog = threading.Timer(max(0.0, max_seconds - (time.monotonic() - started)), stop)
        watchdog.daemon = True
        watchdog.start()
    try:
        result = _stream(response, url, out, max_bytes=max_bytes, timeout=timeout, fired=fired, too_long=too_long)
    except (DownloadError, requests.RequestException, OSError, ValueError, AttributeError) as exc:
        if fired.is_set():
            raise DownloadError(too_long) from None
        if isinstance(exc, requests.RequestException):
            raise _error_for(exc, url, timeout, 0) from None
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()
    if fired.is_set():  # closed under the reader: what was read is cut short
        raise DownloadError(too_long)
    return result


def _shut(response: requests.Response) -> None:
    """Shut the response's socket down: a read blocked in another thread returns at once (closing the response
    alone leaves it waiting for the next full chunk, which a dripping server sends a byte at a time)."""
    raw = response.raw
    fp = getattr(getattr(raw, "_fp", None), "fp", None)
    for sock in (getattr(getattr(raw, "_connection", None), "sock", None),
                 getattr(getattr(fp, "raw", None), "_sock", None)):
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _stream(response: requests.Response, url: str, out, *, max_bytes: int, timeout: tuple[float, float],  # noqa: ANN001
            fired: threading.Event, too_long: str) -> tuple[str, int, requests.Response]:
    with response:
        status = response.status_code
        if not 200 <= status < 300:
            raise _status_error(response, url)
        announced = response.headers.get("Content-Length")
        if announced and announced.strip().isdigit() and int(announced) > max_bytes:
            raise DownloadError(f"the server announced {int(announced):,} bytes, more than the limit of "
                                f"{max_bytes:,} bytes for {url}")
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(f"the download exceeded the limit of {max_bytes:,} bytes; stopped "
                                        f"reading {url}")
                if fired.is_set():
                    raise DownloadError(too_long)
                digest.update(chunk)
                out.write(chunk)
        except requests.RequestException as exc:
            if fired.is_set():
                raise DownloadError(too_long) from None
            raise _error_for(exc, url, timeout, 0) from None
    return digest.hexdigest(), size, response


def _status_error(response: requests.Response, url: str) -> DownloadError:
    status = response.status_code
    text = _status_text(status, response.reason)
    where = url if response.url == url else f"{url} (redirected to {response.url})"
    if 400 <= status < 500:
        hint = ""
        if status in (401, 403, 407):
            hint = ("; the file may need a login or a request form: download it in a browser and use "
                    "--from FILE")
        elif status == 429:
            hint = "; too many requests, try again later"
        return DownloadError(f"the server refused: {text} for {where}{hint}")
    if status >= 500:
        attempts = _attempt_count(response)
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return DownloadError(f"the server failed: {text} for {where}{tries}")
    return DownloadError(f"unexpected answer from the server: {text} for {where}")

