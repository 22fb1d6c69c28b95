"""The pieces a message body is made of: prose, code blocks and long plain text.

Every piece reports its height for a width (``height_for``) without Qt layouts, so the view
places rows itself and only what is on screen exists. Their documents refuse every resource:
``SafeDocument.loadResource`` answers with an empty image (a null answer would let Qt's image
handler read the file itself) and the HTML they get has passed ``sanitize_html``.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QToolButton,
    QToolTip,
    QWidget,
)

from desktopchat.ui.markdown import PLAIN_REASONS, MarkdownRenderer, display_lines
from desktopchat.ui.theme import Theme, icon

log = logging.getLogger(__name__)

CODE_MAX_LINES = 500  # taller code blocks scroll inside their box
LONG_BOX_LINES = 24  # plain-text boxes (very long content) show this many lines and scroll
TEXT_FLAGS = (
    Qt.TextInteractionFlag.TextSelectableByMouse
    | Qt.TextInteractionFlag.TextSelectableByKeyboard
    | Qt.TextInteractionFlag.LinksAccessibleByMouse
    | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
)


@dataclass
class RenderContext:
    """What every piece of a message needs, shared by all rows of one view."""

    theme: Theme
    font: QFont
    code_font: QFont
    renderer: MarkdownRenderer
    open_link: Callable[[QUrl], None]
    copy_text: Callable[[str], None]
    highlight: Callable[[CodeBlock], None]  # queue a finished code block for highlighting
    css: str = field(default="")

    @classmethod
    def build(cls, theme: Theme, font: QFont, open_link: Callable[[QUrl], None],
              copy_text: Callable[[str], None], highlight: Callable[[CodeBlock], None]
              ) -> RenderContext:
        code_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        code_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.95))
        ctx = cls(theme, QFont(font), code_font,
                  MarkdownRenderer(theme.code_style, theme.code_bg), open_link, copy_text,
                  highlight)
        ctx.css = (
            f"a {{ color: {theme.link}; }}"
            f"code {{ background-color: {theme.inline_code_bg}; font-family: monospace; }}"
            f"pre {{ font-family: monospace; margin-top: 4px; margin-bottom: 4px; }}"
            f"blockquote {{ color: {theme.muted}; margin-left: 12px; }}"
            "table { border-collapse: collapse; margin-top: 4px; margin-bottom: 4px; }"
            f"th, td {{ border: 1px solid {theme.border}; padding: 3px 6px; }}"
            "p { margin-top: 0px; margin-bottom: 8px; }"
            "h1, h2, h3, h4 { margin-top: 8px; margin-bottom: 6px; }"
        )
        return ctx


class SafeDocument(QTextDocument):
    """A document that loads nothing: no files, no URLs, no data: images."""

    def loadResource(self, type_: int, name: QUrl | str) -> object:
        shown = name.toString() if isinstance(name, QUrl) else name
        log.debug("refused resource %s", shown[:200])
        if type_ == QTextDocument.ResourceType.ImageResource.value:
            img = QImage(1, 1, QImage.Format.Format_ARGB32)
            img.fill(0)
            return img
        return b""


class ActionButton(QToolButton):
    """A flat tool button that Enter and Return press too (Qt buttons only take Space)."""

    def __init__(self, name: str, text: str, accessible: str, parent: QWidget | None = None,
                 theme: Theme | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setText(text)
        self.setToolTip(html.escape(accessible))
        self.setAccessibleName(accessible)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if name:
            self.setIcon(icon(name, theme))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)


def _pass_vertical_wheel(widget: QWidget, event: QWheelEvent) -> bool:
    """True when a wheel event should scroll the transcript instead of ``widget``."""
    delta = event.angleDelta()
    if abs(delta.x()) > abs(delta.y()) or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
        return False
    bar = widget.verticalScrollBar()  # type: ignore[attr-defined]
    return bool(bar.maximum() == 0)


class ProseBlock(QTextBrowser):
    """Rendered markdown: wraps, selectable, links open only on click and only http(s).

    While a reply streams, finished blocks are appended as HTML and the unfinished rest is kept
    as a plain-text tail at the end (``set_tail``), replaced once its block is finished."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        doc = SafeDocument(self)
        doc.setDefaultStyleSheet(ctx.css)
        doc.setDefaultFont(ctx.font)
        doc.setDocumentMargin(0)
        doc.setUndoRedoEnabled(False)
        self.setDocument(doc)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.FixedPixelWidth)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(TEXT_FLAGS)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Message text")
        self.viewport().setAutoFillBackground(False)
        self.setAutoFillBackground(False)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Text, QColor(ctx.theme.text))
        pal.setColor(QPalette.ColorRole.Highlight, QColor(ctx.theme.selection))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor(ctx.theme.text))
        self.setPalette(pal)
        self.anchorClicked.connect(ctx.open_link)
        self._tail_pos = -1  # where the plain tail starts, -1: no tail
        self._tail_line = 0  # characters of the tail since its last display break

    # content ------------------------------------------------------------------------------------

    def set_markdown(self, source: str) -> None:
        self.document().setHtml(self._ctx.renderer.render(source))
        self._tail_pos = -1

    def clear_tail(self) -> None:
        """Remove the plain tail (its block is finished and is about to be appended)."""
        if self._tail_pos < 0:
            return
        cursor = self._end_cursor()
        cursor.setPosition(max(0, self._tail_pos - 1 if self._tail_pos > 0 else 0))
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._tail_pos = -1

    def append_markdown(self, source: str) -> None:
        """Append ``source`` rendered, after removing the tail: O(len(source))."""
        self.clear_tail()
        cursor = self._end_cursor()
        markup = self._ctx.renderer.render(source)
        if not self.document().isEmpty():
            # A fresh block format: the new block must not join a list that ended above.
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.insertHtml(markup)

    def append_tail(self, text: str) -> None:
        """Add streamed text that is not a finished block yet, as plain text at the end.
        Very long lines get a display break every DISPLAY_LINE characters, so each append
        lays out a bounded amount of text."""
        from desktopchat.ui.markdown import DISPLAY_LINE

        cursor = self._end_cursor()
        if self._tail_pos < 0:
            if not self.document().isEmpty():
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail_pos = cursor.position()
            self._tail_line = 0
        pieces: list[str] = []
        for i, line in enumerate(text.split("\n")):
            if i:
                pieces.append("\n")
                self._tail_line = 0
            while self._tail_line + len(line) > DISPLAY_LINE:
                room = DISPLAY_LINE - self._tail_line
                pieces += [line[:room], "\n"]
                line = line[room:]
                self._tail_line = 0
            pieces.append(line)
            self._tail_line += len(line)
        cursor.insertText("".join(pieces), QTextCharFormat())

    def _end_cursor(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    # geometry -----------------------------------------------------------------------------------

    def height_for(self, width: int) -> int:
        doc = self.document()
        if self.lineWrapColumnOrWidth() != width:
            # A fixed wrap width: QTextEdit would otherwise wrap at its viewport's width, which a
            # hidden widget only learns when it is shown.
            self.setLineWrapColumnOrWidth(width)
        h = math.ceil(doc.size().height())
        if doc.idealWidth() > width + 1:
            h += self.horizontalScrollBar().sizeHint().height()
        return h

    def natural_width(self, width: int) -> int:
        """The width the text needs, at most ``width`` (user bubbles hug short messages)."""
        self.height_for(width)
        return min(width, math.ceil(self.document().idealWidth()) + 2)

    def plain_text(self) -> str:
        return self.document().toPlainText()

    # events -------------------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            # Never a rich-text tooltip from the document (a link title could draw files):
            # the link's address, escaped.
            href = self.anchorAt(event.pos())  # type: ignore[attr-defined]
            if href:
                QToolTip.showText(event.globalPos(),  # type: ignore[attr-defined]
                                  f"<p>{html.escape(href[:300])}</p>", self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if _pass_vertical_wheel(self, event):
            event.ignore()
            return
        super().wheelEvent(event)

    def loadResource(self, type_: int, name: QUrl | str) -> object:
        return self.document().loadResource(type_, name)


class _CodeText(QPlainTextEdit):
    """The code itself: no wrapping, its own horizontal scroll bar."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if _pass_vertical_wheel(self, event):
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
        self.setAccessibleName(f"Code block{', ' + lang if lang else ''}")
        self.label = QLabel(lang or "code", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setStyleSheet(f"color: {t.muted};")
        self.copy_button = ActionButton("copy", "Copy", "Copy code", self, t)
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
        self.text.setAccessibleName(f"Code{', ' + lang if lang else ''}")
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

    def set_code(self, code: str) -> None:
        self.code = code
        shown = display_lines(code.rstrip("\n"))
        self._shown = shown
        self.text.setPlainText(shown)
        self._lines = shown.count("\n") + 1
        self._widest = max((len(line) for line in shown.split("\n")), default=0)
        self._last_line = len(shown) - shown.rfind("\n") - 1
        if shown != code.rstrip("\n") and self.note is None:
            self.note = QLabel("Very long lines are broken for display; Copy copies them whole.",
                               self)
            self.note.setTextFormat(Qt.TextFormat.PlainText)
            self.note.setStyleSheet(f"color: {self._ctx.theme.muted};")

    def append_code(self, more: str) -> None:
        """Streamed code: appended at the end, O(len(more))."""
        if not more:
            return
        self.code += more
        from desktopchat.ui.markdown import DISPLAY_LINE

        pieces: list[str] = []
        lines = more.split("\n")
        for i, line in enumerate(lines):
            if i:
                self._lines += 1
                pieces.append("\n")
                self._last_line = 0
            while self._last_line + len(line) > DISPLAY_LINE:
                room = DISPLAY_LINE - self._last_line
                pieces += [line[:room], "\n"]
                self._lines += 1
                line = line[room:]
                self._last_line = 0
            pieces.append(line)
            self._last_line += len(line)
            self._widest = max(self._widest, self._last_line)
        cursor = QTextCursor(self.text.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("".join(pieces))
        if self._lines == 0:
            self._lines = 1

    def finish(self, code: str) -> None:
        """The fence closed (or the reply ended): show exactly ``code``, then highlight it."""
        if code.rstrip("\n") != self.code.rstrip("\n"):
            self.set_code(code)
        else:
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
        self.label.setGeometry(12, 0, max(0, width - 120), self.HEADER)
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
        p.end()


class LongTextBlock(QFrame):
    """Content too long or too deeply nested to format quickly, shown as plain text in a box of
    its own that scrolls, with the reason above it: nothing vanishes, nothing freezes."""

    def __init__(self, ctx: RenderContext, text: str, reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.source = text
        self.note = QLabel(PLAIN_REASONS.get(reason, PLAIN_REASONS["long"]), self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setStyleSheet(f"color: {ctx.theme.muted}; font-style: italic;")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(TEXT_FLAGS)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.document().setUndoRedoEnabled(False)
        self.text.setAccessibleName("Message text, plain")
        self.text.setFont(ctx.font)
        shown = display_lines(text)
        self.text.setPlainText(shown)
        fm = QFontMetrics(ctx.font)
        self._line_h = fm.lineSpacing()
        self._char_w = max(1, fm.averageCharWidth())
        self._line_lengths = [len(line) for line in shown.split("\n")[:LONG_BOX_LINES * 4]]
        self._many = shown.count("\n") + 1 > LONG_BOX_LINES * 4

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

    def plain_text(self) -> str:
        return self.source


def plain_text_of(widget: QObject) -> str:
    if isinstance(widget, ProseBlock):
        return widget.plain_text()
    if isinstance(widget, CodeBlock):
        return widget.code
    if isinstance(widget, LongTextBlock):
        return widget.source
    return ""

