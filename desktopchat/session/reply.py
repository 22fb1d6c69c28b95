"""The reply being written: its text split into reasoning and answer as it streams.

Reasoning models (DeepSeek-R1 distills, Qwen3, QwQ …) think in ``<think>…</think>`` before they
answer. The engine streams raw text; ``chat.reasoning.ReasoningParser`` (fed batch by batch, tags
split across batches handled) separates the two, so the view shows the thinking live in its own
section with a running timer and the answer below it, and the store keeps the reasoning apart
from the answer: it never goes back to the model, into titles, search or exports unasked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from desktopchat.chat.reasoning import Kind, ParsedReply, ReasoningFormat, ReasoningParser


@dataclass
class ActiveReply:
    """UI-thread state of one reply."""

    request_id: int
    conversation_id: int
    message_id: int
    model_name: str
    reasoning_format: ReasoningFormat | None = None
    answer: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    saved_at: float = 0.0  # monotonic time of the last partial write
    save_failed: bool = False  # a partial write failed (said once)
    thinking_started: float | None = None
    thinking_seconds: float | None = None  # set when the reasoning ended
    parser: ReasoningParser = field(init=False)

    def __post_init__(self) -> None:
        self.parser = ReasoningParser(self.reasoning_format)

    @property
    def text(self) -> str:
        """The answer so far (what the store's ``content`` holds)."""
        return "".join(self.answer)

    @property
    def reasoning_text(self) -> str:
        return "".join(self.reasoning)

    @property
    def thinking(self) -> bool:
        """Reasoning is streaming now (started and not yet closed)."""
        return self.thinking_started is not None and self.thinking_seconds is None

    def feed(self, text: str) -> tuple[str, str]:
        """Take a batch of raw reply text; returns the new (answer, reasoning) text."""
        return self._take(self.parser.feed(text))

    def finish(self) -> ParsedReply:
        """The whole reply, split as it is to be stored (and shown once it ended)."""
        self._take(self.parser.finish())
        if self.thinking:
            self.thinking_seconds = time.monotonic() - (self.thinking_started or 0.0)
        return self.parser.result()

    def _take(self, segments: list) -> tuple[str, str]:
        answer: list[str] = []
        reasoning: list[str] = []
        for seg in segments:
            if seg.kind is Kind.REASONING:
                if self.thinking_started is None:
                    self.thinking_started = time.monotonic()
                reasoning.append(seg.text)
            else:
                if self.thinking and seg.text.strip():
                    self.thinking_seconds = time.monotonic() - (self.thinking_started or 0.0)
                answer.append(seg.text)
        self.answer += answer
        self.reasoning += reasoning
        return "".join(answer), "".join(reasoning)
