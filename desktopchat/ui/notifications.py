"""Transient notices and errors: a stack of small cards over the top right of the chat area.

What the app has to say ("Added …", "Deleted …, freed 98 MB", "The model failed to load")
never goes into the transcript: it appears here, can be dismissed (the × or Esc on the card),
and goes by itself after a while (errors stay longer, and nothing goes while the pointer rests
on it). Screen readers hear each one once. A ``Banner`` is the persistent kind: a warning that
stays while its cause does (a model without a chat template).

Every text here may hold outside strings (model and file names): labels are plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QEnterEvent,
    QHideEvent,
    QKeyEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui import plain
from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme, current_theme, icon

NOTICE_MS = 7_000
ERROR_MS = 20_000
MAX_SHOWN = 4  # older cards go when a fifth arrives
WIDTH = 380


def _card_style(theme: Theme, error: bool) -> str:
    edge = theme.warning if error else theme.accent
    return (
        f"QFrame#toast {{ background: {theme.base}; border: 1px solid {theme.border};"
        f" border-left: 4px solid {edge}; border-radius: 8px; }}"
        f" QFrame#toast QLabel {{ color: {theme.text}; background: transparent; border: none; }}"
    )


class Toast(QFrame):
    """One notice or error. Signals: dismissed(Toast)."""

    dismissed = Signal(QFrame)

    def __init__(self, text: str, error: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.error = error
        self.text = plain.bounded(text, 600)
        kind = (translate("Toast", "Error") if error else translate("Toast", "Notice"))
        self.setAccessibleName(f"{kind}: {self.text}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.icon = QLabel(self)
        self.icon.setFixedSize(QSize(18, 18))
        self.label = plain.label(self.text, self, wrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName(translate("Toast", "Dismiss"))
        self.close_button.setToolTip(translate("Toast", "Dismiss"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 6, 10)
        row.setSpacing(8)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(ERROR_MS if error else NOTICE_MS)
        self.timer.timeout.connect(self.dismiss)
        self.restyle(current_theme())

    def restyle(self, theme: Theme) -> None:
        self.setStyleSheet(_card_style(theme, self.error))
        name = "circle-alert" if self.error else "info"
        self.icon.setPixmap(icon(name, theme, theme.warning if self.error else theme.accent)
                            .pixmap(18, 18))
        self.close_button.setIcon(icon("x", theme))

    @Slot()
    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()
        self.dismissed.emit(self)

    def again(self) -> None:
        """The same text arrived again: it stays for its full time from now."""
        if self.isVisible():
            self.timer.start()

    # The timer runs only while the card is on screen and the pointer is not on it.
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.underMouse():
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self.timer.start()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return
        super().keyPressEvent(event)


class Notifications(QWidget):
    """The stack of cards, laid over the top right corner of its parent (the chat area).

    Signals:
        shown(str text, bool error): a card appeared (after it was announced).
    """

    shown = Signal(str, bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notifications")
        self.setAccessibleName(translate("Notifications", "Notifications"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._cards: list[Toast] = []
        parent.installEventFilter(self)
        self.hide()

    def notify(self, text: str, error: bool = False) -> Toast:
        """Show ``text`` (plain) as a notice, or as an error that stays longer."""
        text = " ".join(text.split()) if "\n" not in text else text.strip()
        for card in self._cards:
            if card.text == plain.bounded(text, 600) and card.error == error:
                card.again()
                return card
        card = Toast(text, error, self)
        card.dismissed.connect(self._dismissed)
        self._cards.append(card)
        self._layout.addWidget(card)
        while len(self._cards) > MAX_SHOWN:
            self._cards[0].dismiss()
        self.show()
        card.show()  # before placing: a layout leaves hidden widgets out
        self._place()
        self.raise_()
        self._announce(card)
        self.shown.emit(card.text, error)
        return card

    def cards(self) -> list[Toast]:
        return list(self._cards)

    def texts(self) -> list[str]:
        return [c.text for c in self._cards]

    def clear(self) -> None:
        for card in list(self._cards):
            card.dismiss()

    def restyle(self, theme: Theme) -> None:
        for card in self._cards:
            card.restyle(theme)

    def _announce(self, card: Toast) -> None:
        event = QAccessibleAnnouncementEvent(self, card.accessibleName())
        if card.error:
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)

    @Slot(QFrame)
    def _dismissed(self, card: QFrame) -> None:
        if card in self._cards:
            self._cards.remove(card)
            self._layout.removeWidget(card)
            card.deleteLater()
        if self._cards:
            self._place()
        else:
            self.hide()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(WIDTH, max(200, parent.width() - 24))
        for card in self._cards:
            card.setFixedWidth(width)
        self._layout.activate()
        wanted = self._layout.totalHeightForWidth(width) if self._layout.hasHeightForWidth() \
            else self._layout.sizeHint().height()  # wrapped lines make a card taller
        height = min(wanted, max(60, parent.height() - 24))
        self.setGeometry(parent.width() - width - 12, 12, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize \
                and self._cards:
            self._place()
        return super().eventFilter(watched, event)


class Banner(QFrame):
    """A warning that stays while its cause does (above the message box)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.icon = QLabel(self)
        self.icon.setFixedSize(QSize(18, 18))
        self.label = plain.label("", self, wrap=True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(8)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self.restyle(current_theme())
        self.hide()

    def say(self, text: str) -> None:
        """Show ``text`` (plain); "" hides the banner."""
        self.label.setText(plain.bounded(text, 600))
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def restyle(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"QFrame#banner {{ border: 1px solid {theme.warning}; border-radius: 6px;"
            f" background: transparent; }} QFrame#banner QLabel {{ color: {theme.text};"
            " border: none; }")
        self.icon.setPixmap(icon("circle-alert", theme, theme.warning).pixmap(18, 18))
