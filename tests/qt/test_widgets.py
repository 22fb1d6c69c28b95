"""Small widgets on their own: the composer's keys and the settings dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktopchat.settings import ModelSettings
from desktopchat.ui.composer import Composer
from desktopchat.ui.settings_dialog import ModelSettingsDialog


def test_enter_sends_shift_enter_newline_escape_stops(qtbot):
    c = Composer()
    qtbot.addWidget(c)
    sent: list[str] = []
    stops: list[bool] = []
    c.submitted.connect(sent.append)
    c.stop_requested.connect(lambda: stops.append(True))
    qtbot.keyClicks(c, "line one")
    qtbot.keyClick(c, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(c, "line two")
    assert sent == []
    qtbot.keyClick(c, Qt.Key.Key_Return)
    assert sent == ["line one\nline two"]
    qtbot.keyClick(c, Qt.Key.Key_Escape)
    assert stops == [True]


def test_enter_on_blank_text_sends_nothing(qtbot):
    c = Composer()
    qtbot.addWidget(c)
    sent: list[str] = []
    c.submitted.connect(sent.append)
    qtbot.keyClicks(c, "   ")
    qtbot.keyClick(c, Qt.Key.Key_Enter)
    assert sent == []


def test_settings_dialog_edits_every_field_and_restores_defaults(qtbot):
    start = ModelSettings(system_prompt="Be terse.", temperature=0.2, top_k=5, threads=3)
    d = ModelSettingsDialog("SmolLM2", start)
    qtbot.addWidget(d)
    assert d.value() == start
    d.fields["temperature"].setValue(1.25)
    d.fields["max_tokens"].setValue(77)
    d.fields["context_length"].setValue(100)  # below the minimum: clamped by the widget
    d.system_prompt.setPlainText("Answer in French.")
    v = d.value()
    assert v.temperature == 1.25 and v.max_tokens == 77 and v.system_prompt == "Answer in French."
    assert v.context_length == ModelSettings.LIMITS["context_length"][0]
    d.restore()
    assert d.value() == ModelSettings()


def test_the_message_box_grows_with_its_text_up_to_a_limit(qtbot):
    from desktopchat.ui.composer import MAX_LINES, MIN_LINES

    c = Composer()
    qtbot.addWidget(c)
    c.resize(400, c.height())
    c.show()
    empty = c.height()
    assert c.lines_shown() == MIN_LINES
    heights = [empty]
    for i in range(MAX_LINES + 4):
        qtbot.keyClicks(c, f"line {i}")
        qtbot.keyClick(c, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        heights.append(c.height())
    assert heights == sorted(heights) and heights[-1] > empty
    assert c.lines_shown() == MAX_LINES and heights[-1] == heights[-2]  # then it scrolls
    c.clear()
    assert c.height() == empty


def test_text_on_the_accent_colour_is_readable_in_both_looks():
    from desktopchat.ui.composer import on_accent
    from desktopchat.ui.theme import DARK, LIGHT
    from tests.qt.test_theme import contrast

    for theme in (LIGHT, DARK):
        assert contrast(on_accent(theme), theme.accent) >= 4.5, theme.name


def test_notifications_stack_dismiss_and_stop_their_timers(qtbot):
    from PySide6.QtWidgets import QWidget

    from desktopchat.ui.notifications import ERROR_MS, MAX_SHOWN, NOTICE_MS, Notifications

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(700, 500)
    area = Notifications(host)
    host.show()
    cards = [area.notify(f"Notice {i}") for i in range(MAX_SHOWN + 2)]
    assert area.texts() == [f"Notice {i}" for i in range(2, MAX_SHOWN + 2)]  # oldest go
    assert not cards[0].timer.isActive()
    error = area.notify("<b>Bad</b> thing", error=True)  # outside text: shown as written
    assert error.label.text() == "<b>Bad</b> thing"
    assert error.label.textFormat() == Qt.TextFormat.PlainText
    assert error.timer.interval() == ERROR_MS and cards[-1].timer.interval() == NOTICE_MS
    assert area.geometry().right() <= host.width() and area.y() >= 0
    qtbot.keyClick(error, Qt.Key.Key_Escape)  # Esc on a card dismisses it
    assert "<b>Bad</b> thing" not in area.texts()
    area.clear()
    assert area.texts() == [] and area.isHidden()
    last = area.notify("Gone by itself")
    assert last.timer.isActive()
    with qtbot.wait_signal(last.dismissed, timeout=5000):
        last.timer.start(50)  # its time is up (sooner than NOTICE_MS, for the test)
    assert area.texts() == []


def test_readme_lists_every_shortcut_of_the_window():
    """README's table and Help → Keyboard shortcuts come from the same list."""
    from pathlib import Path

    from desktopchat.ui.shortcuts import SHORTCUTS, WIDGET_KEYS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    table = readme[readme.index("### Keyboard shortcuts"):]
    table = table[: table.index("\n\n", table.index("| Keys"))]
    for keys in [k for _n, k, _w in SHORTCUTS] + [k for k, _w in WIDGET_KEYS]:
        assert keys in table, keys
