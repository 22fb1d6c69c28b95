"""The window's actions (menus, toolbar and shortcuts share them), with their icons.

Each action is only built and labelled here; ``MainWindow`` connects what they do. Icons are
drawn in the theme's text colour and drawn again when the theme changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from desktopchat.ui.i18n import translate
from desktopchat.ui.shortcuts import key_of
from desktopchat.ui.theme import Theme, current_theme, icon

# action name → icon name ("" for none)
ICONS = {
    "new_chat": "message-square-plus", "copy_reply": "copy", "fork_chat": "copy",
    "regenerate": "refresh-cw", "stop": "square", "previous_chat": "", "next_chat": "",
    "focus_composer": "", "preferences": "sun", "quit": "x", "models": "boxes",
    "import_model": "upload", "model_settings": "settings", "unload": "power",
    "shortcuts": "keyboard", "about": "info", "get_models": "download", "offline": "wifi-off",
}


class WindowActions(QObject):
    """Every action of the main window, as attributes named like ``ICONS``' keys."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        t = translate
        self.new_chat = self._make("new_chat", t("WindowActions", "New chat"),
                                   t("WindowActions", "Start a new chat"))
        self.copy_reply = self._make("copy_reply", t("WindowActions", "Copy last reply"),
                                     t("WindowActions", "Copy the last reply to the clipboard"))
        self.fork_chat = self._make("fork_chat", t("WindowActions", "Fork chat"),
                                    t("WindowActions", "Continue this chat in a copy"))
        self.regenerate = self._make("regenerate", t("WindowActions", "Regenerate reply"),
                                     t("WindowActions", "Answer the last message again (the "
                                                        "earlier reply is kept)"))
        self.stop = self._make("stop", t("WindowActions", "Stop reply"),
                               t("WindowActions", "Stop the reply being written"))
        self.previous_chat = self._make("previous_chat", t("WindowActions", "Previous chat"),
                                        t("WindowActions", "Open the chat above in the list"))
        self.next_chat = self._make("next_chat", t("WindowActions", "Next chat"),
                                    t("WindowActions", "Open the chat below in the list"))
        self.focus_composer = self._make("focus_composer",
                                         t("WindowActions", "Go to the message box"),
                                         t("WindowActions", "Put the cursor in the message box"))
        self.preferences = self._make("preferences", t("WindowActions", "Preferences…"),
                                      t("WindowActions", "Look, text size and language"))
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit = self._make("quit", t("WindowActions", "Quit"),
                               t("WindowActions", "Close desktopchat"))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.models = self._make("models", t("WindowActions", "Models…"),
                                 t("WindowActions", "Installed models: load, delete, fit on "
                                                    "this computer"))
        self.import_model = self._make("import_model", t("WindowActions", "Import model…"),
                                       t("WindowActions", "Add a .gguf file (or drop one onto "
                                                          "the window)"))
        self.model_settings = self._make("model_settings", t("WindowActions", "Model settings…"),
                                         t("WindowActions", "System prompt, creativity, reply "
                                                            "length and context of this model"))
        self.unload = self._make("unload", t("WindowActions", "Unload model"),
                                 t("WindowActions", "Free the model's memory; pick a model to "
                                                    "load it again"))
        self.shortcuts = self._make("shortcuts", t("WindowActions", "Keyboard shortcuts"),
                                    t("WindowActions", "Every keyboard shortcut of the window"))
        self.about = self._make("about", t("WindowActions", "About desktopchat"),
                                t("WindowActions", "Version and licence"))
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        for name in ("new_chat", "copy_reply", "previous_chat", "next_chat", "focus_composer",
                     "preferences", "quit", "shortcuts", "stop"):
            action: QAction = getattr(self, name)
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

    def adopt(self, name: str, action: QAction, text: str, tip: str) -> None:
        """An action built elsewhere (the Hub's "Get models…", "Offline"): labelled, given
        its icon and listed with the window's own."""
        action.setObjectName(name)
        action.setText(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if ICONS.get(name):
            action.setIcon(icon(ICONS[name], current_theme(), current_theme().text))
        if action not in self._window.actions():
            self._window.addAction(action)

    def build_menus(self, bar: QMenuBar) -> None:
        t = translate
        chat = bar.addMenu(t("WindowActions", "&Chat"))
        chat.addActions([self.new_chat, self.fork_chat])
        chat.addSeparator()
        chat.addActions([self.regenerate, self.stop, self.copy_reply])
        chat.addSeparator()
        chat.addActions([self.previous_chat, self.next_chat, self.focus_composer])
        chat.addSeparator()
        chat.addActions([self.preferences, self.quit])
        self.model_menu = bar.addMenu(t("WindowActions", "&Model"))
        self.model_menu.addActions([self.models, self.import_model, self.model_settings,
                                    self.unload])
        helpm = bar.addMenu(t("WindowActions", "&Help"))
        helpm.addActions([self.shortcuts, self.about])


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
