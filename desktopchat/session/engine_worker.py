"""QObjects that live on their own QThreads and bridge the Qt-free engine to signals.

The engine worker is the only owner of the model: the ``Engine`` (and so the ``llama_cpp.Llama``)
is created, used and closed on the worker's thread. Requests arrive as queued signals carrying
frozen dataclasses; results leave the same way. Stop is not a queued signal (it would wait behind
the generation it should stop) but a per-request ``threading.Event`` set from the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationRequest,
    GenerationResult,
    KVStateConfig,
    LoadRequest,
)

log = logging.getLogger(__name__)


class _StopFlags:
    """Per-request stop events, exact by id: the window and the local API share the worker, so
    stopping one request must never stop another. A stop for a request not yet started is
    remembered (the last few hundred ids; ids are never reused)."""

    REMEMBERED = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._early: OrderedDict[int, None] = OrderedDict()
        self._current: tuple[int, threading.Event] | None = None

    def begin(self, request_id: int) -> threading.Event:
        event = threading.Event()
        with self._lock:
            if self._early.pop(request_id, False) is None:
                event.set()
            self._current = (request_id, event)
        return event

    def stop(self, request_id: int) -> None:
        with self._lock:
            if self._current is not None and self._current[0] == request_id:
                self._current[1].set()
                return
            self._early[request_id] = None
            while len(self._early) > self.REMEMBERED:
                self._early.popitem(last=False)

    def end(self) -> None:
        with self._lock:
            self._current = None


class EngineWorker(QObject):
    """Owns the engine on its thread.

    Signals:
        loading(str model_id): a load started.
        loaded(ModelInfo): a model is ready.
        load_failed(str model_id, str message): the load failed; the previous model (if any) is
            still loaded, and ``loaded`` is re-emitted for it.
        unloaded(): no model is loaded.
        tokens(int request_id, str text): a batch of reply text (at most ~30 per second).
        finished(GenerationResult): the reply ended (stop, length, Stop pressed or error). No
            ``tokens`` for that request id follow it.
        prefilled(int request_id, int evaluated): a draft's prompt was read into the cache.
        devices_listed(list[DeviceInfo]): the devices llama.cpp can offload to.
    """

    loading = Signal(str)
    loaded = Signal(object)
    load_failed = Signal(str, str)
    unloaded = Signal()
    tokens = Signal(int, str)
    finished = Signal(object)
    prefilled = Signal(int, int)
    devices_listed = Signal(list)

    def __init__(self, kv_state: KVStateConfig | None = None,
                 offline: threading.Event | None = None) -> None:
        super().__init__()
        self._kv_state = kv_state  # where the engine saves chats' KV caches (None: never)
        self._offline = offline  # set: remote engines are refused before any socket opens
        self._engine: Any = None  # created on the worker thread (see _ensure_engine)
        self._stops = _StopFlags()
        self._backing = False  # a slice of back_memory is queued

    def _ensure_engine(self):
        if self._engine is None:
            from desktopchat.engine.engine import Engine  # imports llama_cpp on this thread

            self._engine = Engine(self._kv_state)
        return self._engine

    # -- called from the UI thread ---------------------------------------------------------------

    def stop(self, request_id: int) -> None:
        """Thread-safe: stop ``request_id`` (only that one) between two tokens."""
        self._stops.stop(request_id)

    # -- slots, run on the worker thread ---------------------------------------------------------

    @Slot(object)
    def load(self, req: LoadRequest) -> None:
        self.loading.emit(req.model_id)
        try:
            # The local engine for a GGUF file, the remote one for a model on a server; a
            # failed switch keeps the engine (and model) there was. Imported here, on this
            # thread: llama_cpp and the HTTP client stay out of the window's start-up.
            from desktopchat.session.engine_choice import load_engine

            self._engine, info = load_engine(self._engine, req, self._kv_state, self._offline)
        except EngineError as exc:
            self.load_failed.emit(req.model_id, str(exc))
            engine = self._engine
            if engine is not None and engine.info is not None:
                self.loaded.emit(engine.info)  # the previous model, loaded again
                self._back_memory_later()
            else:
                self.unloaded.emit()
            return
        except Exception as exc:
            log.exception("unexpected failure loading %s", req.path)
            self.load_failed.emit(req.model_id, f"The model could not be loaded: {exc}.")
            self.unloaded.emit()
            return
        self.loaded.emit(info)
        self._back_memory_later()

    def _back_memory_later(self) -> None:
        if not self._backing:
            self._backing = True
            QMetaObject.invokeMethod(self, "back_memory", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def back_memory(self) -> None:
        """A slice of putting the model just loaded in huge pages (a local engine on Linux:
        engine.hugepages), queued behind whatever requests are waiting and re-queued until it
        is done, so they never wait for more than one slice."""
        self._backing = False
        back_memory = getattr(self._engine, "back_memory", None)
        if back_memory is None:
            return
        try:
            result = back_memory()
        except Exception:  # an optimisation: never a reason to lose the model
            log.exception("putting the model in huge pages failed")
            return
        if result is not None and not result.done:
            self._back_memory_later()

    @Slot(object)
    def generate(self, req: GenerationRequest) -> None:
        stop = self._stops.begin(req.request_id)
        rid = req.request_id
        try:
            if self._engine is None:
                raise EngineError("No model is loaded yet; pick one in the toolbar.")
            result = self._engine.generate(req, stop, lambda text: self.tokens.emit(rid, text))
        except EngineError as exc:
            result = GenerationResult(rid, "", FinishReason.ERROR, error=str(exc))
        except Exception as exc:
            log.exception("generation failed")
            result = GenerationResult(rid, "", FinishReason.ERROR,
                                      error=f"The model failed: {exc}.")
        finally:
            self._stops.end()
        self.finished.emit(result)

    @Slot(object)
    def prefill(self, req: GenerationRequest) -> None:
        """Read a draft's prompt ahead of Send; a failure only means the reply reads it later."""
        stop = self._stops.begin(req.request_id)
        evaluated = 0
        try:
            if self._engine is not None:
                evaluated = self._engine.prefill(req, stop)
        except Exception:
            log.info("reading a draft ahead failed", exc_info=True)
        finally:
            self._stops.end()
        self.prefilled.emit(req.request_id, evaluated)

    @Slot()
    def save_state(self) -> None:
        """The chat went idle: save its KV cache so reopening it later skips re-reading it."""
        if self._engine is not None:
            self._engine.save_kv_state()

    @Slot()
    def unload(self) -> None:
        if self._engine is not None:
            self._engine.unload()
        self.unloaded.emit()

    @Slot()
    def shutdown(self) -> None:
        """Close the model on this thread (saving the chat's KV cache), then end the thread's
        event loop. Queued behind whatever the thread is doing; the app waits a bounded time."""
        try:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
        finally:
            thread = self.thread()
            if thread is not None:
                thread.quit()

    @Slot()
    def list_devices(self) -> None:
        """The devices llama.cpp sees (GPUs, and the CPU), read through ggml on this thread."""
        try:
            from desktopchat.engine.devices import list_devices

            devices = list_devices()
        except Exception:
            log.warning("could not list the devices", exc_info=True)
            devices = []
        self.devices_listed.emit(devices)

    @Slot(int)
    def forget_conversation(self, conversation_id: int) -> None:
        """A chat was deleted: its saved KV cache goes (for every model), and is never written
        again. The files exist whether a local model, a remote one or none is loaded."""
        forget = getattr(self._engine, "forget_conversation", None)
        if forget is not None:
            forget(conversation_id)
        elif self._kv_state is not None:
            from desktopchat.engine.kvstate import KVStateStore

            KVStateStore(Path(self._kv_state.directory), self._kv_state.cap_bytes).forget(
                conversation_id)


class WorkerThread(QThread):
    """A named QThread that runs its event loop; ``stop()`` quits and joins it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)

    def stop(self, timeout_ms: int | None = None) -> bool:
        """Quit the event loop and join; with a timeout, False when the thread is still busy
        after it (the caller logs what was cut and must keep this object alive)."""
        self.quit()
        if timeout_ms is None:
            return bool(self.wait())
        return bool(self.wait(timeout_ms))
