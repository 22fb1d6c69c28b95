"""The real engine on the real models: streaming, Stop, the prefix cache, swaps, fallbacks."""

from __future__ import annotations

import threading

import pytest

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationParams,
    GenerationRequest,
    LoadRequest,
)

pytestmark = pytest.mark.realmodel

GREEDY = GenerationParams(temperature=0.0, max_tokens=48, seed=1)


def _req(rid, *turns, params=GREEDY, system="You are a helpful assistant."):
    msgs = [ChatMessage("system", system)] if system else []
    roles = ["user", "assistant"]
    msgs += [ChatMessage(roles[i % 2], t) for i, t in enumerate(turns)]
    return GenerationRequest(rid, tuple(msgs), params)


@pytest.fixture
def engine(smollm2_path):
    e = Engine()
    e.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=2048, n_threads=2))
    yield e
    e.close()


def test_reply_streams_in_batches(engine):
    batches: list[str] = []
    r = engine.generate(_req(1, "Name three colours."), threading.Event(), batches.append)
    assert r.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert r.text.strip() and "".join(batches) == r.text
    assert r.completion_tokens > 0 and r.tokens_per_second > 0 and r.time_to_first_token > 0
    assert "<|im_end|>" not in r.text and "<|im_start|>" not in r.text
    assert engine.info is not None and engine.info.template_from_gguf


def test_stop_ends_the_reply_between_tokens(engine):
    stop = threading.Event()
    seen: list[str] = []
    tokens_at_stop: list[int] = []

    def emit(text: str) -> None:
        seen.append(text)
        if not stop.is_set():
            stop.set()
            tokens_at_stop.append(engine.n_tokens)

    params = GenerationParams(temperature=0.8, max_tokens=400, seed=3)
    r = engine.generate(_req(2, "Write a long story about a lighthouse.", params=params), stop, emit)
    assert r.finish_reason is FinishReason.STOPPED
    assert r.text == "".join(seen)
    # The stop was seen at the next token boundary: at most one more token was decoded.
    assert engine.n_tokens - tokens_at_stop[0] <= 1
    assert r.completion_tokens <= 2


def test_stop_before_start_returns_nothing(engine):
    stop = threading.Event()
    stop.set()
    r = engine.generate(_req(3, "Hello"), stop, lambda t: pytest.fail("no text expected"))
    assert r.finish_reason is FinishReason.STOPPED and r.text == ""


def test_follow_up_turn_evaluates_only_new_tokens(engine):
    r1 = engine.generate(_req(1, "What is the capital of France?"), threading.Event(), lambda t: None)
    assert r1.prompt_tokens_evaluated == r1.prompt_tokens  # cold cache: everything evaluated
    r2 = engine.generate(
        _req(2, "What is the capital of France?", r1.text, "And of Italy?"),
        threading.Event(), lambda t: None,
    )
    new_tokens = r2.prompt_tokens - r1.prompt_tokens
    assert 0 < r2.prompt_tokens_evaluated <= new_tokens
    # A third turn again reuses everything before it.
    r3 = engine.generate(
        _req(3, "What is the capital of France?", r1.text, "And of Italy?", r2.text, "Spain?"),
        threading.Event(), lambda t: None,
    )
    assert r3.prompt_tokens_evaluated <= r3.prompt_tokens - r2.prompt_tokens


def test_regenerate_same_prompt_reuses_cache(engine):
    r1 = engine.generate(_req(1, "Say hi."), threading.Event(), lambda t: None)
    r2 = engine.generate(_req(2, "Say hi."), threading.Event(), lambda t: None)
    assert r2.prompt_tokens == r1.prompt_tokens
    assert r2.prompt_tokens_evaluated == 1  # only the last prompt token, for fresh logits


def test_swap_to_gemma_fallback_and_back(engine, gemma_path, smollm2_path):
    info = engine.load(LoadRequest("gemma", str(gemma_path), n_ctx=1024, n_threads=2))
    assert info.architecture == "gemma3"
    assert not info.template_from_gguf and info.chat_format == "gemma"
    assert "gemma" in info.format_notice and "no chat template" in info.format_notice
    prompt = engine.render([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")])
    assert prompt.startswith("<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>")
    assert prompt.endswith("<start_of_turn>model\n")
    r = engine.generate(_req(1, "The capital of France is"), threading.Event(), lambda t: None)
    assert r.text.strip(), "the gemma fallback format must produce a reply"
    back = engine.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=2048, n_threads=2))
    assert back.template_from_gguf
    r = engine.generate(_req(2, "Hello!"), threading.Event(), lambda t: None)
    assert r.text.strip()


