"""A message's body: its segments as widgets, built a few at a time and grown while streaming.

Building is incremental (``build_step`` stops at a deadline; segments not built yet count with
an estimated height), and so is laying out: only pieces from the first changed one are moved,
so a streamed reply with a hundred code blocks costs the same per batch as one with none.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from desktopchat.ui.blocks import ProseBlock, RenderContext, SafeDocument
from desktopchat.ui.i18n import plain_reason
from desktopchat.ui.markdown import Segment
from desktopchat.ui.text_boxes import CodeBlock, LongTextBlock

Piece = ProseBlock | CodeBlock | LongTextBlock
SPACING = 8
TAIL_PLAIN = 16_000  # an unfinished block longer than this streams into a plain-text box
STREAM_PROSE = 16_000  # a streamed prose piece holds about this much; then a new one starts


class MessageBody(QWidget):
    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.pieces: list[Piece] = []
        self._pending: deque[Segment] = deque()
        self._heights: list[int] = []
        self._tops: list[int] = []
        self._valid = 0  # pieces[:_valid] are placed for _width
        self._width = -1
        self._live_code: CodeBlock | None = None
        self._live_shown = 0  # characters of the open fence's code given to _live_code
        self._tail_shown = 0  # characters of the unfinished tail given to the last prose
        self._long_tail: LongTextBlock | None = None  # the tail, when it outgrew prose
        fm = QFontMetrics(ctx.font)
        self._line_h = fm.lineSpacing()
        self._char_w = max(1, fm.averageCharWidth())

    # building -----------------------------------------------------------------------------------

    def set_segments(self, segments: list[Segment]) -> None:
        self._pending = deque(segments)

    @property
    def built(self) -> bool:
        return not self._pending

    def build_step(self, deadline: float) -> bool:
        """Build pending segments until ``deadline`` (perf_counter); True when all are built."""
        while self._pending:
            self._add(self._pending.popleft())
            if time.perf_counter() >= deadline:
                break
        return not self._pending

    def _add(self, seg: Segment) -> Piece:
        piece: Piece
        if seg.kind == "prose":
            piece = ProseBlock(self._ctx, self)
            piece.set_markdown(seg.text)
        elif seg.kind == "text":
            piece = ProseBlock(self._ctx, self)
            piece.document().setPlainText(seg.text)
        elif seg.kind == "code":
            piece = CodeBlock(self._ctx, seg.lang, self)
            piece.set_code(seg.text)
            piece.finish(seg.text)
        else:
            piece = LongTextBlock(self._ctx, seg.text, seg.reason, self)
        piece.show()
        self.pieces.append(piece)
        return piece

    # streaming ----------------------------------------------------------------------------------

    def _last(self) -> Piece | None:
        return self.pieces[-1] if self.pieces else None

    def _touch(self, index: int) -> None:
        self._valid = min(self._valid, max(0, index))

    def commit(self, segments: list[Segment]) -> None:
        """Finished blocks of a streamed reply, rendered once, replacing the shown tail."""
        box, self._long_tail = self._long_tail, None
        if box is not None:
            head = segments[0] if segments else None
            if head is not None and head.kind == "plain" and head.text == box.source.strip("\n"):
                box.note.setText(plain_reason(head.reason))
                segments = segments[1:]  # already shown as it is: kept, not built again
            else:
                self._remove(box)
        first = max(0, len(self.pieces) - 1)
        last = self._last()
        if isinstance(last, ProseBlock):
            last.clear_tail()
            if not last.chars:  # it held only the tail
                self._remove(last)
        for seg in segments:
            last = self._last()
            if seg.kind == "prose" and isinstance(last, ProseBlock) \
                    and last.chars + len(seg.text) <= STREAM_PROSE:
                last.append_markdown(seg.text)
            elif seg.kind == "code" and self._live_code is not None:
                self._live_code.finish(seg.text)
                self._live_code = None
            else:
                self._add(seg)
        self._tail_shown = 0
        self._touch(first)

    def stream_tail(self, tail: str) -> None:
        """The unfinished block at the end, as it grows (the whole of it each time)."""
        new = tail[self._tail_shown:]
        if not new:
            return
        if self._long_tail is None and len(tail) > TAIL_PLAIN:
            # A block this long would be laid out again on every flush: it streams into a
            # plain-text box instead, until it finishes.
            last = self._last()
            if isinstance(last, ProseBlock):
                last.clear_tail()
                if not last.plain_text().strip():
                    self._remove(last)
            self._long_tail = LongTextBlock(self._ctx, tail, "long", self)
            self._long_tail.show()
            self.pieces.append(self._long_tail)
            self._tail_shown = len(tail)
            self._touch(len(self.pieces) - 1)
            return
        if self._long_tail is not None:
            self._long_tail.append(new)
            self._tail_shown = len(tail)
            self._touch(len(self.pieces) - 1)
            return
        last = self._last()
        if not isinstance(last, ProseBlock):
            if not new.strip():
                return  # no piece for whitespace alone
            last = ProseBlock(self._ctx, self)
            last.show()
            self.pieces.append(last)
        last.append_tail(new)
        self._tail_shown = len(tail)
        self._touch(len(self.pieces) - 1)

    def _remove(self, piece: Piece) -> None:
        index = self.pieces.index(piece)
        del self.pieces[index]
        piece.hide()
        piece.deleteLater()
        self._touch(index)

    def stream_code(self, code: str, lang: str) -> None:
        """The code of the fence still open at the end, as it grows."""
        if self._live_code is None:
            # The tail shown so far was this fence's opening line (the block before the fence
            # is finished, so the tail starts at the fence): it goes.
            last = self._last()
            if isinstance(last, ProseBlock):
                last.clear_tail()
                if not last.chars:
                    self._remove(last)
            self._tail_shown = 0
            self._live_code = CodeBlock(self._ctx, lang, self)
            self._live_code.show()
            self.pieces.append(self._live_code)
            self._live_shown = 0
        self._live_code.append_code(code[self._live_shown:])
        self._live_shown = len(code)
        self._touch(len(self.pieces) - 1)

    def finish_stream(self, rest: list[Segment]) -> None:
        """The reply ended: what was still unfinished is rendered (an open fence is closed)."""
        self.commit(rest)
        self._live_code = None

    # geometry -----------------------------------------------------------------------------------

    def relayout(self, width: int) -> int:
        """Place the pieces for ``width``; returns the body's height."""
        if width != self._width:
            self._width = width
            self._valid = 0
        n = len(self.pieces)
        del self._heights[self._valid:]
        del self._tops[self._valid:]
        y = self._tops[-1] + self._heights[-1] + SPACING if self._tops else 0
        for i in range(self._valid, n):
            piece = self.pieces[i]
            h = piece.height_for(width)
            piece.setGeometry(0, y, width, h)
            if not isinstance(piece, ProseBlock):
                piece.place(width, h)
            self._heights.append(h)
            self._tops.append(y)
            y += h + SPACING
        self._valid = n
        height = y - SPACING if n else 0
        for seg in self._pending:
            height += SPACING + self._estimate(seg, width)
        self.resize(width, max(height, 0))
        return max(height, 0)

    def _estimate(self, seg: Segment, width: int) -> int:
        per_line = max(20, width // self._char_w)
        lines = seg.text.count("\n") + len(seg.text) // per_line + 1
        if seg.kind == "code":
            return CodeBlock.HEADER + min(lines, 500) * self._line_h + 18
        if seg.kind == "plain":
            return 26 * self._line_h
        return int(lines * self._line_h * 1.1)

    def natural_width(self, width: int) -> int:
        """How wide the body needs to be, at most ``width`` (a short user message is narrow)."""
        if self._pending or not self.pieces:
            return width
        if all(isinstance(p, ProseBlock) for p in self.pieces):
            return max(p.natural_width(width) for p in self.pieces)  # type: ignore[union-attr]
        return width

    def plain_text(self) -> str:
        """The body as text: rendered prose, code as written (pending segments included)."""
        parts = [_plain(p) for p in self.pieces]
        for seg in self._pending:
            parts.append(segment_plain_text(seg, self._ctx))
        return "\n\n".join(p for p in parts if p)

    def focus_widgets(self) -> list[QWidget]:
        out: list[QWidget] = []
        for p in self.pieces:
            if isinstance(p, ProseBlock):
                out.append(p)
            elif isinstance(p, CodeBlock):
                out += [p.copy_button, p.text]
            else:
                out.append(p.text)
        return out


def _plain(piece: Piece) -> str:
    if isinstance(piece, ProseBlock):
        return piece.plain_text().strip("\n")
    if isinstance(piece, CodeBlock):
        return piece.code.rstrip("\n")
    return piece.source


def segment_plain_text(seg: Segment, ctx: RenderContext) -> str:
    """A segment as the text a reader sees (markdown rendered, then flattened)."""
    if seg.kind == "prose":
        doc = SafeDocument()
        doc.setHtml(ctx.renderer.render(seg.text))
        return doc.toPlainText().strip("\n")
    return seg.text.rstrip("\n")
