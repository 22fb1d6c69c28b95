"""The first-run page, shown in the chat area until the first message: what the app does, that
nothing leaves the computer, the starter model (one click to chat) and a few models from the
catalog that fit this computer (one click to download each).

Catalog entries carry no GGUF header, so their fit is judged from the file size: the file plus
a fifth (a 4,096-token context and working memory; the Models page computes the real figure
from the header once a model is here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktopchat.models.catalog import CatalogEntry, CatalogFile
from desktopchat.models.fit import verdict_for
from desktopchat.models.names import human_size
from desktopchat.ui import plain
from desktopchat.ui.i18n import translate
from desktopchat.ui.model_picker import PickerItem, fit_colour, fit_label
from desktopchat.ui.theme import Theme, current_theme, icon

SUGGESTED = 3
RUNTIME_SHARE = 1.2  # memory ≈ file size × this at the default context
MAX_SUGGESTED_BYTES = 5_000_000_000  # a first download stays reasonable


@dataclass(frozen=True)
class Suggestion:
    entry: CatalogEntry
    file: CatalogFile
    verdict: str


def suggestions(catalog: Sequence[CatalogEntry], available_bytes: int,
                count: int = SUGGESTED) -> list[Suggestion]:
    """Catalog models for this computer: the largest that fit (instruction models first, one
    file each: the smallest), else the smallest of all with their badge."""
    picks: list[Suggestion] = []
    for e in catalog:
        f = min(e.files, key=lambda x: x.approx_size)
        if f.approx_size > MAX_SUGGESTED_BYTES:
            continue
        picks.append(Suggestion(e, f, verdict_for(int(f.approx_size * RUNTIME_SHARE),
                                                  available_bytes)))
    fitting = [p for p in picks if p.verdict == "fits"]
    if fitting:
        fitting.sort(key=lambda p: (p.entry.kind != "instruct", -p.entry.parameters_b))
        return fitting[:count]
    return sorted(picks, key=lambda p: p.file.approx_size)[:count]


class ModelCard(QFrame):
    """A model: its name, size · quantization · fit, a line about it, and one button."""

    def __init__(self, name: str, details: str, verdict: str, about: str, button: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelCard")
        self.verdict = verdict
        self.name = plain.label(name, self)
        self.name.setObjectName("cardName")
        self.details = plain.label(details, self)
        self.details.setObjectName("cardDetails")
        self.about = plain.label(about, self, wrap=True)
        self.about.setObjectName("cardAbout")
        self.state = plain.label("", self, wrap=True)
        self.state.setObjectName("cardState")
        self.state.hide()
        self.button = QPushButton(button, self)
        self.button.setAccessibleName(f"{button}: {name}")
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name)
        text.addWidget(self.details)
        text.addWidget(self.about)
        text.addWidget(self.state)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 12, 14, 12)
        row.addLayout(text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(name)
        self.setAccessibleDescription(f"{details}. {about}")

    def say(self, text: str) -> None:
        self.state.setText(plain.bounded(text, 400))
        self.state.setVisible(bool(text))

    def restyle(self, theme: Theme) -> None:
        colour = fit_colour(self.verdict, theme) if self.verdict else theme.muted
        self.setStyleSheet(
            f"QFrame#modelCard {{ background: {theme.base}; border: 1px solid {theme.border};"
            f" border-radius: 10px; }}"
            f" QLabel {{ border: none; background: transparent; }}"
            f" QLabel#cardName {{ font-weight: 600; color: {theme.text}; }}"
            f" QLabel#cardDetails {{ color: {colour}; }}"
            f" QLabel#cardAbout, QLabel#cardState {{ color: {theme.muted}; }}")


class WelcomePage(QScrollArea):
    """Signals:
        start_requested(): chat with the starter model (the window loads it if needed).
        download_requested(CatalogEntry, CatalogFile): download this catalog model.
        import_requested(): import a .gguf already on this computer.
    """

    start_requested = Signal()
    download_requested = Signal(object, object)
    import_requested = Signal()

    def __init__(self, catalog: Sequence[CatalogEntry], available_bytes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAccessibleName(translate("WelcomePage", "Welcome"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.verticalScrollBar().setAccessibleName(
            translate("WelcomePage", "Welcome, vertical scroll bar"))
        self.horizontalScrollBar().setAccessibleName(
            translate("WelcomePage", "Welcome, horizontal scroll bar"))
        page = QWidget()
        page.setObjectName("welcomePage")
        self.setWidget(page)
        self.page = page
        column = QVBoxLayout()
        column.setSpacing(10)
        self.title = QLabel(translate("WelcomePage", "Welcome to desktopchat"))
        self.title.setObjectName("welcomeTitle")
        self.title.setWordWrap(True)
        self.lines = QLabel("\n".join((
            translate("WelcomePage", "Chat with an AI language model that runs entirely on "
                                     "this computer."),
            translate("WelcomePage", "Nothing you type leaves it: no account, no cloud, and "
                                     "no internet needed once a model is here."),
            translate("WelcomePage", "Start with the small model that came with the app, or "
                                     "download a larger, smarter one below."),
        )))
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setWordWrap(True)
        self.lines.setObjectName("welcomeLines")
        column.addWidget(self.title)
        column.addWidget(self.lines)
        column.addSpacing(8)

        self.starter = ModelCard(
            translate("WelcomePage", "The starter model"), "", "",
            translate("WelcomePage", "Small and quick: good for trying things out, not for "
                                     "hard questions."),
            translate("WelcomePage", "Start chatting"))
        self.starter.setObjectName("modelCard")
        self.starter.button.setObjectName("startChatting")
        self.starter.button.clicked.connect(self.start_requested)
        column.addWidget(self.starter)

        self.more = QLabel(translate("WelcomePage", "Larger models that fit this computer"))
        self.more.setObjectName("welcomeHeading")
        column.addSpacing(6)
        column.addWidget(self.more)
        self.suggested = suggestions(catalog, available_bytes)
        self.cards: dict[str, ModelCard] = {}
        for s in self.suggested:
            details = " · ".join((
                translate("WelcomePage", "{size} download").format(
                    size=human_size(s.file.approx_size)),
                s.file.quantization, fit_label(s.verdict)))
            card = ModelCard(s.entry.name, details,
                             s.verdict, s.entry.description,
                             translate("WelcomePage", "Download"))
            card.setToolTip(plain.tooltip(
                translate("WelcomePage", "Licence: {licence}").format(licence=s.entry.licence)))
            card.button.clicked.connect(
                lambda _=False, s=s: self.download_requested.emit(s.entry, s.file))
            self.cards[s.entry.id] = card
            column.addWidget(card)
        self.more.setVisible(bool(self.suggested))

        footer = QHBoxLayout()
        self.note = QLabel(translate("WelcomePage", "Already have a .gguf model file?"))
        self.note.setObjectName("welcomeNote")
        self.import_button = QPushButton(translate("WelcomePage", "Import a model file…"))
        self.import_button.clicked.connect(self.import_requested)
        footer.addWidget(self.note)
        footer.addWidget(self.import_button)
        footer.addStretch(1)
        column.addSpacing(6)
        column.addLayout(footer)
        column.addStretch(1)

        outer = QHBoxLayout(page)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.addStretch(1)
        holder = QWidget()
        holder.setMaximumWidth(640)
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        holder.setLayout(column)
        outer.addWidget(holder, 100)
        outer.addStretch(1)
        self.restyle(current_theme())

    def set_starter(self, state: str, item: PickerItem | None) -> None:
        """The starter's card: 'ready' (Start chatting), 'loading', 'available' (click loads
        it) or 'missing' (not installed: the card says so and its button is off)."""
        card = self.starter
        if item is not None:
            card.name.setText(item.name)
            card.details.setText(item.details)
            card.verdict = item.verdict
            card.button.setAccessibleName(f"{card.button.text()}: {item.name}")
        card.button.setEnabled(state in ("ready", "available"))
        card.say({
            "loading": translate("WelcomePage", "Loading the model…"),
            "missing": translate("WelcomePage", "The starter model is not installed; download "
                                                "one below or import a model file."),
        }.get(state, ""))
        card.restyle(current_theme())

    def say(self, entry_id: str, text: str) -> None:
        """What happened to a download asked for from this page."""
        card = self.cards.get(entry_id)
        if card is not None:
            card.say(text)

    def restyle(self, theme: Theme) -> None:
        self.page.setStyleSheet(
            f"QWidget#welcomePage {{ background: {theme.base}; }}"
            f" QLabel#welcomeTitle {{ font-weight: 600; color: {theme.text}; }}"
            f" QLabel#welcomeLines {{ color: {theme.text}; }}"
            f" QLabel#welcomeHeading {{ font-weight: 600; color: {theme.muted}; }}"
            f" QLabel#welcomeNote {{ color: {theme.muted}; }}")
        self.starter.restyle(theme)
        for card in self.cards.values():
            card.restyle(theme)
        self.import_button.setIcon(icon("upload", theme, theme.text))
        for card in self.cards.values():
            card.button.setIcon(icon("download", theme, theme.text))

        self._size_title()

    def _size_title(self) -> None:
        """The title is 1.8 times the text size (which Preferences may change)."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.8)
        self.title.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._size_title()
