"""Figures 1-4: decode and prompt speed through the worker thread, follow-up TTFT over a
20-turn chat, and reopening a long chat from its saved KV state; and Stop during prefill."""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import llama_cpp
from PySide6.QtCore import QTimer

from benchmarks.harness import Driver
from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.prefill import PROMPT_CHUNK
from desktopchat.engine.types import FinishReason, GenerationParams, KVStateConfig, LoadRequest

SYSTEM = ChatMessage("system", "You are a helpful assistant.")
STORY = ChatMessage("user", "Write a very long story about a lighthouse keeper and a storm.")
# The app's default sampling (settings.ModelSettings), used for every peer too.
SAMPLING = dict(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1, seed=11)


def params(max_tokens: int, **kw: float) -> GenerationParams:
    base = {k: v for k, v in SAMPLING.items()}
    base.update(kw)
    return GenerationParams(max_tokens=max_tokens, **base)  # type: ignore[arg-type]


class ignore_eos:
    """Let a reply run to max_tokens (as llama-bench's tg does) by hiding end-of-generation.

    The engine checks ``llama_cpp.llama_vocab_is_eog`` and its stop-token set; both are hidden
    for the duration. Only the benchmark does this, to compare equal token counts.
    """

    def __init__(self, driver: Driver) -> None:
        self.driver = driver

    def __enter__(self) -> None:
        self._orig = llama_cpp.llama_vocab_is_eog
        llama_cpp.llama_vocab_is_eog = lambda _v, _t: False
        eng = self.driver.worker._engine
        self._stops = eng._stop_ids
        eng._stop_ids = frozenset()
        self._fmt = eng._format
        from dataclasses import replace

        eng._format = replace(eng._format, stops=())

    def __exit__(self, *exc: object) -> None:
        llama_cpp.llama_vocab_is_eog = self._orig
        eng = self.driver.worker._engine
        eng._stop_ids = self._stops
        eng._format = self._fmt


def filler_messages(driver_or_engine_tokens, target: int) -> list[ChatMessage]:  # type: ignore[no-untyped-def]
    """A plausible chat of about ``target`` prompt tokens (user/assistant turns)."""
    msgs = [SYSTEM]
    i = 0
    para = ("Here is a paragraph about tide tables, harbour lights and the keeping of logs; "
            "each entry notes the wind, the swell, the ships that passed and the oil burned. ")
    while driver_or_engine_tokens(msgs) < target:
        i += 1
        msgs.append(ChatMessage("user", f"Entry {i}: {para * 2}Summarise it."))
        msgs.append(ChatMessage("assistant", f"Summary {i}: {para}"))
    msgs.append(ChatMessage("user", "In one sentence: what is this chat about?"))
    return msgs


def decode(driver: Driver, n_tokens: int) -> tuple[float, list[tuple[float, int]], str]:
    """Decode rate (tok/s) as the GUI thread receives it, with batch arrivals and the text."""
    rate, batches, text, _depth = decode_at(driver, n_tokens)
    return rate, batches, text


def decode_at(driver: Driver, n_tokens: int) -> tuple[float, list[tuple[float, int]], str, int]:
    """``decode``, and the depth the reply starts at (its prompt's tokens): the depth at which
    llama-bench's tg does the same work."""
    with ignore_eos(driver):
        rec = driver.generate([SYSTEM, STORY], params(n_tokens))
    assert rec.result is not None and rec.result.completion_tokens == n_tokens, rec.result
    return rec.decode_rate(), rec.batches, "".join(rec.text), rec.result.prompt_tokens


def segment_rates(batches: list[tuple[float, int]], text: str, n_tokens: int,
                  seg: int) -> tuple[float, float]:
    """Rates of the first and last ``seg`` tokens, from batch arrival times; tokens are placed
    by character offset (the reply's characters per token are nearly uniform)."""
    total = len(text)

    def time_at(tok: int) -> float:
        want = total * tok / n_tokens
        for t, chars in batches:
            if chars >= want:
                return t
        return batches[-1][0]

    first = seg / (time_at(seg) - batches[0][0])
    last = seg / (batches[-1][0] - time_at(n_tokens - seg))
    return first, last


def prompt_speed(driver: Driver, path: Path, req: LoadRequest,
                 n_prompt: int) -> tuple[float, int]:
    """Prompt tokens/s of a fresh ~n_prompt-token prompt (no cache), from the GUI's TTFT, best
    of 3; and how many tokens the prompt had."""
    tok = _tokenizer(path)
    msgs = filler_messages(tok, n_prompt)
    tok.engine.close()  # type: ignore[attr-defined]
    best, n = 0.0, 0
    for _ in range(3):
        driver.unload()
        driver.load(req)
        rec = driver.generate(msgs, params(1))
        r = rec.result
        assert r is not None
        n = r.prompt_tokens_evaluated
        best = max(best, n / rec.ttft)
    return best, n


def _tokenizer(path: Path):  # type: ignore[no-untyped-def]
    eng = Engine()
    eng.load(LoadRequest("tok", str(path), n_ctx=512, n_threads=1))

    def count(msgs: list[ChatMessage]) -> int:
        return len(eng.tokenize_prompt(msgs))

    count.engine = eng  # type: ignore[attr-defined]
    return count


