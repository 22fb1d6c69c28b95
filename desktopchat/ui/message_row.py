"""One message on screen: who and when, its actions, its reasoning, its body and its notes.

Rows are plain widgets placed by hand (``relayout``): no Qt layouts, so measuring a row costs
only its pieces. The view creates rows for the messages near the screen and keeps a few; the
row talks back to the view through ``RowHost``.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, QLocale, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QPlainTextEdit, QToolButton, QWidget

from desktopchat.chat.types import Role
from desktopchat.ui.blocks import ActionButton, ProseBlock, RenderContext
from desktopchat.ui.message_body import MessageBody
from desktopchat.ui.theme import icon
from desktopchat.ui.transcript import Entry

HEADER = 28
PAD_TOP = 10
PAD_BOTTOM = 14
BUBBLE_PAD = 12
BUBBLE_MAX = 0.85  # of the column
ROW_ICONS = ("chevron-left", "chevron-right", "chevron-down", "copy", "check", "pencil",
             "trash-2")


class RowHost(Protocol):
    def row_copy(self, entry: Entry, plain: bool) -> None: ...
    def row_edit(self, entry: Entry) -> None: ...
    def row_edit_done(self, entry: Entry, text: str | None) -> None: ...
    def row_delete(self, entry: Entry) -> None: ...
    def row_branch(self, entry: Entry, delta: int) -> None: ...
    def row_reasoning(self, entry: Entry, expanded: bool) -> None: ...
    def row_resized(self, row: MessageRow) -> None: ...


def format_time(ts: float) -> str:
    if ts <= 0:
        return ""
    dt = QDateTime.fromSecsSinceEpoch(int(ts))
    loc = QLocale.system()
    if dt.date() == QDate.currentDate():
        return loc.toString(dt.time(), QLocale.FormatType.ShortFormat)
    return loc.toString(dt, QLocale.FormatType.ShortFormat)


def _label(text: str, parent: QWidget, colour: str, bold: bool = False) -> QLabel:
    lab = QLabel(text, parent)
    lab.setTextFormat(Qt.TextFormat.PlainText)  # names and models come from outside
    lab.setStyleSheet(f"color: {colour};" + (" font-weight: 600;" if bold else ""))
    return lab


class InlineEditor(QPlainTextEdit):
    """Editing a message in place: Enter saves and resends, Shift+Enter is a new line, Esc
    cancels."""

    def __init__(self, row: MessageRow, text: str) -> None:
        super().__init__(row)
        self._row = row
        self.setPlainText(text)
        self.setAccessibleName("Edit message")
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(6)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.textChanged.connect(row.editor_grew)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                mods & Qt.KeyboardModifier.ShiftModifier):
            self._row.finish_edit(save=True)
            return
        if key == Qt.Key.Key_Escape:
            self._row.finish_edit(save=False)
            return
        super().keyPressEvent(event)

    def wanted_height(self) -> int:
        fm = QFontMetrics(self.font())
        lines = min(max(self.document().lineCount(), 3), 12)
        return lines * fm.lineSpacing() + 20


class ReasoningText(ProseBlock):
    """The model's reasoning: plain text in a muted colour, appended live while it thinks."""

    def set_text(self, text: str) -> None:
        self.document().setPlainText(text)


