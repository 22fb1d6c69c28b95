"""Names are data, never markup: chat titles, model and file names reach labels, tooltips and
message boxes as plain text (no images drawn, no local files loaded)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktopchat.chat.types import Conversation
from desktopchat.ui import plain
from desktopchat.ui.sidebar import Sidebar

HOSTILE = '<img src="file:///etc/passwd"><b>bold</b><a href="file:///">x</a>'


def test_tooltips_show_markup_as_text():
    tip = plain.tooltip(HOSTILE)
    assert "<img" not in tip and "<b>" not in tip and "&lt;img" in tip


def test_labels_never_interpret_their_text(qtbot):
    w = plain.label(HOSTILE)
    qtbot.addWidget(w)
    assert w.textFormat() == Qt.TextFormat.PlainText and w.text() == HOSTILE


def test_questions_are_plain_text_and_default_to_no(qtbot, monkeypatch):
    seen: list[tuple[object, object]] = []

    def fake_exec(box: QMessageBox) -> int:
        seen.append((box.textFormat(), box.defaultButton() is box.button(
            QMessageBox.StandardButton.No)))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert not plain.ask(None, "Delete chat", f"Delete “{HOSTILE}”?")
    assert seen == [(Qt.TextFormat.PlainText, True)]


def test_sidebar_titles_and_tooltips_are_plain(qtbot):
    bar = Sidebar()
    qtbot.addWidget(bar)
    bar.set_conversations([Conversation(1, HOSTILE, 0.0, 0.0), Conversation(2, "b", 0.0, 0.0)], 2)
    item = bar.list.item(0)
    assert item.text() == HOSTILE
    assert "<img" not in item.toolTip()


def test_right_click_highlights_the_chat_whose_menu_opens(qtbot, monkeypatch):
    bar = Sidebar()
    qtbot.addWidget(bar)
    bar.resize(240, 300)
    bar.show()
    bar.set_conversations([Conversation(1, "first", 0.0, 0.0),
                           Conversation(2, "second", 0.0, 0.0)], 1)
    highlighted: list[str] = []

    def run_menu(menu: object, at: object) -> None:
        """The real one runs a modal loop; this records what is highlighted meanwhile."""
        highlighted.append(bar.list.currentItem().text())

    monkeypatch.setattr(bar, "run_menu", run_menu)
    second = bar.list.item(1)
    bar._menu(bar.list.visualItemRect(second).center())
    assert highlighted == ["second"]  # while the menu is open
    assert bar.list.currentItem().text() == "first"  # the open chat afterwards
