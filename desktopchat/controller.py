"""ChatController: the UI-thread facade between the window, the history store and the engine.

It owns the conversation state and every write to the store; the window only shows what it is
told and forwards what the user does. Requests go to the engine worker as signals carrying frozen
dataclasses; each reply has a request id, and text for a stale id is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import ChatMessage, Conversation, MessageStatus, Role, StoredMessage
from desktopchat.engine.types import (
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LoadRequest,
    ModelInfo,
)
from desktopchat.controller_models import LibraryActions
from desktopchat.models.library import ModelLibrary
from desktopchat.models.local import LocalModel
from desktopchat.settings import ModelSettings, Settings
from desktopchat.session.engine_worker import EngineWorker

log = logging.getLogger(__name__)

KV_IDLE_MS = 3000  # a chat idle this long has its KV cache saved (on the engine thread)
# A draft unchanged this long is read into the KV cache ahead of Send, so the reply starts at
# once however long the chat is (benchmarks/RESULTS.md, figure 3).
DRAFT_PREFILL_MS = 400

_STATUS_FOR = {
    FinishReason.STOP: MessageStatus.COMPLETE,
    FinishReason.LENGTH: MessageStatus.LENGTH,
    FinishReason.STOPPED: MessageStatus.STOPPED,
    FinishReason.ERROR: MessageStatus.ERROR,
}


@dataclass
class _Reply:
    """The reply being generated (UI-thread state only)."""

    request_id: int
    conversation_id: int
    message_id: int
    model_name: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class ChatController(LibraryActions, QObject):
    """Signals:
        conversations_changed(): the sidebar should re-read ``conversations()``.
        conversation_opened(int id, list[StoredMessage]): show this transcript.
        message_added(StoredMessage): append a finished message to the open transcript.
        reply_started(int message_id, str model_name, str partial): a reply begins streaming.
        reply_text(str text): more text of the streaming reply (open conversation only).
        reply_finished(MessageStatus status, list[str] notices): the streaming reply ended.
        busy_changed(bool generating): toggles Send/Stop.
        model_state(str state, str detail): 'loading' | 'ready' | 'none' | 'failed', and text.
        stats(GenerationResult): speed and context use of the last reply.
        models_changed(): the list of models changed; re-read ``models`` (picker, Models page).
        error(str message): one plain sentence for the user.
        notice(str message): something the user should know (not an error).
        generate_requested(GenerationRequest), load_requested(LoadRequest): to the worker.
        save_state_requested(): to the worker: the chat went idle, save its KV cache.
    """

    conversations_changed = Signal()
    conversation_opened = Signal(int, list)
    message_added = Signal(object)
    reply_started = Signal(int, str, str)
    reply_text = Signal(str)
    reply_finished = Signal(object, list)
    busy_changed = Signal(bool)
    model_state = Signal(str, str)
    stats = Signal(object)
    models_changed = Signal()
    error = Signal(str)
    notice = Signal(str)
    generate_requested = Signal(object)
    load_requested = Signal(object)
    unload_requested = Signal()
    save_state_requested = Signal()
    prefill_requested = Signal(object)

    def __init__(
        self,
        store: ChatStore,
        settings: Settings,
        worker: EngineWorker,
        library: ModelLibrary | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.settings = settings
        self._worker = worker
        self._next_request = 0
        self._reply: _Reply | None = None
        self._queued_load: LoadRequest | None = None
        self.current_conversation: int | None = None
        self.model: ModelInfo | None = None
        self.models: list[LocalModel] = []
        self.selected_model_id = ""
        self.last_result: GenerationResult | None = None
        self._closing = False
        worker.tokens.connect(self._on_tokens)
        worker.finished.connect(self._on_finished)
        worker.loading.connect(self._on_loading)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.unloaded.connect(self._on_unloaded)
        self.generate_requested.connect(worker.generate)
        self.load_requested.connect(worker.load)
        self.unload_requested.connect(worker.unload)
        self.save_state_requested.connect(worker.save_state)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(KV_IDLE_MS)
        self._idle_timer.timeout.connect(self.save_state_requested)
        self.prefill_requested.connect(worker.prefill)
        self._draft = ""
        self._draft_sent: tuple[int | None, str] | None = None  # the last draft read ahead
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_PREFILL_MS)
        self._draft_timer.timeout.connect(self._prefill_draft)

    # -- conversations --------------------------------------------------------------------------

    def conversations(self) -> list[Conversation]:
        return self.store.conversations()

    @property
    def generating(self) -> bool:
        return self._reply is not None

    @property
    def generating_conversation(self) -> int | None:
        return self._reply.conversation_id if self._reply else None

    def open_conversation(self, conversation_id: int) -> None:
        if self.store.conversation(conversation_id) is None:
            return
        self.current_conversation = conversation_id
        self.settings.update_app(last_conversation_id=conversation_id)
        messages = self.store.messages(conversation_id)
        reply = self._reply
        if reply is not None and reply.conversation_id == conversation_id:
            shown = [m for m in messages if m.id != reply.message_id]
            self.conversation_opened.emit(conversation_id, shown)
            self.reply_started.emit(reply.message_id, reply.model_name, reply.text)
        else:
            self.conversation_opened.emit(conversation_id, messages)

    def new_conversation(self) -> int:
        conv = self.store.create_conversation()
        self.conversations_changed.emit()
        self.open_conversation(conv.id)
        return conv.id

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self.store.rename_conversation(conversation_id, title)
        self.conversations_changed.emit()

    def delete_conversation(self, conversation_id: int) -> None:
        if self._reply is not None and self._reply.conversation_id == conversation_id:
            self.stop()
            self._reply = None
            self.busy_changed.emit(False)
        self.store.delete_conversation(conversation_id)
        self.conversations_changed.emit()
        if self.current_conversation == conversation_id:
            remaining = self.store.conversations()
            if remaining:
                self.open_conversation(remaining[0].id)
            else:
                self.new_conversation()

    def restore_last_conversation(self) -> None:
        recovered = self.store.recover_interrupted()
        if recovered:
            log.info("marked %d reply(ies) interrupted by a crash", recovered)
        last = self.settings.app().last_conversation_id
        if last and self.store.conversation(last):
            self.open_conversation(last)
        elif (convs := self.store.conversations()):
            self.open_conversation(convs[0].id)
        else:
            self.new_conversation()

    # -- models ---------------------------------------------------------------------------------

    def set_models(self, models: list[LocalModel]) -> None:
        self.models = models
        self.models_changed.emit()

    def model_by_id(self, model_id: str) -> LocalModel | None:
        return next((m for m in self.models if m.model_id == model_id), None)

    def select_model(self, model_id: str) -> None:
        """Load a model (stopping any reply first); history stays as it is."""
        entry = self.model_by_id(model_id)
        if entry is None:
            self.error.emit("That model is no longer available.")
            return
        if self.model is not None and self.model.model_id == model_id:
            return
        self.selected_model_id = model_id
        self.settings.update_app(last_model_id=model_id)
        ms = self.settings.model(model_id)
        req = LoadRequest(
            model_id=model_id,
            path=entry.path,
            n_ctx=ms.context_length,
            n_threads=ms.resolved_threads(),
        )
        self.stop()
        self.load_requested.emit(req)

    def reload_model(self) -> None:
        """Reload the current model (after its context length or threads changed)."""
        if self.model is None:
            return
        model_id = self.model.model_id
        self.model = None
        self.select_model(model_id)

    def initial_model_id(self) -> str:
        last = self.settings.app().last_model_id
        if last and self.model_by_id(last):
            return last
        return self.models[0].model_id if self.models else ""

    def model_settings(self) -> ModelSettings:
        return self.settings.model(self.selected_model_id or "default")

    def save_model_settings(self, value: ModelSettings) -> None:
        old = self.model_settings()
        self.settings.save_model(self.selected_model_id or "default", value)
        if (old.context_length, old.threads) != (value.context_length, value.threads):
            self.reload_model()

    @Slot(str)
    def _on_loading(self, model_id: str) -> None:
        entry = self.model_by_id(model_id)
        self.model_state.emit("loading", f"Loading {entry.name if entry else model_id}…")

    @property
    def model_name(self) -> str:
        """The loaded model's name as the picker shows it."""
        if self.model is None:
            return ""
        entry = self.model_by_id(self.model.model_id)
        return entry.name if entry else self.model.name

    def unload_model(self) -> None:
        self.stop()
        self.unload_requested.emit()

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self.model = info
        self.selected_model_id = info.model_id
        if self.library is not None:
            try:
                self.library.mark_used(info.model_id)
            except OSError:
                log.exception("could not record when %s was last used", info.model_id)
            used = self.library.find(info.model_id)
            if used is not None:
                self.models = [used if m.model_id == used.model_id else m for m in self.models]
                self.models_changed.emit()
        self.model_state.emit("ready", self.model_name)
        if info.format_notice:
            self.notice.emit(info.format_notice)

    @Slot(str, str)
    def _on_load_failed(self, model_id: str, message: str) -> None:
        self.model_state.emit("failed", message)
        self.error.emit(message)

    @Slot()
    def _on_unloaded(self) -> None:
        self.model = None
        self.model_state.emit("none", "No model loaded")

    # -- chatting -------------------------------------------------------------------------------

    def _ensure_conversation(self) -> int:
        if self.current_conversation is None:
            return self.new_conversation()
        return self.current_conversation

    def send(self, text: str) -> bool:
        """Send a user message and start the reply. Returns False when nothing was sent."""
        text = text.strip()
        if not text:
            return False
        if self.generating:
            self.error.emit("A reply is still being written; press Stop (Esc) or wait for it.")
            return False
        if self.model is None:
            self.error.emit("No model is loaded yet; pick one in the toolbar first.")
            return False
        conv = self._ensure_conversation()
        first = not self.store.messages(conv)
        msg = self.store.add_message(conv, Role.USER.value, text)
        if first:
            self.store.rename_conversation(conv, _title_from(text))
        self.conversations_changed.emit()
        self.message_added.emit(msg)
        self._start_reply(conv)
        return True

    def regenerate(self) -> bool:
        """Replace the last reply with a new one."""
        conv = self.current_conversation
        if conv is None or self.generating or self.model is None:
            return False
        messages = self.store.messages(conv)
        if not messages or messages[-1].role != Role.ASSISTANT.value:
            return False
        self.store.delete_messages_from(conv, messages[-1].seq)
        self.open_conversation(conv)
        self._start_reply(conv)
        return True

    def edit_and_resend(self, message_id: int, new_text: str) -> bool:
        """Replace a user message (and everything after it) and answer it again."""
        new_text = new_text.strip()
        msg = self.store.message(message_id)
        if msg is None or msg.role != Role.USER.value or not new_text or self.generating:
            return False
        if self.model is None:
            self.error.emit("No model is loaded yet; pick one in the toolbar first.")
            return False
        self.store.delete_messages_from(msg.conversation_id, msg.seq)
        self.store.add_message(msg.conversation_id, Role.USER.value, new_text)
        self.open_conversation(msg.conversation_id)
        self._start_reply(msg.conversation_id)
        return True

    def draft_changed(self, text: str) -> None:
        """The composer's text changed: once it rests, read it into the cache ahead of Send."""
        self._draft = text.strip()
        self._draft_timer.start()

    def _prefill_draft(self) -> None:
        text, conv = self._draft, self.current_conversation
        if not text or self.generating or self.model is None or self._draft_sent == (conv, text):
            return
        self._draft_sent = (conv, text)
        history, params = self._request_parts(conv)
        history.append(ChatMessage(Role.USER.value, text))
        self._next_request += 1
        self.prefill_requested.emit(GenerationRequest(
            self._next_request, tuple(history), params, conversation_id=conv or 0))

    def _request_parts(self, conv: int | None) -> tuple[list[ChatMessage], GenerationParams]:
        """The history a reply in ``conv`` is asked with, and the model's sampling settings."""
        assert self.model is not None
        ms = self.settings.model(self.model.model_id)
        history: list[ChatMessage] = []
        if ms.system_prompt.strip():
            history.append(ChatMessage(Role.SYSTEM.value, ms.system_prompt))
        if conv is not None:
            history.extend(m.as_chat() for m in self.store.messages(conv)
                           if m.content or m.role == "user")
        sampling = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens",
                    "seed")
        return history, GenerationParams(**{k: getattr(ms, k) for k in sampling})

    def _start_reply(self, conv: int) -> None:
        assert self.model is not None
        history, params = self._request_parts(conv)
        placeholder = self.store.add_message(
            conv, Role.ASSISTANT.value, "", MessageStatus.GENERATING, model=self.model_name
        )
        self._idle_timer.stop()
        self._draft_timer.stop()
        self._draft_sent = None  # the history changes: the same words later are a new prompt
        self._next_request += 1
        self._reply = _Reply(self._next_request, conv, placeholder.id, self.model_name)
        self.busy_changed.emit(True)
        if conv == self.current_conversation:
            self.reply_started.emit(placeholder.id, self.model_name, "")
        self.generate_requested.emit(
            GenerationRequest(self._next_request, tuple(history), params, conversation_id=conv)
        )

    def stop(self) -> None:
        if self._reply is not None:
            self._worker.stop(self._reply.request_id)

    @Slot(int, str)
    def _on_tokens(self, request_id: int, text: str) -> None:
        reply = self._reply
        if reply is None or reply.request_id != request_id:
            return
        reply.parts.append(text)
        if reply.conversation_id == self.current_conversation:
            self.reply_text.emit(text)

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        reply = self._reply
        if reply is None or reply.request_id != result.request_id:
            return
        self._reply = None
        status = _STATUS_FOR[result.finish_reason]
        if self._closing and status is MessageStatus.STOPPED:
            status = MessageStatus.INTERRUPTED
        text = reply.text
        stats = {
            "prompt_tokens": result.prompt_tokens,
            "prompt_tokens_evaluated": result.prompt_tokens_evaluated,
            "completion_tokens": result.completion_tokens,
            "time_to_first_token": round(result.time_to_first_token, 4),
            "tokens_per_second": round(result.tokens_per_second, 2),
            "messages_dropped": result.messages_dropped,
        }
        if self.store.message(reply.message_id) is not None:
            if not text and result.finish_reason is FinishReason.ERROR:
                self.store.delete_messages_from(reply.conversation_id, self._seq(reply.message_id))
            else:
                self.store.update_message(reply.message_id, text, status, stats)
        self.last_result = result
        notices: list[str] = []
        if result.messages_dropped:
            notices.append(
                f"{result.messages_dropped} older message(s) were left out so the conversation "
                f"fits the model's context of {result.n_ctx} tokens."
            )
        if reply.conversation_id == self.current_conversation:
            self.reply_finished.emit(status, notices)
        self.busy_changed.emit(False)
        if not self._closing:
            self._idle_timer.start()
            self._draft_timer.start()  # a message typed during the reply is read ahead now
        self.stats.emit(result)
        self.conversations_changed.emit()
        if result.error:
            self.error.emit(result.error)

    def _seq(self, message_id: int) -> int:
        m = self.store.message(message_id)
        return m.seq if m else 0

    # -- shutdown -------------------------------------------------------------------------------

    def prepare_to_quit(self) -> None:
        """Stop the reply; what was generated is saved as interrupted."""
        self._closing = True
        self._idle_timer.stop()  # the engine saves the KV cache itself as it closes
        self._draft_timer.stop()
        reply = self._reply
        if reply is not None:
            self._worker.stop(reply.request_id)
            if self.store.message(reply.message_id) is not None:
                self.store.update_message(reply.message_id, reply.text, MessageStatus.INTERRUPTED)

    def detach(self) -> None:
        """Stop listening to the worker (called once it has stopped, before the store closes)."""
        self._idle_timer.stop()
        self._draft_timer.stop()
        w = self._worker
        for signal, slot in (
            (w.tokens, self._on_tokens), (w.finished, self._on_finished),
            (w.loading, self._on_loading), (w.loaded, self._on_loaded),
            (w.load_failed, self._on_load_failed), (w.unloaded, self._on_unloaded),
        ):
            signal.disconnect(slot)
        self._reply = None


def _title_from(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 48 else words[:47].rstrip() + "…"


__all__ = ["ChatController", "StoredMessage"]
