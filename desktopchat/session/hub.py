"""The Hub side of the composition root: builds the download and Hub-query workers on their own
QThreads, the "Get models" and "Downloads" panels, and wires them together (UI thread).

Kept apart from ``app.py`` so the chat wiring stays readable; ``DesktopChatApp`` builds one
``HubWiring`` and calls ``shutdown()`` on quit. Nothing here imports huggingface_hub or opens a
connection: that happens on the workers' threads when the user searches or downloads.
"""

from __future__ import annotations

import itertools
import logging
import time

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktopchat.models import hub, net
from desktopchat.models.catalog import load_catalog
from desktopchat.models.download import DownloadJob, DownloadManager
from desktopchat.models.hub import HubModelFile, RepoFiles
from desktopchat.paths import AppPaths
from desktopchat.session.engine_worker import WorkerThread
from desktopchat.session.hub_workers import (
    DownloadFinished,
    DownloadWorker,
    FilesRequest,
    HeaderRequest,
    HubQueryWorker,
    SearchRequest,
)
from desktopchat.ui.downloads_panel import DownloadsPanel
from desktopchat.ui.hub_panel import FitFunction, HubPanel

log = logging.getLogger(__name__)


def fit_for_hub_file(model: HubModelFile, info: object) -> tuple[str, str]:
    """The fit badge and its numbers for a Hub file, from its remote GGUF header, at the
    default context length. A split model's later parts add their bytes to the weights."""
    import dataclasses

    from desktopchat.models.fit import estimate_fit, verdict_for
    from desktopchat.settings import ModelSettings

    est = estimate_fit(info, ModelSettings().context_length)  # type: ignore[arg-type]
    extra = model.size - model.first.size
    if extra:
        total = est.total_bytes + extra
        est = dataclasses.replace(est, weights_bytes=est.weights_bytes + extra, total_bytes=total,
                                  verdict=verdict_for(total, est.available_bytes))
    return est.verdict, est.explain()


