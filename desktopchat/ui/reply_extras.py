"""What the window adds around a reply besides its text: the reasoning section (live while the
model thinks, stored after), the chat's thinking switch, and the guard on what fits in a message.

- Reasoning streams into the reply's own section with a running timer (``GenerationController``
  ``reasoning_text`` / ``reasoning_state``); when the reply ends the stored message, split into
  reasoning and answer, replaces what streamed. A preference hides reasoning everywhere.
- The thinking switch ("Think") sits beside Send, only for models whose template can turn their
  thinking off (Qwen3's ``enable_thinking``, ``/no_think`` …); it is kept per chat.
- A paste or drop that would make a message longer than the model can read is never inserted
  whole (the text box alone would freeze on megabytes): the user is asked to paste the first
  part or cancel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktopchat.chat.types import StoredMessage
from desktopchat.engine.limits import max_input_bytes, utf8_size
from desktopchat.session.reply import ActiveReply
from desktopchat.ui.i18n import translate
from desktopchat.ui.transcript import extras_of

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


def _kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB" if n < 10**6 else f"{n / 10**6:,.1f} MB"


class ReplyExtras(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        g = window.generation
        self.think_button = QPushButton(translate("ComposerBox", "Think"), window)
        self.think_button.setObjectName("thinkButton")
        self.think_button.setCheckable(True)
        self.think_button.setAccessibleName(translate("ComposerBox", "Think before answering"))
        self.think_button.setToolTip(translate(
            "ComposerBox", "Let the model reason before it answers in this chat (slower, often "
                           "better); off: it answers at once"))
        self.think_button.toggled.connect(self._think_toggled)
        self.think_button.hide()
        g.reasoning_text.connect(self._reasoning_text)
        g.reasoning_state.connect(self._reasoning_state)
        g.message_updated.connect(self._message_updated)
        window.session.model_state.connect(self._model_state)
        window.conversations.conversation_opened.connect(self._sync_think)
        window.composer.oversized.connect(self._oversized)

    # -- reasoning ------------------------------------------------------------------------------

    @property
    def hidden(self) -> bool:
        return bool(self.window.session.settings.app().hide_reasoning)

    def visible(self, messages: Sequence[StoredMessage]) -> list[StoredMessage]:
        """The messages as shown: without their reasoning when the user hides it."""
        if not self.hidden:
            return list(messages)
        return [dataclasses.replace(m, reasoning="") if m.reasoning else m for m in messages]

    def resume(self, reply: ActiveReply) -> None:
        """A chat whose reply is still being written was opened: its reasoning so far."""
        if reply.reasoning and not self.hidden:
            self.window.view.append_reasoning(reply.reasoning_text)
            self.window.view.set_message_extras(reply.message_id, thinking_live=reply.thinking)

    @Slot(str)
    def _reasoning_text(self, text: str) -> None:
        if not self.hidden:
            self.window.view.append_reasoning(text)

    @Slot(int, bool, float)
    def _reasoning_state(self, message_id: int, live: bool, seconds: float) -> None:
        if not self.hidden:
            self.window.view.set_message_extras(message_id, thinking_live=live,
                                                thinking_seconds=seconds or None)

    @Slot(object)
    def _message_updated(self, message: StoredMessage) -> None:
        """A reply ended: show it as stored (reasoning and answer split)."""
        (shown,) = self.visible([message])
        view = self.window.view
        view.update_message(shown)
        view.set_message_extras(shown.id, thinking_live=False, **extras_of(shown))

    # -- the thinking switch --------------------------------------------------------------------

    @Slot(str, str)
    def _model_state(self, state: str, _detail: str) -> None:
        model = self.window.session.model
        if state == "ready" and model is not None:
            self.window.composer.max_bytes = max_input_bytes(model.n_ctx or 4096)
        self._sync_think()

    @Slot()
    @Slot(int, list)
    def _sync_think(self, *_args: object) -> None:
        g = self.window.generation
        available = g.thinking_available()
        self.think_button.setVisible(available)
        if available:
            self.think_button.blockSignals(True)
            self.think_button.setChecked(g.thinking_on())
            self.think_button.blockSignals(False)

    @Slot(bool)
    def _think_toggled(self, on: bool) -> None:
        self.window.generation.set_thinking(on)

    # -- oversized pastes -----------------------------------------------------------------------

    def ask_first_part(self, size: int, room: int) -> bool:
        """Paste the first part? (Tests replace this; a modal box blocks them.)"""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("ComposerBox", "Text too long"))
        box.setText(translate(
            "ComposerBox", "This text is {size}; the loaded model can read about {room} of a "
                           "message. Paste the first {room}, or cancel?").format(
            size=_kb(size), room=_kb(room)))
        paste = box.addButton(translate("ComposerBox", "Paste the first part"),
                              QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is paste

    @Slot(str)
    def _oversized(self, text: str) -> None:
        composer = self.window.composer
        room = composer.room()
        if room <= 0:
            self.window.show_error(translate(
                "ComposerBox", "The message is already as long as the model can read; nothing "
                               "more was pasted."))
            return
        if self.ask_first_part(utf8_size(text), room):
            composer.insert_first_part(text)
