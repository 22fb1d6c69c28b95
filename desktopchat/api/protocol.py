"""The OpenAI chat-completions protocol as the local API speaks it: requests validated and bounded
into the engine's own values, and the JSON shapes of replies and errors. Qt-free, no I/O.

Everything in a request comes from another program and is treated as hostile: sizes, counts,
types and ranges are checked here, before anything reaches the engine thread.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.types import FinishReason, GenerationParams, GenerationResult

MAX_BODY = 2 << 20  # bytes of one request body
MAX_MESSAGES = 512
MAX_CONTENT = 512 << 10  # characters in one message
MAX_TOKENS = 32768  # max_tokens a request may ask for
DEFAULT_MAX_TOKENS = 2048
MAX_STOPS = 4
MAX_STOP_LEN = 64
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
# (min, max) of the sampling fields, the app's own model-settings limits.
RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 5.0),
    "top_p": (0.0, 1.0),
    "top_k": (0, 1000),
    "min_p": (0.0, 1.0),
    "repeat_penalty": (0.5, 3.0),
    "frequency_penalty": (-2.0, 2.0),
    "presence_penalty": (-2.0, 2.0),
}


class ApiError(Exception):
    """An OpenAI-style error: HTTP status, message, and the offending parameter."""

    def __init__(self, status: int, message: str, param: str | None = None,
                 code: str | None = None, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.kind = kind

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.kind, self.param, self.code)


def error_body(message: str, kind: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


@dataclass(frozen=True)
class ChatCall:
    """A validated chat-completions request."""

    model: str
    messages: tuple[ChatMessage, ...]
    params: GenerationParams
    stream: bool
    include_usage: bool
    stops: tuple[str, ...]


def parse_body(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"The request body is larger than {MAX_BODY} bytes.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return data


def _number(data: dict[str, Any], name: str, integer: bool = False) -> float | int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiError(400, f"'{name}' must be a number.", name)
    if integer and value != int(value):
        raise ApiError(400, f"'{name}' must be an integer.", name)
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(400, f"'{name}' must be a finite number.", name)
    if name in RANGES:
        lo, hi = RANGES[name]
        if not lo <= value <= hi:
            raise ApiError(400, f"'{name}' must be between {lo:g} and {hi:g}.", name)
    return int(value) if integer else float(value)


def _content(value: Any, index: int) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, list):  # content parts: only text is understood
        parts: list[str] = []
        for part in value[:MAX_MESSAGES]:
            if not isinstance(part, dict) or part.get("type") != "text" \
                    or not isinstance(part.get("text"), str):
                raise ApiError(400, "Only text content parts are supported.",
                               f"messages[{index}].content")
            parts.append(part["text"])
        text = "".join(parts)
    elif value is None:
        text = ""
    else:
        raise ApiError(400, "A message's content must be a string.", f"messages[{index}].content")
    if len(text) > MAX_CONTENT:
        raise ApiError(400, f"A message is longer than {MAX_CONTENT} characters.",
                       f"messages[{index}].content")
    return text.replace("\0", "")


def _messages(data: dict[str, Any]) -> tuple[ChatMessage, ...]:
    raw = data.get("messages")
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, "'messages' must be a non-empty list.", "messages")
    if len(raw) > MAX_MESSAGES:
        raise ApiError(400, f"At most {MAX_MESSAGES} messages are accepted.", "messages")
    out: list[ChatMessage] = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise ApiError(400, "Each message must be an object.", f"messages[{i}]")
        raw_role = m.get("role")
        role = ROLES.get(raw_role) if isinstance(raw_role, str) else None
        if role is None:
            raise ApiError(400, "A message's role must be system, user or assistant.",
                           f"messages[{i}].role")
        out.append(ChatMessage(role, _content(m.get("content"), i)))
    if out[-1].role == "assistant":
        raise ApiError(400, "The last message must not be the assistant's.", "messages")
    return tuple(out)


def _stops(data: dict[str, Any]) -> tuple[str, ...]:
    raw = data.get("stop")
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or len(items) > MAX_STOPS \
            or not all(isinstance(s, str) and 0 < len(s) <= MAX_STOP_LEN for s in items):
        raise ApiError(400, f"'stop' must be a string or up to {MAX_STOPS} strings of at most "
                            f"{MAX_STOP_LEN} characters.", "stop")
    return tuple(items)


def parse_chat(data: dict[str, Any], defaults: GenerationParams) -> ChatCall:
    """Validate a chat-completions body; sampling fields not given come from ``defaults``."""
    model = data.get("model", "")
    if not isinstance(model, str) or len(model) > 256:
        raise ApiError(400, "'model' must be a string.", "model")
    messages = _messages(data)
    n = _number(data, "n", integer=True)
    if n not in (None, 1):
        raise ApiError(400, "Only n=1 is supported.", "n")
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "'stream' must be true or false.", "stream")
    opts = data.get("stream_options")
    include_usage = isinstance(opts, dict) and opts.get("include_usage") is True
    max_tokens = _number(data, "max_completion_tokens", integer=True)
    if max_tokens is None:
        max_tokens = _number(data, "max_tokens", integer=True)
    if max_tokens is not None and not 1 <= max_tokens <= MAX_TOKENS:
        raise ApiError(400, f"'max_tokens' must be between 1 and {MAX_TOKENS}.", "max_tokens")
    seed = _number(data, "seed", integer=True)
    for name in ("frequency_penalty", "presence_penalty"):
        _number(data, name)  # validated; the engine's penalty is repeat_penalty (see README)
    values: dict[str, Any] = {}
    for name in ("temperature", "top_p", "min_p", "repeat_penalty"):
        v = _number(data, name)
        if v is not None:
            values[name] = float(v)
    top_k = _number(data, "top_k", integer=True)
    if top_k is not None:
        values["top_k"] = int(top_k)
    values["max_tokens"] = (int(max_tokens) if max_tokens is not None
                            else min(defaults.max_tokens or DEFAULT_MAX_TOKENS, MAX_TOKENS))
    if seed is not None:
        values["seed"] = int(seed) % (2**31) if int(seed) >= 0 else -1
    params = GenerationParams(**{**_params_dict(defaults), **values})
    return ChatCall(model, messages, params, stream, include_usage, _stops(data))


def _params_dict(p: GenerationParams) -> dict[str, Any]:
    return {k: getattr(p, k) for k in ("temperature", "top_p", "top_k", "min_p",
                                       "repeat_penalty", "max_tokens", "seed")}


# -- replies ----------------------------------------------------------------------------------


def completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def finish_reason(result: GenerationResult | None, stop_hit: bool) -> str:
    if stop_hit or result is None:
        return "stop"
    return "length" if result.finish_reason is FinishReason.LENGTH else "stop"


def usage(result: GenerationResult | None) -> dict[str, Any]:
    prompt = result.prompt_tokens if result else 0
    completion = result.completion_tokens if result else 0
    cached = max(0, prompt - result.prompt_tokens_evaluated) if result else 0
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": cached}}


def timings(result: GenerationResult | None) -> dict[str, Any]:
    """llama.cpp server's extra timing figures, so tools that read them find them here too."""
    if result is None:
        return {}
    return {"prompt_n": result.prompt_tokens_evaluated,
            "predicted_n": result.completion_tokens,
            "predicted_per_second": round(result.tokens_per_second, 2),
            "time_to_first_token_ms": round(result.time_to_first_token * 1000, 1)}


def chunk(cid: str, model: str, created: int, delta: dict[str, Any],
          finish: str | None = None) -> dict[str, Any]:
    return {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}


def completion(cid: str, model: str, text: str, result: GenerationResult | None,
               stop_hit: bool) -> dict[str, Any]:
    return {
        "id": cid, "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "logprobs": None, "finish_reason": finish_reason(result, stop_hit)}],
        "usage": usage(result),
        "timings": timings(result),
    }


def model_list(model_id: str | None, n_ctx: int = 0) -> dict[str, Any]:
    data = []
    if model_id:
        data.append(model_entry(model_id, n_ctx))
    return {"object": "list", "data": data}


def model_entry(model_id: str, n_ctx: int = 0) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": model_id, "object": "model", "created": 0,
                             "owned_by": "desktopchat"}
    if n_ctx:
        entry["meta"] = {"n_ctx": n_ctx}
    return entry
