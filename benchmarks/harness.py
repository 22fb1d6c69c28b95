"""The app's engine driven the way the window drives it: an ``EngineWorker`` on its own QThread,
text batches received by a QObject on the GUI thread (arrival times recorded there)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from desktopchat.engine.types import (
    GenerationRequest,
    GenerationResult,
    KVStateConfig,
    LoadRequest,
    ModelInfo,
)
from desktopchat.session.engine_worker import EngineWorker, WorkerThread
from desktopchat.ui import idle_gc


def qapp() -> QApplication:
    """The benchmarks' QApplication, with the app's garbage-collection policy (idle_gc)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(["desktopchat-bench"])
    idle_gc.install(app)
    return app


@dataclass
class Received:
    """What the GUI thread saw of one reply."""

    sent: float
    batches: list[tuple[float, int]] = field(default_factory=list)  # (arrival, total chars)
    text: list[str] = field(default_factory=list)
    result: GenerationResult | None = None
    finished_at: float = 0.0

    @property
    def ttft(self) -> float:
        return self.batches[0][0] - self.sent if self.batches else float("nan")

    def decode_rate(self) -> float:
        """Tokens/s after the first, as the GUI thread receives them."""
        assert self.result is not None
        n = self.result.completion_tokens
        span = self.batches[-1][0] - self.batches[0][0] if len(self.batches) > 1 else 0
        return (n - 1) / span if span > 0 else float("nan")


class Driver(QObject):
    """Sends requests to a real EngineWorker thread and waits (spinning the event loop)."""

    generate_requested = Signal(object)
    load_requested = Signal(object)
    save_requested = Signal()
    unload_requested = Signal()
    prefill_requested = Signal(object)

    def __init__(self, kv: KVStateConfig | None = None) -> None:
        super().__init__()
        self.app = qapp()
        self.worker_thread = WorkerThread("bench-engine")
        self.worker = EngineWorker(kv)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.start()
        self.worker.tokens.connect(self._on_tokens)
        self.worker.finished.connect(self._on_finished)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.load_failed.connect(self._on_failed)
        self.worker.unloaded.connect(self._on_unloaded)
        self.generate_requested.connect(self.worker.generate)
        self.load_requested.connect(self.worker.load)
        self.save_requested.connect(self.worker.save_state)
        self.unload_requested.connect(self.worker.unload)
        self.prefill_requested.connect(self.worker.prefill)
        self.worker.prefilled.connect(self._on_prefilled)
        self.prefilled = 0
        self._loop: QEventLoop | None = None
        self._current: Received | None = None
        self.info: ModelInfo | None = None
        self._next = 0

    def _wait(self, timeout_s: float = 1800) -> None:
        loop = QEventLoop()
        self._loop = loop
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        self._loop = None

    def _done(self) -> None:
        if self._loop is not None:
            self._loop.quit()

    @Slot(int, str)
    def _on_tokens(self, rid: int, text: str) -> None:
        cur = self._current
        if cur is not None:
            cur.text.append(text)
            total = (cur.batches[-1][1] if cur.batches else 0) + len(text)
            cur.batches.append((time.perf_counter(), total))

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        if self._current is not None:
            self._current.result = result
            self._current.finished_at = time.perf_counter()
        self._done()

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self.info = info
        self._done()

    @Slot(str, str)
    def _on_failed(self, model_id: str, message: str) -> None:
        raise RuntimeError(message)

    @Slot(int, int)
    def _on_prefilled(self, _rid: int, evaluated: int) -> None:
        self.prefilled = evaluated
        self._done()

    @Slot()
    def _on_unloaded(self) -> None:
        self.info = None
        self._done()

    def load(self, req: LoadRequest, settle: bool = True) -> ModelInfo:
        """Load; with ``settle``, also wait until the worker has put the model's memory in
        huge pages (desktopchat.engine.hugepages), as it does in the seconds after a load,
        before the user's first message: the figures measure the app's steady state, and no
        collapsing runs while a peer is measured."""
        self.load_requested.emit(req)
        self._wait()
        assert self.info is not None, "model did not load"
        deadline = time.perf_counter() + 60
        while settle and getattr(self.worker._engine, "_backing", None) is not None:
            assert time.perf_counter() < deadline, "the model's memory never settled"
            loop = QEventLoop()
            QTimer.singleShot(10, loop.quit)
            loop.exec()
        return self.info

    def unload(self) -> None:
        self.unload_requested.emit()
        self._wait()

    def generate(self, messages, params, conversation_id: int = 0) -> Received:  # type: ignore[no-untyped-def]
        self._next += 1
        self._current = rec = Received(time.perf_counter())
        self.generate_requested.emit(
            GenerationRequest(self._next, tuple(messages), params, conversation_id=conversation_id)
        )
        self._wait()
        self._current = None
        assert rec.result is not None, "no reply"
        return rec

    def prefill(self, messages, params, conversation_id: int = 0) -> int:  # type: ignore[no-untyped-def]
        """What the app does when the user pauses typing: read the draft's prompt ahead."""
        self._next += 1
        self.prefill_requested.emit(
            GenerationRequest(self._next, tuple(messages), params, conversation_id=conversation_id)
        )
        self._wait()
        return self.prefilled

    def stop_flag(self) -> None:
        self.worker.stop(self._next)

    def close(self) -> None:
        from PySide6.QtCore import QMetaObject, Qt

        QMetaObject.invokeMethod(self.worker, "shutdown",
                                 Qt.ConnectionType.BlockingQueuedConnection)
        self.worker_thread.stop()
