"""The second engine: a model on an OpenAI-compatible server (vLLM, llama.cpp's llama-server,
llama-cpp-python's server, Ollama, a hosted API), behind the same interface as ``Engine``.

``generate`` streams Server-Sent Events from ``/v1/chat/completions``. The HTTP exchange runs on
a short-lived helper thread that feeds a queue; the calling (engine) thread batches the text
exactly like the local engine and checks the stop flag every ``POLL`` seconds, so Stop returns at
once even while the server is stalled, and the helper's socket is shut from here the same
moment. Every failure is a result with ``error`` set (one sentence) and the text so far.

Reasoning that servers send apart from the answer (``reasoning_content``, or Ollama's
``reasoning``) goes to ``emit_reasoning`` when given; without it, it is folded into the text
stream as ``<think>…</think>`` so the parser that splits local models' reasoning shows it the
same way. ``<think>`` inside the content is passed through as it came.
"""

from __future__ import annotations

import json
import logging
import queue
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from desktopchat.engine.remote_config import RemoteEndpoint, RemoteLoadRequest, RemoteTarget
from desktopchat.engine.remote_http import (
    ChatStream,
    make_client,
    offline_sentence,
    status_sentence,
    transport_sentence,
)
from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationRequest,
    GenerationResult,
    LoadRequest,
    ModelInfo,
)

log = logging.getLogger(__name__)

EMIT_INTERVAL = 1 / 30  # as the local engine: text batches to the UI at most 30 times a second
POLL = 0.02  # seconds between two checks of the stop flag while waiting for the server
MAX_MODELS = 1000
MAX_MODEL_ID = 256
MAX_REPLY_CHARS = 4 << 20  # a reply longer than this is cut (a server that never stops)


@dataclass(frozen=True)
class RemoteModel:
    """One model an endpoint offers, as the model picker lists it."""

    engine_id: str
    engine_name: str
    model: str
    context_length: int = 0  # 0: the server did not say
    size_bytes: int = 0  # Ollama: the model's size on the server
    details: str = ""  # Ollama: parameter size and quantization, e.g. "8.0B Q4_K_M"

    @property
    def label(self) -> str:
        return f"{self.model} ({self.engine_name})"


