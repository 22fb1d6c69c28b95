"""The transcript: one QTextBrowser that only ever appends while a reply streams.

Streaming cost is bounded: text batches are coalesced by a timer (at most ~50 repaints a second),
plain text is appended at the end of the document, and when a markdown block completes only that
block's plain text is replaced by its rendered HTML. The transcript is rendered in full only when
a conversation is opened.

Model output is untrusted: raw HTML is escaped by the markdown renderer, ``loadResource`` serves
nothing (no local or remote fetches), and only http(s) links open, on click, in the system browser.
"""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Sequence

from PySide6.QtCore import QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QHideEvent,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktopchat.chat.types import MessageStatus, Role, StoredMessage
from desktopchat.ui.markdown import (
    EAGER_LANGUAGES,
    BlockSplitter,
    MarkdownRenderer,
    cold_languages,
    warm_up_lexer,
)

log = logging.getLogger(__name__)

FLUSH_MS = 20  # coalescing interval for streamed text
WARM_MS = 50  # between two lexers prepared at start-up (each takes 10-60 ms once)


def _paragraph_format() -> QTextBlockFormat:
    """The block a streamed reply's text goes into: plain, with paragraph spacing below."""
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(8)
    return fmt


class ChatView(QTextBrowser):
    """Signals:
        edit_requested(int message_id): the user clicked Edit on one of their messages.
        link_opened(str url): an http(s) link was handed to the system browser.
    """

    edit_requested = Signal(int)
    link_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(12)
        self.anchorClicked.connect(self._on_anchor)
        self._action = f"dc{secrets.token_hex(4)}"  # scheme for our own links; unguessable
        self._code: dict[int, str] = {}
        self._renderer = MarkdownRenderer(self._register_code)
        for lang in EAGER_LANGUAGES:  # once per process, before the window first shows
            warm_up_lexer(lang)
        self._warm_timer = QTimer(self)  # prepares one lexer per idle moment while shown
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_MS)
        self._warm_timer.timeout.connect(self._warm_next)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._pending: list[str] = []
        self._splitter: BlockSplitter | None = None
        self._rendered_to = 0  # source chars already shown as rendered HTML
        self._tail_pos = 0  # document position where the plain (unrendered) tail starts
        self.repaints = 0  # flushes that changed the document (for tests and benchmarks)
        self.streaming_message_id: int | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if cold_languages():
            self._warm_timer.start(WARM_MS)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._warm_timer.stop()
        super().hideEvent(event)

    @Slot()
    def _warm_next(self) -> None:
        if self._splitter is not None:  # a reply is streaming: try again after it
            self._warm_timer.start(500)
            return
        cold = cold_languages()
        if cold:
            warm_up_lexer(cold[0])
        if len(cold) > 1:
            self._warm_timer.start(WARM_MS)

    # -- safety ---------------------------------------------------------------------------------

    def loadResource(self, type_: int, name: QUrl) -> object:  # noqa: N802 - Qt override
        """Nothing is ever loaded: not images, not stylesheets, not files, not URLs."""
        log.debug("blocked resource load: %s", name.toString())
        return None

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == self._action:
            kind, _, arg = url.path().partition("/")
            if kind == "copy" and arg.isdigit() and int(arg) in self._code:
                QGuiApplication.clipboard().setText(self._code[int(arg)])
            elif kind == "edit" and arg.isdigit():
                self.edit_requested.emit(int(arg))
            return
        if url.scheme() in ("http", "https", "mailto") and url.isValid():
            self.link_opened.emit(url.toString())
            QDesktopServices.openUrl(url)
        else:
            log.info("refused to open link %r", url.toString())

    def _register_code(self, code: str) -> str:
        key = len(self._code)
        self._code[key] = code
        return f"{self._action}:copy/{key}"

    def code_blocks(self) -> list[str]:
        return list(self._code.values())

    # -- whole messages ---------------------------------------------------------------------------

    def clear_transcript(self) -> None:
        self._flush_timer.stop()
        self._pending.clear()
        self._splitter = None
        self.streaming_message_id = None
        self._code.clear()
        self.clear()

    def show_messages(self, messages: Sequence[StoredMessage]) -> None:
        self.clear_transcript()
        for m in messages:
            self.append_message(m)

    def _header(self, role: str, message_id: int, model: str | None) -> str:
        if role == Role.USER.value:
            return (
                f'<p style="margin-top:14px"><b>You</b>&nbsp;&nbsp;'
                f'<a href="{self._action}:edit/{message_id}" style="color:#6b7280">Edit</a></p>'
            )
        if role == Role.SYSTEM.value:
            return '<p style="margin-top:14px"><b>System</b></p>'
        who = html.escape(model or "Assistant")
        return f'<p style="margin-top:14px"><b>Assistant</b> <span style="color:#6b7280">· {who}</span></p>'

    def _cursor_at_end(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    def _append_html(self, fragment: str) -> None:
        at_bottom = self._at_bottom()
        cursor = self._cursor_at_end()
        if not self.document().isEmpty():
            cursor.insertBlock()
        cursor.insertHtml(fragment)
        if at_bottom:
            self._scroll_to_bottom()

    def append_message(self, m: StoredMessage) -> None:
        body = self._renderer.render(m.content) if m.content else ""
        note = m.status.note
        if note:
            body += f'<p style="color:#9a3412"><i>({html.escape(note)})</i></p>'
        self._append_html(self._header(m.role, m.id, m.model) + body)

    def append_notice(self, text: str) -> None:
        self._append_html(f'<p style="color:#6b7280"><i>{html.escape(text)}</i></p>')

    # -- streaming --------------------------------------------------------------------------------

    def begin_reply(self, message_id: int, model: str | None, partial: str = "") -> None:
        """Start showing a reply; ``partial`` is text already generated (when switching back)."""
        self.flush()
        self._append_html(self._header(Role.ASSISTANT.value, message_id, model))
        cursor = self._cursor_at_end()
        cursor.insertBlock(_paragraph_format(), QTextCharFormat())
        self._tail_pos = cursor.position()
        self._splitter = BlockSplitter()
        self._rendered_to = 0
        self.streaming_message_id = message_id
        if partial:
            self.append_stream(partial)
            self.flush()

    def append_stream(self, text: str) -> None:
        if self._splitter is None or not text:
            return
        self._pending.append(text)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def flush(self) -> None:
        self._flush_timer.stop()
        if self._splitter is None or not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        at_bottom = self._at_bottom()
        splitter = self._splitter
        boundary = splitter.feed(text)
        cursor = self._cursor_at_end()
        if boundary > self._rendered_to:
            self._render_finished_blocks(cursor, boundary)
        else:
            cursor.insertText(text, QTextCharFormat())
        self.repaints += 1
        if at_bottom:
            self._scroll_to_bottom()

    def _render_finished_blocks(self, cursor: QTextCursor, boundary: int) -> None:
        assert self._splitter is not None
        src = self._splitter.source
        cursor.setPosition(self._tail_pos)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertHtml(self._renderer.render(src[self._rendered_to:boundary]))
        self._rendered_to = boundary
        cursor.insertBlock(_paragraph_format(), QTextCharFormat())
        self._tail_pos = cursor.position()
        rest = src[boundary:]
        if rest:
            cursor.insertText(rest, QTextCharFormat())

    def end_reply(self, status: MessageStatus, notices: Sequence[str] = ()) -> None:
        """Render what is left of the reply as markdown and add the status note."""
        self.flush()
        splitter = self._splitter
        if splitter is not None:
            src = splitter.source
            cursor = self._cursor_at_end()
            cursor.setPosition(self._tail_pos)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            rest = src[self._rendered_to:]
            if rest.strip():
                cursor.insertHtml(self._renderer.render(rest))
            elif self._tail_pos > 0 and cursor.block().length() == 1:
                cursor.deletePreviousChar()  # drop the empty block the tail was kept in
        self._splitter = None
        self.streaming_message_id = None
        if status.note:
            self.append_notice(f"({status.note})")
        for n in notices:
            self.append_notice(n)

    @property
    def is_streaming(self) -> bool:
        return self._splitter is not None

    # -- scrolling ----------------------------------------------------------------------------

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
