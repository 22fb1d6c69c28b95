"""Export, import, back up and restore: the dialogs and the steps between them.

The work itself runs in ``ChatTools``' file worker; this module asks the questions (what
format, where, are you sure) and shows the progress in the status bar. Every answer from the
worker is one sentence, shown where the window shows notices and errors.

The file dialogs and questions go through ``ask_save_path``, ``ask_open_path`` and
``confirm``, so tests (and a future portal-based picker) replace one function each.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.backup import SUFFIX as BACKUP_SUFFIX
from desktopchat.chat.backup import default_name as backup_name
from desktopchat.chat.staged_restore import StagedRestore, local_time
from desktopchat.chat.store import StoreError
from desktopchat.session.chat_tools import ChatTools, default_export_path
from desktopchat.session.chat_tools_worker import JobDone
from desktopchat.session.conversations import ConversationController
from desktopchat.ui import plain

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # the name lupdate looks for

SETTINGS_KEY = "ui:chat_io"  # the last folders and export choices
SUFFIXES = {"markdown": ".md", "html": ".html", "json": ".json"}



def ask_save_path(parent: QWidget | None, caption: str, start: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, start, filters)
    return path


def ask_open_path(parent: QWidget | None, caption: str, start: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, start, filters)
    return path


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A question with two named answers, shown as plain text; ``no`` is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, plain.bounded(text),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


class ExportDialog(QDialog):
    """Which format, and whether reasoning goes with it (Markdown and HTML; JSON has all)."""

    def __init__(self, title: str, fmt: str, reasoning: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export chat"))
        self.setAccessibleName(self.tr("Export chat"))
        heading = plain.label(self.tr("Export “{title}” as:").format(
            title=plain.bounded(title, 80)), self, wrap=True)
        heading.setObjectName("exportHeading")
        self.buttons = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        for key, text, note in (
            ("markdown", self.tr("Markdown (.md)"),
             self.tr("The conversation as shown, for notes and documents.")),
            ("html", self.tr("Web page (.html)"),
             self.tr("One self-contained page that opens in any browser; no scripts.")),
            ("json", self.tr("JSON (.json)"),
             self.tr("Complete: every branch, reasoning, models and settings; imports back.")),
        ):
            radio = QRadioButton(text, self)
            radio.setObjectName(f"exportFormat_{key}")
            radio.setAccessibleName(text)
            radio.setAccessibleDescription(note)
            radio.setToolTip(note)
            self.buttons.addButton(radio)
            self.choices[key] = radio
            layout.addWidget(radio)
            hint = QLabel(note, self)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            hint.setIndent(24)
            hint.setEnabled(False)  # drawn muted
            layout.addWidget(hint)
        self.reasoning = QCheckBox(self.tr("Include reasoning (the model's thinking)"), self)
        self.reasoning.setObjectName("exportReasoning")
        self.reasoning.setAccessibleName(self.tr("Include reasoning"))
        self.reasoning.setChecked(reasoning)
        layout.addSpacing(6)
        layout.addWidget(self.reasoning)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, self)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export…"))
        box.setObjectName("exportButtons")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.choices.get(fmt, self.choices["markdown"]).setChecked(True)
        self.buttons.buttonToggled.connect(self._format_changed)
        self._format_changed()

    @property
    def fmt(self) -> str:
        return next(k for k, b in self.choices.items() if b.isChecked())

    @Slot()
    def _format_changed(self, *_args: object) -> None:
        self.reasoning.setEnabled(self.fmt != "json")


class ChatIO(QObject):
    """The Export…, Import…, Back up… and Restore… flows of the Chat menu."""

    def __init__(self, tools: ChatTools, conversations: ConversationController,
                 window: QMainWindow) -> None:
        super().__init__(window)
        self.tools, self.conversations, self.window = tools, conversations, window
        self._progress = ""
        tools.job_started.connect(self._started)
        tools.job_finished.connect(self._finished)
        tools.restore_ready.connect(self._restore_ready)

    # -- remembered choices ---------------------------------------------------------------------

    def _prefs(self) -> dict[str, Any]:
        value = self.tools.store.get_setting(SETTINGS_KEY, {})
        return value if isinstance(value, dict) else {}

    def _remember(self, **changes: Any) -> None:
        prefs = self._prefs()
        prefs.update(changes)
        try:
            self.tools.store.set_setting(SETTINGS_KEY, prefs)
        except StoreError:
            log.info("could not remember the export choices", exc_info=True)

    def _folder(self, key: str) -> Path:
        saved = self._prefs().get(key)
        if isinstance(saved, str) and Path(saved).is_dir():
            return Path(saved)
        docs = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    # -- the flows ------------------------------------------------------------------------------

    @Slot()
    def export_chat(self) -> None:
        cid = self.conversations.current
        conv = self.tools.store.conversation(cid) if cid is not None else None
        if cid is None or conv is None:
            self._error(translate("ChatIO", "Open a chat to export it."))
            return
        prefs = self._prefs()
        dialog = ExportDialog(conv.title, str(prefs.get("format", "markdown")),
                              bool(prefs.get("reasoning", False)), self.window)
        if not dialog.exec():
            return
        fmt, reasoning = dialog.fmt, dialog.reasoning.isChecked()
        start = default_export_path(self._folder("export_dir"), conv.title, fmt)
        filters = {"markdown": translate("ChatIO", "Markdown (*.md)"),
                   "html": translate("ChatIO", "Web page (*.html)"),
                   "json": translate("ChatIO", "JSON (*.json)")}[fmt]
        path = ask_save_path(self.window, translate("ChatIO", "Export chat"), str(start), filters)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_name(target.name + SUFFIXES[fmt])
        self._remember(export_dir=str(target.parent), format=fmt, reasoning=reasoning)
        self.tools.export(cid, fmt, str(target), reasoning)

    @Slot()
    def import_chats(self) -> None:
        path = ask_open_path(
            self.window, translate("ChatIO", "Import chats"), str(self._folder("import_dir")),
            translate("ChatIO", "Chat exports (*.json *.jsonl *.zip);;All files (*)"))
        if not path:
            return
        self._remember(import_dir=str(Path(path).parent))
        self.tools.import_file(path)

    @Slot()
    def back_up(self) -> None:
        start = self._folder("backup_dir") / backup_name()
        path = ask_save_path(
            self.window, translate("ChatIO", "Back up all chats"), str(start),
            translate("ChatIO", "desktopchat backups (*{suffix})").format(suffix=BACKUP_SUFFIX))
        if not path:
            return
        target = Path(path)
        if not target.name.endswith(".zip"):
            target = target.with_name(target.name + BACKUP_SUFFIX)
        self._remember(backup_dir=str(target.parent))
        self.tools.backup(str(target))

    @Slot()
    def restore(self) -> None:
        path = ask_open_path(
            self.window, translate("ChatIO", "Restore from backup"),
            str(self._folder("backup_dir")),
            translate("ChatIO", "desktopchat backups (*{suffix});;Zip archives (*.zip);;"
                                "All files (*)").format(suffix=BACKUP_SUFFIX))
        if not path:
            return
        self.tools.prepare_restore(path)

    @Slot(object)
    def _restore_ready(self, staged: StagedRestore) -> None:
        info = staged.info
        question = translate(
            "ChatIO",
            "Replace all your chats and settings with the backup {name}, made {when}: "
            "{conversations} conversation(s) with {messages} message(s)?\n\n"
            "The backup has been checked and is sound. It replaces your chats the next time "
            "desktopchat starts; your current chats are then kept aside in the data folder, "
            "not deleted."
        ).format(name=staged.source_name, when=local_time(info.created_at),
                 conversations=info.conversations, messages=info.messages)
        if not confirm(self.window, translate("ChatIO", "Restore from backup"), question,
                       translate("ChatIO", "Restore at next start"),
                       translate("ChatIO", "Cancel")):
            self.tools.cancel_restore(staged)
            return
        if not self.tools.confirm_restore(staged):
            return
        if confirm(self.window, translate("ChatIO", "Restore from backup"),
                   translate("ChatIO", "Quit desktopchat now? The restore is done when you "
                                       "start it again."),
                   translate("ChatIO", "Quit now"), translate("ChatIO", "Later")):
            self.window.close()

    # -- progress -------------------------------------------------------------------------------

    @Slot(str)
    def _started(self, kind: str) -> None:
        self._progress = {
            "export": translate("ChatIO", "Exporting the chat…"),
            "import": translate("ChatIO", "Importing chats…"),
            "backup": translate("ChatIO", "Backing up all chats…"),
            "restore": translate("ChatIO", "Checking the backup…"),
        }.get(kind, "")
        self.window.statusBar().showMessage(self._progress)

    @Slot(object)
    def _finished(self, _done: JobDone) -> None:
        bar = self.window.statusBar()
        if self._progress and bar.currentMessage() == self._progress:
            bar.clearMessage()
        self._progress = ""

    def _error(self, sentence: str) -> None:
        self.tools.error.emit(sentence)
