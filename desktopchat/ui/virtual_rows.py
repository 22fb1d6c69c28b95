"""The virtual list under the chat view: every entry has a height, only some have a row.

Entries near the screen get a ``MessageRow``, built within a time budget and measured for the
column width; the others keep an estimated (or last measured) height. Content offsets are
prefix sums recomputed from the first changed entry, so a growing reply at the end costs O(1).
"""

from __future__ import annotations

import bisect
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import accumulate

from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.ui.blocks import RenderContext
from desktopchat.ui.message_row import MessageRow, RowHost
from desktopchat.ui.transcript import Entry

TOP_PAD = 8
BOTTOM_PAD = 24
KEEP_ROWS = 60  # rows kept built; the farthest from the screen are dropped beyond this


class VirtualRows:
    def __init__(self, host: RowHost, viewport: QWidget) -> None:
        self.host = host
        self.viewport = viewport
        self.entries: list[Entry] = []
        self.rows: OrderedDict[Entry, MessageRow] = OrderedDict()
        self.shown: list[MessageRow] = []  # rows placed on screen, in order
        self.width = -1
        self._tops: list[int] = []
        self._valid = 0  # _tops is right for entries[:_valid]

    # entries --------------------------------------------------------------------------------

    def find(self, entry_id: int) -> Entry | None:
        for e in reversed(self.entries):
            if e.id == entry_id:
                return e
        return None

    def reset(self, entries: Sequence[Entry]) -> None:
        for row in self.rows.values():
            row.hide()
            row.deleteLater()
        self.rows.clear()
        self.shown = []
        self.entries = list(entries)
        self._valid = 0

    def insert(self, index: int, entry: Entry) -> None:
        self.entries.insert(index, entry)
        self._valid = min(self._valid, index)

    def replace(self, old: Entry, new: Entry) -> None:
        i = self.entries.index(old)
        self.drop_row(old)
        self.entries[i] = new
        self._valid = min(self._valid, i)

    def remove(self, entry: Entry) -> None:
        i = self.entries.index(entry)
        self.drop_row(entry)
        del self.entries[i]
        self._valid = min(self._valid, i)

    def estimate_all(self, line_h: int, char_w: int) -> None:
        width = max(self.width, 200)
        for e in self.entries:
            if e not in self.rows:
                e.height = e.estimate(width, line_h, char_w)
                e.measured_width = -1
            else:
                e.measured_width = -1
        self._valid = 0

    # rows -----------------------------------------------------------------------------------

    def row_for(self, entry: Entry, ctx: RenderContext) -> MessageRow:
        row = self.rows.get(entry)
        if row is None:
            row = MessageRow(self.host, entry, ctx, self.viewport)
            row.hide()
            self.rows[entry] = row
            entry.measured_width = -1
        else:
            self.rows.move_to_end(entry)
        return row

    def drop_row(self, entry: Entry) -> None:
        row = self.rows.pop(entry, None)
        if row is not None:
            if row in self.shown:
                self.shown.remove(row)
            row.hide()
            row.deleteLater()
        entry.measured_width = -1

    def allow_edits(self, allowed: bool) -> None:
        """Edit is off on every message while a reply streams."""
        for row in self.rows.values():
            if row.edit_button is not None:
                row.edit_button.setEnabled(allowed)

    def changed(self, entry: Entry) -> None:
        entry.measured_width = -1

    # offsets ----------------------------------------------------------------------------------

    def ensure_tops(self) -> None:
        n = len(self.entries)
        if self._valid >= n and len(self._tops) == n:
            return
        start = min(self._valid, len(self._tops))
        del self._tops[start:]
        if start < n:
            base = self._tops[-1] + self.entries[start - 1].height if start else TOP_PAD
            heights = [e.height for e in self.entries[start:n - 1]]
            self._tops += accumulate(heights, initial=base)
        self._valid = n

    def top(self, index: int) -> int:
        self.ensure_tops()
        return self._tops[index]

    def total(self) -> int:
        self.ensure_tops()
        if not self.entries:
            return 0
        return self._tops[-1] + self.entries[-1].height + BOTTOM_PAD

    def index_at(self, y: int) -> int:
        self.ensure_tops()
        return max(0, bisect.bisect_right(self._tops, y) - 1)

    # building and placing -----------------------------------------------------------------

    def layout(self, vh: int, value: int, follow: bool, ctx: RenderContext, deadline: float,
               overscan: int, ahead: int = 0) -> tuple[int, bool]:
        """Build and measure the rows a viewport ``vh`` high shows; returns (the scroll value,
        rows left to build). Following, the view stays at the end; otherwise the entry at the
        top of the screen stays where it is while heights above or below it change. With time
        left, rows up to ``ahead`` pixels beyond the screen are built too (scrolling then finds
        them ready)."""
        anchor = rel = 0
        if self.entries and not follow:
            anchor = self.index_at(value)
            rel = value - self.top(anchor)
        incomplete = False
        for span in (overscan, overscan + ahead) if ahead else (overscan,):
            for _ in range(8):  # measuring changes heights, which changes what is on screen
                total = self.total()
                value = max(0, total - vh) if follow or not self.entries else \
                    max(0, min(self.top(anchor) + rel, total - vh))
                if not self.entries:
                    break
                first, last = self.index_at(value - span), self.index_at(value + vh + span)
                order = range(last, first - 1, -1) if follow else range(first, last + 1)
                changed, incomplete = self.measure(order, ctx, deadline)
                if not changed:
                    break
            if incomplete:
                break
        return value, incomplete

    def measure(self, order: range, ctx: RenderContext, deadline: float) -> tuple[bool, bool]:
        """Build and lay out the rows of ``order`` (indexes) until ``deadline``;
        (some height changed, rows left to build)."""
        changed = incomplete = False
        width = self.width
        for i in order:
            entry = self.entries[i]
            row = self.rows.get(entry)
            if row is None:
                if time.perf_counter() >= deadline:
                    incomplete = True
                    continue
                row = self.row_for(entry, ctx)
            if not row.body.built:
                if time.perf_counter() < deadline:
                    row.build_step(deadline)
                incomplete = incomplete or not row.body.built
                entry.measured_width = -1
            if entry.measured_width != width or row.built_width != width:
                h = row.relayout(width)
                entry.measured_width = width if row.body.built else -1
                if h != entry.height:
                    entry.height = h
                    self._valid = min(self._valid, i + 1)
                    changed = True
        return changed, incomplete

    def place(self, x: int, value: int, span: tuple[int, int],
              chain: Callable[[list[MessageRow]], None]) -> None:
        """Put the built rows of the content range ``span`` on screen at scroll ``value``.
        A row holding the keyboard focus stays placed (off screen, clipped) rather than
        hidden: hiding it would move the focus."""
        shown: list[MessageRow] = []
        focus = QApplication.focusWidget()
        if self.entries:
            first, last = self.index_at(span[0]), self.index_at(span[1])
            for i in range(first, last + 1):
                row = self.rows.get(self.entries[i])
                if row is not None:
                    row.setGeometry(x, self._tops[i] - value, self.width, self.entries[i].height)
                    shown.append(row)
        keep = set(map(id, shown))
        if focus is not None:
            for i, entry in enumerate(self.entries):
                row = self.rows.get(entry)
                if row is not None and id(row) not in keep and row.isAncestorOf(focus):
                    row.setGeometry(x, self._tops[i] - value, self.width, entry.height)
                    keep.add(id(row))
        for row in self.shown:
            if id(row) not in keep:
                row.hide()
        for row in shown:
            if row.isHidden():
                row.show()
        if list(map(id, shown)) != list(map(id, self.shown)):
            self.shown = shown
            chain(shown)

    def evict(self, pinned: Entry | None) -> None:
        """Drop the rows used longest ago, beyond KEEP_ROWS (never one on screen, the
        streaming reply's, one being edited or one holding the focus)."""
        if len(self.rows) <= KEEP_ROWS:
            return
        keep = set(map(id, self.shown))
        focus = QApplication.focusWidget()
        for entry in list(self.rows):
            if len(self.rows) <= KEEP_ROWS:
                break
            row = self.rows[entry]
            if id(row) in keep or entry is pinned or row.editor is not None or (
                    focus is not None and row.isAncestorOf(focus)):
                continue
            del self.rows[entry]
            row.deleteLater()
