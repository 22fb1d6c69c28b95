"""uvicorn on its own thread and asyncio loop, listening on 127.0.0.1 only.

The listening socket is bound here (not by uvicorn) so the address is checked and known before
the thread starts, a port in use is one sentence, and nothing but the loopback interface is
ever bound. ``stop()`` ends the server and joins its thread; open streams get a short grace.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
from typing import Any

import uvicorn

from desktopchat.api.config import DEFAULT_PORT

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


def uvicorn_config(app: Any) -> uvicorn.Config:
    """How the server runs: the standard asyncio loop and h11, named rather than "auto", so the
    same code runs whether or not uvloop or httptools happen to be installed, and the installer
    bundle knows which of uvicorn's modules it needs (they are imported by name at start)."""
    return uvicorn.Config(
        app, loop="asyncio", http="h11", ws="none", lifespan="off", log_config=None,
        access_log=False, limit_concurrency=32, timeout_keep_alive=5,
        timeout_graceful_shutdown=2, h11_max_incomplete_event_size=64 << 10,
    )


class ServerError(Exception):
    """The server cannot start; ``str()`` is one plain sentence."""


class ServerThread:
    """Serves one ASGI app on ``127.0.0.1:port`` (port 0: any free one) from its own thread."""

    def __init__(self, app: Any, port: int = DEFAULT_PORT, name: str = "desktopchat-api") -> None:
        if not 0 <= port <= 65535:
            raise ServerError(f"{port} is not a valid port number.")
        self._app = app
        self._port = port
        self._name = name
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The bound socket's own address (host, port)."""
        if self._sock is None:
            raise ServerError("The server is not running.")
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}/v1"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, self._port))
            sock.listen(64)
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                raise ServerError(f"Port {self._port} is already in use; pick another port.") \
                    from exc
            raise ServerError(f"The local API could not listen on port {self._port}: "
                              f"{exc.strerror or exc}.") from exc
        self._sock = sock
        self._server = uvicorn.Server(uvicorn_config(self._app))
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        log.info("local API listening on %s:%d", *self.address)

    def _run(self) -> None:
        assert self._server is not None and self._sock is not None
        try:
            asyncio.run(self._server.serve(sockets=[self._sock]))
        except Exception:
            log.exception("the local API server stopped with an error")

    def stop(self, timeout: float = 10.0) -> None:
        server, thread, sock = self._server, self._thread, self._sock
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout)
        if sock is not None:
            sock.close()
        self._server = self._thread = None
        self._sock = None