class HubWiring(QObject):
    """Signals:
        model_installed(str path, object header): a download was verified and installed
            (UI thread); ``header`` is its GGUFInfo, read on the download thread, or None.
        search_requested(SearchRequest), files_requested(FilesRequest): to the Hub worker.
    """

    model_installed = Signal(str, object)
    search_requested = Signal(object)
    files_requested = Signal(object)
    header_requested = Signal(object)

    def __init__(self, paths: AppPaths, offline: bool = False,
                 manager: DownloadManager | None = None, fit: FitFunction | None = None) -> None:
        super().__init__()
        self.offline = offline
        hub.set_offline_env(offline)
        self.download_thread = WorkerThread("desktopchat-downloads")
        self.downloads = DownloadWorker(
            manager or DownloadManager(paths, owner="the desktopchat window"))
        self.downloads.set_offline(offline)
        self.downloads.moveToThread(self.download_thread)
        self.query_thread = WorkerThread("desktopchat-hub")
        self.queries = HubQueryWorker()
        self.queries.moveToThread(self.query_thread)
        self.hub_panel = HubPanel(load_catalog(), fit)
        self.downloads_panel = DownloadsPanel()
        self._ids = itertools.count(1)  # one sequence, so an id names one request of any kind
        self._search_id = 0
        self._files_id = 0
        self._header_id = 0
        self._closed = False

        q, d, hp, dp = self.queries, self.downloads, self.hub_panel, self.downloads_panel
        self.search_requested.connect(q.search)
        self.files_requested.connect(q.list_files)
        q.search_done.connect(self._search_done)
        q.files_done.connect(self._files_done)
        self.header_requested.connect(q.read_header)
        q.header_done.connect(self._header_done)
        q.query_failed.connect(self._query_failed)
        hp.search_requested.connect(self.search)
        hp.files_requested.connect(self.list_files)
        hp.header_requested.connect(self.read_header)
        hp.download_requested.connect(self.download)
        d.queued.connect(dp.on_queued)
        d.started.connect(dp.on_started)
        d.progress.connect(dp.on_progress)
        d.paused.connect(dp.on_paused)
        d.finished.connect(self._installed)  # first: the picker lists it before the row says so
        d.finished.connect(dp.on_finished)
        d.failed.connect(dp.on_failed)
        d.cancelled.connect(dp.on_cancelled)
        # Pause/resume/cancel act through Events, right now, from the UI thread: a queued call
        # would wait behind the transfer it should stop.
        direct = Qt.ConnectionType.DirectConnection
        dp.pause_requested.connect(d.pause, direct)
        dp.resume_requested.connect(d.resume, direct)
        dp.retry_requested.connect(d.resume, direct)
        dp.cancel_requested.connect(d.cancel, direct)
        self.download_thread.start()
        self.query_thread.start()
        for job in self.downloads.manager.pending_jobs():
            self.downloads.restore(job)

    # -- requests (UI thread) ----------------------------------------------------------------

    @Slot(str, str)
    def search(self, query: str, sort: str) -> None:
        self._search_id = next(self._ids)
        self.search_requested.emit(SearchRequest(self._search_id, query, sort, self.offline))

    @Slot(str, str)
    def list_files(self, repo_id: str, revision: str) -> None:
        self._files_id = next(self._ids)
        self.files_requested.emit(
            FilesRequest(self._files_id, repo_id, revision or None, self.offline))

    @Slot(object)
    def read_header(self, model: HubModelFile) -> None:
        self._header_id = next(self._ids)
        self.header_requested.emit(HeaderRequest(self._header_id, model, self.offline))

    @Slot(object)
    def download(self, model: HubModelFile) -> None:
        if self.offline:
            self.hub_panel.show_error("Offline mode is on; turn Offline off to download models.")
            return
        self.downloads.submit(DownloadJob.from_model(model))

    def set_offline(self, offline: bool) -> None:
        """Offline on: pause transfers (partials kept) and refuse every Hub call."""
        self.offline = offline
        hub.set_offline_env(offline)
        self.downloads.set_offline(offline)

    # -- results (UI thread; stale ones are dropped) ---------------------------------------

    @Slot(int, list)
    def _search_done(self, request_id: int, repos: list) -> None:
        if request_id == self._search_id:
            self.hub_panel.show_results(repos)

    @Slot(int, object)
    def _files_done(self, request_id: int, listing: RepoFiles) -> None:
        if request_id == self._files_id:
            self.hub_panel.show_files(listing)

    @Slot(int, object, object)
    def _header_done(self, request_id: int, model: HubModelFile, info: object) -> None:
        if request_id == self._header_id:
            self.hub_panel.show_header(model, info)

    @Slot(int, str)
    def _query_failed(self, request_id: int, message: str) -> None:
        if request_id in (self._search_id, self._files_id, self._header_id):
            self.hub_panel.show_error(message)

    @Slot(object)
    def _installed(self, done: DownloadFinished) -> None:
        self.model_installed.emit(done.path, done.header)

    # -- shutdown --------------------------------------------------------------------------------

    def shutdown(self, timeout: float = 2.0) -> None:
        """Return within about ``timeout`` seconds whatever runs: every transfer pauses (a
        resumable partial stays) and every Hub call in flight is cut by shutting its socket down
        (a stalled read or a search on a Hub that never answers would otherwise wait out its
        timeout); then both threads are joined, each with a bound. What was cut is logged."""
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + timeout
        self.downloads.pause_all()
        self.queries.interrupt()
        net.interrupt_all("quit")
        for thread in (self.download_thread, self.query_thread):
            thread.quit()
        for thread in (self.download_thread, self.query_thread):
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if not thread.wait(left_ms):
                log.warning("quit: %s did not stop within %.1f s; not waiting for it",
                            thread.objectName(), timeout)
