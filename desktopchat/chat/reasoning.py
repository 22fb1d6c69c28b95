"""Splitting a reasoning model's reply into its reasoning and its answer, as it streams (Qt-free).

Reasoning models write their thinking between two markers before they answer: ``<think>`` …
``</think>`` for DeepSeek-R1 and its distills, Qwen3, QwQ, Phi-4-reasoning, GLM-4.5, SmolLM3,
Nemotron, MiniMax-M2 and Kimi-K2-Thinking; ``<seed:think>`` for ByteDance's Seed-OSS;
``<|begin_of_thought|>`` (answer in ``<|begin_of_solution|>``) for the Bespoke-Stratos and
OpenThoughts family; gpt-oss's "harmony" channels (``<|channel|>analysis<|message|>`` …
``<|end|>``), which only work when the engine emits those special tokens as text (llama.cpp
renders control tokens as nothing by default, so today its channels arrive as plain words).
``desktopchat.chat.thinking`` tells from the chat template which format a model uses, whether its
prompt already opened the block and how to turn thinking off.

``ReasoningParser.feed`` takes text as the engine emits it (a few characters at a time, markers
split anywhere) and returns the new ``Segment``\\ s; the work per call is proportional to the new
text. The rules, each chosen for a reason:

- **Output starting with the open marker** (after blank lines) is reasoning until the close
  marker. A template that opened the block in the prompt (DeepSeek-R1 distills) starts the
  parser in reasoning (``ReasoningFormat.starts_in_reasoning``): the first close marker ends it.
- **An unclosed block** (Stop, the length limit) is all reasoning; ``unfinished`` says so and the
  answer is empty: nothing the model wrote there was meant as an answer.
- **Text before the open marker** stays answer text, and the block after it is reasoning: some
  models greet first, and nothing the user may need is hidden. The open marker only counts at
  the start of a line, outside fenced code, so an answer that *talks about* ``<think>`` (inline,
  in backticks, in a code block) keeps it.
- **A close marker with no open one** (a template that opened the block in the prompt that we
  did not recognise) is removed from the answer as it streams, and ``result()`` — what the
  controller stores — moves the text before it into the reasoning. The view shows the stored
  result once the reply ends.
- Blank lines around each part are trimmed (the marker lines' own newlines), and nothing else:
  an answer that starts with indented code keeps its indent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

MAX_HELD_WHITESPACE = 4096  # whitespace held back at a part's edge; beyond this it is text


class Kind(StrEnum):
    REASONING = "reasoning"
    ANSWER = "answer"


@dataclass(frozen=True)
class Segment:
    """A run of reply text of one kind, in stream order."""

    kind: Kind
    text: str


@dataclass(frozen=True)
class ReasoningFormat:
    """How one family of models marks its reasoning.

    ``answer_markers`` are format tokens removed wherever they appear in the answer (the
    harmony final-channel header, ``<|begin_of_solution|>``).
    """

    name: str
    open: str
    close: str
    starts_in_reasoning: bool = False
    answer_markers: tuple[str, ...] = ()

    def started(self, value: bool = True) -> ReasoningFormat:
        """This format with the block already opened by the prompt (or not)."""
        return replace(self, starts_in_reasoning=value)


THINK = ReasoningFormat("think", "<think>", "</think>")
SEED = ReasoningFormat("seed", "<seed:think>", "</seed:think>")
THOUGHT = ReasoningFormat("thought", "<|begin_of_thought|>", "<|end_of_thought|>",
                          answer_markers=("<|begin_of_solution|>", "<|end_of_solution|>"))
HARMONY = ReasoningFormat(
    "harmony", "<|channel|>analysis<|message|>", "<|end|>",
    answer_markers=("<|start|>assistant<|channel|>final<|message|>",
                    "<|channel|>final<|message|>", "<|start|>assistant", "<|return|>"))
FORMATS: tuple[ReasoningFormat, ...] = (HARMONY, SEED, THOUGHT, THINK)


@dataclass(frozen=True)
class ParsedReply:
    """A whole reply, split: what the controller stores (``content`` = ``answer``)."""

    reasoning: str
    answer: str
    unfinished: bool = False  # the reasoning never closed (stopped or truncated mid-thought)


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEAD = 64  # characters of a line kept to recognise a code fence


class ReasoningParser:
    """Feed reply text in any batches; get reasoning and answer segments back.

    ``feed`` and ``finish`` return only the new segments (same-kind runs merged); ``result``
    returns the whole reply split, and is what should be stored.
    """

    def __init__(self, fmt: ReasoningFormat | None = None) -> None:
        self.format = fmt or THINK
        self.in_reasoning = self.format.starts_in_reasoning
        self._reopen_checked = not self.in_reasoning  # only a prompt-opened block is checked
        self._seen_open = self.in_reasoning
        self._pending = ""  # text not yet classified: a possible partial marker or held spaces
        self._part_started = False  # the current part has shown non-blank text
        self._reasoning: list[str] = []
        self._answer: list[str] = []
        self._stray_at: int | None = None  # answer pieces before a lone close marker
        self._finished = False
        # answer-side line state: the start of the current line, whether it has non-blank text
        # beyond that, the open code fence (character, length), backticks on the line
        self._head = ""
        self._tail_blank = True
        self._fence: tuple[str, int] | None = None
        self._ticks = 0
        fmt_ = self.format
        watched = [fmt_.open, fmt_.close, *fmt_.answer_markers]
        self._watch = re.compile("|".join(re.escape(m) for m in sorted(watched, key=len,
                                                                          reverse=True)))
        self._watched = watched
        self._out: list[Segment] = []

    # -- public --------------------------------------------------------------------------------

    def feed(self, text: str) -> list[Segment]:
        if self._finished:
            raise RuntimeError("the parser has finished")
        self._pending += text
        self._out = []
        self._run(final=False)
        return self._out

    def finish(self) -> list[Segment]:
        """The end of the reply: whatever was held back is classified now."""
        if self._finished:
            return []
        self._out = []
        self._run(final=True)
        self._finished = True
        return self._out

    @property
    def unfinished(self) -> bool:
        """The reply ended inside its reasoning (only meaningful after ``finish``)."""
        return self.in_reasoning

    def result(self) -> ParsedReply:
        """The reply so far, split; a lone close marker moves the answer before it into the
        reasoning."""
        answer = self._answer
        reasoning = "".join(self._reasoning)
        if self._stray_at is not None:
            before = "".join(answer[: self._stray_at]).strip()
            reasoning = f"{before}\n\n{reasoning}".strip() if reasoning else before
            answer = answer[self._stray_at:]
        return ParsedReply(reasoning, "".join(answer), self.in_reasoning)

    # -- the machine ---------------------------------------------------------------------------

    def _emit(self, kind: Kind, text: str) -> None:
        if not text:
            return
        (self._reasoning if kind is Kind.REASONING else self._answer).append(text)
        if self._out and self._out[-1].kind is kind:
            self._out[-1] = Segment(kind, self._out[-1].text + text)
        else:
            self._out.append(Segment(kind, text))

    def _run(self, final: bool) -> None:
        while self._pending:
            before, mode = len(self._pending), self.in_reasoning
            if self.in_reasoning:
                self._reason(final)
            else:
                self._answer_step(final)
            if len(self._pending) == before and mode == self.in_reasoning:
                break

    def _switch(self, reasoning: bool) -> None:
        self.in_reasoning = reasoning
        self._part_started = False
        if reasoning:
            self._seen_open = True
        self._new_line()
        self._fence = None

    def _reason(self, final: bool) -> None:
        buf = self._pending
        close, opener = self.format.close, self.format.open
        if not self._reopen_checked:  # a prompt-opened block the model opens again: one block
            head = buf.lstrip()
            if head.startswith(opener):
                buf = self._pending = head[len(opener):]
                self._reopen_checked = True
            elif head and opener.startswith(head) and not final:
                return  # may still become the open marker
            elif head or final:
                self._reopen_checked = True
        idx = buf.find(close)
        if idx >= 0:
            self._emit_reasoning(buf[:idx].rstrip())
            self._pending = buf[idx + len(close):]
            self._switch(False)
            return
        if final:  # never closed: all of it is reasoning
            self._emit_reasoning(buf.rstrip())
            self._pending = ""
            return
        keep = _partial_suffix(buf, (close,))
        body = buf[: len(buf) - keep]
        text = body.rstrip()  # spaces before the close marker are not reasoning
        if len(body) - len(text) > MAX_HELD_WHITESPACE:
            text = body
        self._emit_reasoning(text)
        self._pending = buf[len(text):]

    def _emit_reasoning(self, text: str) -> None:
        if not self._part_started:
            text = text.lstrip()
            if not text:
                return
            if self._reasoning:  # a second block: keep the blocks apart
                text = "\n\n" + text
            self._part_started = True
        self._emit(Kind.REASONING, text)

    def _answer_step(self, final: bool) -> None:
        buf = self._pending
        if not self._part_started:  # drop the blank lines that open the answer
            stripped = buf.lstrip()
            if not stripped:
                if final or len(buf) > MAX_HELD_WHITESPACE:
                    self._pending = ""
                return
            lead = buf[: len(buf) - len(stripped)]
            buf = buf[lead.rfind("\n") + 1:]
            self._part_started = True
        pos = 0
        fmt = self.format
        for m in self._watch.finditer(buf):
            indent = self._lines_then_indent(buf[pos:m.start()])
            pos = m.end()
            marker = m.group()
            if marker == fmt.open and indent is not None:
                self._pending = buf[pos:]
                self._switch(True)
                return
            self._answer_text(indent or "")
            if marker == fmt.close and not self._seen_open and self._outside_code():
                if self._stray_at is None:
                    self._stray_at = len(self._answer)
                self._pending = buf[pos:]  # the answer proper starts after it
                self._part_started = False
                self._new_line()
                return
            if not (marker in fmt.answer_markers and self._fence is None):
                self._answer_text(marker)
        rest = buf[pos:]
        keep = 0 if final else _partial_suffix(rest, self._watched)
        indent = self._lines_then_indent(rest[: len(rest) - keep])
        if indent is not None and not final and len(indent) + keep <= MAX_HELD_WHITESPACE:
            self._pending = rest[len(rest) - keep - len(indent):]  # an open marker may follow
            return
        self._answer_text(indent or "")
        self._pending = rest[len(rest) - keep:]

    def _lines_then_indent(self, text: str) -> str | None:
        """Emit ``text`` up to its last line; return that line unemitted when it is only the
        indent of a line outside code (an open marker there would make it reasoning), else
        emit it too and return None."""
        nl = text.rfind("\n") + 1
        self._answer_text(text[:nl])
        last = text[nl:]
        if self._at_line_start() and not last.strip(" \t"):
            return last
        self._answer_text(last)
        return None

    def _answer_text(self, text: str) -> None:
        """Emit answer text, keeping the line and code-fence state up to date; spaces that
        open a line are held while they might be a marker's indent."""
        if not text:
            return
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                self._end_line()
            self._add_to_line(line)
        self._emit(Kind.ANSWER, text)

    def _add_to_line(self, piece: str) -> None:
        room = _HEAD - len(self._head)
        if room > 0:
            self._head += piece[:room]
        if piece[max(room, 0):].strip():
            self._tail_blank = False
        if self._fence is None:
            self._ticks += piece.count("`")

    def _end_line(self) -> None:
        m = _FENCE.match(self._head)
        if m:
            run = m.group(1)
            rest_blank = not self._head[m.end():].strip() and self._tail_blank
            if self._fence is None:
                self._fence = (run[0], len(run))
            elif run[0] == self._fence[0] and len(run) >= self._fence[1] and rest_blank:
                self._fence = None
        self._new_line()

    def _new_line(self) -> None:
        self._head = ""
        self._tail_blank = True
        self._ticks = 0

    def _at_line_start(self) -> bool:
        return self._fence is None and not self._head.strip() and self._tail_blank

    def _outside_code(self) -> bool:
        return self._fence is None and self._ticks % 2 == 0


def _partial_suffix(text: str, markers: list[str] | tuple[str, ...]) -> int:
    """The length of the longest end of ``text`` that some marker starts with (so it may be
    completed by the next batch)."""
    longest = max((len(m) for m in markers), default=0)
    for n in range(min(len(text), longest - 1), 0, -1):
        tail = text[-n:]
        if any(m.startswith(tail) for m in markers):
            return n
    return 0


def split_reasoning(text: str, fmt: ReasoningFormat | None = None) -> ParsedReply:
    """A whole reply (an import, a stored text) split in one go, by the same rules."""
    parser = ReasoningParser(fmt)
    parser.feed(text)
    parser.finish()
    return parser.result()
