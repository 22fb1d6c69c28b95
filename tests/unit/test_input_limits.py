"""Input is bounded before the tokenizer sees it: the limit the UI can check, the part that is too
long named right, and history trimmed without tokenizing unbounded text (a recording tokenizer
stands in for llama.cpp's)."""

from __future__ import annotations

import pytest

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.formats import FALLBACKS
from desktopchat.engine.limits import (
    CONVERSATION,
    MAX_INPUT_BYTES,
    MESSAGE,
    MIN_INPUT_BYTES,
    SYSTEM_PROMPT,
    InputTooLong,
    max_input_bytes,
    truncate_utf8,
    utf8_size,
)
from desktopchat.engine.prompt import PromptBuilder
from desktopchat.engine.templates import ChatTemplate, TemplateLimitError


def test_the_limit_follows_the_context_within_bounds():
    assert max_input_bytes(512) == MIN_INPUT_BYTES
    assert max_input_bytes(16_384) == 16_384 * 8
    assert max_input_bytes(1 << 20) == MAX_INPUT_BYTES <= 512 * 1024


@pytest.mark.parametrize("text", ["plain ascii", "Ünïcødé ✓ 你好 🎉" * 50, "🎉" * 100, ""])
def test_truncation_never_splits_a_character(text):
    for limit in range(0, min(len(text.encode()), 90) + 3):
        part = truncate_utf8(text, limit)
        assert text.startswith(part)
        assert len(part.encode()) <= limit
        # the longest such prefix
        if len(part) < len(text):
            assert len(text[: len(part) + 1].encode()) > limit
    assert utf8_size(text) == len(text.encode())


def test_sizes_over_a_cap_are_not_encoded():
    assert utf8_size("é" * 10, cap=5) > 5  # a lower bound is enough to refuse


class Recorder:
    """A tokenizer that records what it was given: one token per four bytes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def __call__(self, data: bytes) -> list[int]:
        self.sizes.append(len(data))
        return list(range(max(1, len(data) // 4)))


def _builder(n_ctx: int = 2048, template: str | None = None) -> tuple[PromptBuilder, Recorder]:
    rec = Recorder()
    source = template or FALLBACKS["chatml"].template
    return PromptBuilder(ChatTemplate(source, bos_token="", eos_token=""), rec, n_ctx=n_ctx), rec


def _chat(system: str, *turns: str) -> list[ChatMessage]:
    msgs = [ChatMessage("system", system)] if system else []
    return msgs + [ChatMessage(("user", "assistant")[i % 2], t) for i, t in enumerate(turns)]


def test_a_huge_system_prompt_is_named_not_the_short_message():
    b, rec = _builder()
    with pytest.raises(InputTooLong) as info:
        b.fit(_chat("x" * 200_000, "What is 2+2?"), reserve=256)
    assert info.value.part == SYSTEM_PROMPT and info.value.size == 200_000
    assert str(info.value).startswith("The system prompt is 195 kB") and rec.sizes == []


def test_a_huge_message_is_named_with_what_fits():
    b, rec = _builder()
    with pytest.raises(InputTooLong) as info:
        b.fit(_chat("Be brief.", "y" * 1_000_000), reserve=256)
    err = info.value
    assert err.part == MESSAGE and err.size == 1_000_000 and rec.sizes == []
    overhead = len(b.render(_chat("Be brief.", "")))
    assert err.limit == b.limit - overhead
    assert len(b.render(_chat("Be brief.", truncate_utf8("y" * 1_000_000, err.limit)))) == b.limit
    assert str(err).startswith("This message is 977 kB") and "first part" in str(err)


def test_system_prompt_and_message_together_over_the_limit_name_the_larger():
    b, rec = _builder()
    third = b.limit // 3
    with pytest.raises(InputTooLong) as info:
        b.fit(_chat("s" * (2 * third), "m" * (third + 100)), reserve=256)
    assert info.value.part == SYSTEM_PROMPT
    assert rec.sizes == []  # the render stopped at the limit: nothing was tokenized
    with pytest.raises(InputTooLong) as info:
        b.fit(_chat("s" * third, "m" * (2 * third)), reserve=256)
    assert info.value.part == MESSAGE and 0 < info.value.limit < 2 * third


def test_a_prompt_over_the_context_names_the_part_with_a_first_part_that_fits():
    b, _ = _builder(n_ctx=512)
    with pytest.raises(InputTooLong, match="This message is too long for the model's context") \
            as info:
        b.fit(_chat("Be brief.", "word " * 1000), reserve=64)
    assert info.value.part == MESSAGE and 0 < info.value.limit < 5000
    with pytest.raises(InputTooLong, match="The system prompt is too long") as info:
        b.fit(_chat("rule " * 1000, "Hi"), reserve=64)
    assert info.value.part == SYSTEM_PROMPT


def test_trimming_never_tokenizes_more_than_the_limit():
    b, rec = _builder(n_ctx=4096)
    turns: list[str] = []
    for i in range(40):
        turns += [f"Paste {i}: " + "z" * 20_000, f"Read {i}."]
    turns.append("Summarise the last paste.")
    tokens, dropped = b.fit(_chat("Be brief.", *turns), reserve=256)
    assert dropped > 0 and len(tokens) <= 4096 - 256
    assert rec.sizes and max(rec.sizes) <= b.limit
    assert len(rec.sizes) <= 8  # O(log n) renders, none of them of the whole chat


def test_an_old_message_over_the_limit_is_dropped_not_refused():
    b, rec = _builder()
    tokens, dropped = b.fit(_chat("Be brief.", "q" * 500_000, "ok", "And now?"), reserve=256)
    assert dropped == 2 and tokens and max(rec.sizes) <= b.limit


def test_a_template_that_writes_far_more_than_it_was_given_is_blamed():
    b, rec = _builder(template="{% for i in range(100000) %}{{ 'tok ' * 100 }}{% endfor %}")
    with pytest.raises(TemplateLimitError, match="write a prompt of more than"):
        b.fit(_chat("Be brief.", "Hi"), reserve=256)
    assert rec.sizes == []


def test_an_empty_conversation_part_is_still_named():
    err = InputTooLong(CONVERSATION, 600_000, 500_000)
    assert str(err).startswith("This conversation's prompt is") and err.limit == 500_000
