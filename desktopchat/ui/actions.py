"""The window's actions (menus, toolbar and shortcuts share them), with their icons.

Each action is only built and labelled here; ``MainWindow`` connects what they do. Icons are
drawn in the theme's text colour and drawn again when the theme changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate
from desktopchat.ui.shortcuts import key_of
from desktopchat.ui.theme import Theme, current_theme, icon

N = QT_TRANSLATE_NOOP
# name: (icon, text, tooltip); the texts are translated when the action is made.
ACTIONS: dict[str, tuple[str, str, str]] = {
    "new_chat": ("message-square-plus", N("WindowActions", "New chat"),
                 N("WindowActions", "Start a new chat")),
    "fork_chat": ("copy", N("WindowActions", "Fork chat"),
                  N("WindowActions", "Continue this chat in a copy")),
    "regenerate": ("refresh-cw", N("WindowActions", "Regenerate reply"),
                   N("WindowActions", "Answer the last message again (the earlier reply is "
                                      "kept)")),
    "stop": ("square", N("WindowActions", "Stop reply"),
             N("WindowActions", "Stop the reply being written")),
    "copy_reply": ("copy", N("WindowActions", "Copy last reply"),
                   N("WindowActions", "Copy the last reply to the clipboard")),
    "previous_chat": ("", N("WindowActions", "Previous chat"),
                      N("WindowActions", "Open the chat above in the list")),
    "next_chat": ("", N("WindowActions", "Next chat"),
                  N("WindowActions", "Open the chat below in the list")),
    "focus_composer": ("", N("WindowActions", "Go to the message box"),
                       N("WindowActions", "Put the cursor in the message box")),
    "preferences": ("sun", N("WindowActions", "Preferences…"),
                    N("WindowActions", "Look, text size and language")),
    "quit": ("x", N("WindowActions", "Quit"), N("WindowActions", "Close desktopchat")),
    "models": ("boxes", N("WindowActions", "Models…"),
               N("WindowActions", "Installed models: load, delete, fit on this computer")),
    "import_model": ("upload", N("WindowActions", "Import model…"),
                     N("WindowActions", "Add a .gguf file (or drop one onto the window)")),
    "model_settings": ("settings", N("WindowActions", "Model settings…"),
                       N("WindowActions", "System prompt, creativity, reply length and context "
                                          "of this model")),
    "unload": ("power", N("WindowActions", "Unload model"),
               N("WindowActions", "Free the model's memory; pick a model to load it again")),
    "shortcuts": ("keyboard", N("WindowActions", "Keyboard shortcuts"),
                  N("WindowActions", "Every keyboard shortcut of the window")),
    "about": ("info", N("WindowActions", "About desktopchat"),
              N("WindowActions", "Version and licence")),
    "get_models": ("download", N("WindowActions", "Get models…"),
                   N("WindowActions", "Recommended models, Hub search and downloads")),
    "offline": ("wifi-off", N("WindowActions", "Offline"),
                N("WindowActions", "Never connect to the network (no Hub search or "
                                   "downloads)")),
}
ICONS = {name: spec[0] for name, spec in ACTIONS.items()}
ROLES = {"preferences": QAction.MenuRole.PreferencesRole, "quit": QAction.MenuRole.QuitRole,
         "about": QAction.MenuRole.AboutRole}


class WindowActions(QObject):
    """Every action of the main window, as attributes named like ``ACTIONS``' keys."""

    new_chat: QAction
    fork_chat: QAction
    regenerate: QAction
    stop: QAction
    copy_reply: QAction
    previous_chat: QAction
    next_chat: QAction
    focus_composer: QAction
    preferences: QAction
    quit: QAction
    models: QAction
    import_model: QAction
    model_settings: QAction
    unload: QAction
    shortcuts: QAction
    about: QAction

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        for name, (_icon, text, tip) in ACTIONS.items():
            if name not in ("get_models", "offline"):  # the app builds those two
                action = self._make(name, translate("WindowActions", text),
                                    translate("WindowActions", tip))
                action.setMenuRole(ROLES.get(name, QAction.MenuRole.NoRole))
                setattr(self, name, action)
        for name in ("new_chat", "copy_reply", "previous_chat", "next_chat", "focus_composer",
                     "preferences", "quit", "shortcuts", "stop"):
            action = getattr(self, name)
            action.setShortcut(key_of(name))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.stop.setEnabled(False)  # Esc belongs to whatever has focus unless a reply runs
        self.retheme(current_theme())

    def _make(self, name: str, text: str, tip: str) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self._window.addAction(action)  # shortcuts work even where no menu shows it
        return action

    def all(self) -> dict[str, QAction]:
        return {a.objectName(): a for a in self._window.actions()
                if a.objectName() in ICONS}

    def retheme(self, theme: Theme) -> None:
        for name, action in self.all().items():
            if ICONS.get(name):
                action.setIcon(icon(ICONS[name], theme, theme.text))

    def adopt(self, name: str, action: QAction) -> None:
        """An action built elsewhere (the Hub's "Get models…", "Offline"): labelled like the
        window's own, given its icon and listed with them."""
        _icon, text, tip = ACTIONS[name]
        action.setObjectName(name)
        action.setText(translate("WindowActions", text))
        action.setToolTip(translate("WindowActions", tip))
        action.setStatusTip(translate("WindowActions", tip))
        if ICONS.get(name):
            action.setIcon(icon(ICONS[name], current_theme(), current_theme().text))
        if action not in self._window.actions():
            self._window.addAction(action)

    def build_menus(self, bar: QMenuBar) -> None:
        """Chat, Model and Help. The Chat menu is named "chatMenu" so other parts of the
        window can add to it; Preferences and Quit stay at its end."""
        chat = bar.addMenu(translate("WindowActions", "&Chat"))
        chat.setObjectName("chatMenu")
        chat.addActions([self.new_chat, self.fork_chat])
        chat.addSeparator()
        chat.addActions([self.regenerate, self.stop, self.copy_reply])
        chat.addSeparator()
        chat.addActions([self.previous_chat, self.next_chat, self.focus_composer])
        self._closing = [chat.addSeparator(), self.preferences, self.quit]
        chat.addActions(self._closing[1:])
        chat.aboutToShow.connect(lambda: self._keep_last(chat))
        self.chat_menu = chat
        self.model_menu = bar.addMenu(translate("WindowActions", "&Model"))
        self.model_menu.addActions([self.models, self.import_model, self.model_settings,
                                    self.unload])
        self.help_menu = bar.addMenu(translate("WindowActions", "&Help"))
        self.help_menu.addActions([self.shortcuts, self.about])

    def _keep_last(self, menu: QMenu) -> None:
        """Entries added to the Chat menu after it was built go above Preferences and Quit."""
        if menu.actions()[-len(self._closing):] != self._closing:
            for action in self._closing:
                menu.removeAction(action)
            menu.addActions(self._closing)


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
