"""Outside strings (model and file names, chat titles, Hub metadata, model output) are data, never
markup: Qt guesses rich text from a string's look (``Qt.mightBeRichText``) in labels, tooltips and
message boxes, and rich text draws images and loads local files. These helpers make the choice
explicit everywhere the window shows such a string.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

MAX_SHOWN = 2000  # characters of one outside string shown in a label, tooltip or box


def bounded(text: str, limit: int = MAX_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: escaped inside an explicit rich-text paragraph
    (a plain string that looks like markup would be rendered as markup)."""
    escaped = html.escape(bounded(text)).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"


def label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setText(bounded(text))
    return widget


def ask(parent: QWidget | None, title: str, question: str) -> bool:
    """Yes/No with the question shown as plain text; No is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, bounded(question),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
