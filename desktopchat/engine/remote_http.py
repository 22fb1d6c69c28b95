"""The HTTP side of remote engines: a guarded httpx client, a bounded SSE reader, the one
sentence each failure gets, and ``ChatStream``, one chat completion read on a helper thread.

Every request of a remote engine goes through ``GuardedTransport``: it refuses before a socket
opens when offline mode is on, and refuses any host but the one the user added (no redirects,
no proxies or ``.netrc`` from the environment), so nothing reaches a server the user did not
add. Chat streams open a fresh connection each (no keep-alive), which lets Stop shut exactly
that socket from another thread the moment it is pressed, however stalled the server is.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from desktopchat.engine.remote_config import RemoteEndpoint

log = logging.getLogger(__name__)

MAX_LINE = 1 << 20  # one SSE line (a chunk is a few hundred bytes; a hostile server is not)
MAX_ERROR_BODY = 64 << 10  # bytes of an error body read to find its message
MAX_MESSAGE = 200  # characters of a server's own error message quoted to the user
# Sampling fields OpenAI's API does not define; an API that refuses them is asked again without.
EXTENDED_SAMPLING = ("top_k", "min_p", "repeat_penalty", "repetition_penalty")


class OfflineRefused(httpx.TransportError):
    """Offline mode is on: no connection was attempted."""


class ForeignHostRefused(httpx.TransportError):
    """A request for a host other than the engine's own (a bug or a redirect): refused."""


def offline_sentence() -> str:
    return "Offline mode is on, so remote engines are not contacted; turn it off to use them."


class GuardedTransport(httpx.BaseTransport):
    """httpx's transport, behind two checks made before any socket is opened."""

    def __init__(self, endpoint: RemoteEndpoint, offline: threading.Event | None,
                 verify: ssl.SSLContext | bool, keepalive: bool) -> None:
        self._origin = endpoint.origin
        self._offline = offline
        limits = httpx.Limits(max_keepalive_connections=None if keepalive else 0)
        self._inner = httpx.HTTPTransport(verify=verify, limits=limits, retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._offline is not None and self._offline.is_set():
            raise OfflineRefused("offline mode is on", request=request)
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        if (url.scheme, url.host.lower(), port) != self._origin:
            raise ForeignHostRefused(f"refused a request for {url.host}", request=request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def make_client(endpoint: RemoteEndpoint, api_key: str, offline: threading.Event | None, *,
                verify: ssl.SSLContext | bool = True, connect_timeout: float = 10.0,
                read_timeout: float = 300.0, keepalive: bool = False) -> httpx.Client:
    headers = {"Accept": "application/json", "User-Agent": "desktopchat"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return httpx.Client(
        transport=GuardedTransport(endpoint, offline, verify, keepalive),
        headers=headers,
        timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=30.0, pool=5.0),
        trust_env=False,  # no proxy or .netrc from the environment: only the server added
        follow_redirects=False,
    )


class SocketTracker:
    """Collects the sockets a request opens (httpcore's trace), so another thread can shut them:
    ``shutdown()`` wakes a read blocked in ``recv`` at once, which ``close()`` does not."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._shut = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            shut = self._shut
        if shut:
            _shutdown(sock)

    def shutdown(self) -> None:
        with self._lock:
            self._shut = True
            socks = list(self._sockets)
        for sock in socks:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's method: an SSLSocket's own shutdown() also drops its TLS object, which
    # the reading thread may be using. OSError: already closed or never connected.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def sse_events(chunks: Iterator[bytes], cancelled: Callable[[], bool]) -> Iterator[str]:
    """The ``data`` of each server-sent event, lines bounded; stops when ``cancelled()``."""
    buf = b""
    data: list[str] = []
    for chunk in chunks:
        if cancelled():
            return
        buf += chunk
        while True:
            cut = _line_end(buf)
            if cut is None:
                break
            end, nxt = cut
            line, buf = buf[:end], buf[nxt:]
            if not line:
                if data:
                    yield "\n".join(data)
                    data = []
                continue
            _add_data(data, line)
        if len(buf) > MAX_LINE:
            raise ValueError("an event line longer than the limit")
    _add_data(data, buf.rstrip(b"\r"))  # the last line may end without a newline
    if data:
        yield "\n".join(data)


def _add_data(data: list[str], line: bytes) -> None:
    if line.startswith(b"data:"):
        value = line[5:]
        data.append(value[1:].decode("utf-8", "replace") if value.startswith(b" ")
                    else value.decode("utf-8", "replace"))


def _line_end(buf: bytes) -> tuple[int, int] | None:
    n = buf.find(b"\n")
    r = buf.find(b"\r")
    if r >= 0 and (n < 0 or r < n):
        if r + 1 == len(buf):
            return None  # a \r\n may be split across chunks: wait for the next byte
        return (r, r + 2) if buf[r + 1:r + 2] == b"\n" else (r, r + 1)
    if n >= 0:
        return n, n + 1
    return None


# -- one sentence per failure -------------------------------------------------------------------


def _plain(text: str, limit: int = MAX_MESSAGE) -> str:
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    text = text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def server_message(body: bytes) -> str:
    """The message an OpenAI-style (or plain) error body carries, made plain and short."""
    text = body[:MAX_ERROR_BODY].decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        return _plain(text) if "<" not in text else ""
    if isinstance(data, dict):
        err = data.get("error", data)
        msg = (err.get("message") or err.get("detail") or "") if isinstance(err, dict) else err
        if isinstance(msg, str):
            return _plain(msg)
        detail = data.get("detail")
        if isinstance(detail, str):
            return _plain(detail)
    return ""


def retry_after_seconds(value: str | None, now: float | None = None) -> int | None:
    """Retry-After as seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), 86400)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return max(0, min(int(delta + 0.999), 86400))


