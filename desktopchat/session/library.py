"""LibraryController: the models the user can load, kept on the UI thread as a plain list, with
every listing, import and removal done by the ``LibraryWorker`` on its own thread."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.models.gguf import GGUFInfo
from desktopchat.models.library import ModelLibrary
from desktopchat.models.local import LocalModel
from desktopchat.session.engine_worker import WorkerThread
from desktopchat.session.library_worker import ImportRequest, LibraryWorker, Listing

log = logging.getLogger(__name__)


class LibraryController(QObject):
    """Signals:
        models_changed(): ``models`` changed (the picker and the Models page re-read it).
        listing_done(): a complete listing arrived (the first one decides the start-up model).
        imported(LocalModel): an import was validated and listed.
        error(str message), notice(str message): one plain sentence for the user.
        list_requested(int), import_requested(ImportRequest), remove_requested(str),
        mark_used_requested(str), header_known(str path, GGUFInfo): to the worker.
    """

    models_changed = Signal()
    listing_done = Signal()
    imported = Signal(object)
    error = Signal(str)
    notice = Signal(str)
    list_requested = Signal(int)
    import_requested = Signal(object)
    remove_requested = Signal(str)
    mark_used_requested = Signal(str)
    header_known = Signal(str, object)

    def __init__(self, library: ModelLibrary, checks_dir: Path | None = None) -> None:
        super().__init__()
        self._local: list[LocalModel] = []
        self._remote: list[LocalModel] = []  # models of remote engines (session/remote.py)
        self.listed_once = False
        self.loaded_model_id = ""  # kept by the model session: that model cannot be removed
        self._headers: dict[str, GGUFInfo] = {}
        # model id -> why it cannot be used (its test load failed); shown beside it, and the
        # model session never loads it.
        self.unusable: dict[str, str] = {}
        self._request = 0
        self._pending: list[LocalModel] = []  # a listing in progress, batch by batch
        self._closed = False
        self.worker_thread = WorkerThread("desktopchat-library")
        self.worker = LibraryWorker(library, checks_dir)
        self.worker.moveToThread(self.worker_thread)
        w = self.worker
        self.list_requested.connect(w.list_models)
        self.import_requested.connect(w.import_file)
        self.remove_requested.connect(w.remove)
        self.mark_used_requested.connect(w.mark_used)
        self.header_known.connect(w.remember_header)
        w.found.connect(self._found)
        w.listed.connect(self._listed)
        w.imported.connect(self._imported)
        w.removed.connect(self._removed)
        w.failed.connect(self.error)
        w.copying.connect(self._copying)
        self.worker_thread.start()

    # -- reading --------------------------------------------------------------------------------

    @property
    def models(self) -> list[LocalModel]:
        """Every model the picker offers: the local ones, then remote engines' models."""
        return self._local + self._remote

    @property
    def local_models(self) -> list[LocalModel]:
        return list(self._local)

    def mark_unusable(self, model_id: str, sentence: str) -> None:
        self.unusable[model_id] = sentence
        self.models_changed.emit()

    def set_remote_models(self, models: list[LocalModel]) -> None:
        if models != self._remote:
            self._remote = list(models)
            self.models_changed.emit()

    def model_by_id(self, model_id: str) -> LocalModel | None:
        return next((m for m in self.models if m.model_id == model_id), None)

    def header(self, model: LocalModel) -> GGUFInfo | None:
        """The model's validated GGUF header, read by the listing (None until it is known)."""
        return self._headers.get(model.model_id)

    # -- requests -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-list every model (after an import, a download, a removal) off the UI thread."""
        self._request += 1
        self._pending = []
        self.list_requested.emit(self._request)

    def import_model(self, path: str, copy: bool = False) -> None:
        """Validate and add a .gguf (in place unless ``copy``); ``imported`` or ``error``
        follows."""
        self.import_requested.emit(ImportRequest(str(path), copy))

    def remove_model(self, model_id: str) -> bool:
        """Delete (owned file) or forget (anyone else's) a model; the loaded model is refused.
        False when refused here; otherwise ``notice`` or ``error`` follows."""
        if not any(m.model_id == model_id for m in self._local):
            self.error.emit("That model is not in the library.")
            return False
        if model_id and model_id == self.loaded_model_id:
            self.error.emit("That model is loaded; unload it (or load another) first.")
            return False
        self.remove_requested.emit(model_id)
        return True

    def mark_used(self, model_id: str) -> None:
        now = time.time()
        self._local = [m.with_last_used(now) if m.model_id == model_id else m
                       for m in self._local]
        self.mark_used_requested.emit(model_id)
        self.models_changed.emit()

    def model_installed(self, path: str, header: object) -> None:
        """A download finished: take its header (read on the download thread), then re-list."""
        if header is not None:
            self.header_known.emit(path, header)
        self.refresh()

    # -- results --------------------------------------------------------------------------------

    @Slot(int, list)
    def _found(self, request_id: int, batch: list[LocalModel]) -> None:
        if self._closed:  # results that arrive after quitting began
            return
        if request_id != self._request:
            return
        self._pending.extend(batch)
        if not self.listed_once:  # the first listing fills the picker as models are found
            self._local = list(self._pending)
            self.models_changed.emit()

    @Slot(object)
    def _listed(self, listing: Listing) -> None:
        if self._closed:  # results that arrive after quitting began
            return
        if listing.request_id != self._request:
            return
        self._local = list(listing.models)
        self._headers = dict(listing.headers)
        self.unusable = dict(listing.unusable)
        self.listed_once = True
        self.models_changed.emit()
        self.listing_done.emit()

    @Slot(object, object)
    def _imported(self, model: LocalModel, header: GGUFInfo | None) -> None:
        if self._closed:  # results that arrive after quitting began
            return
        if header is not None:
            self._headers[model.model_id] = header
        if not any(m.model_id == model.model_id for m in self._local):
            self._local.append(model)  # pickable at once; the listing that follows confirms it
            self.models_changed.emit()
        self.notice.emit(f"Added {model.name}; pick it in the model list to load it.")
        self.refresh()
        self.imported.emit(model)

    @Slot(str)
    def _removed(self, sentence: str) -> None:
        if self._closed:  # results that arrive after quitting began
            return
        self.notice.emit(sentence)
        self.refresh()

    @Slot(str)
    def _copying(self, name: str) -> None:
        if self._closed:  # results that arrive after quitting began
            return
        self.notice.emit(f"Copying {name} into the models folder…")

    # -- shutdown -------------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """Cancel a copy or listing in progress and join the thread (bounded; a listing stuck
        in a slow disk is abandoned and logged)."""
        self._closed = True
        self.worker.cancel.set()
        self.worker.failed.disconnect(self.error)
        if not self.worker_thread.stop(timeout_ms):
            log.warning("the library thread did not stop within %d ms; leaving it", timeout_ms)
