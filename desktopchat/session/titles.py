"""Titler: a new chat is titled from its first exchange by the model itself, off the UI thread.

Until then the chat carries its first message, shortened. When the first reply is complete the
engine is asked, as a short request of its own (``chat.titles``: never with reasoning text,
thinking turned off where the template allows), for a title of a few words; ``clean_title``
keeps one plain line or falls back to the shortened first message. A title the user typed is
never replaced, and a title request never delays the user: a new reply stops it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from desktopchat.chat.store import ChatStore, StoreError
from desktopchat.chat.titles import TITLE_SAMPLING, clean_title, title_messages
from desktopchat.chat.types import Role
from desktopchat.engine.types import GenerationParams, GenerationRequest, GenerationResult
from desktopchat.session.conversations import ConversationController
from desktopchat.session.engine_worker import EngineWorker
from desktopchat.session.model_session import ModelSession
from desktopchat.session.request_ids import RequestIds

if TYPE_CHECKING:
    from desktopchat.session.generation import GenerationController

log = logging.getLogger(__name__)

OPTION_TITLED = "titled"  # the chat's options: the model already titled it


class Titler(QObject):
    """Owned by the generation controller; sends through its ``generate_requested``."""

    def __init__(self, generation: GenerationController, store: ChatStore,
                 conversations: ConversationController, session: ModelSession, ids: RequestIds,
                 worker: EngineWorker) -> None:
        super().__init__()
        self._generation = generation
        self._store = store
        self._conversations = conversations
        self._session = session
        self._ids = ids
        self._worker = worker
        self._pending: dict[int, tuple[int, str]] = {}  # request id -> (chat, first message)
        worker.finished.connect(self._on_finished)

    def after_reply(self, conversation_id: int) -> None:
        """A reply completed: if it was the chat's first exchange, ask for its title."""
        model = self._session.model
        chat = self._store.conversation(conversation_id)
        if model is None or chat is None or not chat.title_auto:
            return
        options = self._store.conversation_options(conversation_id)
        if options.get(OPTION_TITLED):
            return
        path = self._store.messages(conversation_id)
        if len(path) != 2 or path[0].role != Role.USER.value or not path[1].content.strip():
            return
        first = path[0].content
        params = GenerationParams(
            temperature=float(TITLE_SAMPLING["temperature"]), top_p=float(TITLE_SAMPLING["top_p"]),
            max_tokens=int(TITLE_SAMPLING["max_tokens"]), repeat_penalty=1.0, seed=1)
        template_vars: tuple[tuple[str, bool], ...] = ()
        if model.thinking is not None:
            template_vars = tuple(sorted(model.thinking.render_kwargs(False).items()))
        messages = title_messages(first, path[1].content, model.thinking)
        request_id = self._ids.next()
        self._pending[request_id] = (conversation_id, first)
        self._generation.generate_requested.emit(GenerationRequest(
            request_id, tuple(messages), params, conversation_id=0,
            template_vars=template_vars))

    def cancel(self) -> None:
        """The user wants the engine: a title still being written is stopped."""
        for request_id in list(self._pending):
            self._worker.stop(request_id)

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        pending = self._pending.pop(result.request_id, None)
        if pending is None:
            return
        conversation_id, first = pending
        if result.error:
            log.info("no title from the model: %s", result.error)
            return
        chat = self._store.conversation(conversation_id)
        if chat is None or not chat.title_auto:
            return  # deleted, or renamed by the user meanwhile
        title = clean_title(result.text, first)
        try:
            self._store.rename_conversation(conversation_id, title, auto=True)
            options = dict(self._store.conversation_options(conversation_id))
            options[OPTION_TITLED] = True
            self._store.set_conversation_options(conversation_id, options)
        except StoreError:
            log.warning("could not save the chat's title", exc_info=True)
            return
        self._conversations.conversations_changed.emit()

    def detach(self) -> None:
        self._worker.finished.disconnect(self._on_finished)
        self._pending.clear()
