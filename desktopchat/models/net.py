"""Network calls that another thread can cut short (Qt-free; no third-party import here).

A worker thread blocked in a socket read does not notice a flag, and closing the socket from
another thread does not wake it either (the read waits out its timeout). Shutting the socket down
does: the read fails at once. So every request made through the Hub client runs inside a
``Scope``; hooks installed on the client (``install``) record the sockets the scope's requests use
(the TCP connect, seen through httpx's ``trace`` extension, and the response's
``network_stream``), and ``Scope.interrupt()`` (pause, cancel) or ``interrupt_all()`` (quit)
shuts them down from the UI thread. A request started in an interrupted scope fails before it is
sent. The partial file of a download is untouched: it resumes later from what arrived.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import weakref
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

_local = threading.local()
_lock = threading.Lock()
_scopes: weakref.WeakSet[Scope] = weakref.WeakSet()
# Every socket the client connected, so that a pooled connection reused by a later request (whose
# connect this scope never saw) is still reached on quit.
_sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
_HOOKED = "_desktopchat_interruptible"
# Trace events after which a request goes out: an interrupted scope fails there, before sending.
_BEFORE_SENDING = frozenset({"connection.connect_tcp.started",
                             "http11.send_request_headers.started",
                             "http2.send_request_headers.started"})


class Interrupted(Exception):
    """The request's scope was interrupted (pause, cancel or quit) before it was sent."""


class Scope:
    """The sockets of one operation (a search, a download attempt) and its interrupt flag."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._interrupted = threading.Event()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()

    @property
    def interrupted(self) -> bool:
        return self._interrupted.is_set()

    def add(self, sock: object) -> None:
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.add(sock)
        with _lock:
            _sockets.add(sock)
        if self.interrupted:
            _shutdown(sock)

    def interrupt(self) -> None:
        """Fail this scope's reads now and refuse its further requests (any thread)."""
        self._interrupted.set()
        with self._lock:
            socks = list(self._sockets)
        for sock in socks:
            _shutdown(sock)

    # -- hooks (run on the requesting thread) -----------------------------------------------

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event in _BEFORE_SENDING and self.interrupted:
            raise Interrupted(self.name)
        if event in ("connection.connect_tcp.complete", "connection.connect_unix_socket.complete"):
            stream = info.get("return_value")
            if stream is not None:
                self.add(stream.get_extra_info("socket"))


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def current() -> Scope | None:
    return getattr(_local, "scope", None)


@contextlib.contextmanager
def scope(name: str = "", existing: Scope | None = None) -> Iterator[Scope]:
    """Run the block's requests (on this thread) in a scope that ``interrupt`` can cut."""
    s = existing or Scope(name)
    previous = current()
    _local.scope = s
    with _lock:
        _scopes.add(s)
    try:
        yield s
    finally:
        _local.scope = previous
        with _lock:
            _scopes.discard(s)


def interrupt_all(reason: str = "quit") -> int:
    """Interrupt every scope in progress and shut down every socket the client opened; returns
    how many operations were cut (they are logged)."""
    with _lock:
        active = list(_scopes)
        socks = list(_sockets)
    for s in active:
        log.warning("%s: cutting the network call in progress (%s)", reason, s.name or "Hub call")
        s.interrupt()
    for sock in socks:
        _shutdown(sock)
    return len(active)


def _on_request(request: Any) -> None:
    s = current()
    if s is None:
        return
    if s.interrupted:
        raise Interrupted(s.name)
    previous = request.extensions.get("trace")

    def trace(event: str, info: dict[str, Any]) -> None:
        s.trace(event, info)
        if previous is not None:
            previous(event, info)

    request.extensions["trace"] = trace


def _on_response(response: Any) -> None:
    s = current()
    stream = response.extensions.get("network_stream")
    if s is not None and stream is not None:
        s.add(stream.get_extra_info("socket"))


def install(client: Any) -> Any:
    """Add the hooks to an httpx client (once); returns the client."""
    if not getattr(client, _HOOKED, False):
        hooks = client.event_hooks
        hooks.setdefault("request", []).append(_on_request)
        hooks.setdefault("response", []).append(_on_response)
        client.event_hooks = hooks
        setattr(client, _HOOKED, True)
    return client