def status_sentence(name: str, model: str, status: int, headers: httpx.Headers,
                    body: bytes) -> str:
    """The sentence for an HTTP error status from engine ``name``."""
    msg = server_message(body)
    said = f": {msg}" if msg else ""
    if status in (401, 403):
        return (f"{name} refused the API key (HTTP {status}); check the key in Remote "
                f"engines.")
    if status == 404 and not model:  # listing the models: the address is wrong
        return (f"{name} is not an OpenAI-compatible API at this address (HTTP 404); check "
                f"the base URL (it usually ends in /v1).")
    if status == 404:
        return (f"{name} has no model named {model}, or its address is not an "
                f"OpenAI-compatible API (HTTP 404).")
    if status == 429:
        wait = retry_after_seconds(headers.get("retry-after"))
        when = f"try again in {wait} s" if wait is not None else "try again in a moment"
        return f"{name} is limiting requests (HTTP 429); {when}."
    if 300 <= status < 400:
        return (f"{name} redirected the request (HTTP {status}); enter the address it "
                f"redirects to.")
    if status >= 500:
        return f"{name} failed with a server error (HTTP {status}){said}."
    return f"{name} rejected the request (HTTP {status}){said}."


def _is_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError):
            return True
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    return "SSL" in text or "certificate" in text.lower() or "TLS" in text


def transport_sentence(endpoint: RemoteEndpoint, exc: Exception, started: bool) -> str:
    """The sentence for a connection-level failure; ``started``: part of the reply arrived."""
    name = endpoint.name
    host = endpoint.origin[1]
    if isinstance(exc, OfflineRefused):
        return offline_sentence()
    if isinstance(exc, ForeignHostRefused):
        return f"A request to a server other than {name} was refused."
    if started:
        if isinstance(exc, httpx.TimeoutException):
            return (f"{name} stopped sending the reply (nothing arrived for too long); the "
                    f"partial reply was kept.")
        return (f"The connection to {name} dropped in the middle of the reply; the partial "
                f"reply was kept.")
    if _is_tls(exc):
        reason = _plain(str(exc), 120)
        return f"The secure (TLS) connection to {name} failed: {reason}."
    if isinstance(exc, httpx.ConnectTimeout):
        return f"{name} at {host} did not answer; check the address and that it is running."
    if isinstance(exc, httpx.ConnectError):
        return f"{name} at {host} cannot be reached; check the address and that it is running."
    if isinstance(exc, httpx.TimeoutException):
        return f"{name} did not start replying in time; it may be overloaded."
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"{name} closed the connection before replying."
    return f"The request to {name} failed: {_plain(str(exc), 120) or type(exc).__name__}."


