"""The Chat menu: find, search, export, import, back up, restore and presets, added to the
window by ``install`` (the window itself is not changed, so it can be rebuilt freely).

    Chat
      Find in chat…            Ctrl+F
      Search all chats…        Ctrl+Shift+F
      ─
      Export chat…
      Import chats…
      ─
      Back up all chats…
      Restore from backup…
      Cancel the pending restore   (only while one waits for the next start)
      ─
      Preset: <name> ▸
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktopchat.session.chat_tools import ChatTools
from desktopchat.session.conversations import ConversationController
from desktopchat.ui.chat_io import ChatIO
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.presets import PresetEditor, PresetMenu
from desktopchat.ui.search import FindBar
from desktopchat.ui.search_panel import SearchPanel
from desktopchat.ui.theme import icon

translate = QCoreApplication.translate  # the name lupdate looks for
RESTYLE = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
           QEvent.Type.StyleChange)



class ChatMenu(QObject):
    """Owns the Chat menu's actions and the widgets they open."""

    def __init__(self, window: QMainWindow, tools: ChatTools,
                 conversations: ConversationController, view: ChatView) -> None:
        super().__init__(window)
        self.window, self.tools, self.conversations = window, tools, conversations
        self.find_bar = FindBar(tools, conversations, view)
        self.search_panel = SearchPanel(tools, view, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.search_panel)
        self.search_panel.hide()
        self.io = ChatIO(tools, conversations, window)
        self.editor: PresetEditor | None = None
        self._icons: dict[QAction, str] = {}

        self.menu = self._menu(window)
        self.find_action = self._action(
            "findInChat", "search", translate("ChatMenu", "&Find in chat…"),
            translate("ChatMenu", "Find words in the open chat"), self.find_bar.open_bar,
            QKeySequence(QKeySequence.StandardKey.Find))
        self.search_action = self._action(
            "searchAllChats", "text-search", translate("ChatMenu", "&Search all chats…"),
            translate("ChatMenu", "Search every chat; results open on the branch they are on"),
            self.search_panel.open_panel, QKeySequence("Ctrl+Shift+F"))
        self.menu.addSeparator()
        self.export_action = self._action(
            "exportChat", "file-output", translate("ChatMenu", "&Export chat…"),
            translate("ChatMenu", "Save the open chat as Markdown, a web page or complete JSON"),
            self.io.export_chat)
        self.import_action = self._action(
            "importChats", "file-input", translate("ChatMenu", "&Import chats…"),
            translate("ChatMenu", "Add chats exported by desktopchat, ChatGPT, LM Studio or Jan"),
            self.io.import_chats)
        self.menu.addSeparator()
        self.backup_action = self._action(
            "backUpChats", "archive", translate("ChatMenu", "&Back up all chats…"),
            translate("ChatMenu", "Save every chat and setting in one archive"), self.io.back_up)
        self.restore_action = self._action(
            "restoreChats", "archive-restore", translate("ChatMenu", "&Restore from backup…"),
            translate("ChatMenu", "Replace every chat and setting with a backup's (checked "
                                  "first; done at the next start)"), self.io.restore)
        self.cancel_restore_action = self._action(
            "cancelRestore", "x", translate("ChatMenu", "&Cancel the pending restore"),
            translate("ChatMenu", "Keep your chats as they are instead of restoring the backup "
                                  "at the next start"), tools.cancel_pending_restore)
        self.cancel_restore_action.setVisible(tools.restore_pending)
        self.menu.addSeparator()
        self.preset_menu = PresetMenu(tools, conversations, self.menu)
        self.menu.addMenu(self.preset_menu)
        self.preset_menu.manage_requested.connect(self.open_preset_editor)

        tools.restore_pending_changed.connect(self.cancel_restore_action.setVisible)
        tools.job_started.connect(self._busy)
        tools.job_finished.connect(self._busy)
        conversations.conversation_opened.connect(self._chat_opened)
        self._chat_opened()
        window.installEventFilter(self)

    def _menu(self, window: QMainWindow) -> QMenu:
        """The window's Chat menu if it already has one (found by name), else a new one."""
        bar = window.menuBar()
        menu: QMenu | None = bar.findChild(QMenu, "chatMenu")
        for action in bar.actions():
            found = action.menu()
            if menu is None and isinstance(found, QMenu) \
                    and action.text().replace("&", "") == translate("ChatMenu", "Chat"):
                menu = found
        if menu is None:
            menu = QMenu(translate("ChatMenu", "&Chat"), bar)
            menu.setObjectName("chatMenu")
            bar.addMenu(menu)
        else:
            menu.setObjectName("chatMenu")
            menu.addSeparator()
        menu.menuAction().setObjectName("chatMenuAction")
        return menu

    def _action(self, name: str, icon_name: str, text: str, tip: str, slot: object,
                shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(icon(icon_name), text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setWhatsThis(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.window.addAction(action)  # the shortcut works with the menu bar hidden too
        self._icons[action] = icon_name
        return action

    # -- state ----------------------------------------------------------------------------------

    @Slot()
    @Slot(int, list)
    def _chat_opened(self, *_args: object) -> None:
        has_chat = self.conversations.current is not None
        self.find_action.setEnabled(has_chat)
        self.export_action.setEnabled(has_chat)

    @Slot(str)
    @Slot(object)
    def _busy(self, *_args: object) -> None:
        """One restore at a time: the second would stage a copy the first question forgot."""
        self.restore_action.setEnabled(not self.tools.busy)

    @Slot()
    def open_preset_editor(self) -> PresetEditor:
        if self.editor is None:
            self.editor = PresetEditor(self.tools, self.window)
        self.editor.reload(select=getattr(self.preset_menu.current(), "id", None))
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()
        return self.editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: while a window is torn down, Python may clear this object's attributes
        # before Qt stops calling its filter.
        if event.type() in RESTYLE and watched is getattr(self, "window", None):
            self.restyle()
        return super().eventFilter(watched, event)

    def restyle(self) -> None:
        """Icons are drawn in the theme's colours: draw them again after a theme change."""
        for action, name in self._icons.items():
            action.setIcon(icon(name))
        self.preset_menu.setIcon(icon("sliders-horizontal"))
        for button, name in ((self.find_bar.prev_button, "chevron-up"),
                             (self.find_bar.next_button, "chevron-down"),
                             (self.find_bar.close_button, "x")):
            button.setIcon(icon(name))


def install(window: QMainWindow, tools: ChatTools, conversations: ConversationController,
            view: ChatView) -> ChatMenu:
    """Add the Chat menu, its shortcuts, the find bar and the search panel to ``window``, and
    route ``tools``' sentences to the window's notices and errors. Call once, after the window
    is built; what a restore at start-up did (``tools.restored``) is shown here."""
    chat_menu = ChatMenu(window, tools, conversations, view)
    show_notice = getattr(window, "show_notice", None)
    show_error = getattr(window, "show_error", None)
    tools.notice.connect(show_notice if callable(show_notice) else conversations.notice)
    tools.error.connect(show_error if callable(show_error) else conversations.error)
    if tools.restored is not None:
        (tools.notice if tools.restored.ok else tools.error).emit(tools.restored.sentence)
    return chat_menu
