"""The transcript: one item per message, and widgets only for the messages near the screen.

An ``Entry`` per message lives in ``VirtualRows``; a ``MessageRow`` is built only for entries
near the viewport, within a time budget, and rows far away are dropped. So markdown state never
crosses messages, a long code line scrolls its own block, and a 1,000-message chat costs what
one screen costs. A streaming reply (``ReplyStream``) is flushed every ``FLUSH_MS``, finished
blocks are rendered once, and the view follows it while the reader is at the bottom; scrolling
up stops following and shows "Jump to latest".

Model output is untrusted: see ``markdown`` (escaping, allow-list) and ``blocks`` (documents
that load nothing); only http(s) links open, on click, in the system browser.

Signals:
    edit_requested(int message_id): the user opened the inline editor on their message.
    edit_submitted(int message_id, str text): they pressed Enter in it (save and resend).
    delete_requested(int message_id): Delete on a message.
    branch_requested(int message_id, int delta): the ‹ › arrows (-1 or +1).
    reasoning_toggled(int message_id, bool expanded): the reasoning section opened or closed.
    message_copied(int message_id, bool plain): Copy put a message on the clipboard.
    link_opened(str url): an http(s) link was handed to the system browser.
    reply_announced(str text): a finished reply was announced to assistive technology.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QUrl, Signal, Slot
from PySide6.QtGui import (
    QFocusEvent,
    QHideEvent,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFrame, QWidget

from desktopchat.chat.types import MessageStatus, Role, StoredMessage
from desktopchat.ui import idle_gc, view_parts
from desktopchat.ui.blocks import RenderContext
from desktopchat.ui.highlighter import HighlightQueue
from desktopchat.ui.message_row import ROW_ICONS, MessageRow
from desktopchat.ui.reply_stream import ReplyStream
from desktopchat.ui.syntax import EAGER_LANGUAGES, cold_languages, warm_up_lexer
from desktopchat.ui.text_boxes import CodeBlock, LongTextBlock
from desktopchat.ui.theme import current_theme, icon
from desktopchat.ui.transcript import NOTICE, Entry, clean_text
from desktopchat.ui.virtual_rows import VirtualRows

FLUSH_MS = 20  # coalescing interval for streamed text
BUDGET_S = 0.012  # GUI time one layout pass may spend building rows
IDLE_BUDGET_S = 0.006  # ... and one idle step (highlighting, building rows ahead)
OVERSCAN = 200  # pixels above and below the viewport built with it


class ChatView(QAbstractScrollArea):
    edit_requested = Signal(int)
    edit_submitted = Signal(int, str)
    delete_requested = Signal(int)
    branch_requested = Signal(int, int)
    reasoning_toggled = Signal(int, bool)
    message_copied = Signal(int, bool)
    link_opened = Signal(str)
    reply_announced = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        view_parts.name_view(self)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(view_parts.ALWAYS_OFF)
        self.setFocusPolicy(view_parts.STRONG_FOCUS)
        self.verticalScrollBar().setSingleStep(48)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._list = VirtualRows(self, self.viewport())
        self._follow = True
        self._programmatic = 0
        self._in_layout = False
        self.rows_pending = False  # rows on screen are still being built
        self._placed_at = 0  # the scroll value rows were last placed for
        self._focus_rows: list[MessageRow] | None = None  # to chain for Tab, when it is near
        self._next_notice = -1
        self._ctx = self._make_ctx()
        self._highlights = HighlightQueue()
        self._stream: ReplyStream | None = None
        self._flush_timer = view_parts.timer(self, FLUSH_MS, self.flush)
        self._work_timer = view_parts.timer(self, 0, self._idle_work)
        self._clock = view_parts.RowClock(self, lambda: self._list.rows)
        self.repaints = 0  # flushes that changed the view (for tests and benchmarks)
        self._jump = view_parts.jump_button(self, self.scroll_to_bottom)
        for lang in EAGER_LANGUAGES:  # once per process, before the window first shows
            warm_up_lexer(lang)
        for name in ROW_ICONS:  # drawn once per theme
            icon(name, self._ctx.theme)

    @property
    def is_streaming(self) -> bool:
        return self._stream is not None

    @property
    def streaming_message_id(self) -> int | None:
        return self._stream.entry.id if self._stream is not None else None

    @property
    def has_pending(self) -> bool:
        """Streamed text has arrived that the next flush will show."""
        return self._stream is not None and self._stream.has_pending

    @property
    def is_following(self) -> bool:
        return self._follow

    @property
    def is_settled(self) -> bool:
        """No row on screen waits to be built and no highlighting waits."""
        return not self._work_timer.isActive() and not self._highlights

    def row(self, message_id: int) -> MessageRow | None:
        """The widget showing a message, when it is built (rows exist only near the screen)."""
        entry = self._list.find(message_id)
        return self._list.rows.get(entry) if entry is not None else None

    def transcript_text(self) -> str:
        """The whole transcript as text (rendered markdown, code as written, notes)."""
        return view_parts.transcript_text(self._list.entries, self._list.rows, self._ctx)

    toPlainText = transcript_text  # the QTextEdit name, which tests and tools use

    def code_blocks(self) -> list[str]:
        return [s.text for e in self._list.entries for s in e.segments() if s.kind == "code"]

    # -- messages -------------------------------------------------------------------------------

    def clear_transcript(self) -> None:
        self._flush_timer.stop()
        self._stream = None  # rows are dropped: none keeps Edit off
        self._highlights.clear()
        self._list.reset([])
        self._follow = True

    def show_messages(self, messages: Sequence[StoredMessage]) -> None:
        """Replace the transcript; it opens at its end."""
        self.clear_transcript()
        self._list.reset([Entry.from_message(m) for m in messages])
        self._list.estimate_all(*self._metrics())
        self._layout()

    def append_message(self, m: StoredMessage) -> None:
        self._add_entry(Entry.from_message(m))

    def update_message(self, m: StoredMessage) -> None:
        """A message's text or status changed (an edit, another branch chosen)."""
        if (entry := self._settled_entry(m.id)) is not None:
            entry.set_content(m.content)
            entry.status, entry.model = m.status, m.model
            self._list.drop_row(entry)
            self._layout()

    def remove_message(self, message_id: int) -> None:
        if (entry := self._settled_entry(message_id)) is not None:
            self._list.remove(entry)
            self._layout()

    def _settled_entry(self, message_id: int) -> Entry | None:
        """The entry of a message that is not streaming (the streaming one is not replaced)."""
        entry = self._list.find(message_id)
        return None if self._stream is not None and entry is self._stream.entry else entry

    def append_notice(self, text: str) -> None:
        """A line of its own between messages (kept for the window's notices until they move
        to a notification area the window owns)."""
        self._add_entry(Entry(self._next_notice, NOTICE, clean_text(text)))
        self._next_notice -= 1

    def set_message_notices(self, message_id: int, notices: Sequence[str]) -> None:
        """Notes shown under a message (e.g. that older turns were left out of the prompt)."""
        entry = self._list.find(message_id)
        if entry is not None:
            entry.notices = [clean_text(n) for n in notices]
            self._refresh(entry, status=True)

    def set_message_extras(self, message_id: int, **changes: object) -> None:
        """Change what a message shows besides its text: ``reasoning`` (str | None),
        ``thinking_seconds`` (float | None: so far while live, the total after),
        ``thinking_live`` (bool), ``branch`` ((index, count) | None) and
        ``reasoning_expanded`` (bool | None). Fields not named keep their value."""
        entry = self._list.find(message_id)
        if entry is not None:
            entry.change_extras(**changes)
            self._refresh(entry)

    def start_edit(self, message_id: int) -> bool:
        """Open the inline editor on a user message (what its Edit button does)."""
        entry = self._list.find(message_id)
        if entry is None or not entry.is_user or self.is_streaming:
            return False
        self._scroll_to(entry)
        row = self._list.rows.get(entry)
        if row is None:
            return False
        row.start_edit()
        self.edit_requested.emit(entry.id)
        return True

    def cancel_edit(self) -> None:
        for row in list(self._list.rows.values()):
            if row.editor is not None:
                row.finish_edit(save=False)

    def scroll_to_bottom(self) -> None:
        self._follow = True
        self._layout()

    # -- streaming ----------------------------------------------------------------------------

    def begin_reply(self, message_id: int, model: str | None, partial: str = "") -> None:
        """Start showing a reply; ``partial`` is text already generated (when switching back)."""
        self.flush()
        entry = Entry(message_id, Role.ASSISTANT.value, "", MessageStatus.GENERATING,
                      time.time(), model)
        old = self._list.find(message_id)
        if old is not None:
            entry.extras = old.extras
            self._list.replace(old, entry)
        else:
            self._list.insert(len(self._list.entries), entry)
        entry.height = entry.estimate(max(self._list.width, 200), *self._metrics())
        self._stream = ReplyStream(entry)
        self._list.allow_edits(False)
        row = self._list.row_for(entry, self._ctx)
        row.body.set_segments([])
        row.set_streaming(True)
        self._layout()
        if partial:
            self.append_stream(partial)
            self.flush()

    def append_stream(self, text: str) -> None:
        if self._stream is not None and text:
            self._queue(self._stream.pending, text)

    def append_reasoning(self, text: str) -> None:
        """Reasoning text of the streaming reply, shown live in its reasoning section."""
        if self._stream is not None and text:
            self._queue(self._stream.pending_reasoning, text)

    def _queue(self, pending: list[str], text: str) -> None:
        pending.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def flush(self) -> None:
        self._flush_timer.stop()
        stream = self._stream
        if stream is None or not stream.has_pending:
            return
        stream.take(self._list.row_for(stream.entry, self._ctx))
        self.repaints += 1
        self._list.changed(stream.entry)
        self._layout()

    def end_reply(self, status: MessageStatus, notices: Sequence[str] = ()) -> None:
        """Render what is left of the reply, then its status note and notices under it."""
        self.flush()
        stream, self._stream = self._stream, None
        self._list.allow_edits(True)
        if stream is None:  # no reply on screen: the notes go under the last reply
            target = next((e for e in reversed(self._list.entries)
                           if e.role == Role.ASSISTANT.value), None)
            if target is not None and notices:
                target.notices += [clean_text(n) for n in notices]
                self._refresh(target, status=True)
            return
        entry = stream.entry
        row = self._list.row_for(entry, self._ctx)
        stream.finish(row)
        entry.status = status
        entry.notices = [clean_text(n) for n in notices]
        entry.extras.thinking_live = False
        row.update_extras()
        row.update_status()
        self._list.changed(entry)
        self._layout()
        # Once per finished reply, never per token: screen readers read it out.
        self.reply_announced.emit(view_parts.announce(self, entry, row.plain_text()))

    # -- entries and rows -----------------------------------------------------------------------

    def _add_entry(self, entry: Entry) -> None:
        entries = self._list.entries
        at = entries.index(self._stream.entry) if self._stream is not None else len(entries)
        self._list.insert(at, entry)  # a message added mid-reply goes above the reply
        entry.height = entry.estimate(max(self._list.width, 200), *self._metrics())
        self._layout()

    def _metrics(self) -> tuple[int, int]:
        fm = self.fontMetrics()
        return fm.lineSpacing(), max(1, fm.averageCharWidth())

    def _refresh(self, entry: Entry, status: bool = False) -> None:
        row = self._list.rows.get(entry)
        if row is not None:
            if status:
                row.update_status()
            row.update_extras()
        self._clock.update(self.isVisible())
        self._list.changed(entry)
        self._layout()

    def _make_ctx(self) -> RenderContext:
        return RenderContext.build(current_theme(), self.font(), self._open_link,
                                   view_parts.copy_text, self._queue_highlight, self._queue_fill)

    # -- RowHost: what rows ask of the view ------------------------------------------------------

    def row_copy(self, entry: Entry, plain: bool) -> None:
        row = self._list.rows.get(entry)
        view_parts.copy_text(row.plain_text() if plain and row is not None else entry.content)
        if row is not None:
            self._clock.mark_copied(row)
        self.message_copied.emit(entry.id, plain)

    def row_edit(self, entry: Entry) -> None:
        self.start_edit(entry.id)

    def row_edit_done(self, entry: Entry, text: str | None) -> None:
        self._list.changed(entry)
        self._layout()
        if text is not None and text.strip():
            self.edit_submitted.emit(entry.id, text)

    def row_delete(self, entry: Entry) -> None:
        self.delete_requested.emit(entry.id)

    def row_branch(self, entry: Entry, delta: int) -> None:
        self.branch_requested.emit(entry.id, delta)

    def row_reasoning(self, entry: Entry, expanded: bool) -> None:
        entry.extras.reasoning_expanded = expanded
        self._refresh(entry)
        self.reasoning_toggled.emit(entry.id, expanded)

    def row_resized(self, row: MessageRow) -> None:
        self._list.changed(row.entry)
        self._layout()

    # -- layout ---------------------------------------------------------------------------------

    def _layout(self, budget: float = BUDGET_S, ahead: int = 0) -> bool:
        """Build and measure the rows on screen (within ``budget`` seconds; with time left,
        those ``ahead`` pixels beyond it), then place them; True when rows on screen are left
        to build (an idle step continues)."""
        if self._in_layout:
            return False
        idle_gc.busy()  # rows are moving: no full garbage collection now
        self._in_layout = True
        try:
            return self._do_layout(time.perf_counter() + budget, ahead)
        finally:
            self._in_layout = False

    def _do_layout(self, deadline: float, ahead: int) -> bool:
        rows = self._list
        x, width = view_parts.column(self)
        if width != rows.width:
            rows.width = width
            rows.estimate_all(*self._metrics())
        vh = self.viewport().height()
        bar = self.verticalScrollBar()
        value, incomplete = rows.layout(vh, bar.value(), self._follow, self._ctx, deadline,
                                        OVERSCAN, ahead)
        self._programmatic += 1
        try:
            bar.setRange(0, max(0, rows.total() - vh))
            bar.setPageStep(max(vh, 1))
            bar.setValue(value)
        finally:
            self._programmatic -= 1
        delta = self._placed_at - bar.value()
        if delta and abs(delta) < vh:  # move what is on screen by blitting, not repainting
            self.viewport().scroll(0, delta)
        self._placed_at = bar.value()
        span = (bar.value() - OVERSCAN, bar.value() + vh + OVERSCAN)
        rows.place(x, bar.value(), span, self._chain_focus)
        rows.evict(self._stream.entry if self._stream is not None else None)
        if incomplete or self._highlights:
            self._work_timer.start()
        view_parts.place_jump(self)
        self.rows_pending = incomplete
        return incomplete

    def _chain_focus(self, shown: list[MessageRow]) -> None:
        """The rows on screen changed: Tab order is fixed when the keyboard comes near."""
        self._focus_rows = shown

    def _fix_tab_order(self) -> None:
        if self._focus_rows is not None:
            view_parts.chain_focus(self, self._focus_rows)
            self._focus_rows = None

    @Slot()
    def _idle_work(self) -> None:
        """One idle step: rows on screen first, then highlighting, then lexers to prepare."""
        deadline = time.perf_counter() + IDLE_BUDGET_S
        if self._layout(IDLE_BUDGET_S, ahead=self.viewport().height()):
            return
        self._work_timer.stop()
        if self._highlights.work(deadline, warm=self._stream is None and self.isVisible()):
            self._work_timer.start()
        else:
            self._fix_tab_order()

    def _queue_highlight(self, block: CodeBlock) -> None:
        self._highlights.add(block, self._ctx.theme.code_style)
        self._work_timer.start()

    def _queue_fill(self, box: CodeBlock | LongTextBlock) -> None:
        self._highlights.add_fill(box)
        self._work_timer.start()

    def _scroll_to(self, entry: Entry) -> None:
        """Bring a message's top on screen and build its row, whatever it costs."""
        self.verticalScrollBar().setValue(self._list.top(self._list.entries.index(entry)))
        self._layout(1.0)

    # -- events ---------------------------------------------------------------------------------

    @Slot(int)
    def _scrolled(self, value: int) -> None:
        if self._programmatic:
            return
        self._follow = value >= self.verticalScrollBar().maximum() - 2
        self._layout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._layout()
        if cold_languages():
            self._work_timer.start()
        self._clock.update(self.isVisible())

    def hideEvent(self, event: QHideEvent) -> None:
        if not event.spontaneous():  # closed or hidden by the app: nothing may keep running
            self.flush()
            self._work_timer.stop()
            self._clock.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in view_parts.RESTYLE_EVENTS:
            self._restyle()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._fix_tab_order()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not view_parts.scroll_key(self, event):
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab among the rows scroll the focused part into view."""
        self._fix_tab_order()
        moved = super().focusNextPrevChild(forward)
        focus = QApplication.focusWidget()
        if moved and not self._in_layout and focus is not None \
                and self.viewport().isAncestorOf(focus):
            view_parts.ensure_visible(self, focus)
        return moved

    def _restyle(self) -> None:
        """Theme or font changed: rows are built again in the new look."""
        ctx = self._make_ctx()
        if ctx.theme == self._ctx.theme and ctx.font == self._ctx.font:
            return
        self._ctx = ctx
        self._highlights.clear()
        view_parts.restyle_viewport(self)
        view_parts.style_jump(self._jump)
        for entry in list(self._list.rows):
            self._list.drop_row(entry)
        self._list.width = -1
        if self._stream is not None:
            row = self._list.row_for(self._stream.entry, self._ctx)
            row.set_streaming(True)
            self._stream.rebuild(row)
        self._layout()

    def _open_link(self, url: QUrl) -> None:
        if view_parts.open_link(url):
            self.link_opened.emit(url.toString())

