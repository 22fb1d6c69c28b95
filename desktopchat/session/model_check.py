"""ModelChecker: the isolated test load of a model file (``desktopchat.models.probe``) on its own
thread, before the app's own process ever loads that file.

A check whose verdict is cached (the same file, already checked) answers in milliseconds; a real
test load (a child process loading the model, rendering its template, writing a few tokens)
takes seconds and announces itself with ``started`` so the window can say "Checking model…".
Quitting cancels a check in progress (its child process is killed).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.models.probe import ProbeVerdict, cached_verdict, check_model
from desktopchat.session.engine_worker import WorkerThread

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckRequest:
    model_id: str
    path: str


class CheckWorker(QObject):
    """Signals:
        started(str model_id): a real test load began (no cached verdict).
        checked(str model_id, ProbeVerdict): the verdict.
    """

    started = Signal(str)
    checked = Signal(str, object)

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.cache_dir = cache_dir
        self.cancel = threading.Event()

    @Slot(object)
    def check(self, req: CheckRequest) -> None:
        if self.cancel.is_set():
            return
        path = Path(req.path)
        try:
            cached = cached_verdict(path, self.cache_dir)
        except OSError:
            cached = None
        if cached is None:
            self.started.emit(req.model_id)
        verdict = cached or check_model(path, cache_dir=self.cache_dir, cancel=self.cancel)
        if not verdict.ok:
            log.warning("test load of %s failed: %s", path, verdict.detail)
        self.checked.emit(req.model_id, verdict)


class ModelChecker(QObject):
    """The UI-thread side. Signals:
        started(str model_id), checked(str model_id, ProbeVerdict): as the worker's.
        check_requested(CheckRequest): to the worker.
    """

    started = Signal(str)
    checked = Signal(str, object)
    check_requested = Signal(object)

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.worker_thread = WorkerThread("desktopchat-checks")
        self.worker = CheckWorker(cache_dir)
        self.worker.moveToThread(self.worker_thread)
        self.check_requested.connect(self.worker.check)
        self.worker.started.connect(self.started)
        self.worker.checked.connect(self.checked)
        self.worker_thread.start()

    def request(self, model_id: str, path: str) -> None:
        self.check_requested.emit(CheckRequest(model_id, path))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel a test load in progress (its child is killed) and join the thread."""
        self.worker.cancel.set()
        for signal, slot in ((self.worker.started, self.started),
                             (self.worker.checked, self.checked)):
            signal.disconnect(slot)
        return self.worker_thread.stop(timeout_ms)


__all__ = ["CheckRequest", "ModelChecker", "ProbeVerdict"]