def followups(driver: Driver, req: LoadRequest, turns: int,
              typed: bool = False) -> tuple[list[float], list[int], float, list[int]]:
    """TTFT per turn of one conversation, evaluated tokens per turn, a full re-read's TTFT, and
    the depth (tokens already cached) each turn's new tokens were evaluated at.

    ``typed``: each message is typed first, so the app reads the draft ahead as the user pauses
    (``ChatController.draft_changed``); otherwise it is sent at once (pasted, or typed fast)."""
    driver.unload()
    driver.load(req)
    msgs = [SYSTEM]
    ttfts: list[float] = []
    evaluated: list[int] = []
    depths: list[int] = []
    questions = ["Tell me a fact about lighthouses.", "Why are they painted in stripes?",
                 "What fuel did old lamps burn?", "How far can the light be seen?",
                 "Who kept them before automation?"]
    for i in range(turns):
        msgs.append(ChatMessage("user", f"{questions[i % len(questions)]} (question {i + 1})"))
        if typed:
            driver.prefill(msgs, params(48, temperature=0.0), conversation_id=0)
        rec = driver.generate(msgs, params(48, temperature=0.0), conversation_id=0)
        assert rec.result is not None
        ttfts.append(rec.ttft)
        evaluated.append(rec.result.prompt_tokens_evaluated)
        depths.append(rec.result.prompt_tokens - rec.result.prompt_tokens_evaluated)
        msgs.append(ChatMessage("assistant", rec.result.text))
    msgs.pop()
    driver.unload()
    driver.load(req)
    full = driver.generate(msgs, params(48, temperature=0.0))
    return ttfts, evaluated, full.ttft, depths


def reopen(path: Path, req: LoadRequest, n_chat: int) -> dict[str, float]:
    """Figure 4 with the real engine: answer an n_chat-token chat, save its KV state, then in a
    new Engine (a restart) answer a follow-up by restoring (vs. by re-reading it)."""
    tok = _tokenizer(path)
    msgs = filler_messages(tok, n_chat)
    tok.engine.close()  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as d:
        kv = KVStateConfig(d, 2 * 2**30)
        first = Engine(kv)
        first.load(req)
        r1 = first.generate(_greq(msgs, 1), threading.Event(), lambda _t: None)
        t = time.perf_counter()
        assert first.save_kv_state()
        save_s = time.perf_counter() - t
        first.close()
        size = sum(p.stat().st_size for p in Path(d).iterdir())
        follow = msgs + [ChatMessage("assistant", r1.text), ChatMessage("user", "Thanks! And?")]
        res: dict[str, float] = {"save_s": save_s, "state_mb": size / 2**20,
                                 "chat_tokens": r1.prompt_tokens}
        for label, cfg in (("restore", kv), ("reread", None)):
            e = Engine(cfg)
            e.load(req)
            r = e.generate(_greq(follow, 2), threading.Event(), lambda _t: None)
            e.close()
            res[f"{label}_ttft"] = r.time_to_first_token
            res[f"{label}_evaluated"] = r.prompt_tokens_evaluated
            res[f"{label}_text"] = len(r.text.strip())
    return res


def _greq(msgs: list[ChatMessage], rid: int):  # type: ignore[no-untyped-def]
    from desktopchat.engine.types import GenerationRequest

    return GenerationRequest(rid, tuple(msgs), params(16, temperature=0.0), conversation_id=42)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def stop_during_prefill(driver: Driver, path: Path, req: LoadRequest, n_prompt: int,
                        tries: int, seed: int = 7) -> tuple[list[float], int, float]:
    """Stop pressed at a random point while a ~n_prompt-token prompt is read (no reply text
    yet): ms until the reply's end reaches the GUI thread, per stop. Also the prompt's token
    count and how long one PROMPT_CHUNK of it takes (what a Stop waited for before the abort
    callback). Each try starts from a cold cache: its system prompt differs from the last one's
    within its first tokens."""
    tok = _tokenizer(path)
    base = filler_messages(tok, n_prompt)
    tok.engine.close()  # type: ignore[attr-defined]

    def variant(i: int) -> list[ChatMessage]:
        return [ChatMessage("system", f"Session {i}. {SYSTEM.content}"), *base[1:]]

    driver.unload()
    driver.load(req)
    p = params(1, temperature=0.0)
    whole = driver.generate(variant(0), p)
    assert whole.result is not None and whole.result.prompt_tokens_evaluated > n_prompt // 2
    n = whole.result.prompt_tokens
    t_prompt = whole.ttft
    rng = random.Random(seed)
    stopped_at: list[float] = []

    def press() -> None:
        stopped_at.append(time.perf_counter())
        driver.stop_flag()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(press)
    out: list[float] = []
    for attempt in range(1, 3 * tries + 1):
        if len(out) == tries:
            break
        stopped_at.clear()
        timer.start(int(rng.uniform(0.05, 0.9) * t_prompt * 1000))
        rec = driver.generate(variant(attempt), p)
        timer.stop()
        r = rec.result
        assert r is not None
        if not stopped_at or r.finish_reason is not FinishReason.STOPPED:
            continue  # the prompt was read before the timer fired: not a stop during prefill
        assert r.completion_tokens == 0 and r.prompt_tokens_evaluated < r.prompt_tokens
        out.append((rec.finished_at - stopped_at[0]) * 1000)
    return out, n, t_prompt * min(PROMPT_CHUNK, n) / n * 1000
