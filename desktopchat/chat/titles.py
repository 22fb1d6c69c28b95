"""Titling a new conversation from its first exchange (Qt-free, pure functions).

The controller asks the loaded model for a title off the UI thread, with ``title_messages``
(the first question and the *answer* only: reasoning is never sent, and any ``<think>`` block
that slipped into the text is removed) and ``TITLE_SAMPLING``, thinking turned off where the
template allows it (``desktopchat.chat.thinking``). Whatever comes back goes through
``clean_title``: one line, no quotes, Markdown, "Title:" labels or reasoning, at most
``MAX_TITLE_CHARS`` characters, and never empty — when the model gives nothing usable (or
fails, or there is no model), ``fallback_title`` shortens the first message instead. A title
the user typed is never replaced (``ChatStore.rename_conversation(auto=False)``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from desktopchat.chat.reasoning import split_reasoning
from desktopchat.chat.thinking import ThinkingToggle
from desktopchat.chat.types import ChatMessage

MAX_TITLE_CHARS = 48
EXCERPT_CHARS = 1200  # of each message, sent to the model
UNTITLED = "Untitled chat"
TITLE_SAMPLING: dict[str, Any] = {"temperature": 0.3, "top_p": 0.9, "max_tokens": 32,
                                  "stop": ["\n\n"]}

_SYSTEM = "You write short, specific titles for chat conversations."
_ASK = ("Write a title of at most six words for this conversation. Use the conversation's "
        "language. Reply with the title only: no quotes, no punctuation at the end, no "
        "explanation.")
_LABEL = re.compile(
    r"^\s*(title|conversation title|titre|titel|título|标题|標題|タイトル)\s*[:：]\s*",
    re.IGNORECASE)
_QUOTES = "\"'`“”‘’«»„‚「」『』《》〈〉"
_MARKUP = re.compile(r"(\*\*|__|\*|_|`|~~)(.+?)\1")
_BULLET = re.compile(r"^\s*(#{1,6}\s+|[-*+>•]\s+|\d+[.)]\s+)")


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + " …"


def title_messages(first_user: str, first_answer: str,
                   toggle: ThinkingToggle | None = None) -> list[ChatMessage]:
    """The short chat that asks the model for a title. ``first_answer`` is the stored answer
    (reasoning is kept apart); a ``toggle`` of the system-prompt kind turns thinking off."""
    answer = split_reasoning(first_answer).answer if "think>" in first_answer else first_answer
    system = toggle.system_prompt(_SYSTEM, False) if toggle else _SYSTEM
    body = f"{_ASK}\n\nUser: {_excerpt(first_user)}"
    if answer.strip():
        body += f"\n\nAssistant: {_excerpt(answer)}"
    return [ChatMessage("system", system), ChatMessage("user", body)]


def _shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–—") + "…"


def _plain(text: str) -> str:
    """One line of printable text, spaces collapsed."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def fallback_title(first_message: str) -> str:
    """The first message's first non-empty line, shortened: a title that is never empty."""
    for line in first_message.splitlines():
        line = _plain(_BULLET.sub("", line))
        if line:
            return _shorten(line)
    return UNTITLED


def clean_title(raw: str, first_message: str = "") -> str:
    """The model's answer as a title, or ``fallback_title(first_message)`` when it holds none."""
    text = split_reasoning(raw).answer if isinstance(raw, str) else ""
    line = next((ln for ln in text.splitlines() if ln.strip() and ln.strip() not in "`'\""),
                "")
    line = _BULLET.sub("", line)
    line = _LABEL.sub("", line)
    line = _MARKUP.sub(r"\2", line)
    line = _plain(line).strip(_QUOTES + " ")
    line = _LABEL.sub("", line).strip(_QUOTES + " ")
    line = line.rstrip(".。!！,，;；:：").strip(_QUOTES + " ")
    if not any(ch.isalnum() for ch in line):
        return fallback_title(first_message)
    return _shorten(line)
