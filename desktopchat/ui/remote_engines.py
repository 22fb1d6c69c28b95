"""Settings page "Remote engines": add, edit and remove OpenAI-compatible servers (a name, a
base URL, an optional API key), test one, and see a warning where messages would cross the
network unencrypted. In offline mode the page says so and everything on it is disabled.

Every string from outside (names, URLs, server messages, model names) is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.engine.remote import RemoteModel
from desktopchat.engine.remote_config import (
    RemoteConfigError,
    RemoteEndpoint,
    RemoteEngines,
    insecure_warning,
    normalize_base_url,
)
from desktopchat.session.remote_models import RemoteModelLister
from desktopchat.ui.core_messages import core_text
from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

OFFLINE_TEXT = QT_TRANSLATE_NOOP(
    "RemoteEnginesPage", "Offline mode is on: remote engines are not contacted and cannot be used.")


def _label(text: str = "", object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class RemoteEnginesPage(QWidget):
    """Signals:
        engines_changed(): an engine was added, edited or removed (refresh the model picker).
    """

    engines_changed = Signal()

    def __init__(self, engines: RemoteEngines, lister: RemoteModelLister | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engines = engines
        self.lister = lister
        self._editing: str | None = None  # the engine id in the form; None: a new one
        self.offline_banner = _label(translate("RemoteEnginesPage", OFFLINE_TEXT), "offline_banner")
        self.offline_banner.setStyleSheet("color: #9a3412; font-weight: bold;")
        self.list = QListWidget()
        self.list.setAccessibleName(translate("RemoteEnginesPage", "Remote engines"))
        self.list.currentItemChanged.connect(self._on_selected)
        self.name = QLineEdit()
        self.name.setAccessibleName(translate("RemoteEnginesPage", "Engine name"))
        self.name.setPlaceholderText(translate("RemoteEnginesPage", "GPU server"))
        self.url = QLineEdit()
        self.url.setAccessibleName(translate("RemoteEnginesPage", "Base URL"))
        self.url.setPlaceholderText("http://localhost:8000/v1")
        self.url.textChanged.connect(self._update_warning)
        self.key = QLineEdit()
        self.key.setAccessibleName(translate("RemoteEnginesPage", "API key"))
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.warning = _label("", "insecure_warning")
        self.warning.setStyleSheet("color: #b45309;")
        self.status = _label("", "status")
        self.new_button = QPushButton(translate("RemoteEnginesPage", "&New"))
        self.save_button = QPushButton(translate("RemoteEnginesPage", "&Save"))
        self.remove_button = QPushButton(translate("RemoteEnginesPage", "&Remove"))
        self.test_button = QPushButton(translate("RemoteEnginesPage", "&Test connection"))
        self.test_button.setToolTip(
            translate("RemoteEnginesPage", "List the models this engine offers"))
        self.new_button.clicked.connect(self.new_engine)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.test_button.clicked.connect(self.test_connection)
        form = QFormLayout()
        form.addRow(translate("RemoteEnginesPage", "&Name:"), self.name)
        form.addRow(translate("RemoteEnginesPage", "Base &URL:"), self.url)
        form.addRow(translate("RemoteEnginesPage", "API &key:"), self.key)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.remove_button, self.test_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form = QWidget()
        right = QVBoxLayout(self.form)
        right.addLayout(form)
        right.addWidget(self.warning)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(self.form, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.offline_banner)
        layout.addWidget(_label(translate(
            "RemoteEnginesPage", "Chat with models on other machines through any "
            "OpenAI-compatible server (vLLM, llama.cpp's llama-server, Ollama, a hosted API). "
            "Nothing is sent to a server you did not add here.")))
        layout.addLayout(body)
        if lister is not None:
            lister.listed.connect(self._on_listed)
            lister.failed.connect(self._on_list_failed)
        self.reload()
        self.set_offline(lister.offline.is_set() if lister is not None else False)

    # -- state --------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for e in self.engines.engines():
            item = QListWidgetItem(f"{e.name} — {e.base_url}")
            item.setData(Qt.ItemDataRole.UserRole, e.engine_id)
            self.list.addItem(item)
            if e.engine_id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        current = self.list.currentItem()
        if current is None:
            self.new_engine()
        else:
            self._on_selected(current, None)

    @Slot(bool)
    def set_offline(self, offline: bool) -> None:
        self.offline_banner.setVisible(offline)
        self.form.setEnabled(not offline)
        self.list.setEnabled(not offline)

    def _endpoint(self, engine_id: str | None) -> RemoteEndpoint | None:
        return self.engines.get(engine_id) if engine_id else None

    @Slot()
    def new_engine(self) -> None:
        self.list.setCurrentRow(-1)
        self._editing = None
        self.name.clear()
        self.url.clear()
        self.key.clear()
        self.key.setPlaceholderText(translate("RemoteEnginesPage", "optional"))
        self.remove_button.setEnabled(False)
        self.status.clear()
        self.name.setFocus()

    def _on_selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        endpoint = self._endpoint(item.data(Qt.ItemDataRole.UserRole))
        if endpoint is None:
            return
        self._editing = endpoint.engine_id
        self.name.setText(endpoint.name)
        self.url.setText(endpoint.base_url)
        self.key.clear()
        self.key.setPlaceholderText(
            translate("RemoteEnginesPage", "stored (type to replace)") if endpoint.has_key
            else translate("RemoteEnginesPage", "optional"))
        self.remove_button.setEnabled(True)
        self.status.clear()

    @Slot()
    def _update_warning(self) -> None:
        try:
            text = core_text(insecure_warning(normalize_base_url(self.url.text())))
        except RemoteConfigError:
            text = ""
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    # -- actions ------------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        key = self.key.text()
        try:
            if self._editing is None:
                endpoint, warning = self.engines.add(self.name.text(), self.url.text(), key)
            else:
                endpoint, warning = self.engines.update(self._editing, self.name.text(),
                                                        self.url.text(), key if key else None)
        except RemoteConfigError as exc:
            self.status.setText(core_text(str(exc)))
            return
        self.key.clear()
        self.reload(select=endpoint.engine_id)
        self.status.setText(core_text(warning) if warning else translate(
            "RemoteEnginesPage", "Saved {name}.").format(name=endpoint.name))
        self.engines_changed.emit()

    @Slot()
    def remove(self) -> None:
        if self._editing is None:
            return
        endpoint = self._endpoint(self._editing)
        self.engines.remove(self._editing)
        self._editing = None
        self.reload()
        if endpoint is not None:
            self.status.setText(translate("RemoteEnginesPage", "Removed {name} and its key.")
                                .format(name=endpoint.name))
        self.engines_changed.emit()

    @Slot()
    def test_connection(self) -> None:
        if self.lister is None or self._editing is None:
            self.status.setText(translate("RemoteEnginesPage", "Save the engine first."))
            return
        try:
            target = self.engines.target(self._editing, "")
        except RemoteConfigError as exc:
            self.status.setText(core_text(str(exc)))
            return
        self.status.setText(translate("RemoteEnginesPage", "Asking {name} for its models…")
                            .format(name=target.endpoint.name))
        self.lister.refresh([target])

    @Slot(str, list)
    def _on_listed(self, engine_id: str, models: list[RemoteModel]) -> None:
        if engine_id != self._editing:
            return
        names = ", ".join(m.model for m in models[:5]) + ("…" if len(models) > 5 else "")
        if not models:
            text = translate("RemoteEnginesPage", "Connected: {count} models.")
        elif len(models) == 1:
            text = translate("RemoteEnginesPage", "Connected: 1 model ({names}).")
        else:
            text = translate("RemoteEnginesPage", "Connected: {count} models ({names}).")
        self.status.setText(text.format(count=len(models), names=names))

    @Slot(str, str)
    def _on_list_failed(self, engine_id: str, message: str) -> None:
        if engine_id == self._editing:
            self.status.setText(core_text(message))
