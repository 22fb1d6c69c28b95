"""The Models page: what is installed, where it came from, whether it fits, and the actions on it
(Import…, Delete or Forget, Load). Other tabs (Discover, Downloads) are added with ``add_tab``.

It shows what the controller's library lists and forwards what the user does; the library decides
what may be deleted (only the app's own files) and what is only forgotten.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.models import local
from desktopchat.models.fit import FitEstimate, MemoryInfo, estimate_fit
from desktopchat.models.local import LocalModel
from desktopchat.models.names import human_size
from desktopchat.models.offload import OffloadPlan, describe, plan_offload
from desktopchat.session.library import LibraryController
from desktopchat.session.model_session import ModelSession
from desktopchat.settings import Settings
from desktopchat.ui import plain
from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger(__name__)

COLUMNS = (QT_TRANSLATE_NOOP("ModelsPage", "Name"),
           QT_TRANSLATE_NOOP("ModelsPage", "Quantization"),
           QT_TRANSLATE_NOOP("ModelsPage", "Size on disk"),
           QT_TRANSLATE_NOOP("ModelsPage", "Source"),
           QT_TRANSLATE_NOOP("ModelsPage", "Last used"),
           QT_TRANSLATE_NOOP("ModelsPage", "Fit"),
           QT_TRANSLATE_NOOP("ModelsPage", "Runs on"))
UNUSABLE = QT_TRANSLATE_NOOP("ModelsPage", "✗ Cannot be used")
FIT_LABEL = {"fits": QT_TRANSLATE_NOOP("ModelsPage", "✓ Fits"),
             "tight": QT_TRANSLATE_NOOP("ModelsPage", "! Tight"),
             "won't fit": QT_TRANSLATE_NOOP("ModelsPage", "✗ Won't fit")}
GGUF_FILTER = QT_TRANSLATE_NOOP("ModelsPage", "GGUF models (*.gguf);;All files (*)")
# Where a model came from (``LocalModel.source``, from the Qt-free library) and the titles of
# the tabs the composition root adds: shown in the current language.
SOURCES = {local.SOURCE_STARTER: QT_TRANSLATE_NOOP("ModelsPage", "Starter model"),
           local.SOURCE_FOLDER: QT_TRANSLATE_NOOP("ModelsPage", "Models folder"),
           local.SOURCE_DOWNLOAD: QT_TRANSLATE_NOOP("ModelsPage", "Downloaded"),
           local.SOURCE_IMPORTED: QT_TRANSLATE_NOOP("ModelsPage", "Imported (in place)"),
           local.SOURCE_COPY: QT_TRANSLATE_NOOP("ModelsPage", "Imported (copy)"),
           local.SOURCE_HF: QT_TRANSLATE_NOOP("ModelsPage", "Hugging Face cache"),
           local.SOURCE_LMSTUDIO: QT_TRANSLATE_NOOP("ModelsPage", "LM Studio"),
           local.SOURCE_OLLAMA: QT_TRANSLATE_NOOP("ModelsPage", "Ollama")}
TAB_TITLES = (QT_TRANSLATE_NOOP("ModelsPage", "Get models"),
              QT_TRANSLATE_NOOP("ModelsPage", "Downloads"))


def last_used_text(when: float | None, now: float | None = None) -> str:
    """'never', 'just now', '5 min ago', '3 h ago', '2 days ago', or the date."""
    if when is None:
        return translate("ModelsPage", "never")
    age = (now if now is not None else time.time()) - when
    if age < 60:
        return translate("ModelsPage", "just now")
    if age < 3600:
        return translate("ModelsPage", "{n} min ago").format(n=int(age // 60))
    if age < 86400:
        return translate("ModelsPage", "{n} h ago").format(n=int(age // 3600))
    if age < 7 * 86400:
        return translate("ModelsPage", "{n} days ago").format(n=int(age // 86400))
    return time.strftime("%Y-%m-%d", time.localtime(when))


def removal_question(model: LocalModel) -> str:
    """The confirmation, saying which of the two removing does."""
    if model.owned:
        return translate("ModelsPage", "Delete {name}? The file ({size}) is removed from disk "
                                       "and the space is freed.").format(
            name=model.name, size=human_size(model.size))
    return translate("ModelsPage", "Forget {name}? It disappears from the list, but the file "
                                   "is not deleted: it stays at {path}.").format(
        name=model.name, path=model.path)


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def fit_text(fit: FitEstimate) -> str:
    """The numbers behind a fit badge, in plain words (``FitEstimate.explain``, translated)."""
    parts = [translate(
        "ModelsPage", "About {total} of memory at a context of {n_ctx} tokens: {weights} of "
                      "weights, {kv} of conversation memory (KV cache{note}) and {work} of "
                      "working space.").format(
        total=_gb(fit.total_bytes), n_ctx=fit.n_ctx, weights=_gb(fit.weights_bytes),
        kv=_gb(fit.kv_cache_bytes), note=fit.kv_note, work=_gb(fit.overhead_bytes))]
    if fit.available_bytes:
        parts.append({
            "fits": translate("ModelsPage", "This computer has {free} free right now, so it "
                                            "fits with room to spare."),
            "tight": translate("ModelsPage", "This computer has {free} free right now, so it "
                                             "fits, but only just: close other programs "
                                             "first."),
            "won't fit": translate("ModelsPage", "This computer has {free} free right now, so "
                                                 "it won't fit: pick a smaller file or a "
                                                 "shorter context."),
        }[fit.verdict].format(free=_gb(fit.available_bytes)))
    else:
        parts.append(translate("ModelsPage", "How much memory is free could not be read, so "
                                             "this is only a guess."))
    return " ".join(parts)


class ModelsPage(QDialog):
    """A window with the "Installed" tab (and whatever ``add_tab`` adds).

    It has no signals of its own: Load goes to the model session, Import and Delete/Forget to
    the library, and the table follows ``library.models_changed``.
    """

    def __init__(self, library: LibraryController, session: ModelSession, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.session = session
        self.settings = settings
        self._select_next = ""  # an imported model, selected once the listing shows it
        self.setWindowTitle(translate("ModelsPage", "Models"))
        self.resize(900, 480)
        self.tabs = QTabWidget()
        self.installed = QWidget()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("installedModels")
        self.table.setAccessibleName(translate("ModelsPage", "Installed models"))
        self.table.setHorizontalHeaderLabels([translate("ModelsPage", c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(self._double_clicked)
        self.tabs.setAccessibleName(translate("ModelsPage", "Model pages"))
        self.detail = QLabel("")  # the selected model: its file and the numbers behind its fit
        self.detail.setAccessibleName(translate("ModelsPage", "About the selected model"))
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel("")  # what the last action did (added, deleted, why not)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setObjectName("modelsStatus")
        self.status.setAccessibleName(translate("ModelsPage", "What happened"))
        self.import_button = QPushButton(translate("ModelsPage", "Import…"))
        self.import_button.clicked.connect(self.choose_import)
        self.copy_box = QCheckBox(translate("ModelsPage",
                                            "Copy imported files into the app's models folder"))
        self.remove_button = QPushButton(translate("ModelsPage", "Delete"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.load_button = QPushButton(translate("ModelsPage", "Load"))
        self.load_button.clicked.connect(self.load_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.copy_box)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.load_button)
        layout = QVBoxLayout(self.installed)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.tabs.addTab(self.installed, translate("ModelsPage", "Installed"))
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        self._fits: dict[str, FitEstimate] = {}
        self._rows: list[LocalModel] = []
        library.models_changed.connect(self.refresh)
        library.imported.connect(self._imported)
        library.notice.connect(self._show_error)
        library.error.connect(self._show_error)
        session.model_state.connect(self._model_state)
        session.devices_changed.connect(self.refresh)
        session.error.connect(self._show_error)
        self.refresh()

    def add_tab(self, widget: QWidget, title: str) -> None:
        """Add a page (the Hub's Discover and Downloads tabs live in their own modules); a
        title listed in ``TAB_TITLES`` is shown in the current language."""
        self.tabs.addTab(widget, translate("ModelsPage", title))

    # -- the table ----------------------------------------------------------------------------

    def fit_for(self, model: LocalModel, memory: MemoryInfo | None) -> FitEstimate | None:
        """The fit at this model's context setting; None while its header is not known."""
        info = self.library.header(model)
        if info is None:
            return None
        n_ctx = self.settings.model(model.model_id).context_length
        return estimate_fit(info, n_ctx, memory)

    def plan_for(self, model: LocalModel, memory: MemoryInfo | None) -> OffloadPlan | None:
        """Where it would run (the GPU, partly, or the CPU) and why; None without a header."""
        info = self.library.header(model)
        if info is None:
            return None
        ms = self.settings.model(model.model_id)
        return plan_offload(info, ms.context_length, self.session.devices, ms.device,
                            ms.gpu_layers, self.settings.app().device_memory_cap_bytes(),
                            memory.available_bytes if memory is not None else 0)

    @Slot()
    def refresh(self) -> None:
        selected = self.selected_model()
        keep = self._select_next or (selected.model_id if selected
                                     else self.session.selected_model_id)
        memory = MemoryInfo.current()
        self._rows = self.library.local_models  # remote engines have their own settings page
        self._fits = {}
        self.table.setRowCount(len(self._rows))
        now = time.time()
        for row, m in enumerate(self._rows):
            fit = self.fit_for(m, memory)
            plan = self.plan_for(m, memory)
            if fit is not None:
                self._fits[m.model_id] = fit
            loaded = self.session.model is not None and self.session.model.model_id == m.model_id
            cells = (
                m.name + (translate("ModelsPage", "  (loaded)") if loaded else ""),
                m.quantization or "?",
                human_size(m.size),
                translate("ModelsPage", SOURCES[m.source]) if m.source in SOURCES else m.source,
                last_used_text(m.last_used, now),
                translate("ModelsPage", UNUSABLE) if m.model_id in self.library.unusable
                else translate("ModelsPage", FIT_LABEL[fit.verdict]) if fit else "?",
                describe(plan) if plan is not None else "?",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, m.model_id)
                    item.setToolTip(plain.tooltip(m.path))
                if col == 3 and m.detail:
                    item.setToolTip(plain.tooltip(m.detail))
                if col == 5 and m.model_id in self.library.unusable:
                    item.setToolTip(plain.tooltip(self.library.unusable[m.model_id]))
                elif col == 5 and fit is not None:
                    item.setToolTip(plain.tooltip(fit_text(fit)))
                if col == 6 and plan is not None:
                    item.setToolTip(plain.tooltip(plan.reason))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._select(keep)
        if self._select_next and any(m.model_id == self._select_next for m in self._rows):
            self._select_next = ""
        self._selection_changed()

    def _select(self, model_id: str) -> None:
        for row, m in enumerate(self._rows):
            if m.model_id == model_id:
                self.table.selectRow(row)
                return
        if self._rows:
            self.table.selectRow(0)

    def selected_model(self) -> LocalModel | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def row_texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and accessibility checks)."""
        return [[(self.table.item(r, c) or QTableWidgetItem()).text()
                 for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    @Slot()
    def _selection_changed(self) -> None:
        m = self.selected_model()
        self.remove_button.setEnabled(m is not None)
        self.load_button.setEnabled(m is not None)
        if m is None:
            self.detail.setText("")
            return
        self.remove_button.setText(translate("ModelsPage", "Delete") if m.owned
                                   else translate("ModelsPage", "Forget"))
        self.remove_button.setToolTip(plain.tooltip(removal_question(m)))
        fit = self._fits.get(m.model_id)
        self.detail.setText(f"{m.path}\n{fit_text(fit) if fit else ''}".strip())

    # -- actions ------------------------------------------------------------------------------

    def confirm(self, question: str) -> bool:
        """Ask before deleting or forgetting (tests replace this; a modal box blocks them)."""
        return plain.ask(self, translate("ModelsPage", "Remove model"), question)

    @Slot()
    def remove_selected(self) -> None:
        m = self.selected_model()
        if m is None or not self.confirm(removal_question(m)):
            return
        self.library.remove_model(m.model_id)  # the sentence arrives as a notice

    @Slot()
    def load_selected(self) -> None:
        m = self.selected_model()
        if m is not None:
            self.session.select_model(m.model_id)

    @Slot(object)
    def _double_clicked(self, _item: QTableWidgetItem) -> None:
        self.load_selected()

    @Slot()
    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, translate("ModelsPage", "Import model"),
                                                str(Path.home()),
                                                translate("ModelsPage", GGUF_FILTER))
        self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        """Where the file dialog's answer goes: each file is validated and added on the library
        thread; the result (or the sentence saying why not) arrives in the detail line."""
        for p in paths:
            self.library.import_model(p, copy=self.copy_box.isChecked())

    @Slot(object)
    def _imported(self, model: LocalModel) -> None:
        if any(m.model_id == model.model_id for m in self._rows):
            self._select(model.model_id)  # already listed (the library adds it at once)
        else:
            self._select_next = model.model_id  # selected when the listing shows it
        self.status.setText(translate("ModelsPage", "Added {name}.").format(name=model.name))

    @Slot(str)
    def _show_error(self, message: str) -> None:
        self.status.setText(message)

    @Slot(str, str)
    def _model_state(self, state: str, _detail: str) -> None:
        if state in ("ready", "none"):
            self.refresh()  # the "(loaded)" mark moved