def _clean_id(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    value = "".join(c for c in value if c.isprintable()).strip()
    return value if 0 < len(value) <= MAX_MODEL_ID else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def list_models(target: RemoteTarget, offline: threading.Event | None = None, *,
                timeout: float = 10.0, verify: ssl.SSLContext | bool = True) -> list[RemoteModel]:
    """The endpoint's models: ``GET /v1/models``, plus Ollama's ``/api/tags`` when the endpoint is
    an Ollama server (sizes and quantizations). Raises ``EngineError`` (one sentence)."""
    ep = target.endpoint
    if offline is not None and offline.is_set():
        raise EngineError(offline_sentence())
    found: dict[str, RemoteModel] = {}
    first_error = ""
    with make_client(ep, target.api_key, offline, verify=verify, connect_timeout=timeout,
                     read_timeout=timeout, keepalive=True) as client:
        try:
            resp = client.get(f"{ep.base_url}/models")
            body = resp.read()
            if resp.status_code != 200:
                first_error = status_sentence(ep.name, "", resp.status_code, resp.headers, body)
                if resp.status_code in (401, 403):
                    raise EngineError(first_error)
            else:
                for m in _openai_models(ep, body):
                    found.setdefault(m.model, m)
        except httpx.HTTPError as exc:
            raise EngineError(transport_sentence(ep, exc, started=False)) from exc
        if ep.base_url == ep.server_root + "/v1":  # Ollama's native API sits at the root
            try:
                resp = client.get(f"{ep.server_root}/api/tags")
                tags = _ollama_models(ep, resp.read()) if resp.status_code == 200 else []
            except httpx.HTTPError:
                tags = []
            for m in tags:
                found[m.model] = m
    if not found and first_error:
        raise EngineError(first_error)
    return sorted(found.values(), key=lambda m: m.model.lower())


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _openai_models(ep: RemoteEndpoint, body: bytes) -> list[RemoteModel]:
    data = _json(body)
    items = data.get("data") if isinstance(data, dict) else None
    out: list[RemoteModel] = []
    for item in (items if isinstance(items, list) else [])[:MAX_MODELS]:
        if not isinstance(item, dict) or not (model := _clean_id(item.get("id"))):
            continue
        meta = item["meta"] if isinstance(item.get("meta"), dict) else {}
        ctx = _int(item.get("max_model_len")) or _int(item.get("context_length")) \
            or _int(meta.get("n_ctx")) or _int(meta.get("n_ctx_train"))
        out.append(RemoteModel(ep.engine_id, ep.name, model, context_length=ctx))
    return out


def _ollama_models(ep: RemoteEndpoint, body: bytes) -> list[RemoteModel]:
    data = _json(body)
    items = data.get("models") if isinstance(data, dict) else None
    out: list[RemoteModel] = []
    for item in (items if isinstance(items, list) else [])[:MAX_MODELS]:
        if not isinstance(item, dict):
            continue
        model = _clean_id(item.get("model")) or _clean_id(item.get("name"))
        if not model:
            continue
        det = item["details"] if isinstance(item.get("details"), dict) else {}
        words = [_clean_id(det.get("parameter_size")), _clean_id(det.get("quantization_level"))]
        out.append(RemoteModel(ep.engine_id, ep.name, model, size_bytes=_int(item.get("size")),
                               details=" ".join(w for w in words if w)))
    return out


class RemoteEngine:
    """Load (check the endpoint and model), generate, stop, unload: ``Engine``'s interface.

    ``offline`` is shared with the UI: while set, every call is refused before a socket opens.
    Not thread-safe apart from ``stop``-event use: call it from one thread, like ``Engine``.
    """

    def __init__(self, offline: threading.Event | None = None, *,
                 connect_timeout: float = 10.0, read_timeout: float = 300.0,
                 verify: ssl.SSLContext | bool = True) -> None:
        self._offline = offline
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._verify = verify
        self._target: RemoteTarget | None = None
        self._info: ModelInfo | None = None
        self._client: httpx.Client | None = None
        self._plain_sampling = False

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def n_tokens(self) -> int:
        return 0  # the server keeps its own cache

    def load(self, req: LoadRequest) -> ModelInfo:
        target = req.target if isinstance(req, RemoteLoadRequest) else None
        if target is None:
            raise EngineError("This is not a remote model.")
        started = time.perf_counter()
        models = list_models(target, self._offline, timeout=self._connect_timeout,
                             verify=self._verify)
        ep = target.endpoint
        match = next((m for m in models if m.model == target.model), None)
        if models and match is None:
            raise EngineError(f"{ep.name} has no model named {target.model}; refresh the list.")
        self.unload()
        self._target = target
        self._plain_sampling = False
        self._client = make_client(ep, target.api_key, self._offline, verify=self._verify,
                                   connect_timeout=self._connect_timeout,
                                   read_timeout=self._read_timeout)
        ctx = match.context_length if match else 0
        self._info = ModelInfo(
            model_id=req.model_id, path=ep.base_url, name=f"{target.model} ({ep.name})",
            architecture="remote", n_ctx=ctx, n_ctx_train=ctx, chat_format="server",
            template_from_gguf=True, load_seconds=time.perf_counter() - started,
            file_size=match.size_bytes if match else 0,
        )
        log.info("remote model %s on %s ready", target.model, ep.base_url)
        return self._info

    def prefill(self, req: GenerationRequest, stop: threading.Event) -> int:
        return 0  # the server reads the prompt when it is asked for a reply

    def save_kv_state(self) -> bool:
        return False

    def unload(self) -> None:
        client, self._client = self._client, None
        self._info = None
        self._target = None
        if client is not None:
            client.close()

    def close(self) -> None:
        self.unload()

    def _body(self, req: GenerationRequest) -> dict[str, Any]:
        assert self._target is not None
        p = req.params
        body: dict[str, Any] = {
            "model": self._target.model,
            "messages": [{"role": m.role, "content": m.content} for m in req.messages],
            "stream": True,
            "max_tokens": p.max_tokens,
            "temperature": p.temperature,
            "top_p": p.top_p,
        }
        if p.seed >= 0:
            body["seed"] = p.seed
        if not self._plain_sampling:
            body.update(top_k=p.top_k, min_p=p.min_p, repeat_penalty=p.repeat_penalty,
                        repetition_penalty=p.repeat_penalty,
                        stream_options={"include_usage": True})
        return body

    def generate(self, req: GenerationRequest, stop: threading.Event, emit: Callable[[str], None],
                 emit_reasoning: Callable[[str], None] | None = None) -> GenerationResult:
        """Stream a reply; never raises for server failures (see the module docstring)."""
        t0 = time.perf_counter()
        if self._client is None or self._target is None or self._info is None:
            raise EngineError("No model is loaded.")
        rid = req.request_id
        if self._offline is not None and self._offline.is_set():
            return GenerationResult(rid, "", FinishReason.ERROR, error=offline_sentence())
        if stop.is_set():
            return GenerationResult(rid, "", FinishReason.STOPPED)
        stream = ChatStream(self._client, self._target.endpoint, self._target.model,
                            self._body(req), self._plain_sampling)
        collect = _Collector(emit, emit_reasoning)
        reason: FinishReason | None = None
        error = ""
        usage: dict[str, Any] = {}
        clean = False
        stream.thread.start()
        try:
            while True:
                if stop.is_set():
                    reason = FinishReason.STOPPED
                    break
                try:
                    event = stream.out.get(timeout=POLL)
                except queue.Empty:
                    collect.flush_due()
                    continue
                kind = event[0]
                if kind == "delta":
                    collect.add(event[1], event[2])
                    if collect.chars > MAX_REPLY_CHARS:
                        reason = FinishReason.LENGTH
                        break
                elif kind == "usage":
                    usage = event[1]
                elif kind == "finish":
                    reason = FinishReason.LENGTH if event[1] == "length" else FinishReason.STOP
                elif kind == "plain_sampling":
                    self._plain_sampling = True
                elif kind == "clean":
                    clean = True
                elif kind == "error":
                    error = event[1]
                elif kind == "end":
                    break
        finally:
            stream.abort()  # at once: the server sees the connection close
        if error:
            reason = FinishReason.ERROR
        elif reason is None:
            reason = FinishReason.STOP if clean else FinishReason.ERROR
        collect.finish(close_think=reason in (FinishReason.STOP, FinishReason.LENGTH))
        stream.thread.join(timeout=1.0)
        return self._result(rid, collect, reason, error, usage, t0)

    def _result(self, rid: int, collect: _Collector, reason: FinishReason, error: str,
                usage: dict[str, Any], t0: float) -> GenerationResult:
        n_gen = _int(usage.get("completion_tokens")) or collect.pieces
        prompt = _int(usage.get("prompt_tokens"))
        details = usage.get("prompt_tokens_details")
        cached = _int(details.get("cached_tokens")) if isinstance(details, dict) else 0
        decode = collect.t_last - collect.t_first if collect.t_first else 0.0
        return GenerationResult(
            request_id=rid, text=collect.text, finish_reason=reason,
            prompt_tokens=prompt, prompt_tokens_evaluated=max(0, prompt - cached),
            completion_tokens=n_gen,
            time_to_first_token=(collect.t_first - t0) if collect.t_first else 0.0,
            tokens_per_second=(n_gen - 1) / decode if n_gen > 1 and decode > 0 else 0.0,
            n_ctx=self._info.n_ctx if self._info else 0, context_used=prompt + n_gen,
            error=error,
        )


class _Collector:
    """Batches text to ``emit`` (and reasoning to ``emit_reasoning`` or into ``<think>``)."""

    def __init__(self, emit: Callable[[str], None],
                 emit_reasoning: Callable[[str], None] | None) -> None:
        self._emit = emit
        self._emit_reasoning = emit_reasoning
        self._text: list[str] = []
        self._pending: list[str] = []
        self._pending_reasoning: list[str] = []
        self._in_think = False  # folded reasoning is open in the text
        self._last_emit = 0.0
        self.t_first = 0.0
        self.t_last = 0.0
        self.pieces = 0
        self.chars = 0

    @property
    def text(self) -> str:
        return "".join(self._text)

    def add(self, content: str, reasoning: str) -> None:
        now = time.perf_counter()
        if not self.t_first:
            self.t_first = now
        self.t_last = now
        self.pieces += 1
        self.chars += len(content) + len(reasoning)
        if reasoning:
            if self._emit_reasoning is not None:
                self._pending_reasoning.append(reasoning)
            else:
                if not self._in_think:
                    self._pending.append("<think>")
                    self._in_think = True
                self._pending.append(reasoning)
        if content:
            if self._in_think:
                self._pending.append("</think>")
                self._in_think = False
            self._pending.append(content)
        if self.pieces == 1 or now - self._last_emit >= EMIT_INTERVAL:
            self._flush(now)

    def flush_due(self) -> None:
        now = time.perf_counter()
        if now - self._last_emit >= EMIT_INTERVAL:
            self._flush(now)

    def _flush(self, now: float) -> None:
        if self._pending_reasoning and self._emit_reasoning is not None:
            batch = "".join(self._pending_reasoning)
            self._pending_reasoning.clear()
            self._emit_reasoning(batch)
        if self._pending:
            batch = "".join(self._pending)
            self._pending.clear()
            self._text.append(batch)
            self._emit(batch)
        self._last_emit = now

    def finish(self, close_think: bool) -> None:
        if close_think and self._in_think:
            self._pending.append("</think>")
            self._in_think = False
        self._flush(time.perf_counter())
