"""Dialogs that host a settings page (remote engines, the local API) beside the main window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget


def page_dialog(parent: QWidget, title: str, page: QWidget) -> QDialog:
    """A non-modal dialog showing ``page`` with a Close button."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("Services", title))
    dialog.setObjectName(f"{page.objectName() or type(page).__name__}Dialog")
    dialog.resize(760, 520)
    layout = QVBoxLayout(dialog)
    layout.addWidget(page)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    return dialog