def test_failed_load_keeps_the_previous_model(engine, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 64)
    with pytest.raises(EngineError, match="broken.gguf cannot be loaded"):
        engine.load(LoadRequest("bad", str(bad)))
    assert engine.info is not None and engine.info.model_id == "smollm2"
    r = engine.generate(_req(1, "Hello"), threading.Event(), lambda t: None)
    assert r.text.strip()
    with pytest.raises(EngineError, match="not a GGUF"):
        (tmp_path / "notes.gguf").write_text("hello")
        engine.load(LoadRequest("txt", str(tmp_path / "notes.gguf")))
    assert engine.info.model_id == "smollm2"


def test_long_history_drops_oldest_turns_keeps_system(smollm2_path):
    e = Engine()
    try:
        e.load(LoadRequest("s", str(smollm2_path), n_ctx=512, n_threads=2))
        turns = []
        for i in range(30):
            turns += [f"Question {i}: tell me about the number {i}.", f"The number {i} is nice. " * 3]
        turns.append("Final question: what is 2+2?")
        params = GenerationParams(temperature=0.0, max_tokens=32)
        r = e.generate(_req(1, *turns, params=params, system="SYSTEM-MARKER"), threading.Event(),
                       lambda t: None)
        assert r.messages_dropped > 0
        assert r.prompt_tokens <= 512 - 32
        assert r.finish_reason is not FinishReason.ERROR
        # What the model saw: the system prompt, then only the most recent turns.
        seen = e.context_text()
        assert seen.count("SYSTEM-MARKER") == 1 and "Final question" in seen
        assert "Question 0:" not in seen
        too_long = "word " * 2000
        with pytest.raises(EngineError, match="too long for the model's context"):
            e.generate(_req(2, too_long, params=params), threading.Event(), lambda t: None)
    finally:
        e.close()


def test_reply_that_fills_the_context_ends_cleanly(smollm2_path):
    e = Engine()
    try:
        e.load(LoadRequest("s", str(smollm2_path), n_ctx=256, n_threads=2))
        params = GenerationParams(temperature=1.0, max_tokens=100000, seed=5)
        r = e.generate(_req(1, "Count from one to one thousand in words.", params=params),
                       threading.Event(), lambda t: None)
        assert r.finish_reason in (FinishReason.LENGTH, FinishReason.STOP)
        assert r.context_used <= 256
    finally:
        e.close()


def test_a_draft_read_ahead_is_answered_without_reading_it_again(engine, smollm2_path):
    """The user paused typing: the prompt was prefilled. Send evaluates nothing more, and the
    reply is the very one a cold engine gives (the kept logits are the right ones)."""
    chat = ("My boat is called Gull.", "A fine name for a boat.", "What is my boat called?")
    assert engine.generate(_req(1, *chat[:2]), threading.Event(), lambda _t: None).text
    evaluated = engine.prefill(_req(2, *chat), threading.Event())
    assert 0 < evaluated < len(engine.tokenize_prompt(_req(2, *chat).messages))
    warm = engine.generate(_req(3, *chat), threading.Event(), lambda _t: None)
    assert warm.prompt_tokens_evaluated == 0 and warm.text.strip()
    cold = Engine()
    cold.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=2048, n_threads=2))
    try:
        fresh = cold.generate(_req(4, *chat), threading.Event(), lambda _t: None)
    finally:
        cold.close()
    assert fresh.prompt_tokens_evaluated == fresh.prompt_tokens
    assert warm.text == fresh.text


def test_a_draft_changed_after_read_ahead_evaluates_only_the_change(engine):
    engine.prefill(_req(1, "Tell me about lighthouses"), threading.Event())
    r = engine.generate(_req(2, "Tell me about lighthouses and their keepers."),
                        threading.Event(), lambda _t: None)
    assert 0 < r.prompt_tokens_evaluated < 16 < r.prompt_tokens
    # A stopped read-ahead leaves a consistent cache: the reply reads whatever is missing.
    stop = threading.Event()
    stop.set()
    assert engine.prefill(_req(3, "Something else entirely, please."), stop) == 0
    r = engine.generate(_req(4, "Something else entirely, please."), threading.Event(),
                        lambda _t: None)
    assert r.text.strip() and r.prompt_tokens_evaluated > 0
