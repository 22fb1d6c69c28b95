"""The reasoning and title functions against the real engine: SmolLM2 rewritten (with the gguf
package) to carry a DeepSeek-R1-style template that opens ``<think>`` in the prompt, and a
Qwen3-style one with ``enable_thinking``. SmolLM2 does not really reason; what is checked is the
prompt the engine renders, how ``detect`` reads it, how the real token stream is split, and that
a stored answer goes back into the next prompt without its reasoning."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktopchat.chat.reasoning import Kind, ReasoningParser, Segment
from desktopchat.chat.thinking import detect, thinking_toggle
from desktopchat.chat.titles import MAX_TITLE_CHARS, TITLE_SAMPLING, clean_title, title_messages
from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest
from tests.support.reasoning_models import QWEN3_STYLE, R1_STYLE
from tests.support.reasoning_models import with_template as _with_template

pytestmark = pytest.mark.realmodel


@pytest.fixture(scope="module")
def models(smollm2_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reasoning-models")
    return {name: _with_template(smollm2_path, folder / f"{name}.gguf", t)
            for name, t in (("r1", R1_STYLE), ("qwen3", QWEN3_STYLE))}


def _engine(path: Path) -> Engine:
    e = Engine()
    e.load(LoadRequest(path.stem, str(path), n_ctx=2048, n_threads=2))
    return e


MSGS = (ChatMessage("system", "You are a helpful assistant."),
        ChatMessage("user", "What is the capital of France?"))


def _stream(engine: Engine, msgs: tuple[ChatMessage, ...], parser: ReasoningParser,
            max_tokens: int = 24) -> tuple[list[Segment], str]:
    segments: list[Segment] = []
    params = GenerationParams(temperature=0.0, max_tokens=max_tokens, seed=1)
    result = engine.generate(GenerationRequest(1, msgs, params), threading.Event(),
                             lambda text: segments.extend(parser.feed(text)))
    segments += parser.finish()
    return segments, result.text


def test_a_template_that_opens_think_makes_the_whole_reply_reasoning(models):
    engine = _engine(models["r1"])
    try:
        prompt = engine.render(MSGS)
        assert prompt.endswith("<|im_start|>assistant\n<think>\n")
        fmt = detect(R1_STYLE, prompt[-256:])
        assert fmt is not None and fmt.starts_in_reasoning
        parser = ReasoningParser(fmt)
        segments, raw = _stream(engine, MSGS, parser)
        assert raw.strip(), "the model said something"
        parsed = parser.result()
        assert "</think>" not in raw  # greedy SmolLM2 answers and stops: it never closes it
        assert {s.kind for s in segments} == {Kind.REASONING}
        assert parsed.unfinished and parsed.answer == ""
        assert parsed.reasoning == raw.strip()
        # the next turn carries the stored answer, never the reasoning
        follow = (*MSGS, ChatMessage("assistant", parsed.answer or "Paris."),
                  ChatMessage("user", "And Italy?"))
        assert parsed.reasoning[:20] not in engine.render(follow)
    finally:
        engine.close()


def test_a_qwen3_style_template_and_its_switch(models):
    toggle = thinking_toggle(QWEN3_STYLE)
    assert toggle is not None and toggle.render_kwargs(False) == {"enable_thinking": False}
    engine = _engine(models["qwen3"])
    try:
        prompt = engine.render(MSGS)  # thinking on: the model opens <think> itself
        assert prompt.endswith("<|im_start|>assistant\n")
        fmt = detect(QWEN3_STYLE, prompt[-256:])
        assert fmt is not None and not fmt.starts_in_reasoning
        parser = ReasoningParser(fmt)
        _segments, raw = _stream(engine, MSGS, parser)
        parsed = parser.result()
        assert "<think>" not in raw  # greedy SmolLM2 answers at once
        assert parsed.reasoning == "" and parsed.answer == raw.lstrip("\n")
        assert not parsed.unfinished
    finally:
        engine.close()


def test_a_title_from_the_real_model_is_short_and_never_empty(smollm2_path):
    engine = _engine(smollm2_path)
    try:
        first = "How do I bake sourdough bread at home without a proofing basket?"
        msgs = tuple(title_messages(first, "Use a bowl lined with a floured towel."))
        params = GenerationParams(temperature=0.0, seed=1,
                                  max_tokens=TITLE_SAMPLING["max_tokens"])
        result = engine.generate(GenerationRequest(1, msgs, params), threading.Event(),
                                 lambda text: None)
        title = clean_title(result.text, first)
        assert title and len(title) <= MAX_TITLE_CHARS and "\n" not in title
    finally:
        engine.close()
