"""RemoteController: the remote engines the user added, and their models in the model picker.

The engines' list and keys live in ``desktopchat.engine.remote_config``; their models are asked
for on a thread pool (``RemoteModelLister``), never on the UI thread, and reach the library as
``LocalModel`` values with ``remote:<engine>:<model>`` ids, so the picker, the model session and
the conversation code treat a remote model like a local one. Offline mode refuses every remote
call before a socket opens (the shared ``offline`` event is the engine worker's too).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.engine.remote_config import (
    RemoteConfigError,
    RemoteEngines,
    RemoteLoadRequest,
    SecretStore,
    parse_remote_model_id,
    remote_model_id,
)
from desktopchat.models.local import LocalModel
from desktopchat.session.library import LibraryController
from desktopchat.session.remote_models import RemoteModelLister

if TYPE_CHECKING:
    from desktopchat.engine.remote import RemoteModel

log = logging.getLogger(__name__)

SOURCE_REMOTE = "Remote engine"


def as_local(model: RemoteModel, base_url: str) -> LocalModel:
    """A remote model as the picker lists it (no file: ``path`` is empty)."""
    return LocalModel(
        model_id=remote_model_id(model.engine_id, model.model), name=model.label, path="",
        size=model.size_bytes, source=SOURCE_REMOTE, quantization=model.details,
        context_length=model.context_length, detail=base_url)


class RemoteController(QObject):
    """Signals:
        error(str message): one sentence (a list that failed, a removed engine).
    """

    error = Signal(str)

    def __init__(self, engines: RemoteEngines, library: LibraryController,
                 offline: threading.Event) -> None:
        super().__init__()
        self.engines = engines
        self.library = library
        self.offline = offline
        self.lister = RemoteModelLister(offline)
        self.lister.listed.connect(self._listed)
        self.lister.failed.connect(self._failed)
        self._models: dict[str, list[LocalModel]] = {}
        self.failures: dict[str, str] = {}  # engine id -> why its models are not listed

    @classmethod
    def create(cls, store: object, secrets_path: object, library: LibraryController,
               offline: threading.Event) -> RemoteController:
        from pathlib import Path

        engines = RemoteEngines(store, SecretStore(Path(str(secrets_path))))  # type: ignore[arg-type]
        return cls(engines, library, offline)

    # -- the models -----------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Ask every engine for its models (off the UI thread); engines removed since drop
        their models at once."""
        known = {e.engine_id for e in self.engines.engines()}
        for gone in set(self._models) - known:
            del self._models[gone]
        self._publish()
        if self.offline.is_set():
            return
        targets = []
        for endpoint in self.engines.engines():
            try:
                targets.append(self.engines.target(endpoint.engine_id, ""))
            except RemoteConfigError as exc:
                self.failures[endpoint.engine_id] = str(exc)
        self.lister.refresh(targets)

    def set_offline(self, offline: bool) -> None:
        if offline:
            self.offline.set()
            self._models.clear()
            self._publish()
        else:
            self.offline.clear()
            self.refresh()

    @Slot(str, list)
    def _listed(self, engine_id: str, models: list[RemoteModel]) -> None:
        endpoint = self.engines.get(engine_id)
        if endpoint is None or self.offline.is_set():
            return
        self.failures.pop(engine_id, None)
        self._models[engine_id] = [as_local(m, endpoint.base_url) for m in models]
        self._publish()

    @Slot(str, str)
    def _failed(self, engine_id: str, message: str) -> None:
        self.failures[engine_id] = message
        self._models.pop(engine_id, None)
        self._publish()
        log.info("remote engine %s: %s", engine_id, message)

    def _publish(self) -> None:
        self.library.set_remote_models([m for ms in self._models.values() for m in ms])

    # -- loading ------------------------------------------------------------------------------

    def load_request(self, model_id: str) -> RemoteLoadRequest | None:
        """What the engine worker loads for a remote model id; None (and ``error``) when the
        engine is gone or offline mode is on."""
        parsed = parse_remote_model_id(model_id)
        if parsed is None:
            return None
        if self.offline.is_set():
            self.error.emit("Offline mode is on, so remote engines are not used; turn Offline "
                            "off to chat with this model.")
            return None
        try:
            return self.engines.load_request(*parsed)
        except RemoteConfigError as exc:
            self.error.emit(str(exc))
            return None

    def shutdown(self, msecs: int = 1000) -> None:
        self.lister.shutdown(msecs)
