"""The window's model side: the picker (with each model's size, quantization and fit, computed
once per listing), Unload, the model's settings, the Models page, importing (the dialog and
drops), the base-model warning and the welcome page's models (the starter, and catalog models
downloaded through the Hub wiring).

It talks to the model session and the library; the window owns the widgets it drives.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from desktopchat.models.catalog import CatalogEntry, CatalogFile
from desktopchat.models.fit import MemoryInfo, estimate_fit
from desktopchat.models.offload import describe_device
from desktopchat.models.starter import STARTER_ID
from desktopchat.ui.i18n import translate
from desktopchat.ui.model_picker import PickerItem, no_template_warning
from desktopchat.ui.models_page import GGUF_FILTER, ModelsPage
from desktopchat.ui.settings_dialog import ModelSettingsDialog

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


class ModelControls(QObject):
    """Model actions of the window (see the module docstring). ``hub`` is the Hub wiring once
    the app attaches it (``MainWindow.attach_hub``); without it, Download says it cannot."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.session = window.session
        self.library = window.library
        self.hub: Any = None
        self.items: list[PickerItem] = []
        self._pending: tuple[CatalogEntry, CatalogFile] | None = None
        self._downloading: dict[str, str] = {}  # file name → catalog entry id

    # -- the picker --------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """The library's list changed: describe each model (its fit at its context setting,
        once per listing) and show them."""
        memory = MemoryInfo.current()
        items = []
        for m in self.library.models:
            header = self.library.header(m)
            fit = None
            if header is not None:
                n_ctx = self.session.settings.model(m.model_id).context_length
                fit = estimate_fit(header, n_ctx, memory)
            items.append(PickerItem.of(m, fit))
        self.items = items
        self.w.model_picker.set_models(items, self.shown_model_id())
        self.update_starter()
        self.update_warning()

    def shown_model_id(self) -> str:
        """What the picker shows: the model loaded or loading; nothing after Unload."""
        return self.session.selected_model_id if self.session.state != "none" else ""

    @Slot(int)
    def chosen(self, index: int) -> None:
        model_id = self.w.model_picker.itemData(index)
        if model_id:
            self.session.select_model(str(model_id))

    @Slot(str, str)
    def model_state(self, state: str, detail: str) -> None:
        self.w.status.model_state(state, detail)
        self.w.model_picker.select(self.shown_model_id() if state != "failed" else (
            self.session.model.model_id if self.session.model is not None else ""))
        self.w.commands.unload.setEnabled(state == "ready")
        self.update_starter()
        self.update_warning()

    def update_warning(self) -> None:
        """A loaded model without a chat template gets a warning above the message box."""
        model = self.session.model
        base = model is not None and not model.template_from_gguf
        self.w.template_warning.say(no_template_warning() if base else "")

    # -- dialogs and pages --------------------------------------------------------------------

    def open_models_page(self) -> ModelsPage:
        w = self.w
        if w.models_page is None:
            w.models_page = ModelsPage(self.library, self.session, self.session.settings, w)
        w.models_page.show()
        if QGuiApplication.platformName() != "offscreen":  # headless: no stacking to change
            w.models_page.raise_()
            w.models_page.activateWindow()
        return w.models_page

    def open_settings(self) -> ModelSettingsDialog:
        item = self.w.model_picker.current_item()
        name = item.name if item is not None else translate("ModelControls", "this model")
        gpus = [(d.name, describe_device(d)) for d in self.session.devices if d.is_gpu]
        dialog = ModelSettingsDialog(name, self.session.model_settings(), self.w, devices=gpus,
                                     app=self.session.settings.app())
        dialog.accepted.connect(lambda: self._settings_chosen(dialog))
        dialog.open()
        return dialog

    def _settings_chosen(self, dialog: ModelSettingsDialog) -> None:
        app = dialog.app_value()
        if app is not None:
            self.session.save_device_cap(app.gpu_memory_cap_mb)
        self.session.save_model_settings(dialog.value())

    @Slot()
    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.w, translate("ModelControls", "Import model"), str(Path.home()),
            translate("ModelsPage", GGUF_FILTER))
        self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        """Where a file dialog's answer and a drop go: each file is validated before anything
        loads it and listed in place; a bad one gets one sentence."""
        for p in paths:
            self.library.import_model(p)

    # -- the welcome page --------------------------------------------------------------------

    def starter_state(self) -> str:
        if self.library.model_by_id(STARTER_ID) is None:
            return "missing" if self.library.listed_once else "loading"
        if self.session.state == "loading":
            return "loading"
        loaded = self.session.model is not None and self.session.model.model_id == STARTER_ID
        return "ready" if loaded else "available"

    def update_starter(self) -> None:
        item = next((it for it in self.items if it.model_id == STARTER_ID), None)
        self.w.welcome.set_starter(self.starter_state(), item)

    @Slot()
    def start_with_starter(self) -> None:
        """"Start chatting": the starter loads if another model (or none) is loaded."""
        loaded = self.session.model
        if (loaded is None or loaded.model_id != STARTER_ID) and \
                self.library.model_by_id(STARTER_ID) is not None:
            self.session.select_model(STARTER_ID)

    def attach_hub(self, hub: Any) -> None:
        self.hub = hub
        hub.hub_panel.files_shown.connect(self._files_shown)
        hub.queries.query_failed.connect(self._query_failed)
        hub.model_installed.connect(self._installed)

    @Slot(object, object)
    def download(self, entry: CatalogEntry, file: CatalogFile) -> None:
        """One click on the welcome page: list the repo's files (for the pinned commit and the
        checksums), then download that file; the Models page shows it happen."""
        if self.hub is None:
            self.w.show_error(translate("ModelControls", "Downloads are not available here."))
            return
        self._pending = (entry, file)
        self.w.welcome.say(entry.id, translate("ModelControls", "Asking the Hub for the "
                                                                "file…"))
        page = self.open_models_page()
        page.tabs.setCurrentWidget(self.hub.hub_panel)
        self.hub.list_files(entry.repo_id, entry.revision)

    @Slot(str)
    def _files_shown(self, repo_id: str) -> None:
        if self._pending is None or self._pending[0].repo_id != repo_id:
            return
        entry, file = self._pending
        self._pending = None
        panel = self.hub.hub_panel
        model = panel.listing.find(file.filename) if panel.listing is not None else None
        if model is None:
            self.w.welcome.say(entry.id, translate("ModelControls", "That file is no longer "
                                                                    "in the repository."))
            return
        panel.select_file(model.name)
        self._downloading[model.name.rsplit("/", 1)[-1]] = entry.id
        self.hub.download(model)
        if self.w.models_page is not None:
            self.w.models_page.tabs.setCurrentWidget(self.hub.downloads_panel)
        self.w.welcome.say(entry.id, translate(
            "ModelControls", "Downloading (see Models → Downloads); it appears in the model "
                             "list when it is done."))

    @Slot(int, str)
    def _query_failed(self, _request_id: int, message: str) -> None:
        if self._pending is not None:
            entry, _file = self._pending
            self._pending = None
            self.w.welcome.say(entry.id, message)

    @Slot(str, object)
    def _installed(self, path: str, _header: object) -> None:
        entry_id = self._downloading.pop(Path(path).name, None)
        if entry_id is not None:
            self.w.welcome.say(entry_id, translate(
                "ModelControls", "Downloaded: pick it in the model list to chat with it."))