# -- one chat completion ------------------------------------------------------------------------


class ChatStream:
    """One chat completion on a helper thread; events go to ``out`` as tuples:
    ("delta", content, reasoning), ("usage", dict), ("finish", str), ("error", sentence),
    ("end", None)."""

    def __init__(self, client: httpx.Client, endpoint: RemoteEndpoint, model: str,
                 body: dict[str, Any], plain_sampling: bool) -> None:
        self.client = client
        self.endpoint = endpoint
        self.model = model
        self.body = body
        self.plain_sampling = plain_sampling
        self.out: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.cancel = threading.Event()
        self.sockets = SocketTracker()
        self.started = False  # part of the reply arrived
        self.finished = False  # the server said why the reply ended (finish_reason)
        self.thread = threading.Thread(target=self._run, name="desktopchat-remote-stream",
                                       daemon=True)

    def abort(self) -> None:
        self.cancel.set()
        self.sockets.shutdown()

    def _run(self) -> None:
        try:
            self._exchange()
        except Exception as exc:
            if self.cancel.is_set():
                self.out.put(("end", None))
                return
            if self.finished:  # the reply was complete; only the closing [DONE] was lost
                self.out.put(("clean", True))
                self.out.put(("end", None))
                return
            if not isinstance(exc, httpx.HTTPError):
                log.exception("the remote stream failed")
            self.out.put(("error", self._sentence(exc)))
        self.out.put(("end", None))

    def _sentence(self, exc: Exception) -> str:
        if isinstance(exc, httpx.HTTPError):
            return transport_sentence(self.endpoint, exc, self.started)
        if self.started:
            return (f"{self.endpoint.name} sent a reply the app cannot read; the partial reply "
                    f"was kept.")
        return f"{self.endpoint.name} sent a reply the app cannot read."

    def _exchange(self) -> None:
        body = self.body
        for attempt in range(2):
            request = self.client.build_request(
                "POST", f"{self.endpoint.base_url}/chat/completions", json=body,
                extensions={"trace": self.sockets.trace})
            resp = self.client.send(request, stream=True)
            try:
                if resp.status_code == 400 and attempt == 0 and not self.plain_sampling:
                    # An API that refuses the sampling fields OpenAI does not define (top_k,
                    # min_p, repeat_penalty): ask once more with only the standard ones.
                    resp.read()
                    body = {k: v for k, v in body.items()
                            if k not in EXTENDED_SAMPLING and k != "stream_options"}
                    self.out.put(("plain_sampling", True))
                    continue
                if resp.status_code != 200:
                    text = resp.read()
                    self.out.put(("error", status_sentence(
                        self.endpoint.name, self.model, resp.status_code, resp.headers, text)))
                    return
                self._read_events(resp)
                return
            finally:
                resp.close()

    def _read_events(self, resp: httpx.Response) -> None:
        done = False
        for data in sse_events(resp.iter_bytes(), self.cancel.is_set):
            if data.strip() == "[DONE]":
                done = True
                break
            chunk = json.loads(data)
            if not isinstance(chunk, dict):
                continue
            if "error" in chunk:
                msg = server_message(data.encode()) or "an error"
                self.out.put(("error", f"{self.endpoint.name} reported {msg}."))
                return
            usage = chunk.get("usage")
            if isinstance(usage, dict):
                self.out.put(("usage", usage))
            for choice in chunk.get("choices") or []:
                if not isinstance(choice, dict):
                    continue
                delta = choice.get("delta") or choice.get("message") or {}
                if isinstance(delta, dict):
                    content = delta.get("content")
                    reasoning = delta.get("reasoning_content") or delta.get("reasoning")
                    content = content if isinstance(content, str) else ""
                    reasoning = reasoning if isinstance(reasoning, str) else ""
                    if content or reasoning:
                        self.started = True
                        self.out.put(("delta", content, reasoning))
                if isinstance(choice.get("finish_reason"), str):
                    self.out.put(("finish", choice["finish_reason"]))
                    self.finished = done = True
                break  # one choice (n=1)
        if not done and not self.cancel.is_set():
            self.out.put(("error", transport_sentence(
                self.endpoint, httpx.RemoteProtocolError("ended early"), self.started)))
        elif done:
            self.out.put(("clean", True))
