"""From a conversation to the tokens the model sees: rendered, bounded, tokenized and fitted.

Every step is bounded before native code sees it: each message and the system prompt are held to
:func:`desktopchat.engine.limits.max_input_bytes` of UTF-8, the chat template renders under
:class:`desktopchat.engine.templates.TemplateLimits` and stops at that many characters, and only
then is the prompt tokenized. Trimming old turns asks "does this fit?" O(log n) times, and no
answer tokenizes more than the limit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from desktopchat.chat.history import trim_history
from desktopchat.chat.reasoning import ReasoningFormat
from desktopchat.chat.thinking import ThinkingToggle, detect, thinking_toggle
from desktopchat.chat.types import ChatMessage, Role
from desktopchat.engine.limits import (
    CONVERSATION,
    MESSAGE,
    SYSTEM_PROMPT,
    InputTooLong,
    max_input_bytes,
    utf8_size,
)
from desktopchat.engine.templates import ChatTemplate, OutputTooLong, TemplateLimitError
from desktopchat.engine.types import EngineError

log = logging.getLogger(__name__)

CONTEXT_SLACK = 8  # tokens a prompt must leave free in the context to be answered at all


def _n_system(messages: Sequence[ChatMessage]) -> int:
    n = 0
    while n < len(messages) and messages[n].role == Role.SYSTEM.value:
        n += 1
    return n


class PromptBuilder:
    """One loaded model's prompts. Not thread-safe (the engine thread owns it)."""

    def __init__(self, template: ChatTemplate, tokenize: Callable[[bytes], list[int]],
                 n_ctx: int, bos: int = -1, add_bos: bool = False) -> None:
        self.template = template
        self._tokenize = tokenize
        self.n_ctx = n_ctx
        self.limit = max_input_bytes(n_ctx)
        self._bos = bos
        self._add_bos = add_bos and bos >= 0
        self._memo: tuple[object, tuple[list[int], int]] | None = None

    def forget(self) -> None:
        """Drop the last fitted prompt (its chat was deleted)."""
        self._memo = None

    def render(self, messages: Sequence[ChatMessage], stop: threading.Event | None = None,
               extra: Mapping[str, Any] | None = None) -> str:
        """The prompt text (ending with the assistant cue); :class:`OutputTooLong` past the
        limit, :class:`RenderStopped` when ``stop`` is set meanwhile. ``extra``: more template
        variables (``enable_thinking``)."""
        return self.template.render([{"role": m.role, "content": m.content} for m in messages],
                                    max_output=self.limit, stop=stop, **(extra or {}))

    def tokens(self, messages: Sequence[ChatMessage], stop: threading.Event | None = None,
               extra: Mapping[str, Any] | None = None) -> list[int]:
        """The exact tokens the model sees for ``messages``; :class:`OutputTooLong` when the
        prompt is over the limit (nothing was tokenized then)."""
        data = self.render(messages, stop, extra).encode("utf-8", "surrogatepass")
        if len(data) > self.limit:
            raise OutputTooLong(self.limit)
        tokens = self._tokenize(data)
        if self._add_bos and (not tokens or tokens[0] != self._bos):
            tokens.insert(0, self._bos)
        return tokens

    def fit(self, messages: Sequence[ChatMessage], reserve: int,
            stop: threading.Event | None = None,
            extra: Mapping[str, Any] | None = None) -> tuple[list[int], int]:
        """Tokens of the longest recent history that leaves ``reserve`` tokens for the reply, and
        how many messages were dropped. Raises :class:`InputTooLong` naming the part that is
        too long (the system prompt, the message, or the conversation)."""
        key = (tuple(messages), reserve, tuple(sorted((extra or {}).items())))
        if self._memo is not None and self._memo[0] == key:
            return self._memo[1]  # read ahead while the user typed: tokenized already
        self._check_parts(messages)
        budget = self.n_ctx - reserve
        limit = self.limit
        cache: dict[int, list[int]] = {}

        def fits(ms: Sequence[ChatMessage]) -> bool:
            if sum(utf8_size(m.content, limit) for m in ms) > limit:
                return False  # the prompt holds all of it: over the limit before rendering
            try:
                toks = self.tokens(ms, stop, extra)
            except OutputTooLong:
                return False
            cache[len(ms)] = toks
            return len(toks) <= budget

        kept, dropped = trim_history(messages, fits)
        tokens = cache.get(len(kept))
        if tokens is None:
            try:
                tokens = self.tokens(kept, stop, extra)
            except OutputTooLong:
                raise self._over_limit(kept) from None
        if len(tokens) >= self.n_ctx - CONTEXT_SLACK:
            raise self._over_context(kept, len(tokens))
        self._memo = (key, (tokens, dropped))
        return tokens, dropped

    # -- which part is too long ------------------------------------------------------------------

    def _check_parts(self, messages: Sequence[ChatMessage]) -> None:
        """The system prompt, then the message being answered, each on its own."""
        limit = self.limit
        n_sys = _n_system(messages)
        system = sum(utf8_size(m.content, limit) for m in messages[:n_sys])
        if system > limit:
            raise InputTooLong(SYSTEM_PROMPT, utf8_size("".join(
                m.content for m in messages[:n_sys])), limit)
        if len(messages) > n_sys:
            last = utf8_size(messages[-1].content, limit)
            if last > limit:
                shortest = [*messages[:n_sys], messages[-1]]  # what must fit, at the least
                raise InputTooLong(MESSAGE, utf8_size(messages[-1].content),
                                   self._room(shortest, [n_sys]))

    def _parts(self, kept: Sequence[ChatMessage]) -> tuple[int, int, int]:
        """Bytes of the system prompt, of the message being answered, and of everything."""
        n_sys = _n_system(kept)
        system = sum(utf8_size(m.content) for m in kept[:n_sys])
        message = utf8_size(kept[-1].content) if len(kept) > n_sys else 0
        return system, message, sum(utf8_size(m.content) for m in kept)

    def _over_limit(self, kept: Sequence[ChatMessage]) -> Exception:
        """The shortest prompt still renders past the limit: a template that writes far more
        than it was given is at fault; otherwise the larger of the system prompt and the
        message is."""
        system, message, total = self._parts(kept)
        if 2 * total < self.limit:
            return TemplateLimitError(
                f"write a prompt of more than {self.limit:,} characters from {total:,} bytes of "
                "messages")
        n_sys = _n_system(kept)
        if system >= message:
            return InputTooLong(SYSTEM_PROMPT, system, self._room(kept, range(n_sys)))
        return InputTooLong(MESSAGE, message, self._room(kept, [len(kept) - 1]))

    def _room(self, kept: Sequence[ChatMessage], blank: Iterable[int]) -> int:
        """Bytes the messages at ``blank`` may have together: the limit less the prompt
        rendered without them (the template's own text included)."""
        probe = list(kept)
        for i in blank:
            probe[i] = ChatMessage(probe[i].role, "")
        try:
            return self.limit - len(self.render(probe).encode("utf-8", "surrogatepass"))
        except OutputTooLong:
            return 0
        except EngineError:  # the template refuses an empty message: count the messages only
            return self.limit - sum(utf8_size(m.content) for m in probe)

    def _over_context(self, kept: Sequence[ChatMessage], n_tokens: int) -> InputTooLong:
        system, message, total = self._parts(kept)
        room = self.n_ctx - CONTEXT_SLACK
        overflow = total * (n_tokens - room) // max(n_tokens, 1) + 1  # bytes, about
        where = f"({n_tokens} tokens of {self.n_ctx})"
        if system > message:
            return InputTooLong(SYSTEM_PROMPT, system, system - overflow, (
                f"The system prompt is too long for the model's context {where}; shorten it "
                "or raise the context length in the model settings."))
        part = MESSAGE if message else CONVERSATION
        return InputTooLong(part, message or total, (message or total) - overflow, (
            f"This message is too long for the model's context {where}; shorten it or raise "
            "the context length in the model settings."))


def reasoning_of(prompt: PromptBuilder | None,
                 template: str) -> tuple[ReasoningFormat | None, ThinkingToggle | None]:
    """How a model marks its reasoning and turns it off (``chat.thinking``), from its template
    and what the template puts after the last message (the generation cue: a DeepSeek-R1
    distill opens ``<think>`` there)."""
    if not template or prompt is None:
        return None, None
    sample = [ChatMessage(Role.USER.value, "Hello")]
    try:
        with_cue = prompt.render(sample)
        without = prompt.render(sample, extra={"add_generation_prompt": False})
    except Exception:
        log.info("could not render the template to find its reasoning markers", exc_info=True)
        with_cue = without = ""
    cue = with_cue[len(without):] if with_cue.startswith(without) else with_cue[-256:]
    return detect(template, cue), thinking_toggle(template)
