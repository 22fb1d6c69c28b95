"""The real engine on the real models: streaming, Stop, the prefix cache, swaps, fallbacks."""

from __future__ import annotations

import logging
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
    story = _req(2, "Write a long story about a lighthouse.", params=params)
    r = engine.generate(story, stop, emit)
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
    r1 = engine.generate(_req(1, "What is the capital of France?"), threading.Event(),
                         lambda t: None)
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
            turns += [f"Question {i}: tell me about the number {i}.",
                      f"The number {i} is nice. " * 3]
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
        r = e.generate(_req(2, too_long, params=params), threading.Event(), lambda t: None)
        assert r.finish_reason is FinishReason.ERROR and r.input_part == "message"
        assert "This message is too long for the model's context" in r.error
        assert 0 < r.input_limit < len(too_long)
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


# -- Stop inside a prompt chunk (llama.cpp's abort callback) ------------------------------------

LONG = ("The harbour light is checked at dusk; the log records the wind, the swell, the ships "
        "that passed and the oil burned. ")


def _long_chat(n: int = 12) -> tuple[str, ...]:
    turns: list[str] = []
    for i in range(n):
        turns += [f"Entry {i}: {LONG * 3}", f"Noted entry {i}."]
    return (*turns, "What does the log record?")


class _StopAfter(threading.Event):
    """A stop flag that sets itself on its ``n``-th look. While a prompt is evaluated, llama.cpp's
    abort callback looks at it between the nodes of the compute graph, hundreds of times per
    chunk, so a stop placed this way lands in the middle of a chunk, deterministically."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.looks = 0
        self.n = n

    def is_set(self) -> bool:
        self.looks += 1
        if self.looks >= self.n:
            self.set()
        return super().is_set()


def _cold_reply(path, rid, turns) -> str:  # type: ignore[no-untyped-def]
    cold = Engine()
    cold.load(LoadRequest("smollm2", str(path), n_ctx=2048, n_threads=2))
    try:
        r = cold.generate(_req(rid, *turns), threading.Event(), lambda _t: None)
    finally:
        cold.close()
    assert r.prompt_tokens_evaluated == r.prompt_tokens
    return r.text


def test_stop_during_a_long_prompt_ends_inside_a_chunk_and_the_cache_stays_exact(
        engine, smollm2_path, caplog):
    from desktopchat.engine.prefill import PROMPT_CHUNK

    turns = _long_chat()
    n_prompt = len(engine.tokenize_prompt(_req(0, *turns).messages))
    assert n_prompt > 2 * PROMPT_CHUNK + 50
    # How often the flag is looked at while the whole prompt is read (it never fires here).
    counter = _StopAfter(10**9)
    assert engine.prefill(_req(1, *turns), counter) == n_prompt
    per_chunk = counter.looks / -(-n_prompt // PROMPT_CHUNK)
    assert per_chunk > 50, "the abort callback must be consulted inside each chunk"
    engine.generate(_req(2, "Hello"), threading.Event(), lambda _t: None)  # another prompt
    # Stop in the middle of the second chunk of the same long prompt.
    stop = _StopAfter(int(counter.looks * 1.5 / -(-n_prompt // PROMPT_CHUNK)))
    caplog.set_level("DEBUG", logger="desktopchat.llama_cpp")
    r = engine.generate(_req(3, *turns), stop, lambda _t: pytest.fail("no text expected"))
    assert r.finish_reason is FinishReason.STOPPED and r.text == "" and r.completion_tokens == 0
    kept = engine.n_tokens  # the shared start of the two prompts, then one chunk of this one
    assert r.prompt_tokens_evaluated == PROMPT_CHUNK and kept < n_prompt
    # llama.cpp dropped the chunk it was computing: positions from `kept` on. A Stop is not an
    # error: llama.cpp's lines about the abort are logged at DEBUG.
    native = [rec for rec in caplog.records if rec.name == "desktopchat.llama_cpp"]
    assert any(f"pos = [{kept}, +inf)" in rec.getMessage() for rec in native)
    assert not [rec for rec in native if rec.levelno >= logging.WARNING]
    # The next reply reuses exactly what was evaluated and answers as a cold engine does.
    warm = engine.generate(_req(4, *turns), threading.Event(), lambda _t: None)
    assert warm.prompt_tokens_evaluated == warm.prompt_tokens - kept
    assert warm.text == _cold_reply(smollm2_path, 5, turns)


def test_stop_during_read_ahead_ends_inside_a_chunk_too(engine, smollm2_path):
    from desktopchat.engine.prefill import PROMPT_CHUNK

    turns = _long_chat()
    counter = _StopAfter(10**9)
    n_prompt = engine.prefill(_req(1, *turns), counter)
    engine.generate(_req(2, "Hello"), threading.Event(), lambda _t: None)
    stop = _StopAfter(int(counter.looks * 1.5 / -(-n_prompt // PROMPT_CHUNK)))
    evaluated = engine.prefill(_req(3, *turns), stop)
    assert 0 < evaluated < n_prompt and stop.is_set()
    kept = engine.n_tokens
    warm = engine.generate(_req(4, *turns), threading.Event(), lambda _t: None)
    assert warm.prompt_tokens_evaluated == warm.prompt_tokens - kept
    assert warm.text == _cold_reply(smollm2_path, 5, turns)


# -- Templates and input under limits, through the real engine ---------------------------------

def _with_template(engine: Engine, source: str) -> None:
    """Give the loaded model another chat template (as a GGUF carrying it would)."""
    from desktopchat.engine.templates import ChatTemplate

    engine._prompt.template = ChatTemplate(source, bos_token="", eos_token="<|im_end|>")


def test_a_template_bomb_in_read_ahead_or_reply_is_refused_and_the_engine_goes_on(engine):
    from desktopchat.engine.templates import TemplateLimitError

    chat = _req(1, "Hello there")
    _with_template(engine, "{{ 'a' * 10**10 }}")
    with pytest.raises(TemplateLimitError, match="^This model's chat template tried to build"):
        engine.prefill(chat, threading.Event())
    _with_template(engine, "{% for i in range(100000) %}{% for j in range(100000) %}"
                           "{% endfor %}{% endfor %}")
    with pytest.raises(TemplateLimitError, match="steps|seconds"):
        engine.generate(chat, threading.Event(), lambda _t: None)
    # A render that Stop interrupts: the read-ahead reads nothing, the reply is "stopped".
    stop = threading.Event()
    stop.set()
    assert engine.prefill(chat, stop) == 0
    r = engine.generate(chat, stop, lambda _t: None)
    assert r.finish_reason is FinishReason.STOPPED and r.text == ""
    # The engine still answers.
    _with_template(engine, "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
                           "<|im_end|>\n{% endfor %}<|im_start|>assistant\n")
    assert engine.generate(_req(2, "Hi!"), threading.Event(), lambda _t: None).text.strip()


def _tokenize_spy(engine: Engine) -> list[int]:
    sizes: list[int] = []
    llm = engine._llm
    real = llm.tokenize

    def spy(data: bytes, *args, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(data))
        return real(data, *args, **kwargs)

    llm.tokenize = spy
    return sizes


def test_a_huge_system_prompt_is_blamed_not_the_short_message(engine):
    from desktopchat.engine.limits import SYSTEM_PROMPT, InputTooLong, max_input_bytes

    sizes = _tokenize_spy(engine)
    huge = "Be concise. " * (200 * 1024 // 12)
    r = engine.generate(_req(1, "What is 2+2?", system=huge), threading.Event(),
                        lambda _t: None)
    assert r.finish_reason is FinishReason.ERROR and r.input_part == SYSTEM_PROMPT
    assert r.error.startswith("The system prompt is 200 kB") and "model settings" in r.error
    assert "message" not in r.error.lower()
    assert r.input_limit == max_input_bytes(2048)
    assert sizes == []  # refused before anything was rendered or tokenized
    with pytest.raises(InputTooLong, match="^The system prompt"):  # a read-ahead, likewise
        engine.prefill(_req(2, "What is 2+2?", system=huge), threading.Event())


def test_a_huge_message_is_refused_before_the_tokenizer_sees_it(engine):
    from desktopchat.engine.limits import MESSAGE, InputTooLong, truncate_utf8

    sizes = _tokenize_spy(engine)
    paste = "Ünïcødé paste line. " * 60_000  # about 1.4 MB
    with pytest.raises(InputTooLong) as info:
        engine.prefill(_req(1, paste), threading.Event())
    err = info.value
    assert err.part == MESSAGE and err.size == len(paste.encode()) and sizes == []
    r = engine.generate(_req(2, paste), threading.Event(), lambda _t: None)
    assert r.input_part == MESSAGE and r.input_limit == err.limit and sizes == []
    # "Send the first part": a first part is answered.
    first = truncate_utf8(paste, 1500)
    assert paste.startswith(first) and len(first.encode()) <= 1500
    r = engine.generate(_req(3, first), threading.Event(), lambda _t: None)
    assert r.finish_reason is not FinishReason.ERROR and r.text.strip()


def test_an_old_huge_message_is_trimmed_without_tokenizing_it(engine):
    from desktopchat.engine.limits import max_input_bytes

    sizes = _tokenize_spy(engine)
    old = "An old pasted log line. " * 20_000  # 480 kB, over the limit
    r = engine.generate(_req(1, old, "I read it.", "Thanks. What is 2+2?"), threading.Event(),
                        lambda _t: None)
    assert r.finish_reason is not FinishReason.ERROR and r.messages_dropped == 2
    assert sizes and max(sizes) <= max_input_bytes(2048)
    assert "old pasted log" not in engine.context_text()


# -- Loading: flash attention only retried for its own failure; the guard counts the cache ------

def test_a_load_that_fails_for_another_reason_fails_once_with_its_own_message(
        engine, tmp_path, monkeypatch):
    import llama_cpp

    from tests.support.models import make_gguf

    bad = tmp_path / "incomplete.gguf"
    bad.write_bytes(make_gguf({"general.architecture": "llama", "llama.block_count": 2,
                               "llama.embedding_length": 64, "llama.context_length": 128}))
    calls: list[tuple[str, bool]] = []
    real = llama_cpp.Llama

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((kwargs["model_path"], kwargs["flash_attn"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(llama_cpp, "Llama", counting)
    with pytest.raises(EngineError, match=r"^incomplete\.gguf could not be loaded: .*key not"):
        engine.load(LoadRequest("bad", str(bad), n_ctx=128))
    assert [flash for path, flash in calls if path == str(bad)] == [True]
    assert engine.info is not None and engine.info.model_id == "smollm2"  # reloaded


def test_a_flash_attention_failure_is_retried_without_it(smollm2_path, monkeypatch):
    import llama_cpp

    calls: list[bool] = []
    real = llama_cpp.Llama

    def no_flash_here(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["flash_attn"])
        if kwargs["flash_attn"]:
            logging.getLogger("desktopchat.llama_cpp").error(
                "llama_init_from_model: flash_attn is not supported by this backend")
            raise ValueError("Failed to create llama_context")
        return real(*args, **kwargs)

    monkeypatch.setattr(llama_cpp, "Llama", no_flash_here)
    e = Engine()
    try:
        e.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=512, n_threads=2))
        assert calls == [True, False]
        assert e.generate(_req(1, "Hi"), threading.Event(), lambda _t: None).text.strip()
    finally:
        e.close()


def test_the_memory_guard_counts_the_kv_cache_at_the_requested_context(smollm2_path, monkeypatch):
    from desktopchat.engine import engine as engine_module
    from desktopchat.models.fit import kv_cache_bytes
    from desktopchat.models.gguf import read_gguf

    header = read_gguf(smollm2_path)
    kv_big = kv_cache_bytes(header, 8192)[0]
    kv_small = kv_cache_bytes(header, 512)[0]
    free = header.tensor_bytes + (kv_small + kv_big) // 2
    monkeypatch.setattr(engine_module, "available_memory", lambda: free)
    e = Engine()
    try:
        with pytest.raises(EngineError) as info:
            e.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=8192, n_threads=2))
        text = str(info.value)
        assert "8,192-token context" in text and "lower the context length" in text
        assert text.count(". ") == 0 and text.endswith(".")
        assert e.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=512, n_threads=2))
    finally:
        e.close()
