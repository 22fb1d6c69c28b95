"""The KV cache through the whole app (the real window, worker thread and engine on SmolLM2):
a conversation's cache is saved when it goes idle or the app quits and the next launch restores
it instead of re-reading the chat (benchmarks: figure 4); a message being typed is read into
the cache as the user pauses, so Send starts the reply at once (figure 3)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import desktopchat.session.generation as generation_mod
import desktopchat.session.model_session as session_mod
from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.engine.types import GenerationResult
from desktopchat.models.starter import STARTER_ID
from desktopchat.settings import ModelSettings, Settings

pytestmark = pytest.mark.realmodel

SHORT = ModelSettings(temperature=0.0, max_tokens=16, context_length=2048, threads=2, seed=1)
# A chat long enough that restoring it spares far more than RESTORE_MIN_GAIN prompt tokens.
LONG_MESSAGE = "The harbour log notes the wind, the swell and the ships that passed. " * 25


@pytest.fixture
def launch(qtbot, app_paths) -> Iterator[Callable[[], DesktopChatApp]]:
    apps: list[DesktopChatApp] = []
    store = ChatStore(app_paths.db_path)
    Settings(store).save_model(STARTER_ID, SHORT)
    store.close()

    def _launch() -> DesktopChatApp:
        app = DesktopChatApp(app_paths)
        apps.append(app)
        qtbot.addWidget(app.window)
        with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                               check_params_cb=lambda s, _d: s == "ready"):
            app.start()
        return app

    yield _launch
    for app in apps:
        app.window.close()
        app.shutdown()


def _quit(app: DesktopChatApp) -> None:
    app.window.close()
    app.shutdown()


def _reply(qtbot, app: DesktopChatApp, text: str) -> GenerationResult:
    with qtbot.wait_signal(app.generation.stats, timeout=60_000) as blocker:
        assert app.generation.send(text)
    result = blocker.args[0]
    assert isinstance(result, GenerationResult) and not result.error
    return result


def _follow_up_after_restart(qtbot, launch, conversation: int) -> GenerationResult:
    app = launch()
    app.conversations.open(conversation)
    return _reply(qtbot, app, "And in one word?")


def test_idle_chat_is_saved_and_restored_after_a_restart(qtbot, launch, app_paths,
                                                          monkeypatch):
    monkeypatch.setattr(session_mod, "KV_IDLE_MS", 200)
    app = launch()
    first = _reply(qtbot, app, LONG_MESSAGE + "Summarise the log.")
    assert first.prompt_tokens > 300
    conversation = app.conversations.current
    # Idle: the controller asks the engine thread to save; the file appears while the app runs.
    qtbot.wait_until(lambda: any(app_paths.kv_state_dir.glob("*.kvstate")), timeout=20_000)
    _quit(app)
    again = _follow_up_after_restart(qtbot, launch, conversation)
    # Only the new turn is read: the saved cache covered everything before it.
    assert again.prompt_tokens_evaluated < 64 < first.prompt_tokens
    assert again.prompt_tokens > first.prompt_tokens


def test_quitting_mid_chat_saves_it_and_the_next_launch_restores_it(qtbot, launch, app_paths,
                                                                    monkeypatch):
    monkeypatch.setattr(session_mod, "KV_IDLE_MS", 600_000)  # never idle: only quit saves
    app = launch()
    first = _reply(qtbot, app, LONG_MESSAGE + "Summarise the log.")
    conversation = app.conversations.current
    assert not any(app_paths.kv_state_dir.glob("*.kvstate"))
    _quit(app)
    assert len(list(app_paths.kv_state_dir.glob("*.kvstate"))) == 1
    again = _follow_up_after_restart(qtbot, launch, conversation)
    assert again.prompt_tokens_evaluated < 64 < first.prompt_tokens


def test_without_a_saved_state_the_chat_is_read_again(qtbot, launch, app_paths, monkeypatch):
    monkeypatch.setattr(session_mod, "KV_IDLE_MS", 600_000)
    app = launch()
    first = _reply(qtbot, app, LONG_MESSAGE + "Summarise the log.")
    conversation = app.conversations.current
    _quit(app)
    for f in app_paths.kv_state_dir.glob("*.kvstate"):
        f.unlink()
    again = _follow_up_after_restart(qtbot, launch, conversation)
    assert again.prompt_tokens_evaluated == again.prompt_tokens > first.prompt_tokens


def test_a_typed_message_is_read_ahead_and_send_evaluates_nothing_more(qtbot, launch,
                                                                        monkeypatch):
    monkeypatch.setattr(generation_mod, "DRAFT_PREFILL_MS", 100)
    app = launch()
    first = _reply(qtbot, app, LONG_MESSAGE + "Summarise the log.")
    read_ahead: list[int] = []
    app.worker.prefilled.connect(lambda _rid, n: read_ahead.append(n))  # on the worker thread
    composer = app.window.composer
    qtbot.keyClicks(composer, "Which ships passed?")
    qtbot.wait_until(lambda: bool(read_ahead), timeout=20_000)
    assert 0 < read_ahead[-1] < first.prompt_tokens  # only the new turn was read
    with qtbot.wait_signal(app.generation.stats, timeout=60_000) as blocker:
        app.window._send_or_stop()  # what Enter and the Send button do
    result = blocker.args[0]
    assert result.prompt_tokens_evaluated == 0 and not result.error
    assert composer.toPlainText() == ""
    assert app.store.messages(app.conversations.current)[-2].content == \
        "Which ships passed?"
    # Nothing is read ahead for an empty composer (the rested draft is considered, not sent).
    with qtbot.wait_signal(app.generation.draft_considered, timeout=10_000) as considered:
        composer.setPlainText("")
    assert considered.args == [False]
    # Nor while a reply is being written: the draft waits for the reply's end.
    with qtbot.wait_signal(app.generation.draft_considered, timeout=10_000) as considered:
        assert app.generation.send("Name one ship.")
        qtbot.keyClicks(composer, "And another?")
    assert considered.args == [False] and app.generation.generating
    with qtbot.wait_signal(app.generation.draft_considered, timeout=120_000,
                           check_params_cb=lambda asked: asked) as considered:
        pass  # the reply ends; the draft typed during it is read ahead now
    qtbot.wait_until(lambda: len(read_ahead) == 2, timeout=60_000)


def test_a_message_typed_while_a_reply_streams_is_read_ahead_when_it_ends(qtbot, launch,
                                                                         monkeypatch):
    monkeypatch.setattr(generation_mod, "DRAFT_PREFILL_MS", 100)
    app = launch()
    read_ahead: list[int] = []
    app.worker.prefilled.connect(lambda _rid, n: read_ahead.append(n))  # on the worker thread
    with qtbot.wait_signal(app.generation.stats, timeout=60_000):
        assert app.generation.send(LONG_MESSAGE + "Summarise the log.")
        qtbot.keyClicks(app.window.composer, "And the wind?")  # typed while the reply streams
    qtbot.wait_until(lambda: bool(read_ahead), timeout=20_000)
    result = _reply(qtbot, app, "And the wind?")
    assert result.prompt_tokens_evaluated == 0
