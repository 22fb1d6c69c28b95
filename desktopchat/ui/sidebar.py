"""The list of conversations: new, open, rename, fork, delete.

Keyboard: Enter opens the chat under the cursor, F2 renames it, Delete deletes it (after a
question), and the Menu key (or Shift+F10) opens its menu.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.store import DEFAULT_TITLE
from desktopchat.chat.types import Conversation
from desktopchat.ui import plain
from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme, current_theme, icon


class ChatList(QListWidget):
    """The list itself; F2, Delete and the Menu key act on the current chat."""

    key_action = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F2:
            self.key_action.emit("rename")
        elif key == Qt.Key.Key_Delete:
            self.key_action.emit("delete")
        elif key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and event.modifiers()
                                        & Qt.KeyboardModifier.ShiftModifier):
            self.key_action.emit("menu")
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class Sidebar(QWidget):
    """Signals:
        new_requested(), open_requested(int id), rename_requested(int id, str title),
        delete_requested(int id), fork_requested(int id): a copy of the chat, to go on from.
    """

    new_requested = Signal()
    open_requested = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    fork_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        self.new_button = QPushButton(translate("Sidebar", "New chat"))
        self.new_button.setObjectName("newChatButton")
        self.new_button.setAccessibleName(translate("Sidebar", "New chat"))
        self.new_button.setToolTip(translate("Sidebar", "Start a new chat (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)
        self.heading = QLabel(translate("Sidebar", "Chats"))
        self.heading.setObjectName("sidebarHeading")
        self.list = ChatList()
        self.list.setObjectName("conversationList")
        self.list.setAccessibleName(translate("Sidebar", "Chats"))
        self.list.setAccessibleDescription(
            translate("Sidebar", "Enter opens a chat, F2 renames it, Delete deletes it"))
        self.heading.setBuddy(self.list)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.verticalScrollBar().setAccessibleName(
            translate("Sidebar", "Chats, vertical scroll bar"))
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.list.itemDoubleClicked.connect(self._rename_item)
        self.list.key_action.connect(self._key_action)
        layout.addWidget(self.new_button)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(0)
        self._updating = False
        self.restyle(current_theme())

    def restyle(self, theme: Theme) -> None:
        self.new_button.setIcon(icon("message-square-plus", theme, theme.text))
        self.heading.setStyleSheet(f"color: {theme.muted}; font-weight: 600; padding: 4px 2px 0;")
        self.list.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            " QListWidget::item { padding: 6px 6px; border-radius: 6px; }"
            f" QListWidget::item:selected {{ background: {theme.selection};"
            f" color: {theme.text}; }}"
        )

    def set_conversations(self, conversations: Sequence[Conversation], current: int | None) -> None:
        self._updating = True
        self.list.clear()
        for c in conversations:
            untitled = c.title_auto and c.title == DEFAULT_TITLE  # shown in the UI's language
            item = QListWidgetItem(translate("Sidebar", "New chat") if untitled
                                   else plain.bounded(c.title, 200))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(plain.tooltip(c.title))
            self.list.addItem(item)
            if c.id == current:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self._updating = False

    def titles(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    @staticmethod
    def _id(item: QListWidgetItem) -> int:
        return int(item.data(Qt.ItemDataRole.UserRole))

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        if not self._updating:
            self.open_requested.emit(self._id(item))

    @Slot(QListWidgetItem)
    def _rename_item(self, item: QListWidgetItem) -> None:
        title, ok = QInputDialog.getText(self, translate("Sidebar", "Rename chat"),
                                         translate("Sidebar", "Name:"), text=item.text())
        if ok and title.strip():
            self.rename_requested.emit(self._id(item), title)

    def confirm_delete(self, item: QListWidgetItem) -> bool:
        """Ask before deleting (tests replace this; a modal box would block them)."""
        question = translate("Sidebar", "Delete “{title}”? This cannot be undone.").format(
            title=item.text())
        return plain.ask(self, translate("Sidebar", "Delete chat"), question)

    def _delete_item(self, item: QListWidgetItem) -> None:
        if self.confirm_delete(item):
            self.delete_requested.emit(self._id(item))

    @Slot(str)
    def _key_action(self, action: str) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        if action == "menu":
            self._menu(self.list.visualItemRect(item).center())
        else:
            self.act(item, action)

    def menu_for(self, item: QListWidgetItem) -> QMenu:
        """The chat's menu: Rename…, Fork, Delete… (each action's data names what it does)."""
        theme = current_theme()
        menu = QMenu(self)
        menu.setAccessibleName(translate("Sidebar", "Chat actions"))
        for name, glyph, text in (
                ("rename", "pencil", translate("Sidebar", "Rename…")),
                ("fork", "copy", translate("Sidebar", "Fork (continue in a copy)")),
                ("delete", "trash-2", translate("Sidebar", "Delete…"))):
            if name == "delete":
                menu.addSeparator()
            menu.addAction(icon(glyph, theme), text).setData(name)
        return menu

    def run_menu(self, menu: QMenu, at: QPoint) -> QAction | None:
        """Show the menu until an entry is chosen (tests replace this: it runs a modal
        loop)."""
        return menu.exec(at)

    def act(self, item: QListWidgetItem, action: str) -> None:
        """Do what a menu entry says to the chat of ``item``."""
        if action == "rename":
            self._rename_item(item)
        elif action == "fork":
            self.fork_requested.emit(self._id(item))
        elif action == "delete":
            self._delete_item(item)

    @Slot(QPoint)
    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = self.menu_for(item)
        # The chat whose menu this is is the one highlighted while the menu is open; the open
        # chat is highlighted again afterwards.
        opened = self.list.currentItem()
        self._updating = True
        self.list.setCurrentItem(item)
        self._updating = False
        try:
            chosen = self.run_menu(menu, self.list.viewport().mapToGlobal(pos))
        finally:
            if opened is not None and self.list.row(opened) >= 0:
                self._updating = True
                self.list.setCurrentItem(opened)
                self._updating = False
        if chosen is not None:
            self.act(item, str(chosen.data()))
