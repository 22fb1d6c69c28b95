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
