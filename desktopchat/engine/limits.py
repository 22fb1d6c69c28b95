"""How much text the engine reads: the limits the UI can check before it sends (Qt-free).

llama.cpp's tokenizer needs about 100 bytes of memory per byte of input, and a prompt longer than
the context is refused anyway, so nothing unbounded ever reaches it: each message, the system
prompt and the rendered prompt are held to :func:`max_input_bytes` of UTF-8 first. The bound is
eight bytes per context token (ordinary text is about four), at least 64 kB and at most 512 kB.

This module imports neither llama_cpp nor Qt, so the window can use it before it sends.
"""

from __future__ import annotations

from desktopchat.engine.types import EngineError

MIN_INPUT_BYTES = 64 * 1024
MAX_INPUT_BYTES = 512 * 1024
BYTES_PER_TOKEN = 8

MESSAGE = "message"
SYSTEM_PROMPT = "system prompt"
CONVERSATION = "conversation"


def max_input_bytes(n_ctx: int) -> int:
    """The most UTF-8 bytes the engine reads for one message, the system prompt, or the whole
    rendered prompt, at a context of ``n_ctx`` tokens."""
    return max(MIN_INPUT_BYTES, min(MAX_INPUT_BYTES, n_ctx * BYTES_PER_TOKEN))


def utf8_size(text: str, cap: int | None = None) -> int:
    """Bytes of ``text`` in UTF-8. With ``cap``, any answer above it is only "more than cap"
    (a huge text is not encoded just to be refused)."""
    if cap is not None and len(text) > cap:
        return len(text)  # at least one byte per character: over the cap already
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def truncate_utf8(text: str, max_bytes: int) -> str:
    """The longest start of ``text`` whose UTF-8 is at most ``max_bytes`` (what "send the first
    part" sends); never cuts a character in two."""
    if max_bytes <= 0:
        return ""
    head = text[:max_bytes]  # at least one byte per character
    data = head.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return head
    return data[:max_bytes].decode("utf-8", "ignore")


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} kB" if n >= 10 * 1024 else f"{n / 1024:,.1f} kB"


class InputTooLong(EngineError):
    """Text over the limit: ``part`` says which (:data:`MESSAGE`, :data:`SYSTEM_PROMPT` or
    :data:`CONVERSATION`), ``size`` how many bytes it has and ``limit`` how many fit.

    For a message the UI can offer to send its first ``limit`` bytes (:func:`truncate_utf8`).
    """

    def __init__(self, part: str, size: int, limit: int, sentence: str = "") -> None:
        self.part = part
        self.size = size
        self.limit = max(0, limit)
        super().__init__(sentence or self._sentence())

    def _sentence(self) -> str:
        size, limit = _kb(self.size), _kb(self.limit)
        if self.part == SYSTEM_PROMPT:
            return (f"The system prompt is {size}, more than the {limit} this model's context "
                    "can take; shorten it in the model settings.")
        if self.part == MESSAGE:
            return (f"This message is {size}, more than the {limit} this model's context can "
                    "take; send a shorter message or only its first part.")
        return (f"This conversation's prompt is {size}, more than the {limit} this model's "
                "context can take; start a new chat or shorten the system prompt.")
