"""Titles from the first exchange: the prompt never carries reasoning, and whatever the model
returns becomes one short clean line, or the first message shortened."""

from __future__ import annotations

import pytest

from desktopchat.chat.thinking import ThinkingToggle, ToggleKind
from desktopchat.chat.titles import (
    MAX_TITLE_CHARS,
    UNTITLED,
    clean_title,
    fallback_title,
    title_messages,
)

FIRST = "How do I reverse a linked list in Python without recursion?"


@pytest.mark.parametrize("raw, title", [
    ("Reversing a Linked List", "Reversing a Linked List"),
    ('"Reversing a Linked List"', "Reversing a Linked List"),
    ("“Reversing a Linked List.”", "Reversing a Linked List"),
    ("Title: Reversing a Linked List", "Reversing a Linked List"),
    ("**Title:** *Reversing* a `Linked` List", "Reversing a Linked List"),
    ("# Reversing a Linked List\n\nThis conversation is about…", "Reversing a Linked List"),
    ("- Linked list reversal", "Linked list reversal"),
    ("\n\n  Linked   list\treversal  \n", "Linked list reversal"),
    ("<think>\nThe user wants a title.\n</think>\n\nLinked list reversal", "Linked list reversal"),
    ("标题：反转链表", "反转链表"),
    ("「反转链表」。", "反转链表"),
    ("Linked\x00 list\u202e reversal", "Linked list reversal"),
])
def test_cleaning(raw, title):
    assert clean_title(raw, FIRST) == title


@pytest.mark.parametrize("raw", ["", "   \n ", '""', "...", "<think>never closed title",
                                 "```", "**:**", None])
def test_nothing_usable_falls_back_to_the_first_message(raw):
    assert clean_title(raw, FIRST) == fallback_title(FIRST)


def test_long_titles_are_cut_at_a_word():
    title = clean_title("A very long title that goes on and on about linked lists forever", "")
    assert len(title) <= MAX_TITLE_CHARS and title.endswith("…")
    assert title == "A very long title that goes on and on about…"


def test_fallback_is_short_one_line_and_never_empty():
    assert fallback_title(FIRST) == "How do I reverse a linked list in Python…"
    assert len(fallback_title(FIRST)) <= MAX_TITLE_CHARS
    assert fallback_title("\n\n# Plan\nsecond line") == "Plan"
    assert fallback_title("   ") == UNTITLED
    assert fallback_title("x" * 500) == "x" * (MAX_TITLE_CHARS - 1) + "…"


def test_the_prompt_holds_the_exchange_but_never_reasoning():
    msgs = title_messages(FIRST, "<think>secret plan</think>Use three pointers.")
    assert [m.role for m in msgs] == ["system", "user"]
    assert FIRST in msgs[1].content and "Use three pointers." in msgs[1].content
    assert "secret" not in msgs[1].content and "think>" not in msgs[1].content


def test_the_prompt_is_bounded():
    msgs = title_messages("q" * 10_000, "a" * 10_000)
    assert len(msgs[1].content) < 3000


def test_a_system_switch_turns_thinking_off_for_the_title():
    toggle = ThinkingToggle(ToggleKind.SYSTEM_SWITCH, "/no_think", on_switch="/think")
    assert title_messages(FIRST, "ok", toggle)[0].content.endswith("/no_think")
    kwarg = ThinkingToggle(ToggleKind.RENDER_KWARG, "enable_thinking")
    assert "/no_think" not in title_messages(FIRST, "ok", kwarg)[0].content
    assert kwarg.render_kwargs(False) == {"enable_thinking": False}
