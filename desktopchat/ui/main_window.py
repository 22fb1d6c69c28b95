"""The main window: toolbar (model picker, settings), sidebar, transcript, composer, status bar.

It shows what the controller says and forwards what the user does; it holds no chat state.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.engine.types import GenerationResult
from desktopchat.session.conversations import ConversationController
from desktopchat.session.generation import GenerationController
from desktopchat.session.library import LibraryController
from desktopchat.session.model_session import ModelSession
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.composer import Composer
from desktopchat.ui import plain
from desktopchat.ui.models_page import ModelsPage
from desktopchat.ui.settings_dialog import ModelSettingsDialog
from desktopchat.ui.sidebar import Sidebar


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
        self.resize(1100, 720)
        self._quit_hook = None

        # Toolbar: model picker and settings.
        toolbar = QToolBar("Main")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        toolbar.addWidget(QLabel(" Model: "))
        self.model_picker = QComboBox()
        self.model_picker.setObjectName("modelPicker")
        self.model_picker.setMinimumWidth(320)
        self.model_picker.activated.connect(self._model_chosen)
        toolbar.addWidget(self.model_picker)
        self.settings_action = QAction("Model settings…", self)
        self.settings_action.triggered.connect(self.open_settings)
        toolbar.addAction(self.settings_action)
        self.unload_action = QAction("Unload", self)
        self.unload_action.setToolTip("Free the model's memory; pick a model to load it again")
        self.unload_action.triggered.connect(self.session.unload_model)
        toolbar.addAction(self.unload_action)
        self.models_action = QAction("Models…", self)
        self.models_action.setToolTip("Installed models: import, delete, fit on this computer")
        self.models_action.triggered.connect(self.open_models_page)
        toolbar.addAction(self.models_action)
        self.import_action = QAction("Import model…", self)
        self.import_action.setToolTip("Add a .gguf file (or drop one onto the window)")
        self.import_action.triggered.connect(self.choose_import)
        toolbar.addAction(self.import_action)
        self.models_page: ModelsPage | None = None
        self.setAcceptDrops(True)

        # Sidebar | transcript + composer.
        self.sidebar = Sidebar()
        self.view = ChatView()
        self.composer = Composer()
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self._send_or_stop)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.clicked.connect(self.generation.regenerate)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.regenerate_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.composer, 1)
        bottom.addLayout(buttons)
        center = QWidget()
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 6, 6)
        cl.addWidget(self.view, 1)
        cl.addLayout(bottom)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(center)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 860])
        self.setCentralWidget(splitter)

        # Status bar.
        self.model_status = plain.label("No model loaded")
        self.context_status = plain.label("")
        self.speed_status = plain.label("")
        sb = self.statusBar()
        sb.addWidget(self.model_status, 1)
        sb.addPermanentWidget(self.context_status)
        sb.addPermanentWidget(self.speed_status)

        new_chat = QAction("New chat", self)
        new_chat.setShortcut(QKeySequence.StandardKey.New)
        new_chat.triggered.connect(self.conversations.new)
        self.addAction(new_chat)

        # Wiring: user actions to the controller, controller state to widgets.
        self.composer.submitted.connect(self._submit)
        self.composer.stop_requested.connect(self.generation.stop)
        self.composer.textChanged.connect(self._draft_changed)
        self.sidebar.new_requested.connect(self.conversations.new)
        self.sidebar.open_requested.connect(self.conversations.open)
        self.sidebar.rename_requested.connect(self.conversations.rename)
        self.sidebar.delete_requested.connect(self.conversations.delete)
        self.view.edit_requested.connect(self._edit_message)
        conversations.conversations_changed.connect(self.refresh_sidebar)
        conversations.conversation_opened.connect(self._show_conversation)
        g = generation
        g.message_added.connect(self._message_added)
        g.reply_started.connect(self.view.begin_reply)
        g.reply_text.connect(self.view.append_stream)
        g.reply_finished.connect(self._reply_finished)
        g.busy_changed.connect(self._busy_changed)
        g.stats.connect(self._show_stats)
        session.model_state.connect(self._model_state)
        library.models_changed.connect(self.refresh_models)
        for source in (conversations, generation, session, library):
            source.error.connect(self.show_error)
            source.notice.connect(self.show_notice)
        self.last_error = ""
        self.last_notice = ""
        # Text widgets take drops themselves (a dropped file would become its path as text);
        # .gguf drops anywhere on the window go to the import instead.
        for w in (self.composer, self.composer.viewport(), self.view, self.view.viewport()):
            w.installEventFilter(self)

    # -- models ---------------------------------------------------------------------------------

    @Slot()
    def refresh_models(self) -> None:
        self.model_picker.clear()
        for m in self.library.models:
            self.model_picker.addItem(m.name, m.model_id)
            idx = self.model_picker.count() - 1
            self.model_picker.setItemData(idx, plain.tooltip(m.path), Qt.ItemDataRole.ToolTipRole)
        if not self.library.models:
            self.model_picker.addItem("No models found — add a .gguf to the models folder", "")
        self._select_in_picker(self.session.selected_model_id)

    def _select_in_picker(self, model_id: str) -> None:
        idx = self.model_picker.findData(model_id)
        if idx >= 0:
            self.model_picker.setCurrentIndex(idx)

    @Slot(int)
    def _model_chosen(self, index: int) -> None:
        model_id = self.model_picker.itemData(index)
        if model_id:
            self.session.select_model(model_id)

    @Slot(str, str)
    def _model_state(self, state: str, detail: str) -> None:
        self.model_status.setText(
            {"loading": detail, "ready": f"Model: {detail}", "failed": "Load failed",
             "none": detail}.get(state, detail)
        )
        if state == "ready":
            self._select_in_picker(self.session.selected_model_id)
            info = self.session.model
            if info is not None:
                self.context_status.setText(f"Context: 0 / {info.n_ctx}")
        self.composer.setEnabled(state != "loading")
        self.unload_action.setEnabled(state == "ready")
        if state == "none":
            self.context_status.setText("")

    # -- import and the Models page ------------------------------------------------------------

    def open_models_page(self) -> ModelsPage:
        if self.models_page is None:
            self.models_page = ModelsPage(self.library, self.session, self.session.settings,
                                          self)
        self.models_page.show()
        if QGuiApplication.platformName() != "offscreen":  # headless: no stacking to change
            self.models_page.raise_()
        return self.models_page

    @Slot()
    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import model", str(Path.home()), "GGUF models (*.gguf);;All files (*)"
        )
        self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        """Where a file dialog's answer and a drop go: each file is validated before anything
        loads it and listed in place; a bad one gets one sentence."""
        for p in paths:
            self.library.import_model(p)

    @staticmethod
    def dropped_models(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls()
                if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.dropped_models(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.dropped_models(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = self.dropped_models(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        drag = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if kind in drag and self.dropped_models(event):  # type: ignore[arg-type]
            if kind == QEvent.Type.Drop:
                self.dropEvent(event)  # type: ignore[arg-type]
            else:
                event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def open_settings(self) -> None:
        name = self.model_picker.currentText() or "this model"
        dialog = ModelSettingsDialog(name, self.session.model_settings(), self)
        if dialog.exec():
            self.session.save_model_settings(dialog.value())

    # -- conversations ------------------------------------------------------------------------

    @Slot()
    def refresh_sidebar(self) -> None:
        self.sidebar.set_conversations(
            self.conversations.conversations(), self.conversations.current
        )

    @Slot(int, list)
    def _show_conversation(self, conversation_id: int, messages: list[StoredMessage]) -> None:
        reply = self.generation.reply_in(conversation_id)
        if reply is None:
            self.view.show_messages(messages)
        else:  # a reply is still being written here: show it streaming, where it was
            self.view.show_messages([m for m in messages if m.id != reply.message_id])
            self.view.begin_reply(reply.message_id, reply.model_name, reply.text)
        self.refresh_sidebar()

    @Slot(object)
    def _message_added(self, message: StoredMessage) -> None:
        if message.conversation_id == self.conversations.current:
            self.view.append_message(message)

    @Slot(object, list)
    def _reply_finished(self, status: MessageStatus, notices: list[str]) -> None:
        self.view.end_reply(status, notices)

    # -- chatting ---------------------------------------------------------------------------------

    @Slot(str)
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

    @Slot(bool)
    def _busy_changed(self, generating: bool) -> None:
        self.send_button.setText("Stop" if generating else "Send")
        self.regenerate_button.setEnabled(not generating)

    @Slot(int)
    def _edit_message(self, message_id: int) -> None:
        msg = self.generation.store.message(message_id)
        if msg is None or self.generation.generating:
            return
        text, ok = QInputDialog.getMultiLineText(self, "Edit message", "Message:", msg.content)
        if ok:
            self.generation.edit_and_resend(message_id, text)

    @Slot(object)
    def _show_stats(self, r: GenerationResult) -> None:
        if r.n_ctx:
            self.context_status.setText(f"Context: {r.context_used} / {r.n_ctx}")
        if r.completion_tokens:
            self.speed_status.setText(
                f"{r.tokens_per_second:.1f} tok/s · first token {r.time_to_first_token * 1000:.0f} ms"
            )

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.last_error = message
        self.statusBar().showMessage(message, 15000)
        self.view.append_notice(message)

    @Slot(str)
    def show_notice(self, message: str) -> None:
        self.last_notice = message
        self.statusBar().showMessage(message, 15000)
        self.view.append_notice(message)

    # -- closing ----------------------------------------------------------------------------------

    def set_quit_hook(self, hook) -> None:  # type: ignore[no-untyped-def]
        """Called once when the window closes: stops the reply and joins the worker threads."""
        self._quit_hook = hook

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        hook, self._quit_hook = self._quit_hook, None
        if hook is not None:
            self.hide()  # gone at once; saving and joining the threads happen after (bounded)
            hook()
        event.accept()

