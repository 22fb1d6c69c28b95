"""Immutable chat values; these are what cross threads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    """How a stored message ended. Anything but COMPLETE is shown with a note in the view."""

    COMPLETE = "complete"
    GENERATING = "generating"  # in flight; found at start-up only after a crash
    STOPPED = "stopped"  # the user pressed Stop
    LENGTH = "length"  # hit max tokens or the context limit
    ERROR = "error"  # the model failed mid-reply
    INTERRUPTED = "interrupted"  # the app quit or crashed mid-reply

    @property
    def note(self) -> str:
        return {
            MessageStatus.COMPLETE: "",
            MessageStatus.GENERATING: "",
            MessageStatus.STOPPED: "stopped",
            MessageStatus.LENGTH: "cut off at the length limit",
            MessageStatus.ERROR: "the model failed while replying",
            MessageStatus.INTERRUPTED: "interrupted when the app closed",
        }[self]


@dataclass(frozen=True)
class ChatMessage:
    """One message as the model sees it."""

    role: str
    content: str


@dataclass(frozen=True)
class StoredMessage:
    """One message of a conversation's tree, as read from the store.

    ``seq`` is its depth on its path (1 for the first message). ``sibling_index`` (from 1) and
    ``sibling_count`` say where it stands among the alternatives that share its parent (a
    regenerated reply, an edited message): ‹ 2/3 › in the view. The reply's ``reasoning`` (its
    thinking) is kept apart from ``content`` and never sent back to the model.
    """

    id: int
    conversation_id: int
    seq: int
    role: str
    content: str
    status: MessageStatus
    created_at: float
    model: str | None = None
    parent_id: int | None = None
    reasoning: str = ""
    thinking_seconds: float | None = None
    reasoning_expanded: bool = False
    engine: str = ""
    sibling_index: int = 1
    sibling_count: int = 1

    def as_chat(self) -> ChatMessage:
        return ChatMessage(self.role, self.content)


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    active_leaf_id: int | None = None
    title_auto: bool = True  # False once the user renamed it (never re-titled then)
