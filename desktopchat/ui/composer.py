"""The message box: Enter sends, Shift+Enter starts a new line, Esc stops the reply. It grows
with its text from two lines up to ``MAX_LINES``, then scrolls. ``ComposerBox`` frames it with
its Send/Stop and Regenerate buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal, Slot
from PySide6.QtGui import QFontInfo, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktopchat.engine.limits import max_input_bytes, truncate_utf8, utf8_size
from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme, current_theme, icon
from desktopchat.ui.view_parts import COLUMN_EMS

MIN_LINES = 2
MAX_LINES = 10


class Composer(QPlainTextEdit):
    """Signals:
        submitted(str text): Enter was pressed with text in the box.
        stop_requested(): Esc was pressed.
        oversized(str text): a paste or drop would make the message longer than the model can
            read (``max_bytes``); nothing was inserted: the window asks what to do with it.
    """

    submitted = Signal(str)
    stop_requested = Signal()
    oversized = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName(translate("Composer", "Message"))
        self.setAccessibleDescription(
            translate("Composer", "Enter sends, Shift+Enter starts a new line, Escape stops "
                                  "the reply"))
        self.setPlaceholderText(
            translate("Composer", "Message the model…  (Enter to send, Shift+Enter for a new "
                                  "line)"))
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(6)
        self.textChanged.connect(self._fit)
        self._fit()
        # The most a message can hold (desktopchat.engine.limits.max_input_bytes of the loaded
        # model's context); set by the window. A paste of megabytes never reaches the box.
        self.max_bytes = max_input_bytes(4096)

    def room(self) -> int:
        """Bytes a paste may still add."""
        return max(0, self.max_bytes - utf8_size(self.toPlainText(), self.max_bytes + 1))

    def insertFromMimeData(self, source: QMimeData) -> None:  # Qt override
        if source.hasText():
            text = source.text()
            if utf8_size(text, self.max_bytes + 1) > self.room():
                self.oversized.emit(text)  # not inserted: the layout alone would freeze
                return
        super().insertFromMimeData(source)

    def insert_first_part(self, text: str) -> None:
        """What fits of an oversized paste (cut at a character, never inside one)."""
        self.insertPlainText(truncate_utf8(text, self.room()))

    def lines_shown(self) -> int:
        """How many lines tall the box is now (between MIN_LINES and MAX_LINES)."""
        doc = self.document()
        lines = 0
        block = doc.firstBlock()
        while block.isValid() and lines <= MAX_LINES:
            layout = block.layout()
            lines += max(1, layout.lineCount() if layout is not None else 1)
            block = block.next()
        return max(MIN_LINES, min(MAX_LINES, lines))

    @Slot()
    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        height = (self.lines_shown() * line + 2 * int(self.document().documentMargin())
                  + margins.top() + margins.bottom() + 4)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()  # lines wrap differently at another width

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                text = self.toPlainText()
                if text.strip():
                    self.submitted.emit(text)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.stop_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def on_accent(theme: Theme) -> str:
    """Text on the accent colour: white on light themes' deep blue, dark on dark themes'
    light blue (white on it reads poorly)."""
    return theme.base if theme.dark else "#ffffff"


class ComposerBox(QFrame):
    """The message box with Send (Stop while a reply is written) and Regenerate beside it, as
    wide as the transcript's reading column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBox")
        self.composer = Composer(self)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.regenerate_button = QPushButton(translate("ComposerBox", "Regenerate"), self)
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setToolTip(translate(
            "ComposerBox", "Answer the last message again (the earlier reply is kept)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 6, 6)
        row.addWidget(self.composer, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self._buttons = buttons
        self._busy = False
        self.restyle(current_theme())

    def add_button(self, button: QWidget) -> None:
        """Another button under Send and Regenerate (the thinking switch)."""
        self._buttons.insertWidget(self._buttons.count() - 1, button)

    def set_busy(self, generating: bool) -> None:
        """Send becomes Stop while a reply is written (and back)."""
        self._busy = generating
        t = current_theme()
        self.send_button.setText(translate("ComposerBox", "Stop") if generating
                                 else translate("ComposerBox", "Send"))
        self.send_button.setAccessibleName(self.send_button.text())
        self.send_button.setToolTip(translate("ComposerBox", "Stop the reply (Esc)")
                                    if generating
                                    else translate("ComposerBox", "Send the message (Enter)"))
        self.send_button.setIcon(icon("square" if generating else "send-horizontal", t,
                                      on_accent(t)))

    def restyle(self, theme: Theme) -> None:
        self.regenerate_button.setIcon(icon("refresh-cw", theme, theme.text))
        self.set_busy(self._busy)
        self.setStyleSheet(
            f"QFrame#composerBox {{ background: {theme.base}; border: 1px solid {theme.border};"
            f" border-radius: 10px; }}"
            f" QPushButton#sendButton {{ background: {theme.accent}; color: {on_accent(theme)};"
            f" border: none; border-radius: 6px; padding: 6px 14px; font-weight: 600; }}"
            f" QPushButton#sendButton:focus {{ border: 2px solid {theme.text}; }}")
        self.composer.setStyleSheet(f"background: {theme.base}; color: {theme.text};")

    def column_width(self) -> int:
        """The transcript's widest reading column (``view_parts.column``), plus margins."""
        return max(600, QFontInfo(self.font()).pixelSize() * COLUMN_EMS) + 48
