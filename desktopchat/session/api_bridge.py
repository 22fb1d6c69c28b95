"""The local API's only way to the engine: the engine worker's own queued signals.

The server thread hands ``Job``s to ``ApiBridge.submit``; the bridge (a QObject on the UI thread,
or the main thread of ``desktopchat serve``) gives each an id from the app's one
``RequestIds`` and sends it to ``EngineWorker.generate`` as a frozen ``GenerationRequest``, so it
queues behind whatever the window is generating and reuses the same KV cache. The worker's
``tokens``/``finished`` for those ids are passed back to the job's asyncio queue.

Stop goes through ``worker.stop(id)``, which stops "this id and every earlier one"; the bridge
only calls it for the request the engine is running (its tokens are arriving), never for one
still queued, so it can never stop the window's own reply queued behind it.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktopchat.api.jobs import BackendBusy, Job
from desktopchat.engine.types import (
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    ModelInfo,
)
from desktopchat.session.request_ids import RequestIds

log = logging.getLogger(__name__)

MAX_WAITING = 8  # API requests queued or running at once; more get HTTP 429


class ApiBridge(QObject):
    """Implements ``desktopchat.api.jobs.Backend`` on top of an ``EngineWorker``.

    Signals:
        generate_requested(GenerationRequest): to the worker's ``generate`` slot (queued).
        busy_changed(int waiting): API requests queued or running.
    """

    generate_requested = Signal(object)
    busy_changed = Signal(int)
    _job_submitted = Signal(object)
    _job_cancelled = Signal(object)

    def __init__(self, worker: QObject, ids: RequestIds, max_waiting: int = MAX_WAITING,
                 model: ModelInfo | None = None) -> None:
        super().__init__()
        self._worker = worker
        self._ids = ids
        self._max_waiting = max_waiting
        self._lock = threading.Lock()
        self._waiting = 0
        self._jobs: dict[int, Job] = {}  # sent to the worker, by request id
        self._submitted: set[Job] = set()  # handed over by the server, not yet sent
        self._running: set[int] = set()  # ids whose tokens are arriving
        self._stopped: set[int] = set()
        self._model = model
        self._defaults = GenerationParams()
        worker.tokens.connect(self._on_tokens)  # type: ignore[attr-defined]
        worker.finished.connect(self._on_finished)  # type: ignore[attr-defined]
        worker.loaded.connect(self._on_loaded)  # type: ignore[attr-defined]
        worker.unloaded.connect(self._on_unloaded)  # type: ignore[attr-defined]
        self.generate_requested.connect(worker.generate)  # type: ignore[attr-defined]
        queued = Qt.ConnectionType.QueuedConnection
        self._job_submitted.connect(self._start, queued)
        self._job_cancelled.connect(self._cancel, queued)

    # -- Backend, called from the server thread ----------------------------------------------

    def model(self) -> ModelInfo | None:
        return self._model

    def defaults(self) -> GenerationParams:
        return self._defaults

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._waiting >= self._max_waiting:
                raise BackendBusy
            self._waiting += 1
            waiting = self._waiting
            self._submitted.add(job)
        self.busy_changed.emit(waiting)
        self._job_submitted.emit(job)

    def cancel(self, job: Job) -> None:
        if job.done:
            return
        job.mark_cancelled()
        self._job_cancelled.emit(job)

    # -- set by the app ---------------------------------------------------------------------------

    def set_model(self, info: ModelInfo | None) -> None:
        self._model = info

    def set_defaults(self, params: GenerationParams) -> None:
        """Sampling for fields a request leaves out: the loaded model's settings in the app."""
        self._defaults = params

    def cancel_all(self) -> None:
        """The API is turned off: end every job (a queued one is stopped when it starts)."""
        with self._lock:
            waiting = list(self._submitted)
        for job in waiting:
            job.mark_cancelled()
        for job in list(self._jobs.values()):
            job.mark_cancelled()
            self._cancel(job)
            job.push_done(None)

    # -- slots, on this object's thread ------------------------------------------------------

    def _release(self) -> None:
        with self._lock:
            self._waiting -= 1
            waiting = self._waiting
        self.busy_changed.emit(waiting)

    @Slot(object)
    def _start(self, job: Job) -> None:
        with self._lock:
            self._submitted.discard(job)
        if job.cancelled:
            job.push_done(None)
            self._release()
            return
        rid = self._ids.next()
        job.request_id = rid
        self._jobs[rid] = job
        self.generate_requested.emit(
            GenerationRequest(rid, job.messages, job.params, conversation_id=0))

    @Slot(object)
    def _cancel(self, job: Job) -> None:
        rid = job.request_id
        if rid in self._running and rid not in self._stopped:
            self._stopped.add(rid)
            self._worker.stop(rid)  # type: ignore[attr-defined]

    @Slot(int, str)
    def _on_tokens(self, request_id: int, text: str) -> None:
        job = self._jobs.get(request_id)
        if job is None:
            return
        self._running.add(request_id)
        job.push_text(text)
        if job.cancelled:
            self._cancel(job)

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        job = self._jobs.pop(result.request_id, None)
        if job is None:
            return
        self._running.discard(result.request_id)
        self._stopped.discard(result.request_id)
        job.push_done(result)
        self._release()

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self._model = info

    @Slot()
    def _on_unloaded(self) -> None:
        self._model = None
