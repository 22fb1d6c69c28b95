"""GenerationController: sending, regenerating, editing, streaming replies, reading drafts ahead.

Requests go to the engine worker as signals carrying frozen dataclasses; each reply has a request
id, and text for a stale id is dropped. A reply is a message row from the moment it starts: its
text is written to the store about once a second while it streams (status 'generating'), so a
crash loses at most the last second, and the start-up recovery marks it interrupted.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktopchat.chat.presets import Presets, set_thinking, thinking_enabled
from desktopchat.chat.store import ChatStore, StoreError
from desktopchat.chat.types import ChatMessage, MessageStatus, Role, StoredMessage
from desktopchat.engine.types import (
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
)
from desktopchat.session.conversations import ConversationController
from desktopchat.session.engine_worker import EngineWorker
from desktopchat.session.model_session import ModelSession
from desktopchat.session.reply import ActiveReply
from desktopchat.session.request_ids import RequestIds
from desktopchat.session.titles import Titler
from desktopchat.settings import Settings

log = logging.getLogger(__name__)

# A draft unchanged this long is read into the KV cache ahead of Send, so the reply starts at
# once however long the chat is (benchmarks/RESULTS.md, figure 3).
DRAFT_PREFILL_MS = 400
PARTIAL_SAVE_S = 1.0  # a streaming reply is written to the store at least this often

_STATUS_FOR = {
    FinishReason.STOP: MessageStatus.COMPLETE,
    FinishReason.LENGTH: MessageStatus.LENGTH,
    FinishReason.STOPPED: MessageStatus.STOPPED,
    FinishReason.ERROR: MessageStatus.ERROR,
}
_SAMPLING = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed")


class GenerationController(QObject):
    """Signals:
        message_added(StoredMessage): append a finished message to the open transcript.
        reply_started(int message_id, str model_name, str partial): a reply begins streaming.
        reply_text(str text): more answer text of the streaming reply (open conversation only).
        reasoning_text(str text): more of its reasoning (thinking), kept apart from the answer.
        reasoning_state(int message_id, bool live, float seconds): thinking began (live) or
            ended after ``seconds``.
        message_updated(StoredMessage): a message changed in the open conversation (a reply
            that ended: its stored answer and reasoning, split).
        reply_finished(MessageStatus status, list[str] notices): the streaming reply ended.
        busy_changed(bool generating): toggles Send/Stop.
        stats(GenerationResult): speed and context use of the last reply.
        error(str message), notice(str message): one plain sentence for the user.
        draft_considered(bool asked): the composer rested; whether its text was sent to be read
            ahead (False: empty, unchanged, a reply is being written, or no model).
        generate_requested(GenerationRequest), prefill_requested(GenerationRequest): to the
            engine worker.
    """

    message_added = Signal(object)
    reply_started = Signal(int, str, str)
    reply_text = Signal(str)
    reasoning_text = Signal(str)
    reasoning_state = Signal(int, bool, float)
    message_updated = Signal(object)
    reply_finished = Signal(object, list)
    busy_changed = Signal(bool)
    stats = Signal(object)
    error = Signal(str)
    notice = Signal(str)
    draft_considered = Signal(bool)
    generate_requested = Signal(object)
    prefill_requested = Signal(object)

    def __init__(self, store: ChatStore, settings: Settings, worker: EngineWorker,
                 conversations: ConversationController, session: ModelSession,
                 ids: RequestIds | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.conversations = conversations
        self.session = session
        self._worker = worker
        # One sequence of ids for everything that asks the worker (the local API too): replies
        # are told apart by id.
        self._ids = ids or RequestIds()
        self.presets = Presets(store)
        self.titles = Titler(self, store, conversations, session, self._ids, worker)
        self._prefill_id = 0
        self._reply: ActiveReply | None = None
        self._closing = False
        self.last_result: GenerationResult | None = None
        worker.tokens.connect(self._on_tokens)
        worker.finished.connect(self._on_finished)
        self.generate_requested.connect(worker.generate)
        self.prefill_requested.connect(worker.prefill)
        session.switching.connect(self.stop)
        conversations.conversation_deleting.connect(self._conversation_deleting)
        self._draft = ""
        self._draft_sent: tuple[int | None, str] | None = None  # the last draft read ahead
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_PREFILL_MS)
        self._draft_timer.timeout.connect(self._prefill_draft)

    # -- state ----------------------------------------------------------------------------------

    @property
    def generating(self) -> bool:
        return self._reply is not None

    @property
    def generating_conversation(self) -> int | None:
        return self._reply.conversation_id if self._reply else None

    def reply_in(self, conversation_id: int) -> ActiveReply | None:
        """The reply being written in ``conversation_id``, if any (to resume its view)."""
        reply = self._reply
        return reply if reply is not None and reply.conversation_id == conversation_id else None

    # -- what the user does ------------------------------------------------------------------------

    def send(self, text: str) -> bool:
        """Send a user message and start the reply. Returns False when nothing was sent."""
        text = text.strip()
        if not text:
            return False
        if self.generating:
            self.error.emit("A reply is still being written; press Stop (Esc) or wait for it.")
            return False
        if not self._model_ready():
            return False
        try:
            conv = self.conversations.ensure_current()
            first = not self.store.messages(conv)
            msg = self.store.add_message(conv, Role.USER.value, text)
            chat = self.store.conversation(conv)
            if first and chat is not None and chat.title_auto:  # never a chat the user renamed
                self.store.rename_conversation(conv, _title_from(text), auto=True)
        except StoreError as exc:
            self.error.emit(str(exc))  # the text stays in the composer
            return False
        self.conversations.conversations_changed.emit()
        self.message_added.emit(msg)
        self._start_reply(conv)
        return True

    def regenerate(self, message_id: int | None = None) -> bool:
        """Answer again (the last reply, or ``message_id``): the earlier reply stays as an
        alternative the arrows flip back to."""
        conv = self.conversations.current
        if conv is None or self.generating or not self._model_ready():
            return False
        messages = self.store.messages(conv)
        target = next((m for m in messages if m.id == message_id), None) if message_id \
            else (messages[-1] if messages else None)
        if target is None or target.role != Role.ASSISTANT.value:
            return False
        return self._start_reply(conv, parent_id=target.parent_id, reopen=True)

    def edit_and_resend(self, message_id: int, new_text: str) -> bool:
        """Answer an edited message: it forks a branch beside the original (which stays, with
        everything that followed it)."""
        new_text = new_text.strip()
        msg = self.store.message(message_id)
        if msg is None or msg.role != Role.USER.value or not new_text or self.generating:
            return False
        if not self._model_ready():
            return False
        try:
            self.store.add_message(msg.conversation_id, Role.USER.value, new_text,
                                   parent_id=msg.parent_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        self.conversations.open(msg.conversation_id)
        return self._start_reply(msg.conversation_id)

    def switch_branch(self, message_id: int, delta: int) -> bool:
        """Flip to another alternative of a message (‹ ›), in place."""
        msg = self.store.message(message_id)
        if msg is None or self.generating_conversation == msg.conversation_id:
            return False
        try:
            self.store.switch_branch(message_id, delta)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        self.conversations.open(msg.conversation_id)
        return True

    def delete_message(self, message_id: int) -> bool:
        """Delete a message and what follows it on its branches (not while it is answered)."""
        msg = self.store.message(message_id)
        if msg is None or self.generating_conversation == msg.conversation_id:
            return False
        try:
            self.store.delete_message(message_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        self.conversations.open(msg.conversation_id)
        return True

    def set_reasoning_expanded(self, message_id: int, expanded: bool) -> None:
        try:
            self.store.set_reasoning_expanded(message_id, expanded)
        except StoreError:
            log.info("could not remember the reasoning section's state", exc_info=True)

    @Slot()
    def stop(self) -> None:
        """Stop the reply being written (and a draft being read ahead: the model is switching
        or the user wants the engine now)."""
        if self._reply is not None:
            self._worker.stop(self._reply.request_id)
        if self._prefill_id:
            self._worker.stop(self._prefill_id)

    def draft_changed(self, text: str) -> None:
        """The composer's text changed: once it rests, read it into the cache ahead of Send."""
        self._draft = text.strip()
        self._draft_timer.start()

    def _model_ready(self) -> bool:
        if self.session.model is not None:
            return True
        if self.session.state in ("loading", "checking"):
            self.error.emit("The model is still loading; your message is kept, send it in a "
                            "moment.")
        else:
            self.error.emit("No model is loaded; pick one in the model list first.")
        return False

    # -- requests ---------------------------------------------------------------------------------

    def _prefill_draft(self) -> None:
        text, conv = self._draft, self.conversations.current
        if (not text or self.generating or self.session.model is None
                or self._draft_sent == (conv, text)):
            self.draft_considered.emit(False)
            return
        self._draft_sent = (conv, text)
        history, params, template_vars = self._request_parts(conv)
        history.append(ChatMessage(Role.USER.value, text))
        self._prefill_id = self._ids.next()
        self.prefill_requested.emit(GenerationRequest(
            self._prefill_id, tuple(history), params, conversation_id=conv or 0,
            template_vars=template_vars))
        self.draft_considered.emit(True)

    def _request_parts(self, conv: int | None) -> tuple[
            list[ChatMessage], GenerationParams, tuple[tuple[str, bool], ...]]:
        """The history a reply in ``conv`` is asked with (never any reasoning), the sampling
        settings (the model's, with the chat's preset applied) and the template variables
        that carry the chat's thinking switch."""
        model = self.session.model
        assert model is not None
        options = self.store.conversation_options(conv) if conv is not None else {}
        ms = self.presets.effective(self.settings.model(model.model_id), options)
        system = ms.system_prompt
        template_vars: tuple[tuple[str, bool], ...] = ()
        if model.thinking is not None:
            on = thinking_enabled(options)
            system = model.thinking.system_prompt(system, on)
            template_vars = tuple(sorted(model.thinking.render_kwargs(on).items()))
        history: list[ChatMessage] = []
        if system.strip():
            history.append(ChatMessage(Role.SYSTEM.value, system))
        if conv is not None:
            history.extend(m.as_chat() for m in self.store.messages(conv)
                           if m.content or m.role == "user")
        return (history, GenerationParams(**{k: getattr(ms, k) for k in _SAMPLING}),
                template_vars)

    # -- the chat's switches ---------------------------------------------------------------------

    def thinking_available(self) -> bool:
        """The loaded model's template can turn its thinking off (the switch is shown)."""
        model = self.session.model
        return model is not None and model.thinking is not None

    def thinking_on(self, conversation_id: int | None = None) -> bool:
        conv = conversation_id if conversation_id is not None else self.conversations.current
        return thinking_enabled(self.store.conversation_options(conv)) if conv else True

    def set_thinking(self, on: bool) -> None:
        """The open chat's thinking switch (kept with the chat)."""
        conv = self.conversations.current
        if conv is None:
            return
        try:
            set_thinking(self.store, conv, on)
        except StoreError as exc:
            self.error.emit(str(exc))
        self._draft_sent = None  # the prompt changes: read the draft again

    def _start_reply(self, conv: int, parent_id: int | None | bool = True,
                     reopen: bool = False) -> bool:
        """Ask for a reply in ``conv``: under its active leaf, or (a regenerated reply) beside
        the earlier one, under ``parent_id``."""
        name = self.session.model_name
        self.titles.cancel()  # a title being written never delays a reply
        try:
            placeholder = self.store.add_message(conv, Role.ASSISTANT.value, "",
                                                 MessageStatus.GENERATING, model=name,
                                                 parent_id=parent_id,
                                                 engine=self.session.engine_label)
        except StoreError as exc:
            self.error.emit(str(exc))
            return False
        request_id = self._ids.next()
        model = self.session.model
        self._reply = ActiveReply(request_id, conv, placeholder.id, name,
                                  model.reasoning if model is not None else None,
                                  saved_at=time.monotonic())
        self.session.chat_became_busy()
        self._draft_timer.stop()
        self._draft_sent = None  # the history changes: the same words later are a new prompt
        self.busy_changed.emit(True)
        if reopen:  # the transcript changes branch; the window resumes the reply in it
            self.conversations.open(conv)
        elif conv == self.conversations.current:
            self.reply_started.emit(placeholder.id, name, "")
        history, params, template_vars = self._request_parts(conv)  # the placeholder is left out
        self.generate_requested.emit(
            GenerationRequest(request_id, tuple(history), params, conversation_id=conv,
                              template_vars=template_vars))
        return True

    # -- what the worker reports -------------------------------------------------------------------

    @Slot(int, str)
    def _on_tokens(self, request_id: int, text: str) -> None:
        reply = self._reply
        if reply is None or reply.request_id != request_id:
            return
        was_thinking = reply.thinking
        answer, reasoning = reply.feed(text)
        visible = reply.conversation_id == self.conversations.current
        if visible:
            if reasoning:
                if not was_thinking:
                    self.reasoning_state.emit(reply.message_id, True, 0.0)
                self.reasoning_text.emit(reasoning)
            if was_thinking and not reply.thinking:
                self.reasoning_state.emit(reply.message_id, False, reply.thinking_seconds or 0.0)
            if answer:
                self.reply_text.emit(answer)
        now = time.monotonic()
        if now - reply.saved_at >= PARTIAL_SAVE_S:
            reply.saved_at = now
            try:
                self.store.update_message(reply.message_id, reply.text, MessageStatus.GENERATING,
                                          reasoning=reply.reasoning_text)
            except StoreError as exc:
                if not reply.save_failed:  # say it once; the reply goes on
                    reply.save_failed = True
                    self.error.emit(str(exc))

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        reply = self._reply
        if reply is None or reply.request_id != result.request_id:
            return
        self._reply = None
        status = _STATUS_FOR[result.finish_reason]
        if self._closing and status is MessageStatus.STOPPED:
            status = MessageStatus.INTERRUPTED
        parsed = reply.finish()
        text = parsed.answer
        stats = {
            "prompt_tokens": result.prompt_tokens,
            "prompt_tokens_evaluated": result.prompt_tokens_evaluated,
            "completion_tokens": result.completion_tokens,
            "time_to_first_token": round(result.time_to_first_token, 4),
            "tokens_per_second": round(result.tokens_per_second, 2),
            "messages_dropped": result.messages_dropped,
        }
        try:
            if self.store.message(reply.message_id) is not None:
                if not text and not parsed.reasoning and \
                        result.finish_reason is FinishReason.ERROR:
                    self.store.delete_message(reply.message_id)
                else:
                    self.store.update_message(reply.message_id, text, status, stats,
                                              reasoning=parsed.reasoning,
                                              thinking_seconds=reply.thinking_seconds)
        except StoreError as exc:  # the UI goes on; the reply stays on screen
            log.error("the reply could not be saved: %s", exc)
            self.error.emit(str(exc))
        self.last_result = result
        notices: list[str] = []
        if result.messages_dropped:
            notices.append(
                f"{result.messages_dropped} older message(s) were left out so the conversation "
                f"fits the model's context of {result.n_ctx} tokens."
            )
        if reply.conversation_id == self.conversations.current:
            self.reply_finished.emit(status, notices)
            stored = self.store.message(reply.message_id)
            if stored is not None:
                self.message_updated.emit(stored)
        if status in (MessageStatus.COMPLETE, MessageStatus.LENGTH):
            self.titles.after_reply(reply.conversation_id)
        self.busy_changed.emit(False)
        if not self._closing:
            self.session.chat_went_idle()
            self._draft_timer.start()  # a message typed during the reply is read ahead now
        self.stats.emit(result)
        self.conversations.conversations_changed.emit()
        if result.error:
            self.error.emit(result.error)

    @Slot(int)
    def _conversation_deleting(self, conversation_id: int) -> None:
        if self._reply is not None and self._reply.conversation_id == conversation_id:
            self.stop()
            self._reply = None
            self.busy_changed.emit(False)

    # -- shutdown -------------------------------------------------------------------------------

    def prepare_to_quit(self) -> None:
        """Stop the reply; what was generated is saved as interrupted."""
        self._closing = True
        self._draft_timer.stop()
        reply = self._reply
        if reply is not None:
            self._worker.stop(reply.request_id)
            try:
                if self.store.message(reply.message_id) is not None:
                    self.store.update_message(reply.message_id, reply.text,
                                              MessageStatus.INTERRUPTED)
            except StoreError:
                log.exception("the interrupted reply could not be saved")

    def detach(self) -> None:
        """Stop listening to the worker (called once it has stopped, before the store closes)."""
        self._draft_timer.stop()
        self._worker.tokens.disconnect(self._on_tokens)
        self._worker.finished.disconnect(self._on_finished)
        self.titles.detach()
        self._reply = None


def _title_from(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 48 else words[:47].rstrip() + "…"


__all__ = ["ActiveReply", "GenerationController", "StoredMessage"]
