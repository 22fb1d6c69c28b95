"""ModelSession: which model is selected, loading and unloading it, and its saved KV state.

The model itself lives on the engine thread (``EngineWorker``); this controller only sends it
requests and follows what it reports. The last model is remembered only once it has loaded, and
a marker written before each load tells the next start when the app died while loading a model:
that model is then not loaded again automatically (a file that aborts llama.cpp would otherwise
abort every start).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktopchat.chat.store import StoreError
from desktopchat.engine.types import LoadRequest, ModelInfo
from desktopchat.models.probe import ProbeVerdict
from desktopchat.session.engine_worker import EngineWorker
from desktopchat.session.library import LibraryController
from desktopchat.session.model_check import ModelChecker
from desktopchat.settings import ModelSettings, Settings

if TYPE_CHECKING:
    from desktopchat.session.remote import RemoteController

log = logging.getLogger(__name__)

KV_IDLE_MS = 3000  # a chat idle this long has its KV cache saved (on the engine thread)


class ModelSession(QObject):
    """Signals:
        model_state(str state, str detail): 'checking' | 'loading' | 'ready' | 'none' |
            'failed', and text. A local model file the app has not seen is first test-loaded
            in a child process ('checking'); only a file that passes is loaded here.
        switching(): a load or unload is about to be asked for; a reply being written stops.
        error(str message), notice(str message): one plain sentence for the user.
        load_requested(LoadRequest), unload_requested(), save_state_requested(),
        forget_requested(int conversation_id): to the engine worker.
    """

    model_state = Signal(str, str)
    switching = Signal()
    error = Signal(str)
    notice = Signal(str)
    load_requested = Signal(object)
    unload_requested = Signal()
    save_state_requested = Signal()
    devices_requested = Signal()
    devices_changed = Signal()

    def __init__(self, settings: Settings, worker: EngineWorker, library: LibraryController,
                 checker: ModelChecker | None = None,
                 remote: RemoteController | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.library = library
        self.checker = checker
        self.remote = remote
        self._pending: LoadRequest | None = None  # waiting for its test load's verdict
        self._worker = worker
        self.model: ModelInfo | None = None
        self.selected_model_id = ""
        self.state = "none"
        worker.loading.connect(self._on_loading)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.unloaded.connect(self._on_unloaded)
        self.load_requested.connect(worker.load)
        self.devices: list = []  # the GPUs llama.cpp sees (DeviceInfo)
        self.devices_requested.connect(worker.list_devices)
        worker.devices_listed.connect(self._on_devices)
        self.unload_requested.connect(worker.unload)
        self.save_state_requested.connect(worker.save_state)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(KV_IDLE_MS)
        self._idle_timer.timeout.connect(self.save_state_requested)
        self._crashed_loading = settings.app().loading_model_id
        if checker is not None:
            checker.started.connect(self._on_check_started)
            checker.checked.connect(self._on_checked)

    # -- choosing --------------------------------------------------------------------------------

    def initial_model_id(self) -> str:
        """The model to load at start-up: the last one used, unless the app died loading it."""
        last = self.settings.app().last_model_id
        if self._crashed_loading:
            return ""
        if last and self.library.model_by_id(last):
            return last
        models = self.library.models
        return models[0].model_id if models else ""

    def crash_notice(self) -> str:
        """What to say at start-up when the last run died while loading a model ('' if not)."""
        model_id = self._crashed_loading
        if not model_id:
            return ""
        entry = self.library.model_by_id(model_id)
        name = entry.name if entry else model_id
        return (f"desktopchat closed unexpectedly while loading {name} last time, so it was not "
                "loaded again; pick it in the model list to try once more.")

    def select_model(self, model_id: str) -> None:
        """Load a model (stopping any reply first); history stays as it is. A local file is
        test-loaded in a child process first unless its verdict is known."""
        entry = self.library.model_by_id(model_id)
        if entry is None:
            self.error.emit("That model is no longer available.")
            return
        if self.model is not None and self.model.model_id == model_id and self.state == "ready":
            return
        self.selected_model_id = model_id
        if not entry.path:  # a remote engine's model: nothing here can crash on it
            remote = self.remote.load_request(model_id) if self.remote is not None else None
            if remote is not None:
                self._load(remote, marker=False)
            return
        ms = self.settings.model(model_id)
        req = LoadRequest(model_id=model_id, path=entry.path, n_ctx=ms.context_length,
                          n_threads=ms.resolved_threads(), n_gpu_layers=ms.gpu_layers,
                          device=ms.device,
                          device_memory_cap=self.settings.app().device_memory_cap_bytes())
        if self.checker is None:
            self._load(req)
            return
        self.switching.emit()
        self._pending = req
        self.checker.request(model_id, entry.path)

    def _load(self, req: LoadRequest, marker: bool = True) -> None:
        self._pending = None
        self.switching.emit()
        self._idle_timer.stop()
        if marker:
            # Written before the load: if llama.cpp takes the process down, the next start
            # knows not to load this model again by itself.
            self._remember(loading_model_id=req.model_id)
        self.load_requested.emit(req)

    @Slot(str)
    def _on_check_started(self, model_id: str) -> None:
        if self._pending is not None and self._pending.model_id == model_id:
            entry = self.library.model_by_id(model_id)
            self.state = "checking"
            self.model_state.emit("checking", f"Checking {entry.name if entry else 'the model'} "
                                              "before its first use…")

    @Slot(str, object)
    def _on_checked(self, model_id: str, verdict: ProbeVerdict) -> None:
        if not verdict.ok:
            self.library.mark_unusable(model_id, verdict.sentence)
        req = self._pending
        if req is None or req.model_id != model_id:
            if not verdict.ok:  # a file just imported or downloaded failed its check
                self.error.emit(verdict.sentence)
            return
        self._pending = None
        if verdict.ok:
            self._load(req)
            return
        self.state = "failed" if self.model is None else "ready"
        self.model_state.emit("failed", verdict.sentence)
        self.error.emit(verdict.sentence)
        if self.model is not None:  # the model that was loaded stays loaded
            self.selected_model_id = self.model.model_id
            self.model_state.emit("ready", self.model_name)

    def reload_model(self) -> None:
        """Reload the current model (after its context length or threads changed)."""
        if self.model is None:
            return
        model_id = self.model.model_id
        self.model = None
        self.select_model(model_id)

    def unload_model(self) -> None:
        self._pending = None
        self.switching.emit()
        self._idle_timer.stop()
        self.selected_model_id = ""
        self.unload_requested.emit()

    def model_settings(self) -> ModelSettings:
        return self.settings.model(self.selected_model_id or "default")

    def _remember(self, **changes: str) -> None:
        """App settings the session keeps; a history that cannot be written only costs that."""
        try:
            self.settings.update_app(**changes)
        except StoreError:
            log.warning("could not save %s", ", ".join(changes), exc_info=True)

    def save_model_settings(self, value: ModelSettings) -> None:
        old = self.model_settings()
        try:
            self.settings.save_model(self.selected_model_id or "default", value)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        if (old.context_length, old.threads, old.device, old.gpu_layers) != (
                value.context_length, value.threads, value.device, value.gpu_layers):
            self.reload_model()

    def save_device_cap(self, cap_mb: int) -> None:
        """The GPU memory limit for every model (settings dialog): the model reloads under it."""
        if cap_mb == self.settings.app().gpu_memory_cap_mb:
            return
        self._remember(gpu_memory_cap_mb=cap_mb)  # type: ignore[arg-type]
        self.reload_model()

    def request_devices(self) -> None:
        """List the devices llama.cpp sees (on the engine thread); ``devices_changed`` follows."""
        self.devices_requested.emit()

    @Slot(list)
    def _on_devices(self, devices: list) -> None:
        self.devices = list(devices)
        self.devices_changed.emit()

    @property
    def engine_label(self) -> str:
        """Which engine answers: "" for this computer, the remote engine's name otherwise (each
        message keeps it, so a chat remembers who answered what)."""
        from desktopchat.engine.remote_config import parse_remote_model_id

        parsed = parse_remote_model_id(self.model.model_id) if self.model is not None else None
        if parsed is None or self.remote is None:
            return ""
        endpoint = self.remote.engines.get(parsed[0])
        return endpoint.name if endpoint is not None else parsed[0]

    @property
    def model_name(self) -> str:
        """The loaded model's name as the picker shows it."""
        if self.model is None:
            return ""
        entry = self.library.model_by_id(self.model.model_id)
        return entry.name if entry else self.model.name

    # -- saved KV state ----------------------------------------------------------------------------

    @Slot()
    def chat_went_idle(self) -> None:
        """A reply ended: save the chat's KV cache once nothing happens for a while."""
        self._idle_timer.start()

    @Slot()
    def chat_became_busy(self) -> None:
        self._idle_timer.stop()

    # -- what the worker reports ---------------------------------------------------------------

    @Slot(str)
    def _on_loading(self, model_id: str) -> None:
        entry = self.library.model_by_id(model_id)
        self.state = "loading"
        self.model_state.emit("loading", f"Loading {entry.name if entry else model_id}…")

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self.model = info
        self.selected_model_id = info.model_id
        self.state = "ready"
        self._crashed_loading = ""
        self.library.loaded_model_id = info.model_id
        self._remember(last_model_id=info.model_id, loading_model_id="")
        self.library.mark_used(info.model_id)
        where = f" · {info.placement}" if info.placement else ""
        self.model_state.emit("ready", self.model_name + where)
        if info.format_notice:
            self.notice.emit(info.format_notice)
        if info.fallback_notice:
            self.notice.emit(info.fallback_notice)

    @Slot(str, str)
    def _on_load_failed(self, model_id: str, message: str) -> None:
        self._remember(loading_model_id="")
        self.state = "failed"
        self.model_state.emit("failed", message)
        self.error.emit(message)

    @Slot()
    def _on_unloaded(self) -> None:
        self.model = None
        self.state = "none"
        self.library.loaded_model_id = ""
        self.model_state.emit("none", "No model loaded")

    # -- shutdown -------------------------------------------------------------------------------

    def prepare_to_quit(self) -> None:
        self._idle_timer.stop()  # the engine saves the KV cache itself as it closes

    def detach(self) -> None:
        """Stop listening to the worker (it has stopped)."""
        self._idle_timer.stop()
        w = self._worker
        for signal, slot in ((w.loading, self._on_loading), (w.loaded, self._on_loaded),
                             (w.load_failed, self._on_load_failed),
                             (w.unloaded, self._on_unloaded)):
            signal.disconnect(slot)
