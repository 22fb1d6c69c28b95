"""One HTTP request of a download (Qt-free): ask for the bytes from ``offset`` on, follow the Hub's
redirect to the CDN, check what the server says about the range and the file's size, and write
each block to the partial file the moment it arrives.

The statuses the servers answer become the download's outcomes here: 401/403 is "gated" only when
the Hub says so (``X-Error-Code: GatedRepo``), a 403 from the CDN (an expired signed link) is
retried through a fresh redirect, a 416 tells the file's real size (``bytes */N``), 5xx and 429
are retried with backoff.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktopchat.models import hub, net
from desktopchat.models.download import (
    DownloadCancelled,
    DownloadError,
    DownloadPaused,
    _Dropped,
    _Meter,
    _PartState,
)

if TYPE_CHECKING:
    from desktopchat.models.download import DownloadManager

log = logging.getLogger(__name__)


def stream_part(manager: DownloadManager, url: str, partial: Path, state: _PartState,
                meter: _Meter, pause: threading.Event, cancel: threading.Event) -> None:
    """Append what the server sends after the partial's end; returns when the response ends
    or the part's goal is reached. Raises _Dropped (retry), DownloadError, DownloadPaused or
    DownloadCancelled."""
    httpx = hub.httpx()
    offset = partial.stat().st_size if partial.exists() else 0
    headers = hub.auth_headers()
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if state.range_etag and not state.range_etag.startswith("W/"):
            headers["If-Range"] = state.range_etag  # the CDN's own ETag, as it sent it
    timeout = httpx.Timeout(manager.stall_timeout, connect=min(30.0, manager.stall_timeout))
    try:
        with hub.http_session().stream("GET", url, headers=headers, timeout=timeout,
                                       follow_redirects=True) as r:
            start = _accept(r, offset, partial, state, meter)
            if start is None:
                return
            goal = state.goal()
            with partial.open("ab", buffering=0) as out:
                written = start
                # No chunk size: each block is written as it arrives (a drop loses nothing).
                for block in r.iter_bytes():
                    if goal is not None and written + len(block) > goal:
                        log.warning("%s: the server sent more than the file's %d bytes; "
                                    "ignoring the rest", partial.name, goal)
                        block = block[: goal - written]
                    if block:
                        out.write(block)
                        state.digest.update(block)
                        meter.add(len(block))
                        written += len(block)
                    if cancel.is_set():
                        raise DownloadCancelled()
                    if pause.is_set():
                        raise DownloadPaused()
                    if goal is not None and written >= goal:
                        break
    except (net.Interrupted, httpx.TimeoutException, httpx.RemoteProtocolError,
            httpx.NetworkError) as exc:
        if cancel.is_set():
            raise DownloadCancelled() from exc
        if pause.is_set():
            raise DownloadPaused() from exc
        if isinstance(exc, httpx.ConnectError) and not partial.exists():
            raise DownloadError(
                "The Hub could not be reached; check your network connection and press Retry."
            ) from exc
        raise _Dropped("the connection stalled" if isinstance(exc, httpx.TimeoutException)
                       else "the connection dropped") from exc


def _accept(r: Any, offset: int, partial: Path, state: _PartState, meter: _Meter) -> int | None:
    """Check the response; the file offset its body starts at (``offset``, or 0 after a
    restart), or None when there is nothing to read (the partial is already the whole file)."""
    status = int(r.status_code)
    if status == 416:
        total = _total(r.headers.get("Content-Range", ""))
        if total is None or total > offset:
            raise _Dropped("the server refused to resume the download (416)")
        state.server_total = total
        if total < offset:  # the partial is longer than the server's file: it is not this file
            log.info("%s is longer than the server's copy; starting over", partial.name)
            _restart(partial, offset, state, meter)
            raise _Dropped("the partial file was longer than the server's copy")
        return None  # the partial already holds the server's whole file: verify it
    _check_status(r)
    if status == 200:
        state.server_total = _int(r.headers.get("Content-Length")) \
            if r.headers.get("Content-Encoding", "identity") == "identity" else None
        if offset:  # the server ignored Range (or If-Range did not match): start over
            log.info("the server sent the whole file; restarting %s", partial.name)
            _restart(partial, offset, state, meter)
            offset = 0
    else:  # 206
        value = r.headers.get("Content-Range", "")
        if _start(value) != offset:
            raise _Dropped("the server resumed at the wrong place")
        state.server_total = _total(value)
    state.range_etag = r.headers.get("ETag", "")
    total, expected = state.server_total, state.expected
    if total is not None and expected and total != expected:
        log.warning("%s: the server says the file is %d bytes, the Hub lists %d", partial.name,
                    total, expected)
        if not state.sha256 and total > expected:
            raise DownloadError(
                f"The server sent more than the file's {expected:,} bytes (it lied about the "
                "size) and the Hub gives no checksum; nothing was installed.", retryable=True)
    return offset


def _restart(partial: Path, offset: int, state: _PartState, meter: _Meter) -> None:
    meter.rewind(offset)
    state.restart()
    partial.unlink(missing_ok=True)


def _check_status(r: Any) -> None:
    status = int(r.status_code)
    if status in (200, 206):
        return
    redirected = bool(getattr(r, "history", None))
    if status in (401, 403):
        code = r.headers.get("X-Error-Code", "")
        if redirected and not code:  # the CDN refused its signed link (it expired): ask again
            raise _Dropped(f"the download server refused the link ({status})")
        raise DownloadError(str(hub.refusal(status, code, "the download")), retryable=True)
    if status == 404:
        raise DownloadError("The Hub has no such file (404); check the model name.", False)
    if status >= 500 or status in (408, 429):
        raise _Dropped(f"the server answered {status}")
    raise DownloadError(f"The Hub answered with error {status}; try again later.")


def _int(value: str | None) -> int | None:
    try:
        n = int(value or "")
    except ValueError:
        return None
    return n if n >= 0 else None


def _start(value: str) -> int:
    """``bytes 100-199/1000`` -> 100 (-1 when malformed)."""
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return -1


def _total(value: str) -> int | None:
    """``bytes 100-199/1000`` or ``bytes */1000`` -> 1000 (None when unknown or malformed)."""
    return _int(value.rsplit("/", 1)[-1]) if "/" in value else None
