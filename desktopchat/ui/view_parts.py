"""Small pieces of the chat view: its reading column, keyboard scrolling, Tab order, the
"Jump to latest" button and the transcript as text."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QDesktopServices,
    QFontInfo,
    QGuiApplication,
    QKeyEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton, QWidget

from desktopchat.chat.types import Role
from desktopchat.ui.blocks import RenderContext, name_scroll_bars
from desktopchat.ui.i18n import status_note, translate
from desktopchat.ui.markdown import SAFE_SCHEMES
from desktopchat.ui.message_body import segment_plain_text
from desktopchat.ui.theme import current_theme, icon
from desktopchat.ui.transcript import Entry

if TYPE_CHECKING:
    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.message_row import MessageRow

log = logging.getLogger(__name__)
RESTYLE_EVENTS = (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange,
                  QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                  QEvent.Type.StyleChange)  # the view's look is built again
ALWAYS_OFF = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
STRONG_FOCUS = Qt.FocusPolicy.StrongFocus
COLUMN_EMS = 56  # the reading column is this many font sizes wide (about 90 characters)


def open_link(url: QUrl) -> bool:
    """Hand an http(s) link to the system browser; anything else is refused (and logged)."""
    text = url.toString()
    if url.isValid() and text.lower().startswith(SAFE_SCHEMES):
        QDesktopServices.openUrl(url)
        return True
    log.info("refused to open link %r", text[:200])
    return False


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def announce(view: QWidget, entry: Entry, text: str) -> str:
    """Tell assistive technology that a reply finished (Qt 6.8+ announcements)."""
    said = translate("ChatView", "Reply from {model}: {text}").format(
        model=entry.model or translate("ChatView", "the assistant"), text=text[:400])
    if entry.status.note:
        said += f" ({status_note(entry.status.note)})"
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(view, said))
    return said


def name_view(view: QAbstractScrollArea) -> None:
    """The transcript and its scroll bars, named for screen readers."""
    view.setAccessibleName(translate("ChatView", "Conversation"))
    name_scroll_bars(view, translate("ChatView", "Conversation"))


def role_label(role: str) -> str:
    """Who wrote a message, as the view's header says it."""
    if role == Role.USER.value:
        return translate("MessageRow", "You")
    if role == Role.SYSTEM.value:
        return translate("MessageRow", "System")
    return translate("MessageRow", "Assistant")


def timer(parent: QObject, ms: int, slot: Callable[[], None], single: bool = True) -> QTimer:
    t = QTimer(parent)
    t.setSingleShot(single)
    t.setInterval(ms)
    t.timeout.connect(slot)
    return t


class RowClock(QObject):
    """What changes on rows with time: the "Copied" mark (1.5 s) and the running "Thinking…
    N s" of a reply that is thinking (a tick a second, only while one is)."""

    def __init__(self, parent: QObject, rows: Callable[[], Mapping[Entry, MessageRow]]) -> None:
        super().__init__(parent)
        self._rows = rows
        self._copied = timer(self, 1500, self.copied_done)
        self._ticker = timer(self, 1000, self._tick, single=False)
        self._copied_row: MessageRow | None = None

    def mark_copied(self, row: MessageRow) -> None:
        self.copied_done()
        row.copied_feedback(True)
        self._copied_row = row
        self._copied.start()

    @Slot()
    def copied_done(self) -> None:
        self._copied.stop()
        row, self._copied_row = self._copied_row, None
        if row is not None and row in self._rows().values():
            row.copied_feedback(False)

    def update(self, visible: bool) -> None:
        live = any(e.extras.thinking_live for e in self._rows())
        if live and visible and not self._ticker.isActive():
            self._ticker.start()
        elif not live:
            self._ticker.stop()

    def stop(self) -> None:
        self._ticker.stop()
        self.copied_done()

    @Slot()
    def _tick(self) -> None:
        for entry, row in self._rows().items():
            if entry.extras.thinking_live:
                row.update_timer()
        self.update(True)


