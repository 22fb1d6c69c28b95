"""One window per user and data dir: a second launch raises the running window and exits.

Loading a second copy of a model would double the memory and fight over the same SQLite file,
so ``run_gui`` asks ``SingleInstance.claim()`` first. Who is first is decided by a ``QLockFile``
in the data dir, which Qt treats as stale when the process that wrote it is gone (a crash never
blocks start-up). The first instance also listens on a ``QLocalServer`` whose name is derived
from the user and the data dir; a later launch connects to it, writes ``activate`` and exits 0.
A socket left behind by a crash is removed by the lock holder before it listens.

``--self-test`` and the other command-line modes never get here.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
CONNECT_TIMEOUT_MS = 5000  # a first instance that holds the lock but is still starting up


def server_name(data_dir: Path) -> str:
    """Per user and per data dir, short enough for a Unix socket path on every platform."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers); the data dir is per user anyway
        user = "user"
    digest = hashlib.sha256(f"{user}\0{data_dir.resolve()}".encode()).hexdigest()[:16]
    return f"desktopchat-{digest}"


class SingleInstance(QObject):
    """The first instance's side of the handshake.

    Signals:
        activation_requested(): another launch asked this one to show its window (UI thread).
    """

    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._lock = QLockFile(str(data_dir / "desktopchat.lock"))
        self._lock.setStaleLockTime(0)  # only a dead owner makes it stale, never its age
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when this process is the first instance (and now listens); False otherwise."""
        if not self._lock.tryLock(0):
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Still the only instance (we hold the lock); we just cannot be raised by others.
            log.warning("single-instance server %s failed: %s", self.name, server.errorString())
            return True
        server.newConnection.connect(self._accept)
        self._server = server
        log.info("single-instance server listening as %s", self.name)
        return True

    def release(self) -> None:
        """Stop listening and drop the lock (on quit)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    @Slot()
    def _accept(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.setParent(self)
            sock.readyRead.connect(self._read)
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read_from(sock)

    @Slot()
    def _read(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._read_from(sock)

    def _read_from(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            if bytes(sock.readLine().data()) == ACTIVATE:
                log.info("another launch asked to show the window")
                self.activation_requested.emit()


def activate_running_instance(data_dir: Path, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """From a second launch: ask the first instance to show its window. True when delivered."""
    name = server_name(data_dir)
    deadline = QDeadlineTimer(timeout_ms)
    sock = QLocalSocket()
    try:
        while True:
            sock.connectToServer(name)
            if sock.waitForConnected(min(500, max(1, deadline.remainingTime()))):
                break
            if deadline.hasExpired():
                log.warning("the running instance did not answer on %s: %s",
                            name, sock.errorString())
                return False
            # The first instance holds the lock but is not listening yet: retry shortly (there
            # is no event loop in a second launch, so a plain sleep between attempts).
            sock.abort()
            QThread.msleep(min(100, max(1, deadline.remainingTime())))
        sock.write(ACTIVATE)
        delivered = sock.waitForBytesWritten(max(1, deadline.remainingTime()))
        sock.disconnectFromServer()
        if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            sock.waitForDisconnected(1000)
        return delivered
    finally:
        sock.abort()

