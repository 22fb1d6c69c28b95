"""The Help menu: the keyboard shortcuts (one table that the window's actions, the Keyboard
shortcuts dialog and README's list all follow; a test checks README against it) and About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

# (action name in the window, key sequence in portable text, what it does)
SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("new_chat", "Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New chat (the message box gets the "
                                                          "focus)")),
    ("focus_composer", "Ctrl+L", QT_TRANSLATE_NOOP("Shortcuts", "Go to the message box")),
    ("stop", "Esc", QT_TRANSLATE_NOOP("Shortcuts", "Stop the reply (from anywhere in the "
                                                   "window)")),
    ("copy_reply", "Ctrl+Shift+C", QT_TRANSLATE_NOOP("Shortcuts", "Copy the last reply")),
    ("previous_chat", "Alt+Up", QT_TRANSLATE_NOOP("Shortcuts", "Previous chat in the list")),
    ("next_chat", "Alt+Down", QT_TRANSLATE_NOOP("Shortcuts", "Next chat in the list")),
    ("preferences", "Ctrl+,", QT_TRANSLATE_NOOP("Shortcuts", "Preferences")),
    ("shortcuts", "F1", QT_TRANSLATE_NOOP("Shortcuts", "This list of shortcuts")),
    ("quit", "Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "Quit")),
)
# Keys that belong to a widget rather than the window, listed in the dialog too.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", QT_TRANSLATE_NOOP("Shortcuts", "Send the message (in the message box)")),
    ("Shift+Enter", QT_TRANSLATE_NOOP("Shortcuts", "New line in the message box")),
    ("F2", QT_TRANSLATE_NOOP("Shortcuts", "Rename the selected chat (in the list of chats)")),
    ("Del", QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected chat (in the list of chats)")),
    ("Home", QT_TRANSLATE_NOOP("Shortcuts", "First message (in the conversation)")),
    ("End", QT_TRANSLATE_NOOP("Shortcuts", "Latest message (in the conversation)")),
)


def key_of(action: str) -> QKeySequence:
    return QKeySequence(next(keys for name, keys, _what in SHORTCUTS if name == action))


def shown(keys: str) -> str:
    """A key sequence as this platform writes it (⌘ on macOS, Ctrl elsewhere)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def others(window: QWidget | None, listed: set[QKeySequence]) -> list[tuple[str, str]]:
    """Shortcuts of the window's other actions (added by other parts, e.g. search), as
    (keys, the action's name)."""
    if window is None:
        return []
    rows = []
    for action in window.findChildren(QAction):
        keys = action.shortcut()
        if not keys.isEmpty() and keys not in listed:
            listed.add(keys)
            name = action.text().replace("&", "").rstrip("…").strip()
            rows.append((keys.toString(QKeySequence.SequenceFormat.NativeText), name))
    return sorted(rows)


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: every shortcut of the window, in a table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        rows = [(shown(k), translate("Shortcuts", what)) for _n, k, what in SHORTCUTS]
        rows += others(parent, {QKeySequence(k) for _n, k, _w in SHORTCUTS})
        rows += [(shown(k), translate("Shortcuts", what)) for k, what in WIDGET_KEYS]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([translate("ShortcutsDialog", "Keys"),
                                              translate("ShortcutsDialog", "What it does")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setShowGrid(False)
        for r, (keys, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        intro = QLabel(translate("ShortcutsDialog", "Every function is also in the menus: "
                                                    "press Alt to reach them from the "
                                                    "keyboard."))
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[tuple[str, str]]:
        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]


def about_box(parent: QWidget) -> QMessageBox:
    """Help → About: the version and the licences, as plain text."""
    from desktopchat import __version__

    box = QMessageBox(QMessageBox.Icon.Information,
                      translate("MainWindow", "About desktopchat"),
                      translate("MainWindow", "desktopchat {version}\n\nChat privately with open "
                                              "language models on your own computer, offline. "
                                              "Apache-2.0 licence; icons by Lucide (ISC "
                                              "licence).").format(version=__version__),
                      QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box
