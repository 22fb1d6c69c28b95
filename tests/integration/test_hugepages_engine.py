"""The real engine on SmolLM2 puts the model it loaded in huge pages (engine.hugepages): weights
read into memory where that is possible, the buffers collapsed once the model is ready, and the
model answers the same afterwards. The worker does it after saying the model is loaded, and a
failure there never costs the model."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import llama_cpp
import pytest
from PySide6.QtCore import QMetaObject, QObject, Qt, Signal

from desktopchat.chat.types import ChatMessage
from desktopchat.engine import engine as engine_module
from desktopchat.engine import hugepages
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest
from desktopchat.models.gguf import read_gguf
from desktopchat.session.engine_worker import EngineWorker, WorkerThread

pytestmark = pytest.mark.realmodel

QUESTION = (ChatMessage("user", "What is the capital of France?"),)
GREEDY = GenerationParams(temperature=0.0, max_tokens=24, seed=42)


def _ask(engine: Engine) -> str:
    req = GenerationRequest(1, QUESTION, GREEDY)
    return engine.generate(req, threading.Event(), lambda _t: None).text


@pytest.fixture
def llama_kwargs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    real = llama_cpp.Llama

    def llama(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_module.llama_cpp, "Llama", llama)
    return seen


def test_the_loaded_model_goes_into_huge_pages_and_answers_the_same(smollm2_path, llama_kwargs):
    engine = Engine()
    try:
        engine.load(LoadRequest("s", str(smollm2_path), n_ctx=1024, n_threads=2))
        before = _ask(engine)
        assert "Paris" in before
        result = engine.back_memory(60.0)
        if not hugepages.supported():  # macOS, Windows, huge pages switched off
            assert result is None and llama_kwargs[-1].get("use_mmap", True)
            return
        assert llama_kwargs[-1]["use_mmap"] is False  # weights in memory, not a file mapping
        assert result is not None, "a model read in is put in huge pages"
        # the weights themselves are among what was advised, not only the KV cache (less the
        # partial 2 MiB chunks at their buffers' ends; mapped, none of them would count)
        assert result.advised >= 0.75 * read_gguf(smollm2_path).tensor_bytes
        assert result.collapsed > 0 and result.collapsed <= result.advised
        assert engine.back_memory(60.0) is None  # once per load
        assert _ask(engine) == before
    finally:
        engine.close()


def test_a_model_too_big_to_read_in_keeps_its_file_mapping(smollm2_path, llama_kwargs,
                                                         monkeypatch):
    monkeypatch.setattr(engine_module, "available_memory", lambda: 130 * 2**20)  # tight
    engine = Engine()
    try:
        engine.load(LoadRequest("s", str(smollm2_path), n_ctx=1024, n_threads=2))
        assert "use_mmap" not in llama_kwargs[-1]
        assert engine.back_memory(60.0) is None
        assert "Paris" in _ask(engine)
    finally:
        engine.close()


class _Driver(QObject):
    load = Signal(object)
    generate = Signal(object)


def _load_and_ask(qtbot: Any, smollm2_path: Path,
                  then: Callable[[], object] = lambda: None) -> list[str]:
    """Load SmolLM2 in a real worker, ask once, ``then`` (the worker still running); what the
    worker thread did, in order."""
    thread = WorkerThread("test-engine")
    worker = EngineWorker(None)
    worker.moveToThread(thread)
    thread.start()
    events: list[str] = []
    direct = Qt.ConnectionType.DirectConnection  # recorded on the worker thread, in order
    worker.loaded.connect(lambda _info: events.append("loaded"), direct)
    worker.finished.connect(lambda r: events.append(f"answered: {r.text}"), direct)
    driver = _Driver()
    driver.load.connect(worker.load)
    driver.generate.connect(worker.generate)
    try:
        driver.load.emit(LoadRequest("s", str(smollm2_path), n_ctx=1024, n_threads=2))
        driver.generate.emit(GenerationRequest(7, QUESTION, GREEDY))  # queued behind the load
        qtbot.waitUntil(lambda: any(e.startswith("answered") for e in events), timeout=120_000)
        events.append("then")
        then()
    finally:
        QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        thread.stop()
    return events


def test_the_worker_backs_the_model_after_saying_it_is_loaded(qtbot, smollm2_path, monkeypatch):
    real = Engine.back_memory
    calls: list[Any] = []

    def back_memory(self: Engine, *args: Any) -> Any:
        result = real(self, *args)
        calls.append(result)
        return result

    monkeypatch.setattr(Engine, "back_memory", back_memory)
    def finished() -> None:
        qtbot.waitUntil(lambda: bool(calls) and (calls[-1] is None or calls[-1].done),
                        timeout=30_000)

    events = _load_and_ask(qtbot, smollm2_path, finished)
    assert events[0] == "loaded" and "Paris" in events[1] and len(events) == 3
    if hugepages.supported():
        assert calls[0] is not None and calls[-1].collapsed > 0
    else:
        assert calls == [None]


def test_a_request_waits_for_one_slice_of_backing_not_all_of_it(qtbot, smollm2_path,
                                                              monkeypatch):
    from desktopchat.engine.hugepages import BackingResult

    calls: list[float] = []

    def slow(self: Engine, *args: Any) -> BackingResult:  # 40 slices of 50 ms: 2 s in all
        time.sleep(0.05)
        calls.append(time.perf_counter())
        return BackingResult(0, 0, 0.05 * len(calls), len(calls) >= 40)

    monkeypatch.setattr(Engine, "back_memory", slow)
    seen: dict[str, Any] = {}

    def rest() -> None:
        seen["calls when answered"], seen["answered"] = len(calls), time.perf_counter()
        qtbot.waitUntil(lambda: len(calls) == 40, timeout=30_000)  # and then it went on

    events = _load_and_ask(qtbot, smollm2_path, rest)
    assert events[0] == "loaded" and "Paris" in events[1]
    assert seen["calls when answered"] < 40, "the request waited for all of the backing"
    assert calls[-1] > seen["answered"] and len(calls) == 40


def test_a_failure_backing_the_model_costs_nothing(qtbot, smollm2_path, monkeypatch, caplog):
    def broken(self: Engine, *args: Any) -> Any:
        raise OSError("madvise exploded")

    monkeypatch.setattr(Engine, "back_memory", broken)
    with caplog.at_level(logging.ERROR, logger="desktopchat"):
        events = _load_and_ask(qtbot, smollm2_path)
    assert events[0] == "loaded" and "Paris" in events[1]
    assert "putting the model in huge pages failed" in caplog.text
