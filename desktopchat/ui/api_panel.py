"""Settings panel "Local API": turn the OpenAI-compatible server on and off, pick its port, see
and copy the token (or regenerate it), and watch the activity log (clearable).

It drives an ``ApiService`` and shows what it reports; it holds no server state of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.api.activity import ActivityEntry
from desktopchat.session.api_service import ApiService
from desktopchat.ui.core_messages import core_text
from desktopchat.ui.i18n import translate

MAX_ROWS = 500


class ApiPanel(QWidget):
    """The local API's switch, port, token and activity log."""

    def __init__(self, service: ApiService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.enabled = QCheckBox(translate(
            "ApiPanel", "&Serve the loaded model to other programs on this computer"))
        self.enabled.setToolTip(translate("ApiPanel", "An OpenAI-compatible API on 127.0.0.1 "
                                                      "only; every request needs the token below"))
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(service.config.port)
        self.port.setAccessibleName(translate("ApiPanel", "Port"))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.token = QLineEdit()
        self.token.setReadOnly(True)
        self.token.setAccessibleName(translate("ApiPanel", "API token"))
        self.copy_button = QPushButton(translate("ApiPanel", "&Copy"))
        self.copy_button.setToolTip(translate("ApiPanel", "Copy the token to the clipboard"))
        self.regenerate_button = QPushButton(translate("ApiPanel", "&Regenerate"))
        self.regenerate_button.setToolTip(
            translate("ApiPanel", "Make a new token; the old one stops working at once"))
        self.token_file = QLabel(
            translate("ApiPanel", "Also in {path}").format(path=service.token_path))
        self.token_file.setTextFormat(Qt.TextFormat.PlainText)
        self.log = QListWidget()
        self.log.setAccessibleName(translate("ApiPanel", "API activity"))
        self.clear_button = QPushButton(translate("ApiPanel", "C&lear"))
        self.clear_button.setToolTip(translate("ApiPanel", "Clear the activity log"))
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.copy_button)
        token_row.addWidget(self.regenerate_button)
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow(translate("ApiPanel", "&Port:"), self.port)
        form.addRow(translate("ApiPanel", "Token:"), token_row)
        form.addRow("", self.token_file)
        form.addRow(self.status)
        log_header = QHBoxLayout()
        log_header.addWidget(QLabel(translate("ApiPanel", "Activity (client, tokens, time):")), 1)
        log_header.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(log_header)
        layout.addWidget(self.log, 1)
        self.enabled.toggled.connect(self._on_toggled)
        self.copy_button.clicked.connect(self.copy_token)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.clear_button.clicked.connect(self.clear)
        service.state_changed.connect(self._on_state)
        service.activity_added.connect(self._on_activity)
        service.token_changed.connect(self.token.setText)
        self.token.setText(service.token)
        for entry in service.entries():
            self._on_activity(entry)
        self._on_state(service.running, service.url)

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        if on and not self.service.running:
            self.service.start(self.port.value())
        elif not on and self.service.running:
            self.service.stop()

    @Slot(bool, str)
    def _on_state(self, running: bool, detail: str) -> None:
        self.enabled.blockSignals(True)
        self.enabled.setChecked(running)
        self.enabled.blockSignals(False)
        self.port.setEnabled(not running)
        address = self.service.address
        if running and address is not None and 1024 <= address[1] <= 65535:
            self.port.setValue(address[1])
        if running:
            self.status.setText(translate(
                "ApiPanel", "Running at {url}: use it as an OpenAI base URL with the token as "
                "the API key.").format(url=detail))
        else:
            self.status.setText(core_text(detail) if detail else translate(
                "ApiPanel", "Off. Nothing listens until you turn it on."))

    @Slot(object)
    def _on_activity(self, entry: ActivityEntry) -> None:
        self.log.addItem(entry.summary)  # QListWidget items are plain text
        while self.log.count() > MAX_ROWS:
            self.log.takeItem(0)
        self.log.scrollToBottom()

    @Slot()
    def copy_token(self) -> None:
        QGuiApplication.clipboard().setText(self.service.token)

    @Slot()
    def regenerate(self) -> None:
        self.service.regenerate_token()

    @Slot()
    def clear(self) -> None:
        self.service.clear_activity()
        self.log.clear()
