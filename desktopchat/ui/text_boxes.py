"""Code blocks and long plain text: QPlainTextEdit boxes, which lay out lazily, so any length
costs what is on screen. A code block scrolls sideways on its own (a long line never moves the
transcript) and is coloured later, in idle moments; a long-text box says why it is plain."""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QTextCursor,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QWidget

from desktopchat.ui.blocks import (
    TEXT_FLAGS,
    ActionButton,
    RenderContext,
    name_scroll_bars,
    pass_vertical_wheel,
    plain_label,
)
from desktopchat.ui.i18n import plain_reason, translate
from desktopchat.ui.markdown import break_appended, display_lines

CODE_MAX_LINES = 500  # taller code blocks scroll inside their box
LONG_BOX_LINES = 24  # plain-text boxes (very long content) show this many lines and scroll
FILL_CHUNK = 48_000  # characters a box takes at once; the rest follows in idle steps


ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_len(text: str) -> int:
    """``text``'s length as QTextDocument counts it (characters past U+FFFF count twice)."""
    return len(text) if text.isascii() else len(text) + len(ASTRAL.findall(text))


def fill_first(edit: QPlainTextEdit, shown: str) -> str:
    """Put the start of ``shown`` in ``edit`` now; returns what is left for idle steps (a
    900 kB block set at once held the window for a tenth of a second)."""
    if len(shown) <= FILL_CHUNK:
        edit.setPlainText(shown)
        return ""
    cut = shown.rfind("\n", 0, FILL_CHUNK)
    cut = cut if cut > 0 else FILL_CHUNK
    edit.setPlainText(shown[:cut])
    return shown[cut:]


def fill_more(edit: QPlainTextEdit, rest: str, deadline: float) -> str:
    """Append chunks of ``rest`` until ``deadline``; returns what is still left."""
    cursor = QTextCursor(edit.document())
    while rest and time.perf_counter() < deadline:
        cut = rest.rfind("\n", 1, FILL_CHUNK)
        cut = cut if cut > 0 and len(rest) > FILL_CHUNK else min(len(rest), FILL_CHUNK)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(rest[:cut])
        rest = rest[cut:]
    return rest


class _CodeText(QPlainTextEdit):
    """The code itself: no wrapping, its own horizontal scroll bar."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if pass_vertical_wheel(self, event):
            event.ignore()
            return
        super().wheelEvent(event)


class CodeBlock(QFrame):
    """A fenced code block: language, Copy, and the code, which scrolls sideways on its own.

    Signals:
        copied(str): the code was put on the clipboard.
    """

    copied = Signal(str)
    HEADER = 28

    def __init__(self, ctx: RenderContext, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.lang = lang
        self.code = ""  # the code as written (what Copy copies)
        self.highlight_pending = False
        t = ctx.theme
        self.setAccessibleName(translate("CodeBlock", "Code block") + (f", {lang}" if lang else ""))
        self.copy_button = ActionButton("copy", translate("CodeBlock", "Copy"),
                                        translate("CodeBlock", "Copy code"), self, t)
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy_button.clicked.connect(self._copy)
        self.text = _CodeText(self)
        self.text.setFont(ctx.code_font)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(TEXT_FLAGS)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setAccessibleName(translate("CodeBlock", "Code") + (f", {lang}" if lang else ""))
        name_scroll_bars(self.text, translate("CodeBlock", "Code"))
        self.text.document().setUndoRedoEnabled(False)
        self.text.document().setDocumentMargin(8)
        self.text.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        pal = self.text.palette()
        pal.setColor(QPalette.ColorRole.Base, QColor(t.code_bg))
        pal.setColor(QPalette.ColorRole.Text, QColor(t.code_fg))
        pal.setColor(QPalette.ColorRole.Highlight, QColor(t.selection))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor(t.code_fg))
        self.text.setPalette(pal)
        self._lines = 0  # display lines
        self._widest = 0  # characters in the widest display line
        self._last_line = 0  # characters in the last display line (streaming appends)
        self._shown = ""  # what the editor holds (display_lines(code) when lines are huge)
        fm = QFontMetrics(ctx.code_font)
        self._line_h = fm.lineSpacing()
        self._char_w = max(1, fm.horizontalAdvance("M"))
        self.note: QLabel | None = None
        self.unfilled = ""  # display text not in the editor yet (idle steps add it)

    def fill_step(self, deadline: float) -> bool:
        """Add more of a long block's text; True when all of it is in."""
        self.unfilled = fill_more(self.text, self.unfilled, deadline)
        return not self.unfilled

    def set_code(self, code: str) -> None:
        self.code = code
        shown = display_lines(code.rstrip("\n"))
        self._shown = shown
        self.unfilled = fill_first(self.text, shown)
        if self.unfilled:
            self._ctx.fill(self)
        self._lines = shown.count("\n") + 1
        self._widest = max((len(line) for line in shown.split("\n")), default=0)
        self._last_line = len(shown) - shown.rfind("\n") - 1
        if shown != code.rstrip("\n") and self.note is None:
            self.note = plain_label(
                translate("CodeBlock", "Very long lines are broken for display; Copy copies "
                                       "them whole."), self, self._ctx.theme.muted)

    def append_code(self, more: str) -> None:
        """Streamed code: appended at the end, O(len(more))."""
        if not more:
            return
        self.code += more
        shown, self._last_line, breaks = break_appended(more, self._last_line)
        self._lines += breaks
        self._widest = max(self._widest, self._last_line,
                           max(map(len, shown.split("\n")), default=0))
        if self.unfilled:
            self.unfilled += shown
        else:
            bar = self.text.verticalScrollBar()
            at_end = bar.value() >= bar.maximum() - 2
            cursor = QTextCursor(self.text.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(shown)
            if at_end and self._lines > CODE_MAX_LINES:  # a tall box follows what streams in
                bar.setValue(bar.maximum())
        if self._lines == 0:
            self._lines = 1

    def finish(self, code: str) -> None:
        """The fence closed (or the reply ended): show exactly ``code``, then highlight it.
        A streamed block holds the start of ``code`` or all of it plus the start of its
        closing fence: the difference is added or cut, the block is not set again."""
        target = code.rstrip("\n")
        growing = self.note is None and not self.unfilled
        if growing and target.startswith(self.code):  # the last batch came with the fence
            self.append_code(target[len(self.code):])
        if growing and self.code.startswith(target):
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(utf16_len(target))
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            self._lines = target.count("\n") + 1
        elif target != self.code.rstrip("\n"):
            self.set_code(code)
        self.code = code
        if self.note is None:  # lines broken for display would not match the lexer's offsets
            self.highlight_pending = True
            self._ctx.highlight(self)

    def _copy(self) -> None:
        self._ctx.copy_text(self.code)
        self.copied.emit(self.code)

    # geometry -----------------------------------------------------------------------------------

    def height_for(self, width: int) -> int:
        visible = min(max(self._lines, 1), CODE_MAX_LINES)
        h = self.HEADER + visible * self._line_h + 16 + 2
        if self._widest * self._char_w + 16 > width:
            h += self.text.horizontalScrollBar().sizeHint().height()
        if self.note is not None:
            h += self.note.sizeHint().height()
        return h

    def place(self, width: int, height: int) -> None:
        bw = self.copy_button.sizeHint().width()
        self.copy_button.setGeometry(width - bw - 6, 2, bw, self.HEADER - 4)
        top = self.HEADER
        if self.note is not None:
            nh = self.note.sizeHint().height()
            self.note.setGeometry(12, top, width - 24, nh)
            top += nh
        wide = self._widest * self._char_w + 16 > width
        self.text.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOn if wide else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if self._lines > CODE_MAX_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setGeometry(1, top, width - 2, height - top - 1)

    def paintEvent(self, event: object) -> None:
        t = self._ctx.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(QColor(t.code_border)))
        p.setBrush(QColor(t.code_bg))
        p.drawRoundedRect(r, 8, 8)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.code_header))
        p.setClipRect(QRectF(0, 0, self.width(), self.HEADER))
        p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, 0), 8, 8)
        p.setClipping(False)
        p.setPen(QColor(t.muted))  # the language, plain text (it comes from the model)
        p.drawText(QRectF(12, 0, max(0, self.width() - 120), self.HEADER),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   self.lang or translate("CodeBlock", "code"))
        p.end()


