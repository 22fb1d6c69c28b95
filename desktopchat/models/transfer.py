"""One HTTP request of a download (Qt-free): ask for the bytes from ``offset`` on, follow the Hub's
redirect to the CDN, check what the server says about the range and the file's size, and write
each block to the partial file the moment it arrives. Also the values a transfer reports and keeps
(progress, the per-part state) and the outcomes it raises.

The statuses the servers answer become the download's outcomes here: 401/403 is "gated" only when
the Hub says so (``X-Error-Code: GatedRepo``), a 403 from the CDN (an expired signed link) is
retried through a fresh redirect, a 416 tells the file's real size (``bytes */N``), 5xx and 429
are retried with backoff.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktopchat.models import hub, net

if TYPE_CHECKING:
    from desktopchat.models.download import DownloadJob, DownloadManager

log = logging.getLogger(__name__)


class DownloadError(Exception):
    """A download failed; ``str()`` is one sentence. ``retryable``: pressing Retry may help."""

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class DownloadPaused(Exception):
    """The pause event was set; the partial file is kept for a later resume."""


class DownloadCancelled(Exception):
    """The cancel event was set; the partial file was removed."""


class Dropped(Exception):
    """The connection dropped or stalled; retried with backoff."""


@dataclass(frozen=True)
class DownloadProgress:
    job_id: str
    done: int
    total: int
    speed: float  # bytes per second, smoothed; never negative
    eta: float | None  # seconds, None until the speed is known


@dataclass
class PartState:
    """What is known about one part while it downloads."""

    expected: int  # the size the Hub's listing gives (0: unknown)
    sha256: str
    digest: Any = field(default_factory=hashlib.sha256)
    server_total: int | None = None  # the size the byte server says the file has
    range_etag: str = ""  # the byte server's (CDN's) ETag, for If-Range

    def goal(self) -> int | None:
        """Where this part ends: the listed size, or the server's when the server's copy is
        shorter (the sha256 then decides whether it is the right file)."""
        if self.server_total is None:
            return self.expected or None
        if not self.expected:
            return self.server_total
        return min(self.expected, self.server_total)

    def restart(self) -> None:
        self.digest = hashlib.sha256()


class Meter:
    """Bytes done, a smoothed speed and an ETA, reported at most ``rate`` times a second."""

    def __init__(self, job: DownloadJob, done: int, report: Callable[[DownloadProgress], None],
                 rate: float = 10.0) -> None:
        self.job, self.done, self.report = job, done, report
        self.interval = 1.0 / rate
        self.speed = 0.0
        self._last_t = time.monotonic()
        self._last_done = done
        self._last_report = 0.0

    def add(self, n: int, force: bool = False) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last_t >= 0.25:
            inst = max(0.0, (self.done - self._last_done) / (now - self._last_t))
            self.speed = inst if self.speed == 0 else 0.7 * self.speed + 0.3 * inst
            self._last_t, self._last_done = now, self.done
        if force or now - self._last_report >= self.interval:
            self._last_report = now
            remaining = max(0, self.job.total - self.done)
            eta = remaining / self.speed if self.speed > 0 else None
            self.report(
                DownloadProgress(self.job.job_id, self.done, self.job.total, self.speed, eta))

    def rewind(self, n: int) -> None:
        """Bytes thrown away (a restart from 0): fewer done, but no negative speed."""
        self.done = max(0, self.done - n)
        self._last_t, self._last_done = time.monotonic(), self.done
        self.add(0, force=True)


def stream_part(manager: DownloadManager, url: str, partial: Path, state: PartState,
                meter: Meter, pause: threading.Event, cancel: threading.Event) -> None:
    """Append what the server sends after the partial's end; returns when the response ends
    or the part's goal is reached. Raises Dropped (retry), DownloadError, DownloadPaused or
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
                        n = _write(out, block)
                        state.digest.update(block[:n])
                        meter.add(n)
                        written += n
                        if n < len(block):
                            raise DownloadError(DISK_FULL, retryable=True)
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
        raise Dropped("the connection stalled" if isinstance(exc, httpx.TimeoutException)
                       else "the connection dropped") from exc


DISK_FULL = ("The disk is full, so the download stopped; what arrived is kept: free some space "
             "and press Retry to continue.")


def _write(out: Any, block: bytes) -> int:
    """Bytes of ``block`` written (fewer when the disk filled up mid-block)."""
    try:
        n = out.write(block)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return 0
        raise
    return len(block) if n is None else int(n)


def _accept(r: Any, offset: int, partial: Path, state: PartState, meter: Meter) -> int | None:
    """Check the response; the file offset its body starts at (``offset``, or 0 after a
    restart), or None when there is nothing to read (the partial is already the whole file)."""
    status = int(r.status_code)
    if status == 416:
        total = _total(r.headers.get("Content-Range", ""))
        if total is None or total > offset:
            raise Dropped("the server refused to resume the download (416)")
        state.server_total = total
        if total < offset:  # the partial is longer than the server's file: it is not this file
            log.info("%s is longer than the server's copy; starting over", partial.name)
            _restart(partial, offset, state, meter)
            raise Dropped("the partial file was longer than the server's copy")
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
            raise Dropped("the server resumed at the wrong place")
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


def _restart(partial: Path, offset: int, state: PartState, meter: Meter) -> None:
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
            raise Dropped(f"the download server refused the link ({status})")
        raise DownloadError(str(hub.refusal(status, code, "the download")), retryable=True)
    if status == 404:
        raise DownloadError("The Hub has no such file (404); check the model name.", False)
    if status >= 500 or status in (408, 429):
        raise Dropped(f"the server answered {status}")
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
