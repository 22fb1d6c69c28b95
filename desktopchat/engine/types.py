"""Immutable values exchanged with the engine; safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from desktopchat.chat.reasoning import ReasoningFormat
from desktopchat.chat.thinking import ThinkingToggle
from desktopchat.chat.types import ChatMessage


class EngineError(Exception):
    """A failure the user can act on; ``str()`` is one plain sentence."""


class FinishReason(StrEnum):
    STOP = "stop"  # end of turn (EOS or a stop string)
    LENGTH = "length"  # max tokens, or the context is full
    STOPPED = "stopped"  # the user pressed Stop
    ERROR = "error"


@dataclass(frozen=True)
class LoadRequest:
    model_id: str
    path: str
    n_ctx: int = 4096
    n_threads: int = 2
    # Where it runs (desktopchat.models.offload): "auto", "cpu" or a device name ("Vulkan0");
    # n_gpu_layers -1 sizes the offload to the device's memory, >= 0 fixes it; a device memory
    # cap in bytes (0: none) bounds the automatic choice.
    n_gpu_layers: int = -1
    device: str = "auto"
    device_memory_cap: int = 0


@dataclass(frozen=True)
class ModelInfo:
    model_id: str
    path: str
    name: str
    architecture: str
    n_ctx: int
    n_ctx_train: int
    chat_format: str  # "gguf template" or the name of the fallback format
    template_from_gguf: bool
    load_seconds: float
    file_size: int
    # How the model marks its reasoning (``<think>…</think>``, opened by the prompt for
    # DeepSeek-R1 distills), and how its template turns thinking off; None: not a reasoning
    # model / no switch (desktopchat.chat.thinking).
    reasoning: ReasoningFormat | None = None
    thinking: ThinkingToggle | None = None
    # Where it runs: "GPU (Vulkan0)", "GPU + CPU 22/32 layers (Vulkan0)", "CPU"; and, when a load
    # with offload failed and was retried with less, the one sentence that says so.
    placement: str = "CPU"
    fallback_notice: str = ""
    n_gpu_layers: int = 0

    @property
    def format_notice(self) -> str:
        """What the UI says about the prompt format; empty when the model brings its own."""
        if self.template_from_gguf:
            return ""
        return (
            f"This model file has no chat template; using the '{self.chat_format}' format "
            f"for its architecture '{self.architecture}'."
        )


@dataclass(frozen=True)
class GenerationParams:
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    seed: int = -1


@dataclass(frozen=True)
class GenerationRequest:
    request_id: int
    messages: tuple[ChatMessage, ...]
    params: GenerationParams = field(default_factory=GenerationParams)
    # The chat this request belongs to (0: none). Keys the saved KV state, so reopening a long
    # chat restores its cache instead of re-reading it (desktopchat.engine.kvstate).
    conversation_id: int = 0
    # Extra variables for the chat template (Qwen3's enable_thinking=False turns thinking off).
    template_vars: tuple[tuple[str, bool | int | str], ...] = ()


@dataclass(frozen=True)
class KVStateConfig:
    """Where saved KV caches live and how much disk they may use (0 bytes: never saved)."""

    directory: str
    cap_bytes: int = 2 * 2**30


@dataclass(frozen=True)
class GenerationResult:
    request_id: int
    text: str
    finish_reason: FinishReason
    prompt_tokens: int = 0  # tokens in the rendered prompt
    prompt_tokens_evaluated: int = 0  # of those, how many were computed (the rest came from cache)
    completion_tokens: int = 0
    time_to_first_token: float = 0.0  # seconds from request to first token
    tokens_per_second: float = 0.0  # decode speed after the first token
    messages_dropped: int = 0  # oldest messages left out to fit the context
    n_ctx: int = 0
    context_used: int = 0  # prompt + reply tokens in the context at the end
    error: str = ""
    # When the request's text was over the engine's input limit (desktopchat.engine.limits):
    # which part ("message", "system prompt" or "conversation") and how many UTF-8 bytes of it
    # fit, so the UI can offer to send the first part of a message.
    input_part: str = ""
    input_limit: int = 0
