"""What a chat template says about reasoning: its markers, whether the prompt opens the block,
and how to turn thinking off (Qt-free, reads template text only; nothing is rendered here).

Researched on the real templates (as llama.cpp keeps them for its tests, and the models' own
``tokenizer_config.json``):

- **DeepSeek-R1 distills** end the generation prompt with ``<｜Assistant｜><think>\\n``: the
  output starts mid-thought and only ``</think>`` appears. QwQ-32B and Qwen3-*-Thinking-2507
  do the same with ``<|im_start|>assistant\\n<think>\\n``.
- **Qwen3** (hybrid) reads ``enable_thinking``: when it is false the generation prompt ends
  with an empty ``<think>\\n\\n</think>\\n\\n`` block, so the model answers directly. GLM-4.5
  reads it too (an empty ``<think></think>``, plus ``/nothink`` after the user's message);
  SmolLM3 reads it (its system block says ``/think`` or ``/no_think``); DeepSeek-V3.1 reads
  ``thinking`` (falling back to ``enable_thinking``) and is *off* unless it is true.
- **Nemotron Super 49B v1.5** sets ``enable_thinking = true`` itself and turns it off when the
  system prompt contains ``/no_think`` (which it removes before rendering).
- **Seed-OSS** reads ``thinking_budget`` (0: answer without thinking; -1: unlimited).
- **gpt-oss** reads ``reasoning_effort`` (low / medium / high): it cannot be turned off.

Past turns: every one of these templates drops the reasoning of earlier assistant turns by
itself (R1 distills keep what follows the last ``</think>``; Qwen3 re-renders reasoning only for
turns after the last user message and only from ``reasoning_content``; QwQ strips all but the
last; GLM-4.5 renders an empty ``<think></think>``; gpt-oss drops the analysis channel). The
store keeps reasoning apart from ``content`` and the history sent back is built from ``content``
only, so what the model sees matches what those templates produce. One consequence: an answer
whose *text* contains a literal ``</think>`` is cut there by the R1 template on later turns; that
is the template's rule, not ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktopchat.chat.reasoning import FORMATS, ReasoningFormat

MAX_TEMPLATE_CHARS = 1 << 20  # a longer "template" is not scanned (it is not a real one)
TAIL_CHARS = 512  # how much of the rendered prompt's end is looked at

# After the open marker, only blanks and special tokens (``<|…|>``, ``<seed:…>``) may follow for
# the prompt to count as having opened the reasoning block.
_TOKENS_ONLY = re.compile(r"(?:\s|<[^<>\s]{1,48}>)*")


def detect(template: str, rendered_prompt_tail: str = "") -> ReasoningFormat | None:
    """The reasoning format a model uses, from its chat template and the end of a rendered
    prompt; None when the template names no reasoning markers (the parser then still splits
    output that starts with ``<think>``).

    ``rendered_prompt_tail`` is best the text the template appends for the generation prompt
    (the render with ``add_generation_prompt=True`` minus the one without), else the last few
    hundred characters of the prompt. The format comes back ``started`` when that text ends
    inside an open block (R1 distills, QwQ).
    """
    template = template[:MAX_TEMPLATE_CHARS] if isinstance(template, str) else ""
    tail = rendered_prompt_tail[-TAIL_CHARS:] if isinstance(rendered_prompt_tail, str) else ""
    for fmt in FORMATS:
        if fmt.open in template or fmt.close in template or fmt.open in tail:
            return fmt.started(opens_in_prompt(fmt, tail))
    return None


def opens_in_prompt(fmt: ReasoningFormat, tail: str) -> bool:
    """True when the prompt ends inside an open reasoning block: the last open marker comes
    after the last close marker and only blanks or special tokens follow it."""
    at = tail.rfind(fmt.open)
    if at < 0 or tail.rfind(fmt.close) > at:
        return False
    return _TOKENS_ONLY.fullmatch(tail, at + len(fmt.open)) is not None


class ToggleKind(StrEnum):
    RENDER_KWARG = "render_kwarg"  # a variable passed to the template renderer
    SYSTEM_SWITCH = "system_switch"  # a word the template looks for in the system prompt


@dataclass(frozen=True)
class ThinkingToggle:
    """How to turn a template's thinking on or off; ``default_on`` is its state untouched.

    The generation controller applies both methods every turn (each is a no-op for the other
    kind): ``render_kwargs(on)`` goes into the template render, ``system_prompt(text, on)``
    replaces the system prompt.
    """

    kind: ToggleKind
    name: str  # the variable (enable_thinking, thinking, thinking_budget) or the off switch
    on_value: Any = True
    off_value: Any = False
    default_on: bool = True
    on_switch: str = ""

    def render_kwargs(self, on: bool) -> dict[str, Any]:
        if self.kind is not ToggleKind.RENDER_KWARG:
            return {}
        return {self.name: self.on_value if on else self.off_value}

    def system_prompt(self, text: str, on: bool) -> str:
        if self.kind is not ToggleKind.SYSTEM_SWITCH:
            return text
        for word in (self.name, self.on_switch):
            if word:
                text = re.sub(rf"(?<!\S){re.escape(word)}(?!\S)", "", text)
        text = text.strip()
        if on:
            return text if self.default_on else f"{text}\n{self.on_switch}".strip()
        return f"{text}\n{self.name}".strip()


def _reads(template: str, name: str) -> bool:
    return re.search(rf"\b{name}\b", template) is not None


def _assigns(template: str, name: str) -> bool:
    return re.search(rf"set\s+{name}\s*=", template) is not None


_SWITCHES = (("/no_think", "/think"), ("/nothink", "/think"))


def thinking_toggle(template: str) -> ThinkingToggle | None:
    """How this template lets thinking be turned off, or None (hide the toggle)."""
    template = template[:MAX_TEMPLATE_CHARS] if isinstance(template, str) else ""
    switch = next(((off, on) for off, on in _SWITCHES
                   if re.search(rf"['\"]{re.escape(off)}['\"]\s+(not\s+)?in\b", template)), None)
    if re.search(r"not\s+thinking\s+is\s+defined|\bthinking\s+is\s+not\s+defined", template):
        # DeepSeek-V3.1: its own variable, off unless set
        return ThinkingToggle(ToggleKind.RENDER_KWARG, "thinking", default_on=False)
    if _reads(template, "enable_thinking") and not (switch and _assigns(template,
                                                                        "enable_thinking")):
        return ThinkingToggle(ToggleKind.RENDER_KWARG, "enable_thinking")
    if _reads(template, "thinking_budget"):
        return ThinkingToggle(ToggleKind.RENDER_KWARG, "thinking_budget", on_value=-1,
                              off_value=0)
    if switch:  # Nemotron: a word in the system prompt, which the template removes
        return ThinkingToggle(ToggleKind.SYSTEM_SWITCH, switch[0], on_switch=switch[1])
    return None
