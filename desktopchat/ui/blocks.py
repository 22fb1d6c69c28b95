"""What every piece of a message shares (the render context, safe documents, action buttons,
plain labels) and the prose piece itself; code and long text are in ``text_boxes``.

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
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QKeyEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QLabel,
    QTextBrowser,
    QToolButton,
    QToolTip,
    QWidget,
)

from desktopchat.ui.i18n import translate
from desktopchat.ui.markdown import MarkdownRenderer, break_appended
from desktopchat.ui.theme import Theme, icon

if TYPE_CHECKING:
    from desktopchat.ui.text_boxes import CodeBlock, LongTextBlock

log = logging.getLogger(__name__)

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
    fill: Callable[[CodeBlock | LongTextBlock], None]  # queue a long box's text for idle steps
    css: str = field(default="")

    @classmethod
    def build(cls, theme: Theme, font: QFont, open_link: Callable[[QUrl], None],
              copy_text: Callable[[str], None], highlight: Callable[[CodeBlock], None],
              fill: Callable[[CodeBlock | LongTextBlock], None]) -> RenderContext:
        code_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        code_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.95))
        ctx = cls(theme, QFont(font), code_font,
                  MarkdownRenderer(theme.code_style, theme.code_bg), open_link, copy_text,
                  highlight, fill)
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


def plain_label(text: str, parent: QWidget, colour: str) -> QLabel:
    """A wrapped label that is plain text whatever it holds (names, notices, notes)."""
    lab = QLabel(text, parent)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(True)
    lab.setForegroundRole(QPalette.ColorRole.WindowText)  # in a viewport it would be Text
    pal = lab.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    lab.setPalette(pal)
    lab.show()
    return lab


def name_scroll_bars(area: QAbstractScrollArea, what: str) -> None:
    """Scroll bars are interactive too: a screen reader says what they scroll."""
    area.verticalScrollBar().setAccessibleName(
        translate("ScrollBars", "{what}, vertical scroll bar").format(what=what))
    area.horizontalScrollBar().setAccessibleName(
        translate("ScrollBars", "{what}, horizontal scroll bar").format(what=what))


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


def pass_vertical_wheel(widget: QWidget, event: QWheelEvent) -> bool:
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
        self.setAccessibleName(translate("MessageText", "Message text"))
        name_scroll_bars(self, translate("MessageText", "Message text"))
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
        self.chars = 0  # markdown characters rendered (a streamed reply starts a new piece
        # past a size; a piece with none holds only a streamed tail)

    # content ------------------------------------------------------------------------------------

    def set_markdown(self, source: str) -> None:
        self.document().setHtml(self._ctx.renderer.render(source))
        self._tail_pos = -1
        self.chars = len(source)

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
        self.chars += len(source)

    def append_tail(self, text: str) -> None:
        """Add streamed text that is not a finished block yet, as plain text at the end.
        Very long lines get a display break every DISPLAY_LINE characters, so each append
        lays out a bounded amount of text."""
        cursor = self._end_cursor()
        if self._tail_pos < 0:
            if not self.document().isEmpty():
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail_pos = cursor.position()
            self._tail_line = 0
        shown, self._tail_line, _ = break_appended(text, self._tail_line)
        cursor.insertText(shown, QTextCharFormat())

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
        if pass_vertical_wheel(self, event):
            event.ignore()
            return
        super().wheelEvent(event)

    def loadResource(self, type_: int, name: QUrl | str) -> object:
        return self.document().loadResource(type_, name)
