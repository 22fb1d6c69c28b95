"""The status bar: which model is loaded, how much of its context the open chat uses, and how
fast its last reply came.

Nothing here is remembered from an earlier chat or model: the context and speed are read from
the open chat's last reply (its saved stats), shown only when that reply came from the model
loaded now, and cleared when there is no such reply or no model (a stale "0 / 4096" after a
model swap, or the last chat's tokens/s in an empty one, said something false).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QStatusBar

from desktopchat.chat.types import MessageStatus, Role
from desktopchat.ui import plain
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.chat.store import ChatStore
    from desktopchat.session.conversations import ConversationController
    from desktopchat.session.model_session import ModelSession


def _number(stats: Mapping[str, Any], key: str) -> float:
    value = stats.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else 0.0


class StatusLine:
    """The three labels of the window's status bar (model, context, speed)."""

    def __init__(self, bar: QStatusBar) -> None:
        self.model = plain.label(translate("StatusLine", "No model loaded"))
        self.model.setObjectName("modelStatus")
        self.context = plain.label("")
        self.context.setObjectName("contextStatus")
        self.speed = plain.label("")
        self.speed.setObjectName("speedStatus")
        for lab, name in ((self.model, translate("StatusLine", "Model")),
                          (self.context, translate("StatusLine", "Context used")),
                          (self.speed, translate("StatusLine", "Speed of the last reply"))):
            lab.setAccessibleName(name)
            lab.setMinimumWidth(0)
        bar.addWidget(self.model, 1)
        bar.addPermanentWidget(self.context)
        bar.addPermanentWidget(self.speed)
        bar.setSizeGripEnabled(True)

    def model_state(self, state: str, detail: str) -> None:
        """What the model session says: 'loading' | 'ready' | 'failed' | 'none'."""
        if state == "ready":
            text = translate("StatusLine", "Model: {name}").format(name=detail)
        elif state == "failed":
            text = translate("StatusLine", "The model could not be loaded")
        elif state == "none":
            text = translate("StatusLine", "No model loaded")
        else:
            text = detail
        self.model.setText(plain.bounded(text, 300))
        self.model.setToolTip(plain.tooltip(text))

    def reply_stats(self, stats: Mapping[str, Any] | None, n_ctx: int) -> None:
        """The open chat's last reply (its saved stats), by the model loaded now with a
        context of ``n_ctx`` tokens; None (or no model) clears both figures."""
        if not stats or n_ctx <= 0:
            self.clear()
            return
        used = int(_number(stats, "prompt_tokens") + _number(stats, "completion_tokens"))
        self.context.setText(translate("StatusLine", "Context: {used} / {total}").format(
            used=f"{used:,}", total=f"{n_ctx:,}") if used else "")
        speed = _number(stats, "tokens_per_second")
        first = _number(stats, "time_to_first_token")
        if _number(stats, "completion_tokens") and speed:
            self.speed.setText(translate(
                "StatusLine", "{speed} tok/s · first token {ms} ms").format(
                    speed=f"{speed:.1f}", ms=f"{first * 1000:.0f}"))
        else:
            self.speed.setText("")

    def show_last_reply(self, conversations: ConversationController, store: ChatStore,
                        session: ModelSession) -> None:
        """The open chat's last finished reply, when the model loaded now wrote it."""
        model, current, stats = session.model, conversations.current, None
        if model is not None and current is not None:
            last = next((m for m in reversed(conversations.messages(current))
                         if m.role == Role.ASSISTANT.value
                         and m.status != MessageStatus.GENERATING), None)
            if last is not None and last.model == session.model_name:
                stats = store.message_stats(last.id)
        self.reply_stats(stats, model.n_ctx if model is not None else 0)

    def clear(self) -> None:
        self.context.setText("")
        self.speed.setText("")
