"""ConversationController: the list of chats and which one is open (UI thread).

It owns every write to the store that concerns a conversation as a whole (create, rename,
delete, which one was open last); the messages inside one belong to the generation controller.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from desktopchat.chat.store import ChatStore, StoreError
from desktopchat.chat.types import Conversation, StoredMessage
from desktopchat.settings import Settings

log = logging.getLogger(__name__)


class ConversationController(QObject):
    """Signals:
        conversations_changed(): the sidebar should re-read ``conversations()``.
        conversation_opened(int id, list[StoredMessage]): show this transcript.
        conversation_deleting(int id): about to be deleted; whoever holds state for it (the
            reply being written, the engine's saved KV cache) lets go of it first.
        error(str message): a change could not be saved (one sentence).
    """

    conversations_changed = Signal()
    conversation_opened = Signal(int, list)
    conversation_deleting = Signal(int)
    error = Signal(str)
    notice = Signal(str)

    def __init__(self, store: ChatStore, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.current: int | None = None

    def conversations(self) -> list[Conversation]:
        return self.store.conversations()

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        return self.store.messages(conversation_id)

    def open(self, conversation_id: int) -> None:
        if self.store.conversation(conversation_id) is None:
            return
        self.current = conversation_id
        try:
            self.settings.update_app(last_conversation_id=conversation_id)
        except StoreError:
            log.info("could not remember the open chat", exc_info=True)
        self.conversation_opened.emit(conversation_id, self.store.messages(conversation_id))

    def reopen(self) -> None:
        """Show the open conversation again (after its messages changed)."""
        if self.current is not None:
            self.open(self.current)

    def new(self) -> int | None:
        """Start a chat and open it; None (and ``error``) when it cannot be saved."""
        try:
            conv = self.store.create_conversation()
        except StoreError as exc:
            self.error.emit(str(exc))
            return None
        self.conversations_changed.emit()
        self.open(conv.id)
        return conv.id

    def ensure_current(self) -> int:
        """The open conversation, creating one if there is none (raises StoreError)."""
        if self.current is not None:
            return self.current
        conv = self.store.create_conversation()
        self.conversations_changed.emit()
        self.open(conv.id)
        return conv.id

    def rename(self, conversation_id: int, title: str) -> None:
        try:
            self.store.rename_conversation(conversation_id, title)
        except StoreError as exc:
            self.error.emit(str(exc))
        self.conversations_changed.emit()

    def fork(self, message_id: int) -> int | None:
        """A new chat with this one's messages up to ``message_id``; it opens."""
        try:
            conv = self.store.fork(message_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return None
        if conv is None:
            return None
        self.conversations_changed.emit()
        self.open(conv.id)
        self.notice.emit(f"Forked into “{conv.title}”.")
        return conv.id

    def delete(self, conversation_id: int) -> None:
        self.conversation_deleting.emit(conversation_id)
        try:
            self.store.delete_conversation(conversation_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self.conversations_changed.emit()
        if self.current == conversation_id:
            self.current = None
            remaining = self.store.conversations()
            if remaining:
                self.open(remaining[0].id)
            else:
                self.new()

    def restore_last(self) -> None:
        """At start-up: mark replies a crash left unfinished, then open the last chat."""
        try:
            recovered = self.store.recover_interrupted()
        except StoreError:
            log.exception("could not mark interrupted replies")
            recovered = 0
        if recovered:
            log.info("marked %d reply(ies) interrupted by a crash", recovered)
        last = self.settings.app().last_conversation_id
        if last and self.store.conversation(last):
            self.open(last)
        elif convs := self.store.conversations():
            self.open(convs[0].id)
        else:
            self.new()

    def move(self, step: int) -> None:
        """Open the chat ``step`` places down (positive) or up the sidebar's list."""
        ids = [c.id for c in self.store.conversations()]
        if not ids:
            return
        at = ids.index(self.current) if self.current in ids else 0
        self.open(ids[max(0, min(len(ids) - 1, at + step))])
