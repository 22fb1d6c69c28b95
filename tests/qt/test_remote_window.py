"""A remote engine through the real window: added in its settings page, its models appear in the
picker beside the local ones, a chat with one streams through the same conversation code (its
reasoning shown like a local model's), each reply remembers which engine answered, Stop closes a
stalled stream at once, and Offline turns remote engines off visibly."""

from __future__ import annotations

import pytest

from desktopchat.engine.remote_config import remote_model_id
from tests.support.servers import ScriptedServer
from tests.support.window import launch_fixture  # noqa: F401 - the fixture

pytestmark = pytest.mark.realmodel


@pytest.fixture
def server():
    with ScriptedServer() as s:
        yield s


def _add_engine(qtbot, app, url: str) -> str:
    page = app.remote_page
    page.new_engine()
    page.name.setText("GPU box")
    page.url.setText(url)
    with qtbot.wait_signal(page.engines_changed, timeout=10_000):
        page.save()
    (endpoint,) = app.remote.engines.engines()
    return endpoint.engine_id


def test_a_remote_model_is_chosen_and_chatted_with_like_a_local_one(qtbot, launch, server):
    app = launch()
    engine = _add_engine(qtbot, app, server.url)
    think = remote_model_id(engine, "think")
    qtbot.wait_until(lambda: app.library.model_by_id(think) is not None, timeout=20_000)
    picker = app.window.model_picker
    assert picker.findData(think) >= 0 and picker.findData(app.session.model.model_id) >= 0
    assert "(GPU box)" in app.library.model_by_id(think).name
    with qtbot.wait_signal(app.session.model_state, timeout=30_000,
                           check_params_cb=lambda s, _d: s == "ready"):
        app.session.select_model(think)
    with qtbot.wait_signal(app.generation.reply_finished, timeout=30_000):
        assert app.generation.send("What is two plus two?")
    reply = app.store.messages(app.conversations.current)[-1]
    assert reply.content == "It is 4."
    assert reply.reasoning == "Let me think. Two plus two."  # sent apart by the server
    assert reply.engine == "GPU box" and reply.model == app.library.model_by_id(think).name
    # A local model afterwards: the same chat, each reply remembers who answered it.
    local = next(m for m in app.library.models if m.path)
    with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                           check_params_cb=lambda s, _d: s == "ready"):
        app.session.select_model(local.model_id)
    with qtbot.wait_signal(app.generation.reply_finished, timeout=60_000):
        assert app.generation.send("And you?")
    engines = [m.engine for m in app.store.messages(app.conversations.current)
               if m.role == "assistant"]
    assert engines == ["GPU box", ""]


def test_stop_closes_a_stalled_remote_stream_at_once(qtbot, launch, server):
    app = launch()
    engine = _add_engine(qtbot, app, server.url)
    stall = remote_model_id(engine, "stall")
    qtbot.wait_until(lambda: app.library.model_by_id(stall) is not None, timeout=20_000)
    with qtbot.wait_signal(app.session.model_state, timeout=30_000,
                           check_params_cb=lambda s, _d: s == "ready"):
        app.session.select_model(stall)
    with qtbot.wait_signal(app.generation.reply_text, timeout=30_000):
        assert app.generation.send("Hello?")
    with qtbot.wait_signal(app.generation.busy_changed, timeout=5_000):  # not the server's time
        app.window.composer_box.send_button.click()  # Stop
    reply = app.store.messages(app.conversations.current)[-1]
    assert reply.content == "Hello world" and reply.status.value == "stopped"


def test_offline_turns_remote_engines_off_visibly(qtbot, launch, server):
    app = launch()
    engine = _add_engine(qtbot, app, server.url)
    echo = remote_model_id(engine, "echo")
    qtbot.wait_until(lambda: app.library.model_by_id(echo) is not None, timeout=20_000)
    app.offline_action.setChecked(True)
    assert app.library.model_by_id(echo) is None  # gone from the picker
    assert app.remote_page.offline_banner.isVisibleTo(app.remote_page)
    before = len(server.requests)
    app.remote.refresh()
    assert len(server.requests) == before  # no connection at all
    app.offline_action.setChecked(False)
    qtbot.wait_until(lambda: app.library.model_by_id(echo) is not None, timeout=20_000)
