"""The main window: menus and toolbar, the chats, the transcript (or the welcome page), the
message box, notifications and the status bar.

It shows what the four controllers say and forwards what the user does; it holds no chat
state. The model side (picker, import, Models page, welcome downloads) is ``ModelControls``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.types import MessageStatus, Role, StoredMessage
from desktopchat.models.catalog import load_catalog
from desktopchat.models.fit import MemoryInfo
from desktopchat.session.conversations import ConversationController
from desktopchat.session.generation import GenerationController
from desktopchat.session.library import LibraryController
from desktopchat.session.model_session import ModelSession
from desktopchat.ui import plain, window_state
from desktopchat.ui.actions import WindowActions
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.composer import ComposerBox
from desktopchat.ui.drops import ModelDrops, dropped_models
from desktopchat.ui.i18n import translate
from desktopchat.ui.model_controls import ModelControls
from desktopchat.ui.model_picker import ModelPicker
from desktopchat.ui.models_page import ModelsPage
from desktopchat.ui.notifications import Banner, Notifications
from desktopchat.ui.preferences import PreferencesDialog
from desktopchat.ui.reply_extras import ReplyExtras
from desktopchat.ui.shortcuts import ShortcutsDialog, about_box
from desktopchat.ui.sidebar import Sidebar
from desktopchat.ui.status import StatusLine
from desktopchat.ui.theme import Theme, current_theme, manager_if_any
from desktopchat.ui.toolbar import MainToolBar
from desktopchat.ui.transcript import extras_of
from desktopchat.ui.view_parts import RESTYLE_EVENTS
from desktopchat.ui.welcome import WelcomePage

log = logging.getLogger(__name__)



class MainWindow(QMainWindow):
    """The window: it shows what the four controllers say and forwards what the user does."""

    def __init__(self, conversations: ConversationController, generation: GenerationController,
                 session: ModelSession, library: LibraryController) -> None:
        super().__init__()
        self.conversations = conversations
        self.generation = generation
        self.session = session
        self.library = library
        self.setWindowTitle("desktopchat")
        self._built = False  # look changes wait until every part exists
        self._quit_hook: Callable[[], None] | None = None
        self._first_run = not session.settings.app().last_model_id
        self._shown_messages = 0  # messages of the open chat on screen
        self.models_page: ModelsPage | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.last_error = ""
        self.last_notice = ""

        self.commands = WindowActions(self)
        self.model_picker = ModelPicker()
        self.toolbar = MainToolBar(self.commands, self.model_picker, self)
        self.addToolBar(self.toolbar)
        self.commands.build_menus(self.menuBar())
        self.models = ModelControls(self)

        self.sidebar = Sidebar()
        self.view = ChatView()
        self.welcome = WelcomePage(load_catalog(), _available_memory())
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.welcome)
        self.template_warning = Banner()
        self.composer_box = ComposerBox()
        self.composer = self.composer_box.composer
        self.send_button = self.composer_box.send_button
        self.regenerate_button = self.composer_box.regenerate_button
        self.center = self._build_center()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.center)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self.notifications = Notifications(self.center)
        self.status = StatusLine(self.statusBar())
        self.setAcceptDrops(True)
        self.extras = ReplyExtras(self)  # reasoning, the thinking switch, oversized pastes
        self.composer_box.add_button(self.extras.think_button)
        self._wire()
        self._tab_order()
        window_state.restore(self, self.splitter, self.session.settings)
        self._follows_manager = False
        self._follow_theme_manager()
        self._retheme(current_theme())
        self._update_welcome()
        self.composer.setFocus(Qt.FocusReason.OtherFocusReason)
        self._built = True

    def _build_center(self) -> QWidget:
        center = QWidget()
        center.setObjectName("chatArea")
        col = QVBoxLayout(center)
        col.setContentsMargins(0, 0, 8, 8)
        col.setSpacing(6)
        col.addWidget(self.stack, 1)
        # The warning and the message box line up with the transcript's reading column.
        for w in (self.template_warning, self.composer_box):
            line = QHBoxLayout()
            line.setContentsMargins(0, 0, 0, 0)
            line.addStretch(1)
            line.addWidget(w, 100)
            line.addStretch(1)
            col.addLayout(line)
        return center

    def _wire(self) -> None:
        a, g, c, m = self.commands, self.generation, self.conversations, self.models
        a.new_chat.triggered.connect(self.new_chat)
        a.copy_reply.triggered.connect(self.copy_last_reply)
        a.fork_chat.triggered.connect(self.fork_current)
        a.regenerate.triggered.connect(self.regenerate)
        a.stop.triggered.connect(g.stop)
        a.previous_chat.triggered.connect(lambda: self._move(-1))
        a.next_chat.triggered.connect(lambda: self._move(+1))
        a.focus_composer.triggered.connect(self.focus_composer)
        a.preferences.triggered.connect(self.open_preferences)
        a.quit.triggered.connect(self.close)
        a.models.triggered.connect(self.open_models_page)
        a.import_model.triggered.connect(m.choose_import)
        a.model_settings.triggered.connect(self.open_settings)
        a.unload.triggered.connect(self.session.unload_model)
        a.unload.setEnabled(False)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.about.triggered.connect(self.show_about)
        self.model_picker.activated.connect(m.chosen)
        self.send_button.clicked.connect(self._send_or_stop)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.composer.submitted.connect(self._submit)
        self.composer.stop_requested.connect(g.stop)
        self.composer.textChanged.connect(self._draft_changed)
        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.open_requested.connect(c.open)
        self.sidebar.rename_requested.connect(c.rename)
        self.sidebar.delete_requested.connect(c.delete)
        self.sidebar.fork_requested.connect(self.fork)
        self.view.edit_submitted.connect(g.edit_and_resend)
        self.view.delete_requested.connect(self.delete_message)
        self.view.branch_requested.connect(g.switch_branch)
        self.view.reasoning_toggled.connect(g.set_reasoning_expanded)
        self.welcome.start_requested.connect(self.start_chatting)
        self.welcome.download_requested.connect(m.download)
        self.welcome.import_requested.connect(m.choose_import)
        c.conversations_changed.connect(self.refresh_sidebar)
        c.conversation_opened.connect(self._show_conversation)
        g.message_added.connect(self._message_added)
        g.reply_started.connect(self.view.begin_reply)
        g.reply_text.connect(self.view.append_stream)
        g.reply_finished.connect(self._reply_finished)
        g.busy_changed.connect(self._busy_changed)
        g.stats.connect(self._refresh_stats)
        self.session.model_state.connect(self._model_state)
        self.library.models_changed.connect(m.refresh)
        self.library.listing_done.connect(self._update_welcome)
        for source in (c, g, self.session, self.library):
            source.error.connect(self.show_error)
            source.notice.connect(self.show_notice)
        self.drops = ModelDrops(self, self.import_files)
        self.drops.watch(self, self.composer, self.composer.viewport(), self.view,
                         self.view.viewport())

    def _tab_order(self) -> None:
        """Toolbar left to right, the chats, the conversation, the message box, its buttons."""
        chain = [*self.toolbar.buttons(), self.sidebar.new_button, self.sidebar.list,
                 self.view, self.composer, self.send_button, self.regenerate_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # Names older code and tests use for the status labels and actions.
    model_status = property(lambda self: self.status.model)
    context_status = property(lambda self: self.status.context)
    speed_status = property(lambda self: self.status.speed)
    unload_action = property(lambda self: self.commands.unload)
    models_action = property(lambda self: self.commands.models)
    import_action = property(lambda self: self.commands.import_model)
    settings_action = property(lambda self: self.commands.model_settings)

    # -- attaching what the app builds ---------------------------------------------------------

    def attach_hub(self, hub: Any, get_models: Any, offline: Any) -> None:
        """The Hub wiring and its two actions ("Get models…", the Offline switch): into the
        toolbar and the Model menu, labelled and with icons; the welcome page downloads
        through it."""
        self.commands.adopt("get_models", get_models)
        self.commands.adopt("offline", offline)
        self.toolbar.add_library_action(get_models)
        self.toolbar.add_trailing_action(offline)
        menu = self.commands.model_menu
        menu.insertAction(self.commands.import_model, get_models)
        menu.addSeparator()
        menu.addAction(offline)
        self.models.attach_hub(hub)
        self._tab_order()

    # -- models ---------------------------------------------------------------------------------

    @Slot()
    def refresh_models(self) -> None:
        self.models.refresh()

    @Slot(str, str)
    def _model_state(self, state: str, detail: str) -> None:
        self.models.model_state(state, detail)
        self._refresh_stats()
        self._update_welcome()

    def open_models_page(self) -> ModelsPage:
        return self.models.open_models_page()

    def open_settings(self) -> QWidget:
        return self.models.open_settings()

    def import_files(self, paths: list[str]) -> None:
        self.models.import_files(paths)

    dropped_models = staticmethod(dropped_models)

    # -- dialogs ----------------------------------------------------------------------------------

    def open_preferences(self) -> PreferencesDialog:
        if self.preferences_dialog is None:
            self.preferences_dialog = PreferencesDialog(self.session.settings, self)
            self.preferences_dialog.look_changed.connect(self._look_chosen)
            self.preferences_dialog.reasoning_changed.connect(self.conversations.reopen)
        self.preferences_dialog.show()
        return self.preferences_dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()
        return self.shortcuts_dialog

    def show_about(self) -> QMessageBox:
        return about_box(self)

    # -- conversations ------------------------------------------------------------------------

    @Slot()
    def refresh_sidebar(self) -> None:
        self.sidebar.set_conversations(
            self.conversations.conversations(), self.conversations.current
        )

    @Slot()
    def new_chat(self) -> None:
        self.conversations.new()
        self.focus_composer()

    def _move(self, step: int) -> None:
        self.conversations.move(step)

    @Slot()
    def focus_composer(self) -> None:
        self.composer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(int)
    def fork(self, conversation_id: int) -> None:
        """A copy of the chat up to its last message, opened to go on from."""
        messages = self.conversations.messages(conversation_id)
        if not messages:
            self.show_notice(translate("MainWindow", "This chat has no messages to fork yet."))
            return
        self.conversations.fork(messages[-1].id)

    @Slot()
    def fork_current(self) -> None:
        if self.conversations.current is not None:
            self.fork(self.conversations.current)

    @Slot(int, list)
    def _show_conversation(self, conversation_id: int, messages: list[StoredMessage]) -> None:
        reply = self.generation.reply_in(conversation_id)
        messages = self.extras.visible(messages)
        if reply is None:
            self.view.show_messages(messages)
        else:  # a reply is still being written here: show it streaming, where it was
            self.view.show_messages([m for m in messages if m.id != reply.message_id])
            self.view.begin_reply(reply.message_id, reply.model_name, reply.text)
            self.extras.resume(reply)
            streaming = next((m for m in messages if m.id == reply.message_id), None)
            if streaming is not None and streaming.sibling_count > 1:  # its ‹ 2/3 › arrows
                self.view.set_message_extras(streaming.id, **extras_of(streaming))
        self._shown_messages = len(messages)
        self._update_regenerate()
        self.refresh_sidebar()
        self._refresh_stats()
        self._update_welcome()

    @Slot(object)
    def _message_added(self, message: StoredMessage) -> None:
        if message.conversation_id == self.conversations.current:
            self.view.append_message(message)
            self._shown_messages += 1
            self._first_run = False
            self._update_welcome()

    @Slot(object, list)
    def _reply_finished(self, status: MessageStatus, notices: list[str]) -> None:
        self.view.end_reply(status, notices)
        self._update_regenerate()

    # -- the welcome page ---------------------------------------------------------------------

    @property
    def welcome_shown(self) -> bool:
        return self.stack.currentWidget() is self.welcome

    @Slot()
    def _update_welcome(self) -> None:
        """First run (no model was ever loaded), or no model at all, in an empty chat."""
        no_models = self.library.listed_once and not self.library.models
        show = (self._first_run or no_models) and self._shown_messages == 0 \
            and not self.generation.generating
        self.stack.setCurrentWidget(self.welcome if show else self.view)

    @Slot()
    def start_chatting(self) -> None:
        self.models.start_with_starter()
        self._first_run = False
        self._update_welcome()
        self.focus_composer()

    # -- chatting ---------------------------------------------------------------------------------

    @Slot()
    def _draft_changed(self) -> None:
        self.generation.draft_changed(self.composer.toPlainText())

    def _submit(self, text: str) -> None:
        if self.generation.send(text):
            self.composer.clear()

    @Slot()
    def _send_or_stop(self) -> None:
        if self.generation.generating:
            self.generation.stop()
        else:
            self._submit(self.composer.toPlainText())

    @Slot()
    def regenerate(self) -> None:
        self.generation.regenerate()

    @Slot(bool)
    def _busy_changed(self, generating: bool) -> None:
        self.composer_box.set_busy(generating)
        self.commands.stop.setEnabled(generating)  # Esc stops from anywhere in the window
        self._update_regenerate()
        if generating:
            self._update_welcome()

    def _update_regenerate(self) -> None:
        """Regenerate needs a reply to answer again, and no reply being written."""
        current = self.conversations.current
        can = not self.generation.generating and current is not None and self._last_role(
            current) == Role.ASSISTANT.value
        self.regenerate_button.setEnabled(can)
        self.commands.regenerate.setEnabled(can)

    def _last_role(self, conversation_id: int) -> str:
        messages = self.conversations.messages(conversation_id) if self._shown_messages else []
        return str(messages[-1].role) if messages else ""

    @Slot(int)
    def delete_message(self, message_id: int) -> None:
        if self.confirm_delete_message():
            self.generation.delete_message(message_id)

    def confirm_delete_message(self) -> bool:
        """Ask first (tests replace this; a modal box would block them)."""
        return plain.ask(self, translate("MainWindow", "Delete message"),
                         translate("MainWindow", "Delete this message and everything that "
                                                 "follows it on this branch?"))

    @Slot()
    def copy_last_reply(self) -> None:
        current = self.conversations.current
        messages = self.conversations.messages(current) if current is not None else []
        reply = next((m for m in reversed(messages)
                      if m.role == Role.ASSISTANT.value and m.content), None)
        if reply is None:
            self.show_notice(translate("MainWindow", "There is no reply to copy yet."))
            return
        QGuiApplication.clipboard().setText(reply.content)
        self.show_notice(translate("MainWindow", "Copied the last reply."))

    @Slot()
    @Slot(object)
    def _refresh_stats(self, _result: object = None) -> None:
        """Context used and speed, from the open chat's last reply by the loaded model."""
        self.status.show_last_reply(self.conversations, self.generation.store, self.session)

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.last_error = message
        self.notifications.notify(message, error=True)

    @Slot(str)
    def show_notice(self, message: str) -> None:
        self.last_notice = message
        self.notifications.notify(message)

    # -- look -------------------------------------------------------------------------------------

    def _follow_theme_manager(self) -> None:
        """Light/dark chosen in the app (or a text size): the manager says when it changes."""
        manager = manager_if_any()
        if manager is not None and not self._follows_manager:
            manager.changed.connect(self._retheme)
            self._follows_manager = True

    @Slot()
    def _look_chosen(self) -> None:
        """Preferences applied a look or size (and made a ThemeManager if there was none)."""
        self._follow_theme_manager()
        self._retheme(current_theme())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_built", False) and event.type() in RESTYLE_EVENTS:  # new look
            self._retheme(current_theme())

    @Slot(object)
    def _retheme(self, theme: Theme) -> None:
        self.commands.retheme(theme)
        self.sidebar.restyle(theme)
        self.notifications.restyle(theme)
        self.template_warning.restyle(theme)
        self.welcome.restyle(theme)
        self.composer_box.restyle(theme)
        widest = self.composer_box.column_width()
        self.composer_box.setMaximumWidth(widest)
        self.template_warning.setMaximumWidth(widest)

    def save_geometry(self) -> None:
        window_state.save(self, self.splitter, self.session.settings)

    # -- showing and closing ----------------------------------------------------------------------

    def set_quit_hook(self, hook: Callable[[], None]) -> None:
        """Called once when the window closes: stops the reply and joins the worker threads."""
        self._quit_hook = hook

    def closeEvent(self, event: QCloseEvent) -> None:
        hook, self._quit_hook = self._quit_hook, None
        if hook is not None:
            self.save_geometry()
            self.notifications.clear()
            for dialog in (self.preferences_dialog, self.shortcuts_dialog, self.models_page):
                if dialog is not None:
                    dialog.close()
            self.hide()  # gone at once; saving and joining the threads happen after (bounded)
            hook()
        event.accept()


def _available_memory() -> int:
    memory = MemoryInfo.current()
    return memory.available_bytes if memory is not None else 0