def column(view: QAbstractScrollArea) -> tuple[int, int]:
    """(x, width) of the reading column: centred, at most COLUMN_EMS font sizes wide, so lines
    stay readable on wide windows."""
    vw = view.viewport().width()
    widest = max(600, QFontInfo(view.font()).pixelSize() * COLUMN_EMS)
    margin = 12 if vw < 600 else 24
    width = max(160, min(vw - 2 * margin, widest))
    return max(0, (vw - width) // 2), width


def restyle_viewport(view: QAbstractScrollArea) -> None:
    pal = view.viewport().palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(current_theme().base))
    pal.setColor(QPalette.ColorRole.Base, QColor(current_theme().base))
    view.viewport().setPalette(pal)
    view.viewport().setAutoFillBackground(True)


def jump_button(view: ChatView, slot: Callable[[], None]) -> QToolButton:
    b = QToolButton(view)
    b.setObjectName("jumpToLatest")
    b.setText(translate("ChatView", "Jump to latest"))
    b.setAccessibleName(translate("ChatView", "Jump to the latest message"))
    b.setToolTip(translate("ChatView", "Jump to the latest message (End)"))
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    style_jump(b)
    b.clicked.connect(slot)
    b.hide()
    restyle_viewport(view)
    return b


def style_jump(b: QToolButton) -> None:
    t = current_theme()
    b.setIcon(icon("arrow-down", t, "#ffffff"))
    b.setStyleSheet(
        f"QToolButton#jumpToLatest {{ background: {t.accent}; color: #ffffff; border: none;"
        " border-radius: 15px; padding: 5px 14px 5px 10px; font-weight: 600; }"
    )


def place_jump(view: ChatView) -> None:
    b = view._jump
    bar = view.verticalScrollBar()
    show = not view.is_following and bar.maximum() - bar.value() > 40
    if show:
        b.adjustSize()
        vp = view.viewport().geometry()
        b.move(vp.center().x() - b.width() // 2, vp.bottom() - b.height() - 14)
        b.raise_()
    b.setVisible(show)


def scroll_to_message(view: ChatView, message_id: int) -> bool:
    """Bring a message's top on screen and build its row (a search result was chosen); False
    when it is not in the transcript. The view stops following the end unless the message is
    there. (A function here because chat_view.py is at the project's size limit.)"""
    entry = view._list.find(message_id)
    if entry is None:
        return False
    view._scroll_to(entry)
    return True


def scroll_key(view: ChatView, event: QKeyEvent) -> bool:
    """Home and End for the transcript (Page Up/Down and arrows are the scroll area's)."""
    key = event.key()
    if key == Qt.Key.Key_End:
        view.scroll_to_bottom()
        return True
    if key == Qt.Key.Key_Home:
        view.verticalScrollBar().setValue(0)
        return True
    return False


def chain_focus(view: QWidget, rows: Sequence[MessageRow]) -> None:
    """Tab goes from the view through the rows on screen in reading order, then on to what
    followed the view (rows are created in scrolling order, not reading order)."""
    prev: QWidget = view
    for row in rows:
        for w in row.focus_widgets():
            QWidget.setTabOrder(prev, w)
            prev = w


def ensure_visible(view: ChatView, widget: QWidget) -> None:
    """Scroll so a widget that got the keyboard focus is on screen."""
    vp = view.viewport()
    top = widget.mapTo(vp, QPoint(0, 0)).y()
    h = min(widget.height(), vp.height())
    bar = view.verticalScrollBar()
    if top < 0:
        bar.setValue(bar.value() + top - 12)
    elif top + h > vp.height():
        bar.setValue(bar.value() + top + h - vp.height() + 12)


def transcript_text(entries: Sequence[Entry], rows: Mapping[Entry, MessageRow],
                    ctx: RenderContext) -> str:
    parts: list[str] = []
    for e in entries:
        if e.is_notice:
            parts.append(e.content)
            continue
        who = role_label(e.role)
        header = f"{who} · {e.model}" if e.model and not e.is_user else who
        row = rows.get(e)
        if row is not None:
            body = row.plain_text()
            reasoning = row.reasoning_label() if e.extras.has_reasoning else ""
        else:
            body = "\n\n".join(segment_plain_text(s, ctx) for s in e.segments())
            reasoning = translate("MessageRow", "Reasoning") if e.extras.has_reasoning else ""
        if reasoning and e.extras.expanded and e.extras.reasoning:
            reasoning += "\n" + e.extras.reasoning
        note = f"({status_note(e.status.note)})" if e.status.note else ""
        parts.append("\n".join(x for x in (header, reasoning, body, note, *e.notices) if x))
    return "\n\n".join(parts)
