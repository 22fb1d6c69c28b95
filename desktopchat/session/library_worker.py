"""LibraryWorker: the model library on its own QThread, so no header walk, folder scan or
multi-GB import copy ever runs on the UI thread.

The ``ModelLibrary`` is created on the UI thread but used only here once the worker has moved;
requests arrive as queued signals with frozen values, results leave the same way. Listing is
reported in batches as models are found, so the window fills its picker while other apps'
stores are still being read. An import copy checks a cancel flag between blocks (quitting never
waits for a copy to finish; the partial copy is removed).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.models.gguf import GGUFError, GGUFInfo
from desktopchat.models.library import ModelLibrary
from desktopchat.models.local import LocalModel
from desktopchat.models.probe import cached_verdict

log = logging.getLogger(__name__)

BATCH_S = 0.1  # found models are reported at most this often while listing


@dataclass(frozen=True)
class ImportRequest:
    path: str
    copy: bool


@dataclass(frozen=True)
class Listing:
    """A finished listing: every model, and the validated header of each (by model id).

    The headers are read on this thread and never changed afterwards; the UI thread only reads
    them (the fit estimate)."""

    request_id: int
    models: tuple[LocalModel, ...]
    headers: dict[str, GGUFInfo]
    unusable: dict[str, str] = field(default_factory=dict)  # failed test loads (cached)


class LibraryWorker(QObject):
    """Signals:
        found(int request_id, list[LocalModel]): models found so far in a listing (a batch).
        listed(Listing): the listing is complete.
        imported(LocalModel, GGUFInfo): an import succeeded, with its header (a listing
            follows).
        removed(str sentence): a model was deleted or forgotten (a listing follows).
        failed(str sentence): an import or removal failed; one sentence for the user.
        copying(str name): an import copy started (it may take a while).
    """

    found = Signal(int, list)
    listed = Signal(object)
    imported = Signal(object, object)
    removed = Signal(str)
    failed = Signal(str)
    copying = Signal(str)

    def __init__(self, library: ModelLibrary, checks_dir: Path | None = None) -> None:
        super().__init__()
        self.library = library
        self.checks_dir = checks_dir  # where test-load verdicts are cached (models.probe)
        self.cancel = threading.Event()  # set from the UI thread on quit
        self._last_request = 0

    @Slot(int)
    def list_models(self, request_id: int) -> None:
        self._last_request = request_id
        models: list[LocalModel] = []
        try:
            self._list(request_id, models)
        except Exception:  # a bug here must not leave the window waiting for a listing
            log.exception("listing the models failed")
            self.failed.emit("The model list could not be read completely; "
                             "details are in the log.")
            self.listed.emit(Listing(request_id, tuple(models), {}, {}))

    def _list(self, request_id: int, models: list[LocalModel]) -> None:
        batch: list[LocalModel] = []
        last = time.monotonic()
        for found in self.library.iter_models():
            if self.cancel.is_set():
                return
            batch.extend(found)
            models.extend(found)
            now = time.monotonic()
            if batch and now - last >= BATCH_S:
                self.found.emit(request_id, batch)
                batch, last = [], now
        if batch:
            self.found.emit(request_id, batch)
        headers = {}
        unusable = {}
        for m in models:
            try:
                headers[m.model_id] = self.library.header(m)
            except GGUFError:
                continue
            if self.checks_dir is not None:
                try:
                    verdict = cached_verdict(Path(m.path), self.checks_dir)
                except (OSError, GGUFError):
                    verdict = None
                if verdict is not None and not verdict.ok:
                    unusable[m.model_id] = verdict.sentence
        self.listed.emit(Listing(request_id, tuple(models), headers, unusable))

    @Slot(object)
    def import_file(self, req: ImportRequest) -> None:
        path = Path(req.path)
        if req.copy:
            self.copying.emit(path.name)
        try:
            model = self.library.import_file(path, copy=req.copy, cancel=self.cancel)
        except GGUFError as exc:
            log.warning("import of %s refused", path, exc_info=True)
            self.failed.emit(str(exc))
            return
        except OSError as exc:
            log.exception("import of %s failed", path)
            self.failed.emit(f"{path.name} could not be imported ({exc.strerror or exc}).")
            return
        self.library.save_header_cache()
        try:
            header: GGUFInfo | None = self.library.header(model)
        except GGUFError:
            header = None
        self.imported.emit(model, header)

    @Slot(str)
    def remove(self, model_id: str) -> None:
        try:
            sentence = self.library.remove(model_id)
        except GGUFError as exc:
            log.warning("removing %s failed", model_id, exc_info=True)
            self.failed.emit(str(exc))
            return
        self.removed.emit(sentence)

    @Slot(str)
    def mark_used(self, model_id: str) -> None:
        try:
            self.library.mark_used(model_id)
        except OSError:
            log.exception("could not record when %s was last used", model_id)

    @Slot(str, object)
    def remember_header(self, path: str, info: GGUFInfo) -> None:
        self.library.remember_header(Path(path), info)
        self.library.save_header_cache()
