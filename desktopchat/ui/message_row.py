"""One message on screen: who and when, its actions, its reasoning, its body and its notes.

Rows are plain widgets placed by hand (``relayout``): no Qt layouts, so measuring a row costs
only its pieces. Rows are built while scrolling, so a row makes only what its message shows:
the header's words are painted, and the reasoning section, branch arrows, status note and
notices are created the first time a message has them. The row talks back to the view through
``RowHost``.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QDate, QDateTime, QLocale, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QPlainTextEdit, QToolButton, QWidget

from desktopchat.ui.blocks import ActionButton, ProseBlock, RenderContext, plain_label
from desktopchat.ui.i18n import status_note, translate
from desktopchat.ui.message_body import MessageBody
from desktopchat.ui.theme import icon
from desktopchat.ui.transcript import Entry
from desktopchat.ui.view_parts import role_label

HEADER = 28
PAD_TOP = 10
PAD_BOTTOM = 14
BUBBLE_PAD = 12
BUBBLE_MAX = 0.85  # of the column
ROW_ICONS = ("chevron-left", "chevron-right", "chevron-down", "copy", "check", "pencil",
             "trash-2")


class RowHost(Protocol):
    @property
    def is_streaming(self) -> bool: ...
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


class InlineEditor(QPlainTextEdit):
    """Editing a message in place: Enter saves and resends, Shift+Enter is a new line, Esc
    cancels."""

    def __init__(self, row: MessageRow, text: str) -> None:
        super().__init__(row)
        self._row = row
        self.setPlainText(text)
        self.setAccessibleName(translate("MessageRow", "Edit message"))
        self.setAccessibleDescription(translate("MessageRow",
                                                "Enter saves and resends, Escape cancels"))
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(6)
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
        lines = min(max(self.document().lineCount(), 3), 12)
        return lines * QFontMetrics(self.font()).lineSpacing() + 20


class Reasoning:
    """The reasoning section: a toggle ("Thought for 12 s", or "Thinking… 7 s" with a running
    timer) and the text, muted, shown when expanded and appended live while thinking."""

    def __init__(self, row: MessageRow) -> None:
        t = row.ctx.theme
        self.button = ActionButton("chevron-right", "",
                                   translate("MessageRow", "Show reasoning"), row, t)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.clicked.connect(row.toggle_reasoning)
        pal = self.button.palette()
        pal.setColor(QPalette.ColorRole.ButtonText, QColor(t.muted))
        self.button.setPalette(pal)
        self.text = ProseBlock(row.ctx, row)
        pal = self.text.palette()
        pal.setColor(QPalette.ColorRole.Text, QColor(t.muted))
        self.text.setPalette(pal)
        self.text.setAccessibleName(translate("MessageRow", "Reasoning"))
        self.shown = ""
        self.button.show()

    def update(self, row: MessageRow) -> None:
        ex = row.entry.extras
        expanded = ex.expanded
        self.text.setVisible(expanded)
        self.button.setIcon(icon("chevron-down" if expanded else "chevron-right",
                                 row.ctx.theme))
        self.button.setAccessibleName(translate("MessageRow", "Hide reasoning") if expanded
                                      else translate("MessageRow", "Show reasoning"))
        self.update_timer(row.entry)
        text = ex.reasoning or ""
        if expanded and text != self.shown:
            if self.shown and text.startswith(self.shown):
                self.text.append_tail(text[len(self.shown):])
            else:
                self.text.document().setPlainText(text)
            self.shown = text

    def update_timer(self, entry: Entry) -> None:
        ex = entry.extras
        if ex.thinking_live:
            since = entry.live_since
            secs = (ex.thinking_seconds or 0) + (time.monotonic() - since if since else 0)
            self.button.setText(translate("MessageRow", "Thinking… {seconds} s").format(
                seconds=int(secs)))
        elif ex.thinking_seconds is not None:
            self.button.setText(translate("MessageRow", "Thought for {seconds} s").format(
                seconds=round(ex.thinking_seconds)))
        else:
            self.button.setText(translate("MessageRow", "Reasoning"))


class MessageRow(QFrame):
    def __init__(self, host: RowHost, entry: Entry, ctx: RenderContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.entry = entry
        self.ctx = ctx
        self.built_width = -1
        self._bubble = QRectF()
        self.editor: InlineEditor | None = None
        self.reasoning: Reasoning | None = None
        self.prev_button: ActionButton | None = None
        self.next_button: ActionButton | None = None
        self.branch_label: QLabel | None = None
        self.status_label: QLabel | None = None
        self.notice_labels: list[QLabel] = []
        self.edit_button: ActionButton | None = None
        self._streaming = False
        self._header_room = 0
        self.body = MessageBody(ctx, self)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if entry.is_notice:
            self.notice_labels = [plain_label(entry.content, self, ctx.theme.muted)]
            self.notice_labels[0].setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.setAccessibleName(translate("MessageRow", "Notice: {text}").format(
                text=entry.content[:200]))
            return
        self.who = role_label(entry.role)
        self.meta_text = " · ".join(x for x in (None if entry.is_user else entry.model,
                                                format_time(entry.created_at)) if x)
        self.setAccessibleName(translate("MessageRow", "Message from {who}").format(
            who=self.who) + (f", {self.meta_text}" if self.meta_text else ""))
        t = ctx.theme
        self.copy_button = ActionButton("copy", "", translate("MessageRow", "Copy message"),
                                        self, t)
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.copy_button)
        menu.addAction(translate("MessageRow", "Copy as Markdown"),
                       lambda: host.row_copy(self.entry, False))
        menu.addAction(translate("MessageRow", "Copy as plain text"),
                       lambda: host.row_copy(self.entry, True))
        self.copy_button.setMenu(menu)
        self.copy_button.clicked.connect(lambda: host.row_copy(self.entry, False))
        if entry.is_user:
            self.edit_button = ActionButton("pencil", "",
                                            translate("MessageRow", "Edit message"), self, t)
            self.edit_button.clicked.connect(lambda: host.row_edit(self.entry))
            self.edit_button.setEnabled(not host.is_streaming)
        self.delete_button = ActionButton("trash-2", "",
                                          translate("MessageRow", "Delete message"), self, t)
        self.delete_button.clicked.connect(lambda: host.row_delete(self.entry))
        self.body.set_segments(entry.segments())
        self.update_extras()
        self.update_status()

    # content --------------------------------------------------------------------------------

    def build_step(self, deadline: float) -> bool:
        return self.body.build_step(deadline)

    def update_status(self) -> None:
        """The status note ("(stopped)") and notices under the message."""
        if self.entry.is_notice:
            return
        note = self.entry.status.note
        if note and self.status_label is None:
            self.status_label = plain_label("", self, self.ctx.theme.warning)
        if self.status_label is not None:
            self.status_label.setText(f"({status_note(note)})" if note else "")
            self.status_label.setVisible(bool(note))
        for lab in self.notice_labels:
            lab.deleteLater()
        self.notice_labels = [plain_label(n, self, self.ctx.theme.muted)
                              for n in self.entry.notices]
        self.set_streaming(False)

    def set_streaming(self, streaming: bool) -> None:
        """While a reply streams it has no Copy or Delete yet, and its arrows are off."""
        if self.entry.is_notice:
            return
        self._streaming = streaming
        self.copy_button.setVisible(not streaming)
        self.delete_button.setVisible(not streaming)
        branch = self.entry.extras.branch
        if self.prev_button is not None and self.next_button is not None and branch:
            self.prev_button.setEnabled(not streaming and branch[0] > 1)
            self.next_button.setEnabled(not streaming and branch[0] < branch[1])

    def update_extras(self) -> None:
        """Show the reasoning section and branch arrows as ``entry.extras`` says."""
        if self.entry.is_notice:
            return
        ex = self.entry.extras
        if ex.branch is not None and self.prev_button is None:
            t = self.ctx.theme
            self.prev_button = ActionButton("chevron-left", "",
                                            translate("MessageRow", "Previous version"), self, t)
            self.branch_label = plain_label("", self, t.muted)
            self.branch_label.setWordWrap(False)
            self.next_button = ActionButton("chevron-right", "",
                                            translate("MessageRow", "Next version"), self, t)
            self.prev_button.clicked.connect(lambda: self.host.row_branch(self.entry, -1))
            self.next_button.clicked.connect(lambda: self.host.row_branch(self.entry, +1))
        if self.prev_button and self.next_button and self.branch_label:
            shown = ex.branch is not None and ex.branch[1] > 1
            for w in (self.prev_button, self.branch_label, self.next_button):
                w.setVisible(shown)
            if ex.branch is not None:
                self.branch_label.setText(f"{ex.branch[0]}/{ex.branch[1]}")
                self.branch_label.setAccessibleName(
                    translate("MessageRow", "Version {index} of {count}").format(
                        index=ex.branch[0], count=ex.branch[1]))
            self.set_streaming(self._streaming)
        if ex.has_reasoning and self.reasoning is None:
            self.reasoning = Reasoning(self)
        if self.reasoning is not None:
            self.reasoning.button.setVisible(ex.has_reasoning)
            self.reasoning.update(self)
            if not ex.has_reasoning:
                self.reasoning.text.hide()

    def update_timer(self) -> None:
        if self.reasoning is not None:
            self.reasoning.update_timer(self.entry)

    def toggle_reasoning(self) -> None:
        self.host.row_reasoning(self.entry, not self.entry.extras.expanded)

    def reasoning_label(self) -> str:
        return self.reasoning.button.text() if self.reasoning is not None else ""

    def copied_feedback(self, on: bool) -> None:
        if self.entry.is_notice:
            return
        self.copy_button.setIcon(icon("check" if on else "copy", self.ctx.theme))
        self.copy_button.setText(translate("MessageRow", "Copied") if on else "")
        self.copy_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if on
            else Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.copy_button.setAccessibleDescription(translate("MessageRow", "Copied") if on
                                                  else "")
        self.host.row_resized(self)

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
            lab = self.notice_labels[0]
            h = lab.heightForWidth(width - 40)
            lab.setGeometry(20, 8, width - 40, h)
            return h + 16
        y = PAD_TOP
        self._place_actions(width, y)
        y += HEADER + 4
        r = self.reasoning
        if r is not None and not r.button.isHidden():
            hint = r.button.sizeHint()
            r.button.setGeometry(0, y, hint.width(), hint.height())
            y += hint.height() + 2
            if not r.text.isHidden():
                th = r.text.height_for(width - 16)
                r.text.setGeometry(14, y, width - 16, th)
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
        labels = [] if self.status_label is None or self.status_label.isHidden() \
            else [self.status_label]
        for lab in labels + self.notice_labels:
            lh = lab.heightForWidth(width)
            lab.setGeometry(0, y + 4, width, lh)
            y += lh + 4
        return y + PAD_BOTTOM

    def _actions(self) -> list[QWidget]:
        return [w for w in (self.prev_button, self.branch_label, self.next_button,
                            self.copy_button, self.edit_button, self.delete_button)
                if w is not None and not w.isHidden()]

    def _place_actions(self, width: int, y: int) -> None:
        actions = self._actions()
        widths = [w.sizeHint().width() for w in actions]
        actions_w = sum(widths) + 2 * len(widths)
        if self.entry.is_user:  # left of the right-aligned "You · time"
            x = width - self._header_width() - 8 - actions_w
        else:
            x = width - actions_w
        self._header_room = max(0, width - actions_w - 12)
        for w, aw in zip(actions, widths, strict=True):
            w.setGeometry(x, y + 1, aw, HEADER - 2)
            x += aw + 2

    def _header_width(self) -> int:
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        return QFontMetrics(bold).horizontalAdvance(self.who) + 8 + \
            self.fontMetrics().horizontalAdvance(self.meta_text)

    def focus_widgets(self) -> list[QWidget]:
        """Interactive children in reading order (the view chains them for Tab)."""
        if self.entry.is_notice:
            return []
        out: list[QWidget] = [w for w in self._actions() if isinstance(w, ActionButton)]
        r = self.reasoning
        if r is not None and not r.button.isHidden():
            out.append(r.button)
        if self.editor is not None:
            return [*out, self.editor]
        if r is not None and not r.text.isHidden():
            out.append(r.text)
        return out + self.body.focus_widgets()

    def plain_text(self) -> str:
        return self.body.plain_text()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.entry.is_notice:
            return
        t = self.ctx.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_header(p)
        p.setPen(Qt.PenStyle.NoPen)
        if not self._bubble.isNull():
            p.setBrush(QColor(t.user_bubble))
            p.drawRoundedRect(self._bubble, 14, 14)
        r = self.reasoning
        if r is not None and not r.text.isHidden():  # a rule beside it, as a quote has
            g = r.text.geometry()
            p.setBrush(QColor(t.border))
            p.drawRoundedRect(QRectF(5, g.top(), 3, g.height()), 1.5, 1.5)
        p.end()

    def _paint_header(self, p: QPainter) -> None:
        """Who and when, drawn as plain text (a model name is never markup)."""
        t = self.ctx.theme
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        who_w = QFontMetrics(bold).horizontalAdvance(self.who)
        room = self._header_room or self.width()
        meta = self.fontMetrics().elidedText(self.meta_text, Qt.TextElideMode.ElideRight,
                                             max(0, room - who_w - 8))
        x = 0
        if self.entry.is_user:
            x = self.width() - self._header_width()
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        p.setFont(bold)
        p.setPen(QColor(t.text))
        p.drawText(QRect(x, PAD_TOP, who_w + 2, HEADER), flags, self.who)
        p.setFont(self.font())
        p.setPen(QColor(t.muted))
        p.drawText(QRect(x + who_w + 8, PAD_TOP, max(0, room - who_w), HEADER), flags, meta)
