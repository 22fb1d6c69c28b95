"""Workers for the Hub, each on its own QThread (never the engine's).

``DownloadWorker`` runs a queue of downloads (``models.download.DownloadManager``) one at a time;
``HubQueryWorker`` runs searches and file listings so a slow network never freezes the window
and a search is never stuck behind a long download. Requests arrive as queued signals carrying
frozen dataclasses; results leave the same way. Pause, resume and cancel are called from the UI
thread and act through ``threading.Event``s checked between chunks (a queued "pause" would wait
behind the download it should pause).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktopchat.models import hub, net
from desktopchat.models.download import (
    DownloadCancelled,
    DownloadError,
    DownloadJob,
    DownloadManager,
    DownloadPaused,
)
from desktopchat.models.gguf import GGUFError, GGUFInfo, validate_model_file
from desktopchat.models.hub import HubModelFile

log = logging.getLogger(__name__)


class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    FAILED = "failed"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DownloadFinished:
    job_id: str
    path: str
    repo_id: str
    name: str
    # The installed file's GGUF header, read here on the download thread so that listing the
    # new model costs the window nothing (a large vocabulary takes ~100 ms to walk).
    header: GGUFInfo | None = None


@dataclass(frozen=True)
class DownloadFailed:
    job_id: str
    message: str
    retryable: bool


@dataclass(frozen=True)
class DownloadPausedInfo:
    job_id: str
    done: int
    total: int
    offline: bool = False  # paused because Offline was switched on (it resumes when it is off)


@dataclass
class _Controls:
    job: DownloadJob
    state: JobState = JobState.QUEUED
    pause: threading.Event = field(default_factory=threading.Event)
    cancel: threading.Event = field(default_factory=threading.Event)
    by_offline: bool = False  # paused by the Offline switch, not by the user


class DownloadWorker(QObject):
    """Runs downloads one after another on its thread.

    Signals:
        queued(DownloadJob): a job was accepted (UI thread).
        started(str job_id): the transfer began.
        progress(DownloadProgress): bytes, total, smoothed speed, ETA (at most ~10 a second).
        paused(DownloadPausedInfo): stopped; the partial file is kept for resume.
        finished(DownloadFinished): verified and installed in the models folder.
        failed(DownloadFailed): one sentence; ``retryable`` says whether Retry can help.
        cancelled(str job_id): stopped and the partial file removed.

    A job that is not running (queued, paused, failed) is paused or cancelled right away, on the
    caller's thread; a running one stops at once too: its network read is cut
    (``DownloadManager.interrupt``), so a stalled connection does not hold it.
    """

    queued = Signal(object)
    started = Signal(str)
    progress = Signal(object)
    paused = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal(str)
    _run_requested = Signal(object)

    def __init__(self, manager: DownloadManager) -> None:
        super().__init__()
        self.manager = manager
        self._lock = threading.Lock()
        self._jobs: dict[str, _Controls] = {}
        self._offline = False
        # Queued even when emitted on the worker's own thread (a resume after Offline goes off).
        self._run_requested.connect(self._run, Qt.ConnectionType.QueuedConnection)

    # -- called from the UI thread ----------------------------------------------------------------

    def submit(self, job: DownloadJob) -> bool:
        """Queue a job (or resume a paused/failed one). False if it is already queued/running."""
        with self._lock:
            ctl = self._jobs.get(job.job_id)
            if ctl is not None and ctl.state in (JobState.QUEUED, JobState.RUNNING):
                return False
            self._jobs[job.job_id] = _Controls(job)
        self.queued.emit(job)
        self._run_requested.emit(job)
        return True

    def restore(self, job: DownloadJob) -> None:
        """Show a download left unfinished by an earlier run as paused (Resume continues it)."""
        with self._lock:
            if job.job_id in self._jobs:
                return
            self._jobs[job.job_id] = _Controls(job, JobState.PAUSED)
        self.queued.emit(job)
        done = self.manager.partial_bytes(job)
        self.paused.emit(DownloadPausedInfo(job.job_id, done, job.total))

    def resume(self, job_id: str) -> bool:
        with self._lock:
            ctl = self._jobs.get(job_id)
        return ctl is not None and self.submit(ctl.job)

    def pause(self, job_id: str, by_offline: bool = False) -> None:
        with self._lock:
            ctl = self._jobs.get(job_id)
            if ctl is None or ctl.state not in (JobState.QUEUED, JobState.RUNNING):
                return
            ctl.pause.set()
            ctl.by_offline = by_offline
            waiting = ctl.state is JobState.QUEUED
            if waiting:
                ctl.state = JobState.PAUSED
        if waiting:
            self.paused.emit(DownloadPausedInfo(job_id, self.manager.partial_bytes(ctl.job),
                                                ctl.job.total, by_offline))
        else:
            self.manager.interrupt()

    def cancel(self, job_id: str) -> None:
        """Stop and remove the partial; a job that is not running is discarded right here."""
        with self._lock:
            ctl = self._jobs.get(job_id)
            if ctl is None or ctl.state in (JobState.DONE, JobState.CANCELLED):
                return
            ctl.cancel.set()
            idle = ctl.state is not JobState.RUNNING
            if idle:
                ctl.state = JobState.CANCELLED
        if not idle:
            self.manager.interrupt()
            return
        try:
            self.manager.discard(ctl.job)
        except DownloadError as exc:  # another process is writing it: its partial stays
            self.failed.emit(DownloadFailed(job_id, str(exc), True))
            return
        self.cancelled.emit(job_id)

    def state(self, job_id: str) -> JobState | None:
        with self._lock:
            ctl = self._jobs.get(job_id)
            return ctl.state if ctl else None

    def pause_all(self, by_offline: bool = False) -> None:
        """Every transfer stops now and keeps a resumable partial (quit, Offline on)."""
        with self._lock:
            ids = list(self._jobs)
        for job_id in ids:
            self.pause(job_id, by_offline)

    def set_offline(self, offline: bool) -> None:
        """Offline on: pause every transfer. Off: resume the ones the switch paused."""
        self._offline = offline
        self.manager.offline = (lambda: True) if offline else (lambda: False)
        if offline:
            self.pause_all(by_offline=True)
            return
        with self._lock:
            ids = [i for i, c in self._jobs.items()
                   if c.by_offline and c.state is JobState.PAUSED]
        for job_id in ids:
            self.resume(job_id)

    # -- runs on the worker thread ----------------------------------------------------------------

    def _set_state(self, ctl: _Controls, state: JobState) -> None:
        with self._lock:
            ctl.state = state

    @Slot(object)
    def _run(self, job: DownloadJob) -> None:
        with self._lock:  # checked and claimed at once: a cancel from the UI cannot slip between
            ctl = self._jobs.get(job.job_id)
            if ctl is None or ctl.state is not JobState.QUEUED:
                return
            ctl.state = JobState.RUNNING
        self.started.emit(job.job_id)
        try:
            path = self.manager.run(job, self.progress.emit, ctl.pause, ctl.cancel)
        except DownloadPaused:
            self._set_state(ctl, JobState.PAUSED)
            done = self.manager.partial_bytes(job)
            self.paused.emit(DownloadPausedInfo(job.job_id, done, job.total, ctl.by_offline))
            if ctl.by_offline and not self._offline:  # Offline went off while it wound down
                self.resume(job.job_id)
        except DownloadCancelled:
            self._set_state(ctl, JobState.CANCELLED)
            self.cancelled.emit(job.job_id)
        except DownloadError as exc:
            self._set_state(ctl, JobState.FAILED)
            log.warning("download %s failed: %s", job.job_id, exc, exc_info=True)
            self.failed.emit(DownloadFailed(job.job_id, str(exc), exc.retryable))
        except Exception as exc:
            self._set_state(ctl, JobState.FAILED)
            log.exception("download %s failed unexpectedly", job.job_id)
            self.failed.emit(DownloadFailed(job.job_id, f"The download failed: {exc}.", True))
        else:
            try:
                header: GGUFInfo | None = validate_model_file(path)
            except (OSError, GGUFError):  # verified before install: the library will say why
                log.warning("reading the installed %s failed", path, exc_info=True)
                header = None
            self._set_state(ctl, JobState.DONE)
            self.finished.emit(
                DownloadFinished(job.job_id, str(path), job.repo_id, job.name, header))


@dataclass(frozen=True)
class SearchRequest:
    request_id: int
    query: str
    sort: str
    offline: bool


@dataclass(frozen=True)
class FilesRequest:
    request_id: int
    repo_id: str
    revision: str | None
    offline: bool


@dataclass(frozen=True)
class HeaderRequest:
    request_id: int
    model: HubModelFile
    offline: bool


class HubQueryWorker(QObject):
    """Searches, lists repos and reads remote GGUF headers on its own thread.

    Signals:
        search_done(int request_id, list[HubRepo]).
        files_done(int request_id, RepoFiles).
        header_done(int request_id, HubModelFile, GGUFInfo): for the fit estimate.
        query_failed(int request_id, str message): one sentence.

    ``interrupt()`` (any thread) cuts the query in flight, e.g. a search on a Hub that never
    answers, so the thread can be joined at once on quit.
    """

    search_done = Signal(int, list)
    files_done = Signal(int, object)
    header_done = Signal(int, object, object)
    query_failed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._scope: net.Scope | None = None

    def interrupt(self) -> None:
        with self._lock:
            scope = self._scope
        if scope is not None:
            scope.interrupt()

    def _call(self, request_id: int, what: str, fn: Callable[[], Any]) -> tuple[bool, Any]:
        with net.scope(what) as scope:
            with self._lock:
                self._scope = scope
            try:
                return True, fn()
            except hub.HubError as exc:
                self.query_failed.emit(request_id, str(exc))
                return False, None
            finally:
                with self._lock:
                    self._scope = None

    @Slot(object)
    def read_header(self, req: HeaderRequest) -> None:
        ok, info = self._call(req.request_id, f"reading the header of {req.model.name}",
                              lambda: hub.read_remote_header(req.model, offline=req.offline))
        if ok:
            self.header_done.emit(req.request_id, req.model, info)

    @Slot(object)
    def search(self, req: SearchRequest) -> None:
        ok, repos = self._call(req.request_id, "a Hub search",
                               lambda: hub.search_models(req.query, sort=req.sort,
                                                         offline=req.offline))
        if ok:
            self.search_done.emit(req.request_id, repos)

    @Slot(object)
    def list_files(self, req: FilesRequest) -> None:
        ok, files = self._call(req.request_id, f"listing {req.repo_id}",
                               lambda: hub.list_repo_files(req.repo_id, req.revision,
                                                           offline=req.offline))
        if ok:
            self.files_done.emit(req.request_id, files)
