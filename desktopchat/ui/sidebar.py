"""The list of conversations: new, rename, delete, switch."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.types import Conversation
from desktopchat.ui import plain


class Sidebar(QWidget):
    """Signals:
        new_requested(), open_requested(int id), rename_requested(int id, str title),
        delete_requested(int id).
    """

    new_requested = Signal()
    open_requested = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.new_button = QPushButton("+  New chat")
        self.new_button.clicked.connect(self.new_requested)
        self.list = QListWidget()
        self.list.setObjectName("conversationList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemDoubleClicked.connect(self._rename_item)
        layout.addWidget(self.new_button)
        layout.addWidget(self.list)
        self._updating = False

    def set_conversations(self, conversations: Sequence[Conversation], current: int | None) -> None:
        self._updating = True
        self.list.clear()
        for c in conversations:
            item = QListWidgetItem(c.title)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(plain.tooltip(c.title))
            self.list.addItem(item)
            if c.id == current:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self._updating = False

    def titles(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        if not self._updating:
            self.open_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    @Slot(QListWidgetItem)
    def _rename_item(self, item: QListWidgetItem) -> None:
        title, ok = QInputDialog.getText(self, "Rename chat", "Name:", text=item.text())
        if ok and title.strip():
            self.rename_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)), title)

    @Slot(QPoint)
    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        rename = menu.addAction("Rename…")
        delete = menu.addAction("Delete")
        # The chat whose menu this is is the one highlighted while the menu is open; the open
        # chat is highlighted again afterwards.
        opened = self.list.currentItem()
        self._updating = True
        self.list.setCurrentItem(item)
        self._updating = False
        try:
            chosen = menu.exec(self.list.mapToGlobal(pos))
        finally:
            if opened is not None and self.list.row(opened) >= 0:
                self._updating = True
                self.list.setCurrentItem(opened)
                self._updating = False
        if chosen is rename:
            self._rename_item(item)
        elif chosen is delete:
            if plain.ask(self, "Delete chat", f"Delete “{item.text()}”? This cannot be undone."):
                self.delete_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