class MessageRow(QFrame):
    def __init__(self, host: RowHost, entry: Entry, ctx: RenderContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.entry = entry
        self.ctx = ctx
        t = ctx.theme
        self.built_width = -1
        self._bubble = QRectF()
        self.editor: InlineEditor | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if entry.is_notice:
            self.role_label = _label(entry.content, self, t.muted)
            self.role_label.setWordWrap(True)
            self.role_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.setAccessibleName(f"Notice: {entry.content[:200]}")
            self.body = MessageBody(ctx, self)
            return
        who = {Role.USER.value: "You", Role.SYSTEM.value: "System"}.get(entry.role, "Assistant")
        self.role_label = _label(who, self, t.text, bold=True)
        meta = " · ".join(x for x in (entry.model if not entry.is_user else None,
                                      format_time(entry.created_at)) if x)
        self.meta_label = _label(meta, self, t.muted)
        self.setAccessibleName(f"Message from {who}" + (f", {meta}" if meta else ""))
        self.prev_button = ActionButton("chevron-left", "", "Previous version", self, t)
        self.next_button = ActionButton("chevron-right", "", "Next version", self, t)
        self.branch_label = _label("", self, t.muted)
        self.prev_button.clicked.connect(lambda: host.row_branch(self.entry, -1))
        self.next_button.clicked.connect(lambda: host.row_branch(self.entry, +1))
        self.copy_button = ActionButton("copy", "", "Copy message", self, t)
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.copy_button)
        menu.addAction("Copy as Markdown", lambda: host.row_copy(self.entry, False))
        menu.addAction("Copy as plain text", lambda: host.row_copy(self.entry, True))
        self.copy_button.setMenu(menu)
        self.copy_button.clicked.connect(lambda: host.row_copy(self.entry, False))
        self.edit_button = ActionButton("pencil", "", "Edit message", self, t)
        self.edit_button.clicked.connect(lambda: host.row_edit(self.entry))
        self.edit_button.setVisible(entry.is_user)
        self.delete_button = ActionButton("trash-2", "", "Delete message", self, t)
        self.delete_button.clicked.connect(lambda: host.row_delete(self.entry))
        self.reasoning_button = ActionButton("chevron-right", "", "Show reasoning", self, t)
        self.reasoning_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reasoning_button.setStyleSheet(f"color: {t.muted};")
        self.reasoning_button.clicked.connect(self._toggle_reasoning)
        self.reasoning_text = ReasoningText(ctx, self)
        pal = self.reasoning_text.palette()
        pal.setColor(pal.ColorRole.Text, QColor(t.muted))
        self.reasoning_text.setPalette(pal)
        self.reasoning_text.setAccessibleName("Reasoning")
        self._reasoning_shown = ""
        self.body = MessageBody(ctx, self)
        self.body.set_segments(entry.segments())
        self.status_label = _label("", self, t.warning)
        self.notice_labels: list[QLabel] = []
        self.update_extras()
        self.update_status()

    # content --------------------------------------------------------------------------------

    def build_step(self, deadline: float) -> bool:
        return self.body.build_step(deadline)

    def update_status(self) -> None:
        if self.entry.is_notice:
            return
        note = self.entry.status.note
        self.status_label.setText(f"({note})" if note else "")
        self.status_label.setVisible(bool(note))
        for lab in self.notice_labels:
            lab.deleteLater()
        self.notice_labels = []
        for text in self.entry.notices:
            lab = _label(text, self, self.ctx.theme.muted)
            lab.setWordWrap(True)
            lab.show()
            self.notice_labels.append(lab)
        self.set_streaming(False)

    def set_streaming(self, streaming: bool) -> None:
        """While a reply streams it can't be edited, deleted or flipped."""
        if self.entry.is_notice:
            return
        for b in (self.delete_button, self.prev_button, self.next_button, self.copy_button):
            b.setEnabled(not streaming)
        branch = self.entry.extras.branch
        if branch is not None and not streaming:
            self.prev_button.setEnabled(branch[0] > 1)
            self.next_button.setEnabled(branch[0] < branch[1])

    def update_extras(self) -> None:
        """Show the reasoning section and branch arrows as ``entry.extras`` says."""
        if self.entry.is_notice:
            return
        ex = self.entry.extras
        branch = ex.branch
        for w in (self.prev_button, self.next_button, self.branch_label):
            w.setVisible(branch is not None and branch[1] > 1)
        if branch is not None:
            self.branch_label.setText(f"{branch[0]}/{branch[1]}")
            self.branch_label.setAccessibleName(f"Version {branch[0]} of {branch[1]}")
            self.prev_button.setEnabled(branch[0] > 1)
            self.next_button.setEnabled(branch[0] < branch[1])
        has = ex.has_reasoning
        self.reasoning_button.setVisible(has)
        expanded = has and ex.expanded
        self.reasoning_text.setVisible(expanded)
        self.reasoning_button.setIcon(icon("chevron-down" if expanded else "chevron-right",
                                           self.ctx.theme))
        self.reasoning_button.setAccessibleName("Hide reasoning" if expanded else "Show reasoning")
        self.update_timer()
        text = ex.reasoning or ""
        if expanded and text != self._reasoning_shown:
            if text.startswith(self._reasoning_shown) and self._reasoning_shown:
                self.reasoning_text.append_tail(text[len(self._reasoning_shown):])
            else:
                self.reasoning_text.set_text(text)
            self._reasoning_shown = text

    def update_timer(self) -> None:
        ex = self.entry.extras
        if ex.thinking_live:
            since = self.entry.live_since
            secs = (ex.thinking_seconds or 0) + (time.monotonic() - since if since else 0)
            self.reasoning_button.setText(f"Thinking… {int(secs)} s")
        elif ex.thinking_seconds is not None:
            self.reasoning_button.setText(f"Thought for {round(ex.thinking_seconds)} s")
        else:
            self.reasoning_button.setText("Reasoning")

    def _toggle_reasoning(self) -> None:
        self.host.row_reasoning(self.entry, not self.entry.extras.expanded)

    def copied_feedback(self, on: bool) -> None:
        if self.entry.is_notice:
            return
        self.copy_button.setIcon(icon("check" if on else "copy", self.ctx.theme))
        self.copy_button.setText("Copied" if on else "")
        self.copy_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if on
            else Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.copy_button.setAccessibleDescription("Copied" if on else "")

    # editing ----------------------------------------------------------------------------------

    def start_edit(self) -> InlineEditor:
        if self.editor is None:
            self.editor = InlineEditor(self, self.entry.content)
            self.editor.show()
            self.body.hide()
        self.editor.setFocus()
        self.host.row_resized(self)
        return self.editor

    def finish_edit(self, save: bool) -> None:
        editor = self.editor
        if editor is None:
            return
        text = editor.toPlainText()
        self.editor = None
        editor.hide()
        editor.deleteLater()
        self.body.show()
        self.host.row_edit_done(self.entry, text if save else None)

    def editor_grew(self) -> None:
        self.host.row_resized(self)

    # geometry ---------------------------------------------------------------------------------

    def relayout(self, width: int) -> int:
        """Place everything for a column ``width`` wide; returns the row's height."""
        self.built_width = width
        if self.entry.is_notice:
            h = self.role_label.heightForWidth(width - 40)
            self.role_label.setGeometry(20, 8, width - 40, h)
            return h + 16
        y = PAD_TOP
        self._place_header(width, y)
        y += HEADER + 4
        if not self.reasoning_button.isHidden():
            rh = self.reasoning_button.sizeHint().height()
            self.reasoning_button.setGeometry(0, y, self.reasoning_button.sizeHint().width(), rh)
            y += rh + 2
            if not self.reasoning_text.isHidden():
                th = self.reasoning_text.height_for(width - 16)
                self.reasoning_text.setGeometry(14, y, width - 16, th)
                y += th + 8
        if self.editor is not None:
            eh = self.editor.wanted_height()
            self.editor.setGeometry(0, y, width, eh)
            y += eh
            self._bubble = QRectF()
        elif self.entry.is_user:
            inner_max = int(width * BUBBLE_MAX) - 2 * BUBBLE_PAD
            bh = self.body.relayout(inner_max)
            inner = self.body.natural_width(inner_max)
            if inner != inner_max:
                bh = self.body.relayout(inner)
            left = width - inner - 2 * BUBBLE_PAD
            self.body.move(left + BUBBLE_PAD, y + BUBBLE_PAD)
            self._bubble = QRectF(left, y, inner + 2 * BUBBLE_PAD, bh + 2 * BUBBLE_PAD)
            y += bh + 2 * BUBBLE_PAD
        else:
            bh = self.body.relayout(width)
            self.body.move(0, y)
            y += bh
        for lab in ([] if self.status_label.isHidden() else [self.status_label]) + \
                self.notice_labels:
            lh = lab.heightForWidth(width)
            lab.setGeometry(0, y + 4, width, lh)
            y += lh + 4
        return y + PAD_BOTTOM

    def _place_header(self, width: int, y: int) -> None:
        buttons = [b for b in (self.prev_button, self.branch_label, self.next_button,
                               self.copy_button, self.edit_button, self.delete_button)
                   if not b.isHidden()]
        widths = [b.sizeHint().width() for b in buttons]
        actions_w = sum(widths) + 2 * len(widths)
        rw = self.role_label.sizeHint().width()
        mw = self.meta_label.sizeHint().width()
        if self.entry.is_user:  # right-aligned above the bubble, actions to its left
            x = width - rw - mw - 8
            self.role_label.setGeometry(x, y, rw, HEADER)
            self.meta_label.setGeometry(x + rw + 8, y, mw, HEADER)
            x -= actions_w + 8
        else:
            self.role_label.setGeometry(0, y, rw, HEADER)
            self.meta_label.setGeometry(rw + 8, y, min(mw, width - rw - actions_w - 16), HEADER)
            x = width - actions_w
        for b, w in zip(buttons, widths, strict=True):
            b.setGeometry(x, y + 1, w, HEADER - 2)
            x += w + 2

    def focus_widgets(self) -> list[QWidget]:
        """Interactive children in reading order (the view chains them for Tab)."""
        if self.entry.is_notice:
            return []
        head = [self.prev_button, self.next_button, self.copy_button, self.edit_button,
                self.delete_button, self.reasoning_button]
        out: list[QWidget] = [w for w in head if not w.isHidden()]
        if self.editor is not None:
            return [*out, self.editor]
        if not self.reasoning_text.isHidden():
            out.append(self.reasoning_text)
        return out + self.body.focus_widgets()

    def plain_text(self) -> str:
        return self.body.plain_text()

    def paintEvent(self, event: QPaintEvent) -> None:
        reasoning = not self.entry.is_notice and not self.reasoning_text.isHidden()
        if self._bubble.isNull() and not reasoning:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        if not self._bubble.isNull():
            p.setBrush(QColor(self.ctx.theme.user_bubble))
            p.drawRoundedRect(self._bubble, 14, 14)
        if reasoning:  # a rule beside the reasoning, as a quote has
            g = self.reasoning_text.geometry()
            p.setBrush(QColor(self.ctx.theme.border))
            p.drawRoundedRect(QRectF(5, g.top(), 3, g.height()), 1.5, 1.5)
        p.end()
