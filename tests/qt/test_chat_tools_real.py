"""The Chat menu's flows on replies written by the real engine (SmolLM2): search finds a
regenerated reply on its branch and opens it there, and an exported chat imports back and goes
on with the model."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.models.starter import STARTER_ID
from desktopchat.paths import AppPaths
from desktopchat.settings import ModelSettings, Settings
from desktopchat.ui import chat_io

pytestmark = pytest.mark.realmodel

SHORT = ModelSettings(temperature=0.0, max_tokens=32, context_length=2048, threads=2, seed=1)


@pytest.fixture
def launch(qtbot, app_paths: AppPaths) -> Iterator[Callable[[], DesktopChatApp]]:
    apps: list[DesktopChatApp] = []

    def _launch() -> DesktopChatApp:
        store = ChatStore(app_paths.db_path)
        Settings(store).save_model(STARTER_ID, SHORT)
        store.close()
        app = DesktopChatApp(app_paths)
        apps.append(app)
        qtbot.addWidget(app.window)
        with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                               check_params_cb=lambda state, _d: state == "ready"):
            app.start()
            qtbot.wait_exposed(app.window)
        return app

    yield _launch
    for app in apps:
        app.window.close()
        app.shutdown()


def _reply(qtbot, app: DesktopChatApp, start: Callable[[], object]) -> None:
    with qtbot.wait_signal(app.generation.busy_changed, timeout=90_000,
                           check_params_cb=lambda busy: busy is False):
        start()


def _send(qtbot, app: DesktopChatApp, text: str) -> None:
    def type_it() -> None:
        qtbot.keyClicks(app.window.composer, text)
        qtbot.keyClick(app.window.composer, Qt.Key.Key_Return)
    _reply(qtbot, app, type_it)


def _assistant_rows(paths: AppPaths, cid: int) -> list[tuple[int, str]]:
    db = sqlite3.connect(paths.db_path)
    try:
        return db.execute("SELECT id, content FROM messages WHERE conversation_id = ? AND "
                          "role = 'assistant' ORDER BY id", (cid,)).fetchall()
    finally:
        db.close()


def test_search_opens_a_regenerated_reply_on_its_branch(qtbot, launch, app_paths):
    app = launch()
    _send(qtbot, app, "Name one fruit.")
    cid = app.conversations.current
    _reply(qtbot, app, app.generation.regenerate)
    (first_id, first), (second_id, _second) = _assistant_rows(app_paths, cid)
    words = re.findall(r"[A-Za-z]{4,}", first)
    assert words, f"the reply has no word to search for: {first!r}"
    panel = app.chat_menu.search_panel
    qtbot.keyClick(app.window, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with qtbot.wait_signal(app.chat_tools.search_results, timeout=10_000,
                           check_params_cb=lambda r: r.channel == "all"):
        qtbot.keyClicks(panel.field, words[0])
    hit = next(h for h in panel.hits if h.message_id == first_id)
    assert not hit.on_active_path and hit.branch == (1, 2)
    assert panel.open_hit(hit)
    assert app.store.conversation(cid).active_leaf_id == first_id
    assert app.window.view.row(first_id) is not None
    assert app.window.view.row(second_id) is None  # the other branch is not shown

    # Find in chat counts the same word on the branch shown now.
    bar = app.chat_menu.find_bar
    bar.open_bar()
    with qtbot.wait_signal(app.chat_tools.search_results, timeout=10_000,
                           check_params_cb=lambda r: r.channel == "find"):
        bar.field.setText(words[0])
    assert first_id in [h.message_id for h in bar.matches]
    assert second_id not in [h.message_id for h in bar.matches]

    # While a reply is being written in the chat, its branch is not switched under it.
    other_branch = dataclasses.replace(hit, message_id=second_id, activate_id=second_id)
    with qtbot.wait_signal(app.generation.busy_changed, timeout=90_000,
                           check_params_cb=lambda busy: busy is False):
        qtbot.keyClicks(app.window.composer, "And another?")
        qtbot.keyClick(app.window.composer, Qt.Key.Key_Return)
        with qtbot.wait_signal(app.chat_tools.error, timeout=1000) as refused:
            assert not panel.open_hit(other_branch)
    assert refused.args[0].startswith("A reply is being written in that chat")
    assert panel.open_hit(other_branch)  # once it is done
    assert app.store.conversation(cid).active_leaf_id == second_id


def test_an_exported_chat_imports_back_and_the_model_goes_on(qtbot, launch, app_paths,
                                                             tmp_path, monkeypatch):
    app = launch()
    _send(qtbot, app, "Say hello.")
    cid = app.conversations.current
    monkeypatch.setattr(chat_io.ExportDialog, "exec",
                        lambda self: self.choices["json"].setChecked(True) or 1)
    monkeypatch.setattr(chat_io, "ask_save_path", lambda *_a: str(tmp_path / "chat.json"))
    monkeypatch.setattr(chat_io, "ask_open_path", lambda *_a: str(tmp_path / "chat.json"))
    with qtbot.wait_signal(app.chat_tools.notice, timeout=20_000):
        app.chat_menu.export_action.trigger()
    with qtbot.wait_signal(app.chat_tools.notice, timeout=20_000) as blocker:
        app.chat_menu.import_action.trigger()
    assert blocker.args[0].startswith("Imported 1 conversation(s) with 2 message(s)")
    imported = app.conversations.current
    assert imported != cid
    original = _assistant_rows(app_paths, cid)[0][1]
    assert original in app.window.view.toPlainText()
    _send(qtbot, app, "Thanks.")
    rows = _assistant_rows(app_paths, imported)
    assert len(rows) == 2 and rows[0][1] == original and rows[1][1].strip()
