"""The "Get models" panel: the curated catalog (shown with no network), Hub search, a repo's GGUF
files with size, quantization and fit, and a Download button. It emits what the user asks for
and shows what it is given; the Hub calls run on the Hub worker's thread.

Repo, file and catalog names and the Hub's messages are strangers' text: labels are plain text,
tooltips are escaped HTML, and list items show text (never rich text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.models.catalog import CatalogEntry
from desktopchat.models.hub import HubModelFile, HubRepo, RepoFiles
from desktopchat.models.names import human_size
from desktopchat.ui.downloads_panel import plain_label, tooltip_html
from desktopchat.ui.i18n import translate

# (badge, the numbers behind it) for a file and its GGUF header (``GGUFInfo``).
FitFunction = Callable[[HubModelFile, Any], tuple[str, str]]

_REPO_ROLE = Qt.ItemDataRole.UserRole
_REV_ROLE = Qt.ItemDataRole.UserRole + 1


class HubPanel(QWidget):
    """Signals:
        search_requested(str query, str sort): search the Hub (sort: downloads, likes, recent).
        files_requested(str repo_id, str revision): list a repo's GGUF files ('' = main).
        download_requested(HubModelFile): download this model (all its parts).
        header_requested(HubModelFile): read this file's GGUF header (for its fit).
        files_shown(str repo_id): the files table now shows this repo's listing (UI thread).
        fit_shown(str name): a file's fit badge and numbers are shown (UI thread).
    """

    search_requested = Signal(str, str)
    files_requested = Signal(str, str)
    header_requested = Signal(object)
    fit_shown = Signal(str)
    download_requested = Signal(object)
    files_shown = Signal(str)

    def __init__(self, catalog: tuple[CatalogEntry, ...] = (),
                 fit: FitFunction | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.fit = fit
        self.listing: RepoFiles | None = None
        self.query = QLineEdit()
        self.query.setPlaceholderText(translate(
            "HubPanel", "Search the Hub for GGUF models, e.g. “qwen3” or “llama 3.2”"))
        self.query.setAccessibleName(translate("HubPanel", "Search the Hub"))
        self.query.returnPressed.connect(self._search)
        self.sort = QComboBox()
        self.sort.setAccessibleName(translate("HubPanel", "Sort results by"))
        for label, key in ((translate("HubPanel", "Most downloaded"), "downloads"),
                           (translate("HubPanel", "Most liked"), "likes"),
                           (translate("HubPanel", "Recently updated"), "recent")):
            self.sort.addItem(label, key)
        self.search_button = QPushButton(translate("HubPanel", "Search"))
        self.search_button.clicked.connect(self._search)
        self.catalog_button = QPushButton(translate("HubPanel", "Recommended"))
        self.catalog_button.clicked.connect(self.show_catalog)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.sort)
        top.addWidget(self.search_button)
        top.addWidget(self.catalog_button)

        self.results = QTreeWidget()
        self.results.setHeaderLabels([translate("HubPanel", "Model"),
                                      translate("HubPanel", "Details")])
        self.results.setAccessibleName(translate("HubPanel", "Models"))
        self.results.setRootIsDecorated(False)
        self.results.currentItemChanged.connect(self._repo_chosen)
        self.files = QTreeWidget()
        self.files.setHeaderLabels([translate("HubPanel", "File"), translate("HubPanel", "Size"),
                                    translate("HubPanel", "Quantization"),
                                    translate("HubPanel", "Fit")])
        self.files.setAccessibleName(translate("HubPanel", "Files of the chosen model"))
        self.files.setRootIsDecorated(False)
        self.files.currentItemChanged.connect(self._file_chosen)
        self.fit_details = plain_label("")
        self.fit_details.setWordWrap(True)
        self.download_button = QPushButton(translate("HubPanel", "Download"))
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self._download)
        self.message = plain_label("")
        self.message.setWordWrap(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.files, 1)
        rl.addWidget(self.fit_details)
        rl.addWidget(self.download_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.show_catalog()

    # -- catalog and search -----------------------------------------------------------------------

    @Slot()
    def show_catalog(self) -> None:
        """The recommended models: no network needed to show them."""
        self.results.clear()
        for e in self.catalog:
            quants = ", ".join(f"{f.quantization} ≈{human_size(f.approx_size)}" for f in e.files)
            item = QTreeWidgetItem([e.name, f"{e.kind} · {quants}"])
            item.setToolTip(0, tooltip_html(translate(
                "HubPanel", "{description}\nLicence: {licence}\nRepo: {repo}").format(
                    description=e.description, licence=e.licence, repo=e.repo_id)))
            item.setToolTip(1, tooltip_html(e.description))
            item.setData(0, _REPO_ROLE, e.repo_id)
            item.setData(0, _REV_ROLE, e.revision)
            self.results.addTopLevelItem(item)
        self.message.setText(translate("HubPanel", "Recommended models for ordinary laptops. "
                                                   "Search to see any GGUF model on the Hub."))

    @Slot()
    def _search(self) -> None:
        text = self.query.text().strip()
        if text:
            self.message.setText(translate("HubPanel", "Searching for “{query}”…").format(
                query=text))
            self.search_requested.emit(text, str(self.sort.currentData()))

    @Slot(list)
    def show_results(self, repos: list[HubRepo]) -> None:
        self.results.clear()
        for r in repos:
            detail = translate("HubPanel", "{downloads} downloads · {likes} likes · {date}").format(
                downloads=f"{r.downloads:,}", likes=f"{r.likes:,}", date=r.last_modified)
            if r.gated:
                detail += " · " + translate("HubPanel", "gated")
            item = QTreeWidgetItem([r.repo_id, detail])
            item.setToolTip(0, tooltip_html(r.repo_id))
            item.setData(0, _REPO_ROLE, r.repo_id)
            item.setData(0, _REV_ROLE, "")
            self.results.addTopLevelItem(item)
        self.message.setText(translate("HubPanel", "{count} models found.").format(
            count=len(repos)) if repos else translate("HubPanel", "No GGUF models found."))

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.message.setText(message)

    # -- a repo's files ---------------------------------------------------------------------------

    @Slot(object, object)
    def _repo_chosen(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        repo_id = str(current.data(0, _REPO_ROLE))
        revision = str(current.data(0, _REV_ROLE) or "")
        self.listing = None
        self.files.clear()
        self.download_button.setEnabled(False)
        self.message.setText(translate("HubPanel", "Listing the files of {repo}…").format(
            repo=repo_id))
        self.files_requested.emit(repo_id, revision)

    @Slot(object)
    def show_files(self, listing: RepoFiles) -> None:
        self.listing = listing
        self.files.clear()
        for f in listing.files:
            parts = translate("HubPanel", " ({count} parts)").format(count=len(f.parts)) \
                if len(f.parts) > 1 else ""
            item = QTreeWidgetItem([f.name + parts, human_size(f.size), f.quantization, "…"])
            item.setToolTip(0, tooltip_html(f.name))
            item.setToolTip(3, translate("HubPanel", "Select the file to read its header and "
                                                     "estimate the fit."))
            item.setData(0, _REPO_ROLE, f.name)
            self.files.addTopLevelItem(item)
        gated = (" " + translate("HubPanel", "This model is gated: you need an access token.")
                 ) if listing.gated else ""
        self.message.setText(
            translate("HubPanel", "{repo}: {count} GGUF file(s) at commit {commit}.").format(
                repo=listing.repo_id, count=len(listing.files), commit=listing.revision[:10])
            + gated if listing.files else
            translate("HubPanel", "{repo} has no GGUF files.").format(repo=listing.repo_id))
        self.files_shown.emit(listing.repo_id)

    def _chosen_file(self) -> HubModelFile | None:
        item = self.files.currentItem()
        if item is None or self.listing is None:
            return None
        return self.listing.find(str(item.data(0, _REPO_ROLE)))

    @Slot(object, object)
    def _file_chosen(self, _current: object, _previous: object) -> None:
        model = self._chosen_file()
        self.download_button.setEnabled(model is not None)
        self.fit_details.setText("")
        if model is not None:
            self.fit_details.setText(translate("HubPanel", "Reading the model's header to "
                                                           "estimate the fit…"))
            self.header_requested.emit(model)

    @Slot(object, object)
    def show_header(self, model: HubModelFile, info: Any) -> None:
        """The fit badge and the numbers behind it, from the file's GGUF header."""
        if self.fit is not None:
            badge, numbers = self.fit(model, info)
        else:
            badge = "?"
            numbers = translate("HubPanel", "{architecture}, {layers} layers, trained context "
                                            "{context} tokens, {size} of weights.").format(
                architecture=info.architecture, layers=info.arch_value("block_count", "?"),
                context=info.context_length or "?", size=human_size(model.size))
        for i in range(self.files.topLevelItemCount()):
            item = self.files.topLevelItem(i)
            if item is not None and item.data(0, _REPO_ROLE) == model.name:
                item.setText(3, badge)
                item.setToolTip(3, tooltip_html(numbers))
        current = self._chosen_file()
        if current is not None and current.name == model.name:
            self.fit_details.setText(f"{badge}: {numbers}" if self.fit else numbers)
        self.fit_shown.emit(model.name)

    def select_file(self, name: str) -> bool:
        """Select a file row by name (keyboard users and tests)."""
        for i in range(self.files.topLevelItemCount()):
            item = self.files.topLevelItem(i)
            if item is not None and item.data(0, _REPO_ROLE) == name:
                self.files.setCurrentItem(item)
                return True
        return False

    @Slot()
    def _download(self) -> None:
        model = self._chosen_file()
        if model is not None:
            self.download_requested.emit(model)
            self.message.setText(translate("HubPanel", "{name} was added to Downloads.").format(
                name=model.name))
