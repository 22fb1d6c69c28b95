"""The toolbar: the model picker with the model's settings and Unload, then the
model library (Models…, Get models…, Import…) and the Offline switch at the far end.

Its buttons take the keyboard focus (Tab reaches them in order, as it does the rest of the
window); the main actions show their name beside the icon, the others only their icon (their
name is their tooltip and accessible name).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSizePolicy, QToolBar, QToolButton, QWidget

from desktopchat.ui.actions import WindowActions
from desktopchat.ui.i18n import translate
from desktopchat.ui.model_picker import ModelPicker

WITH_TEXT = {"models", "get_models", "offline"}


class MainToolBar(QToolBar):
    def __init__(self, actions: WindowActions, picker: ModelPicker,
                 parent: QWidget | None = None) -> None:
        super().__init__(translate("MainToolBar", "Main toolbar"), parent)
        self.setObjectName("mainToolBar")
        self.setAccessibleName(translate("MainToolBar", "Main toolbar"))
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.setIconSize(QSize(18, 18))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.picker = picker
        self.addWidget(picker)
        self.add(actions.model_settings)
        self.add(actions.unload)
        self.addSeparator()
        self.add(actions.models)
        self.library_end = self.add(actions.import_model)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        spacer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.spacer = self.addWidget(spacer)

    def add(self, action: QAction, before: QAction | None = None) -> QAction:
        """Add ``action`` as a focusable button (before ``before``, else at the end)."""
        if before is not None:
            self.insertAction(before, action)
        else:
            self.addAction(action)
        button = self.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            if action.objectName() in WITH_TEXT:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return action

    def add_library_action(self, action: QAction) -> None:
        """Beside Models… and Import… (the Hub's "Get models…")."""
        self.add(action, before=self.library_end)

    def add_trailing_action(self, action: QAction) -> None:
        """At the far end, after the spacer (the Offline switch: pressed while it is on)."""
        self.add(action)

    def buttons(self) -> list[QWidget]:
        """The focusable widgets, left to right (for the window's Tab order)."""
        out: list[QWidget] = []
        for action in self.actions():
            w = self.widgetForAction(action)
            if w is not None and w.focusPolicy() != Qt.FocusPolicy.NoFocus and \
                    not action.isSeparator():
                out.append(w)
        return out
