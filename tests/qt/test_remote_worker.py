"""A remote model through the real engine worker thread, wired as desktopchat.session.
engine_choice proposes: the same tokens/finished signals as a local model, Stop through
``worker.stop`` while the server stalls, and switching between remote and local models."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.remote_config import RemoteEndpoint, RemoteLoadRequest, RemoteTarget
from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LoadRequest,
    ModelInfo,
)
from desktopchat.session.engine_choice import load_engine
from desktopchat.session.engine_worker import EngineWorker, WorkerThread
from tests.support.servers import ScriptedServer, free_port

pytestmark = pytest.mark.realmodel


class RemoteCapableWorker(EngineWorker):
    """``EngineWorker.load`` as the wiring asks: ``load_engine`` picks local or remote."""

    def __init__(self, offline: threading.Event) -> None:
        super().__init__(None)
        self.offline = offline

    @Slot(object)
    def load(self, req: LoadRequest) -> None:
        self.loading.emit(req.model_id)
        try:
            self._engine, info = load_engine(self._engine, req, self._kv_state, self.offline)
        except EngineError as exc:
            self.load_failed.emit(req.model_id, str(exc))
            if self._engine is not None and self._engine.info is not None:
                self.loaded.emit(self._engine.info)
            return
        self.loaded.emit(info)


class Window(QObject):
    """Stands in for the controller (on the test's thread)."""

    load_requested = Signal(object)
    generate_requested = Signal(object)

    def __init__(self, worker: EngineWorker) -> None:
        super().__init__()
        self.worker = worker
        self.infos: list[ModelInfo] = []
        self.failures: list[str] = []
        self.text: list[str] = []
        self.results: list[GenerationResult] = []
        self.stop_after = ""
        self._rid = 0
        self.load_requested.connect(worker.load)
        self.generate_requested.connect(worker.generate)
        worker.loaded.connect(self.on_loaded)
        worker.load_failed.connect(self.on_failed)
        worker.tokens.connect(self.on_tokens)
        worker.finished.connect(self.on_finished)

    @Slot(object)
    def on_loaded(self, info: ModelInfo) -> None:
        self.infos.append(info)

    @Slot(str, str)
    def on_failed(self, _mid: str, message: str) -> None:
        self.failures.append(message)

    @Slot(int, str)
    def on_tokens(self, rid: int, text: str) -> None:
        self.text.append(text)
        if self.stop_after and self.stop_after in "".join(self.text):
            self.worker.stop(rid)  # what the Stop button does

    @Slot(object)
    def on_finished(self, result: GenerationResult) -> None:
        self.results.append(result)

    def ask(self, qtbot: Any) -> GenerationResult:
        self._rid += 1
        n = len(self.results)
        self.text = []
        self.generate_requested.emit(GenerationRequest(
            self._rid, (ChatMessage("user", "Say hello."),),
            GenerationParams(temperature=0.0, max_tokens=8)))
        qtbot.waitUntil(lambda: len(self.results) > n, timeout=120_000)
        return self.results[-1]

    def load(self, qtbot: Any, req: LoadRequest) -> None:
        n, f = len(self.infos), len(self.failures)
        self.load_requested.emit(req)
        qtbot.waitUntil(lambda: len(self.infos) > n or len(self.failures) > f, timeout=120_000)


def remote(url: str, model: str) -> RemoteLoadRequest:
    target = RemoteTarget(RemoteEndpoint("r1", "Scripted", url), model)
    return RemoteLoadRequest(f"remote:r1:{model}", f"{url} {model}", target=target)


@pytest.fixture
def window(qtbot: Any) -> Iterator[tuple[Window, threading.Event]]:
    offline = threading.Event()
    thread = WorkerThread("test-engine")
    worker = RemoteCapableWorker(offline)
    worker.moveToThread(thread)
    thread.start()
    try:
        yield Window(worker), offline
    finally:
        QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        thread.stop()


def test_remote_reply_and_stop_through_the_worker(
        qtbot: Any, window: tuple[Window, threading.Event], smollm2_path: Path) -> None:
    win, offline = window
    with ScriptedServer() as server:
        win.load(qtbot, remote(server.url, "stall"))
        assert win.infos[-1].name == "stall (Scripted)"
        win.stop_after = "world"
        result = win.ask(qtbot)
        assert not server.release.is_set()  # the worker answered while the server stalls
        assert result.finish_reason is FinishReason.STOPPED and result.text == "Hello world"
        assert "".join(win.text) == "Hello world"
        assert server.disconnected.wait(10)
        win.stop_after = ""
        sent = len(server.requests)
        offline.set()
        refused = win.ask(qtbot)
        assert refused.error.startswith("Offline mode is on") and len(server.requests) == sent
        offline.clear()
    # Switch to the local model, then fail to switch back: the local model stays.
    win.load(qtbot, LoadRequest("smol", str(smollm2_path), n_ctx=1024, n_threads=2))
    assert win.infos[-1].model_id == "smol"
    win.load(qtbot, remote(f"http://127.0.0.1:{free_port()}/v1", "m"))
    assert win.failures[-1].endswith("cannot be reached; check the address and that it is "
                                     "running.")
    assert win.infos[-1].model_id == "smol"
    local = win.ask(qtbot)
    assert local.error == "" and local.text
