"""The view's idle work on code and long text: a block is shown plain at once and coloured a
few hundred tokens at a time, and a very long box gets its text a chunk at a time, so no block,
however long, stalls the window.

Colours are applied to the block's document through a cursor (positions in UTF-16 units, which
is what QTextDocument counts); finished runs are cached, so a row built again after scrolling
away costs no lexing.
"""

from __future__ import annotations

import bisect
import time
from collections import OrderedDict, deque
from collections.abc import Iterator

import shiboken6
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor

from desktopchat.ui.syntax import Run, cold_languages, highlight_runs, warm_up_lexer
from desktopchat.ui.text_boxes import ASTRAL, CodeBlock, LongTextBlock

CACHE = 64  # highlighted blocks remembered


class _Job:
    def __init__(self, block: CodeBlock, runs: Iterator[Run], key: tuple[str, str, str],
                 cached: bool) -> None:
        self.block = block
        self.runs = runs
        self.key = key
        self.cached = cached
        self.done: list[Run] = []
        code = block.code  # where characters past U+FFFF shift QTextDocument's positions
        self.wide = [] if code.isascii() else [m.start() for m in ASTRAL.finditer(code)]
        self.length = -1  # the document's, once its text is all in


class _Fill:
    """The rest of a long box's text, added a chunk per idle step."""

    def __init__(self, box: CodeBlock | LongTextBlock) -> None:
        self.block = box


class HighlightQueue:
    def __init__(self) -> None:
        self._jobs: deque[_Job | _Fill] = deque()
        self._cache: OrderedDict[tuple[str, str, str], list[Run]] = OrderedDict()
        self._formats: dict[tuple[str, bool, bool], QTextCharFormat] = {}

    def add(self, block: CodeBlock, style: str) -> None:
        key = (block.code, block.lang, style)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._jobs.append(_Job(block, iter(cached), key, True))
        else:
            self._jobs.append(_Job(block, highlight_runs(block.code, block.lang, style), key,
                                   False))

    def add_fill(self, box: CodeBlock | LongTextBlock) -> None:
        """Jobs run in order, so a block is filled before it is coloured."""
        self._jobs.append(_Fill(box))

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def clear(self) -> None:
        self._jobs.clear()

    def work(self, deadline: float, warm: bool = False) -> bool:
        """Colour runs until ``deadline``; True while work remains. With nothing to colour and
        ``warm``, prepare one common language's lexer (10-60 ms, once per process), so the
        first code block of a reply does not stall the window."""
        if not self._jobs and warm and cold_languages():
            warm_up_lexer(cold_languages()[0])
            return bool(cold_languages())
        while self._jobs and time.perf_counter() < deadline:
            job = self._jobs[0]
            if not shiboken6.isValid(job.block) or not shiboken6.isValid(job.block.text):
                self._jobs.popleft()
                continue
            if isinstance(job, _Fill):
                if job.block.fill_step(deadline):
                    self._jobs.popleft()
                continue
            if self._apply(job, deadline):
                self._jobs.popleft()
                job.block.highlight_pending = False
                if not job.cached:
                    self._cache[job.key] = job.done
                    while len(self._cache) > CACHE:
                        self._cache.popitem(last=False)
        return bool(self._jobs)

    def _apply(self, job: _Job, deadline: float) -> bool:
        """Apply runs of ``job`` until the deadline; True when the job is finished."""
        doc = job.block.text.document()
        if job.length < 0:
            job.length = doc.characterCount() - 1
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        finished = True
        count = 0
        try:
            for run in job.runs:
                if not job.cached:
                    job.done.append(run)
                start, end = run[0], run[0] + run[1]
                if job.wide:
                    start += bisect.bisect_left(job.wide, start)
                    end += bisect.bisect_left(job.wide, end)
                if start >= job.length:
                    continue
                cursor.setPosition(start)
                cursor.setPosition(min(end, job.length), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(self._format(run))
                count += 1
                if count % 64 == 0 and time.perf_counter() >= deadline:
                    finished = False
                    break
        finally:
            cursor.endEditBlock()
        return finished

    def _format(self, run: Run) -> QTextCharFormat:
        key = run[2:]
        fmt = self._formats.get(key)
        if fmt is None:
            _, _, colour, bold, italic = run
            fmt = QTextCharFormat()
            if colour:
                fmt.setForeground(QBrush(QColor(colour)))
            if bold:
                fmt.setFontWeight(QFont.Weight.DemiBold)
            if italic:
                fmt.setFontItalic(True)
            self._formats[key] = fmt
        return fmt
