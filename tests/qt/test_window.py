"""The real window, the real worker thread and the real engine on SmolLM2 (and Gemma 270M)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt

from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import MessageStatus
from desktopchat.models.starter import STARTER_ID
from desktopchat.paths import AppPaths
from desktopchat.settings import ModelSettings, Settings
from tests.support.window import LONG, SHORT, failed, launch_fixture, ready, send  # noqa: F401

pytestmark = pytest.mark.realmodel

_ready, _failed, _send = ready, failed, send


def _db_messages(paths: AppPaths):
    db = sqlite3.connect(paths.db_path)
    try:
        return db.execute("SELECT role, content, status FROM messages ORDER BY id").fetchall()
    finally:
        db.close()


def test_reply_streams_into_view_and_is_saved_and_restored(qtbot, launch, app_paths):
    app = launch()
    assert app.window.model_status.text().startswith("Model: ")
    chunks: list[str] = []
    app.generation.reply_text.connect(chunks.append)
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda busy: busy is False):
        _send(qtbot, app, "What is the capital of France?")
    assert app.window.composer.toPlainText() == ""
    reply = "".join(chunks)
    assert reply.strip(), "the reply streamed no text"
    shown = app.window.view.toPlainText()
    assert "What is the capital of France?" in shown
    assert reply.split()[0] in shown
    assert app.window.view.repaints >= 1
    rows = _db_messages(app_paths)
    assert rows[0] == ("user", "What is the capital of France?", "complete")
    assert rows[1][0] == "assistant" and rows[1][1] == reply
    assert rows[1][2] in ("complete", "length")
    assert "tok/s" in app.window.speed_status.text()
    assert app.window.context_status.text().startswith("Context: ")
    title = app.window.sidebar.titles()[0]
    assert title == "What is the capital of France?"

    # Relaunch on the same data dir: the conversation is there.
    app.window.close()
    again = launch()
    assert again.window.sidebar.titles()[0] == title
    assert "What is the capital of France?" in again.window.view.toPlainText()
    assert reply.split()[0] in again.window.view.toPlainText()


def test_escape_stops_the_reply_and_it_is_kept_as_stopped(qtbot, launch, app_paths):
    app = launch(LONG)
    # What the engine thread sends, in its order (recorded on that thread, before the
    # controller filters anything): after 'finished' for a request, no text for it may follow.
    sent: list[tuple[str, int]] = []
    direct = Qt.ConnectionType.DirectConnection
    app.worker.tokens.connect(lambda rid, _t: sent.append(("tokens", rid)), direct)
    app.worker.finished.connect(lambda r: sent.append(("finished", r.request_id)), direct)
    app.worker.prefilled.connect(lambda rid, _n: sent.append(("prefilled", rid)), direct)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Write a very long story about a lighthouse keeper.")
    with qtbot.wait_signal(app.generation.busy_changed, timeout=10_000):
        qtbot.keyClick(app.window.composer, Qt.Key.Key_Escape)
    shown = app.window.view.toPlainText()
    # A draft read ahead queues behind the stopped reply on the engine thread: once it is
    # done, everything the stopped reply sent has been recorded.
    qtbot.keyClicks(app.window.composer, "Thanks")
    qtbot.wait_until(lambda: any(kind == "prefilled" for kind, _r in sent), timeout=60_000)
    (rid,) = {r for kind, r in sent if kind == "finished"}
    events = [kind for kind, r in sent if r == rid]
    assert events[-1] == "finished" and events.count("finished") == 1
    assert "tokens" in events
    assert app.window.view.toPlainText() == shown  # nothing was added after Stop
    role, content, status = _db_messages(app_paths)[-1]
    assert role == "assistant" and status == "stopped" and content
    assert content.split()[0] in shown
    assert "(stopped)" in app.window.view.toPlainText()
    assert app.window.send_button.text() == "Send"


def test_a_streaming_reply_is_in_the_store_while_it_is_written(qtbot, launch, app_paths):
    """A crash mid-reply loses at most the last second: the text is written as it streams."""
    app = launch(LONG)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Write a very long story about a lighthouse keeper.")

    def partial_saved() -> bool:
        role, content, status = _db_messages(app_paths)[-1]
        return role == "assistant" and status == "generating" and bool(content.strip())

    qtbot.wait_until(partial_saved, timeout=60_000)
    assert app.generation.generating
    with qtbot.wait_signal(app.generation.busy_changed, timeout=10_000):
        app.generation.stop()
    assert _db_messages(app_paths)[-1][2] == "stopped"


def test_send_button_toggles_to_stop(qtbot, launch, app_paths):
    app = launch(LONG)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        qtbot.keyClicks(app.window.composer, "Tell me everything about the sea.")
        qtbot.mouseClick(app.window.send_button, Qt.MouseButton.LeftButton)
    assert app.window.send_button.text() == "Stop"
    with qtbot.wait_signal(app.generation.busy_changed, timeout=10_000):
        qtbot.mouseClick(app.window.send_button, Qt.MouseButton.LeftButton)
    assert _db_messages(app_paths)[-1][2] == "stopped"


def test_switching_conversations_mid_reply_keeps_each_in_its_place(qtbot, launch, app_paths):
    app = launch(ModelSettings(temperature=0.9, max_tokens=150, threads=2, seed=3))
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Describe a forest in detail.")
    first = app.conversations.current
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000):
        qtbot.mouseClick(app.window.sidebar.new_button, Qt.MouseButton.LeftButton)
        second = app.conversations.current
        assert second != first
        assert "forest" not in app.window.view.toPlainText()
    assert "forest" not in app.window.view.toPlainText()
    store_rows = app.store.messages(first)
    assert [m.role for m in store_rows] == ["user", "assistant"]
    assert store_rows[1].content and store_rows[1].status in (
        MessageStatus.COMPLETE, MessageStatus.LENGTH)
    assert app.store.messages(second) == []
    # Back to the first: the whole reply is shown.
    app.conversations.open(first)
    assert store_rows[1].content.split()[0] in app.window.view.toPlainText()


def test_switching_back_while_still_streaming_resumes_the_view(qtbot, launch):
    app = launch(LONG)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Write a long poem about rivers.")
    first = app.conversations.current
    app.conversations.new()
    with qtbot.wait_signal(app.generation.reply_text, timeout=10_000):
        app.conversations.open(first)
    assert app.window.view.is_streaming
    with qtbot.wait_signal(app.generation.busy_changed, timeout=10_000):
        app.generation.stop()
    text = app.store.messages(first)[-1].content
    assert text[:20].strip() in app.window.view.toPlainText()


def test_closing_the_window_mid_reply_exits_cleanly_and_keeps_the_text(qtbot, launch, app_paths):
    app = launch(LONG)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Write a long essay about mountains.")
    app.window.close()
    assert not app.engine_thread.isRunning()
    role, content, status = _db_messages(app_paths)[-1]
    assert role == "assistant" and content and status == "interrupted"
    again = launch()
    assert "(interrupted when the app closed)" in again.window.view.toPlainText()


def test_regenerate_keeps_the_earlier_reply_as_an_alternative(qtbot, launch, app_paths):
    app = launch(ModelSettings(temperature=1.0, max_tokens=30, threads=2))
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "Give me a name for a cat.")
    first = app.store.messages(app.conversations.current)[-1]
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        qtbot.mouseClick(app.window.regenerate_button, Qt.MouseButton.LeftButton)
    rows = _db_messages(app_paths)
    assert [r[0] for r in rows] == ["user", "assistant", "assistant"]  # both replies kept
    path = app.store.messages(app.conversations.current)
    assert [m.role for m in path] == ["user", "assistant"]
    second = path[-1]
    assert second.id != first.id and second.content
    assert (second.sibling_index, second.sibling_count) == (2, 2)
    # Flipping back shows the first reply again, in place.
    assert app.generation.switch_branch(second.id, -1)
    assert app.store.messages(app.conversations.current)[-1].id == first.id
    assert first.content.split()[0] in app.window.view.toPlainText()


def test_edit_a_message_forks_a_branch_and_keeps_the_original(qtbot, launch, app_paths):
    app = launch()
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "What is 2+2?")
    user_id = app.store.messages(app.conversations.current)[0].id
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        assert app.generation.edit_and_resend(user_id, "What is the capital of Spain?")
    rows = _db_messages(app_paths)
    assert [r[0] for r in rows] == ["user", "assistant", "user", "assistant"]
    path = app.store.messages(app.conversations.current)
    assert path[0].content == "What is the capital of Spain?"
    assert (path[0].sibling_index, path[0].sibling_count) == (2, 2)
    shown = app.window.view.toPlainText()
    assert "2+2" not in shown and "Spain" in shown
    assert app.generation.switch_branch(path[0].id, -1)  # the original and its reply return
    assert "2+2" in app.window.view.toPlainText()
    assert len(app.store.messages(app.conversations.current)) == 2


def test_swap_models_mid_conversation_history_stays(qtbot, launch, app_paths, gemma_path):
    shutil.copy(gemma_path, app_paths.models_dir / gemma_path.name)
    app = launch()
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "Hello there!")
    picker = app.window.model_picker
    names = [picker.itemText(i) for i in range(picker.count())]
    assert len(names) == 2 and "starter" in names[0]
    gemma_index = 1
    with qtbot.wait_signal(app.session.model_state, timeout=60_000, check_params_cb=_ready):
        picker.activated.emit(gemma_index)
    assert app.session.model.architecture == "gemma3"
    assert "no chat template" in app.window.last_notice and "'gemma'" in app.window.last_notice
    assert "Hello there!" in app.window.view.toPlainText()
    _preset_gemma = app.settings
    _preset_gemma.save_model(app.session.model.model_id, SHORT)
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "Paris is the capital of")
    rows = _db_messages(app_paths)
    assert len(rows) == 4 and rows[3][1].strip()
    with qtbot.wait_signal(app.session.model_state, timeout=60_000, check_params_cb=_ready):
        picker.activated.emit(0)
    assert app.session.model.model_id == STARTER_ID


def test_failed_load_shows_a_sentence_and_keeps_the_previous_model(qtbot, launch, app_paths):
    from tests.support.models import make_gguf

    bad = app_paths.models_dir / "missing-weights.gguf"
    bad.write_bytes(make_gguf())  # a valid header, but none of the tensors llama needs
    app = launch()
    qtbot.wait_until(lambda: any(m.path == str(bad) for m in app.library.models))
    bad_id = next(m.model_id for m in app.library.models if m.path == str(bad))
    # Its test load in a child process fails: the app's own process never loads it.
    with qtbot.wait_signal(app.session.model_state, timeout=120_000, check_params_cb=_failed):
        app.session.select_model(bad_id)
    qtbot.wait_until(lambda: app.session.model is not None, timeout=60_000)
    assert app.window.last_error.startswith("This model file is damaged")
    assert app.session.model.model_id == STARTER_ID
    assert bad_id in app.library.unusable
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "Still there?")
    assert _db_messages(app_paths)[-1][1]


def test_settings_persist_and_apply(qtbot, launch, app_paths):
    app = launch()
    new = ModelSettings(system_prompt="Answer in French.", temperature=0.3, max_tokens=20,
                        context_length=1024, threads=2)
    with qtbot.wait_signal(app.session.model_state, timeout=60_000, check_params_cb=_ready):
        app.session.save_model_settings(new)  # context changed: the model reloads
    assert app.session.model.n_ctx == 1024
    app.window.close()
    again = launch(None)
    assert again.session.model_settings() == new
    assert again.session.model.n_ctx == 1024


def test_rename_and_delete_conversations(qtbot, launch):
    app = launch()
    a = app.conversations.current
    app.conversations.rename(a, "Trip planning")
    b = app.conversations.new()
    titles = app.window.sidebar.titles()
    assert len(titles) == 2 and "Trip planning" in titles
    app.conversations.delete(b)
    assert app.window.sidebar.titles() == ["Trip planning"]
    assert app.conversations.current == a


def test_unload_then_pick_again(qtbot, launch):
    app = launch()
    with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                           check_params_cb=lambda s, d: s == "none"):
        app.window.unload_action.trigger()
    assert app.session.model is None
    assert not app.generation.send("hello?")
    assert "No model is loaded" in app.window.last_error
    with qtbot.wait_signal(app.session.model_state, timeout=60_000, check_params_cb=_ready):
        app.window.model_picker.activated.emit(0)
    # The model, and where it runs (this machine has no GPU).
    assert app.window.model_status.text() == "Model: SmolLM2 135M Instruct (starter) · CPU"


def test_overflowing_history_is_trimmed_and_the_user_is_told(qtbot, launch, app_paths):
    store = ChatStore(app_paths.db_path)
    conv = store.create_conversation("Long chat")
    for i in range(40):
        store.add_message(conv.id, "user", f"Question {i}: tell me about the number {i}.")
        store.add_message(conv.id, "assistant", f"The number {i} is a fine number. " * 3)
    Settings(store).update_app(last_conversation_id=conv.id)
    store.close()
    app = launch(ModelSettings(temperature=0.0, max_tokens=24, context_length=512, threads=2))
    assert app.conversations.current == conv.id
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000,
                           check_params_cb=lambda b: not b):
        _send(qtbot, app, "And what is 2+2?")
    assert "older message(s) were left out" in app.window.view.toPlainText()
    assert app.generation.last_result.messages_dropped > 0
    # Nothing is deleted from the history: only left out of the prompt.
    assert len(app.store.messages(conv.id)) == 82


def test_sending_while_a_reply_is_written_says_why_nothing_happened(qtbot, launch):
    app = launch(LONG)
    with qtbot.wait_signal(app.generation.reply_text, timeout=60_000):
        _send(qtbot, app, "Write a long story.")
    qtbot.keyClicks(app.window.composer, "another question")
    qtbot.keyClick(app.window.composer, Qt.Key.Key_Return)
    assert app.window.composer.toPlainText() == "another question"  # kept, not lost
    assert "still being written" in app.window.last_error
    with qtbot.wait_signal(app.generation.busy_changed, timeout=10_000):
        app.generation.stop()
