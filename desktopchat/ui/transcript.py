"""The view's model: one ``Entry`` per message (or notice), with what the view knows about it.

No widgets here: an entry exists for every message of the chat, a row widget only for the
entries near the screen. Heights are estimated from the text until a row has been laid out.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass, field

from desktopchat.chat.types import MessageStatus, Role, StoredMessage
from desktopchat.ui.markdown import PLAIN_PROSE, Segment, split_segments

NOTICE = "notice"  # the role of an entry that is a notice, not a message
USER_PLAIN_LIMIT = 16_000  # longer user messages go into a plain-text box
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text Qt can show as it is: one kind of line break, no NULs, no lone surrogates (a
    Python string may hold them; converting one to a QString fails)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


@dataclass
class MessageExtras:
    """What a message shows besides its text (the reasoning parser and branches fill it in).

    ``branch`` is (1-based index, count); ``reasoning_expanded`` None means the default:
    expanded while thinking live, collapsed afterwards.
    """

    reasoning: str | None = None
    thinking_seconds: float | None = None
    thinking_live: bool = False
    branch: tuple[int, int] | None = None
    reasoning_expanded: bool | None = None

    @property
    def expanded(self) -> bool:
        if self.reasoning_expanded is not None:
            return self.reasoning_expanded
        return self.thinking_live

    @property
    def has_reasoning(self) -> bool:
        return self.thinking_live or bool(self.reasoning)


def extras_of(m: StoredMessage) -> dict[str, object]:
    """What a stored message shows besides its text (``MessageExtras`` fields)."""
    return {"branch": (m.sibling_index, m.sibling_count) if m.sibling_count > 1 else None,
            "reasoning": m.reasoning or None, "thinking_seconds": m.thinking_seconds,
            "reasoning_expanded": m.reasoning_expanded}


@dataclass(eq=False)
class Entry:
    id: int
    role: str
    content: str
    status: MessageStatus = MessageStatus.COMPLETE
    created_at: float = 0.0
    model: str | None = None
    extras: MessageExtras = field(default_factory=MessageExtras)
    notices: list[str] = field(default_factory=list)
    height: int = 0  # laid out (measured_width >= 0) or estimated
    measured_width: int = -1
    live_since: float | None = None  # monotonic time thinking started (the running timer)
    _segments: list[Segment] | None = None

    @classmethod
    def from_message(cls, m: StoredMessage) -> Entry:
        entry = cls(m.id, str(m.role), m.content, m.status, m.created_at, m.model)
        if m.sibling_count > 1 or m.reasoning:  # its ‹ i/n › arrows and reasoning, as stored
            entry.change_extras(**extras_of(m))
        return entry

    @property
    def is_user(self) -> bool:
        return self.role == Role.USER.value

    @property
    def is_notice(self) -> bool:
        return self.role == NOTICE

    def set_content(self, content: str) -> None:
        self.content = content
        self._segments = None
        self.measured_width = -1

    def change_extras(self, **changes: object) -> None:
        """Replace the named fields of ``extras`` (unknown names raise TypeError)."""
        was_live = self.extras.thinking_live
        self.extras = dataclasses.replace(self.extras, **changes)  # type: ignore[arg-type]
        if isinstance(self.extras.reasoning, str):
            self.extras.reasoning = clean_text(self.extras.reasoning)
        if self.extras.thinking_live and not was_live:
            self.live_since = time.monotonic()

    def segments(self) -> list[Segment]:
        """The message cut into pieces (cached): markdown for replies, plain text for what
        people typed (their text is shown as written)."""
        if self._segments is None:
            text = clean_text(self.content)
            if self.role == Role.ASSISTANT.value:
                self._segments = split_segments(text)
            elif not text.strip():
                self._segments = []
            elif len(text) > USER_PLAIN_LIMIT or text.count("\n") > 400:
                self._segments = [Segment("plain", text, reason="long")]
            else:
                self._segments = [Segment("text", text)]
        return self._segments

    def estimate(self, width: int, line_h: int, char_w: int) -> int:
        """A height for a row not laid out yet: close enough that the scroll bar does not jump
        much when the real one replaces it."""
        if self.is_notice:
            return line_h * (1 + len(self.content) * char_w // max(width, 1)) + 16
        text = self.content
        per_line = max(20, width // max(char_w, 1))
        if len(text) > PLAIN_PROSE:
            body = 26 * line_h
        else:
            lines = text.count("\n") + len(text) // per_line + 1
            fences = text.count("```") // 2
            body = int(lines * line_h * 1.1) + fences * 50
        extra = line_h + 8 if self.extras.has_reasoning else 0
        extra += (line_h + 4) * (len(self.notices) + (1 if self.status.note else 0))
        return 28 + 6 + body + extra + 26
