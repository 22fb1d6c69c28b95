"""Presets in the window: choosing one per chat, and the editor for your own."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from desktopchat.app import DesktopChatApp
from desktopchat.paths import AppPaths
from desktopchat.ui import presets as presets_ui
from tests.support.chat_seed import Seeded, seed


@pytest.fixture
def seeded(app_paths: AppPaths) -> Seeded:
    return seed(app_paths)


@pytest.fixture
def app(qtbot, app_paths: AppPaths, seeded: Seeded) -> Iterator[DesktopChatApp]:
    a = DesktopChatApp(app_paths)
    qtbot.addWidget(a.window)
    a.window.show()
    qtbot.wait_exposed(a.window)
    yield a
    a.window.close()
    a.shutdown()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    given: list[bool] = []
    monkeypatch.setattr(presets_ui, "confirm", lambda *_a: given.pop(0))
    return given


def _options(paths: AppPaths, cid: int) -> dict[str, object]:
    db = sqlite3.connect(paths.db_path)
    try:
        row = db.execute("SELECT options FROM conversations WHERE id = ?", (cid,)).fetchone()
    finally:
        db.close()
    return json.loads(row[0]) if row and row[0] else {}


def _saved_presets(paths: AppPaths) -> list[dict[str, object]]:
    db = sqlite3.connect(paths.db_path)
    try:
        row = db.execute("SELECT value FROM settings WHERE key = 'presets'").fetchone()
    finally:
        db.close()
    return json.loads(row[0])["presets"] if row else []


def test_choosing_a_preset_is_stored_per_chat_and_named_in_the_menu(app, seeded, app_paths):
    menu = app.chat_menu.preset_menu
    app.conversations.open(seeded.fruit)
    menu.rebuild()
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["presetNone", "preset:concise", "preset:coding", "preset:translate-zh-en",
                     "preset:creative", "managePresets"]
    assert menu.findChild(type(menu.actions()[0]), "presetNone").isChecked()
    assert menu.title() == "Preset: Model's own"
    menu.findChild(type(menu.actions()[0]), "preset:coding").trigger()
    assert _options(app_paths, seeded.fruit) == {"preset": "coding"}
    assert menu.title() == "Preset: Coding"
    # Another chat keeps its own choice; coming back shows this one's.
    app.conversations.open(seeded.other)
    assert menu.title() == "Preset: Model's own"
    assert _options(app_paths, seeded.other) == {}
    app.conversations.open(seeded.fruit)
    menu.rebuild()
    assert menu.findChild(type(menu.actions()[0]), "preset:coding").isChecked()
    menu.findChild(type(menu.actions()[0]), "presetNone").trigger()
    assert _options(app_paths, seeded.fruit) == {}


def test_editor_creates_changes_and_deletes_your_presets(qtbot, app, seeded, app_paths,
                                                         answers):
    editor = app.chat_menu.open_preset_editor()
    qtbot.wait_exposed(editor)
    assert editor.list.count() == 4  # the four that come with the app
    assert editor.name.isReadOnly() and not editor.delete_button.isEnabled()
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert not editor.list.isEnabled() and editor.save_button.isEnabled()
    editor.name.clear()
    qtbot.keyClicks(editor.name, "Terse & <b>exact</b>")
    editor.prompt.setPlainText("Answer in one line.")
    temperature = next(f for f in editor.fields if f.name == "temperature")
    temperature.check.setChecked(True)
    temperature.spin.setValue(0.3)
    tokens = next(f for f in editor.fields if f.name == "max_tokens")
    tokens.check.setChecked(True)
    tokens.spin.setValue(200)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == ""
    (saved,) = _saved_presets(app_paths)
    assert saved["name"] == "Terse & <b>exact</b>"
    assert saved["system_prompt"] == "Answer in one line."
    assert (saved["temperature"], saved["max_tokens"]) == (0.3, 200)
    assert "top_p" not in saved  # left to the model
    assert editor.list.isEnabled() and editor.list.currentItem().text() == saved["name"]

    # It is offered in the menu (its '&' shown, not taken as a shortcut) and can be chosen.
    menu = app.chat_menu.preset_menu
    menu.rebuild()
    action = menu.findChild(type(menu.actions()[0]), f"preset:{saved['id']}")
    assert action.text() == "Terse && <b>exact</b>"
    app.conversations.open(seeded.fruit)
    action.trigger()
    assert _options(app_paths, seeded.fruit) == {"preset": saved["id"]}

    # Rename it: the same preset, a new name.
    editor.name.setText("Terse")
    editor.name.textEdited.emit("Terse")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [(p["id"], p["name"]) for p in _saved_presets(app_paths)] == [(saved["id"], "Terse")]

    # Delete it (after the question): the chat that used it goes back to the model's own.
    answers.append(True)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert _saved_presets(app_paths) == []
    assert app.chat_tools.preset_for(seeded.fruit) is None
    menu.rebuild()
    assert menu.title() == "Preset: Model's own"


def test_editor_shows_problems_in_one_sentence_and_duplicates_builtins(qtbot, app,
                                                                       app_paths):
    editor = app.chat_menu.open_preset_editor()
    editor.list.setCurrentRow(1)  # Coding, read-only
    assert "cannot be changed" in editor.note.text()
    qtbot.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    assert editor.name.text() == "Coding copy" and not editor.name.isReadOnly()
    editor.name.setText("coding")
    editor.name.textEdited.emit("coding")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == "There is already a preset called coding."
    assert _saved_presets(app_paths) == []
    editor.name.setText("  ")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == "A preset needs a name."
    editor.name.setText("My coding")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (saved,) = _saved_presets(app_paths)
    assert saved["temperature"] == 0.2 and saved["max_tokens"] == 2048
    assert saved["system_prompt"].startswith("You are an expert programmer.")


def test_every_sampling_value_is_bounded_by_the_model_limits(app):
    from desktopchat.settings import ModelSettings

    editor = app.chat_menu.open_preset_editor()
    for field in editor.fields:
        lo, hi = ModelSettings.LIMITS[field.name]
        assert (field.spin.minimum(), field.spin.maximum()) == (lo, hi)
        assert field.spin.objectName() == f"preset_{field.name}"
        assert field.check.accessibleName() and field.spin.accessibleName()


def test_closing_with_unsaved_changes_asks_first(qtbot, app, answers, app_paths):
    editor = app.chat_menu.open_preset_editor()
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    answers.append(False)  # keep editing
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    answers.append(True)  # discard
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert _saved_presets(app_paths) == []