class LongTextBlock(QFrame):
    """Content too long or too deeply nested to format quickly, shown as plain text in a box of
    its own that scrolls, with the reason above it: nothing vanishes, nothing freezes."""

    def __init__(self, ctx: RenderContext, text: str, reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.source = text
        self.note = plain_label(plain_reason(reason), self, ctx.theme.muted)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(TEXT_FLAGS)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.document().setUndoRedoEnabled(False)
        self.text.setAccessibleName(translate("MessageText", "Message text, plain"))
        name_scroll_bars(self.text, translate("MessageText", "Message text"))
        self.text.setFont(ctx.font)
        shown = display_lines(text)
        self.unfilled = fill_first(self.text, shown)
        if self.unfilled:
            ctx.fill(self)
        fm = QFontMetrics(ctx.font)
        self._line_h = fm.lineSpacing()
        self._char_w = max(1, fm.averageCharWidth())
        self._line_lengths = [len(line) for line in shown.split("\n")[:LONG_BOX_LINES * 4]]
        self._many = shown.count("\n") + 1 > LONG_BOX_LINES * 4
        self._column = len(shown) - shown.rfind("\n") - 1  # of the last display line

    def _lines_at(self, width: int) -> int:
        per_line = max(10, (width - 16) // self._char_w)
        n = sum(max(1, -(-ln // per_line)) for ln in self._line_lengths)
        return LONG_BOX_LINES if self._many else min(n, LONG_BOX_LINES)

    def height_for(self, width: int) -> int:
        return self.note.sizeHint().height() + 4 + self._lines_at(width) * self._line_h + 12

    def place(self, width: int, height: int) -> None:
        nh = self.note.sizeHint().height()
        self.note.setGeometry(0, 0, width, nh)
        self.text.setGeometry(0, nh + 4, width, height - nh - 4)

    def append(self, more: str) -> None:
        """Streamed text (an unfinished block too long for a prose piece): O(len(more)); the
        box keeps showing the end while the reader is there."""
        self.source += more
        shown, self._column, _ = break_appended(more, self._column)
        self._many = True
        if self.unfilled:
            self.unfilled += shown
            return
        bar = self.text.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.text.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(shown)
        if at_end:
            bar.setValue(bar.maximum())

    def fill_step(self, deadline: float) -> bool:
        """Add more of the text; True when all of it is in."""
        self.unfilled = fill_more(self.text, self.unfilled, deadline)
        return not self.unfilled

    def plain_text(self) -> str:
        return self.source
