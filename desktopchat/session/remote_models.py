"""Lists remote engines' models off the UI thread, so refreshing never blocks the window.

Each engine is asked on a thread of this object's own pool (``list_models``: bounded by its
timeouts); the answer comes back as a signal, queued to the receiver's thread.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktopchat.engine.remote_config import RemoteTarget
from desktopchat.engine.types import EngineError

log = logging.getLogger(__name__)

# desktopchat.engine.remote_http.offline_sentence() (not imported here: it loads the HTTP client)
OFFLINE = "Offline mode is on, so remote engines are not contacted; turn it off to use them."


class _ListJob(QRunnable):
    def __init__(self, owner: RemoteModelLister, target: RemoteTarget, timeout: float) -> None:
        super().__init__()
        self._owner = owner
        self._target = target
        self._timeout = timeout

    def run(self) -> None:
        from desktopchat.engine.remote import list_models  # the HTTP client: only when asked

        engine_id = self._target.endpoint.engine_id
        try:
            models = list_models(self._target, self._owner.offline, timeout=self._timeout)
        except EngineError as exc:
            self._owner.failed.emit(engine_id, str(exc))
            return
        except Exception as exc:
            log.exception("listing the models of %s failed", self._target.endpoint.base_url)
            self._owner.failed.emit(engine_id, f"The models of {self._target.endpoint.name} "
                                               f"could not be listed: {exc}.")
            return
        self._owner.listed.emit(engine_id, models)


class RemoteModelLister(QObject):
    """Asks remote engines for their models.

    Signals:
        listed(str engine_id, list[RemoteModel]): the engine's models (for the model picker).
        failed(str engine_id, str message): one sentence (unreachable, 401, offline...).
    """

    listed = Signal(str, list)
    failed = Signal(str, str)

    def __init__(self, offline: threading.Event | None = None, timeout: float = 10.0) -> None:
        super().__init__()
        self.offline = offline or threading.Event()
        self._timeout = timeout
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)

    def refresh(self, targets: list[RemoteTarget]) -> None:
        """Ask every engine in ``targets``; offline, each fails at once without a connection."""
        for target in targets:
            if self.offline.is_set():
                self.failed.emit(target.endpoint.engine_id, OFFLINE)
                continue
            self._pool.start(_ListJob(self, target, self._timeout))

    def shutdown(self, msecs: int = 15_000) -> None:
        """Wait for the lists in flight (each bounded by its timeout); on quit."""
        self._pool.waitForDone(msecs)


__all__ = ["RemoteModelLister"]
