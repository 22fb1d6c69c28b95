"""Quitting is bounded: whatever the engine thread is doing (a model load in native code here),
the window closes within its bound, user data is saved and closed, and what was cut is logged."""

from __future__ import annotations

import logging
import threading
import time

import pytest

import desktopchat.app
from desktopchat.app import DesktopChatApp
from desktopchat.engine.engine import Engine


@pytest.mark.realmodel
def test_quit_while_a_model_is_loading_returns_within_its_bound(qtbot, app_paths, monkeypatch,
                                                                caplog):
    monkeypatch.setattr(desktopchat.app, "ENGINE_QUIT_MS", 600)
    entered, release = threading.Event(), threading.Event()
    real_load = Engine.load

    def stuck_load(self, req):  # type: ignore[no-untyped-def]
        """A load that takes as long as a large model on a slow disk (on the engine thread)."""
        entered.set()
        release.wait(120)
        return real_load(self, req)

    monkeypatch.setattr(Engine, "load", stuck_load)
    app = DesktopChatApp(app_paths)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.wait_until(entered.is_set, timeout=60_000)
    conv = app.conversations.current
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="desktopchat.app"):
        app.window.close()
    elapsed = time.monotonic() - started
    try:
        assert elapsed < 5.0, f"quitting took {elapsed:.1f} s"
        assert app.unclean_threads == ["engine"]
        assert "did not stop" in caplog.text
        assert not app.window.isVisible()
        # The history was closed cleanly: a new start opens it and finds the chat.
        from desktopchat.chat.store import ChatStore

        store = ChatStore(app_paths.db_path)
        assert store.conversation(conv) is not None
        store.close()
    finally:
        release.set()  # the load finishes in the background; the harness wants it joined
        assert app.engine_thread.wait(120_000)


def test_a_start_after_dying_while_loading_does_not_load_that_model_again(qtbot, app_paths):
    """A model file that aborts llama.cpp must not abort every later start (a crash loop)."""
    from desktopchat.chat.store import ChatStore
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.settings import Settings

    store = ChatStore(app_paths.db_path)
    Settings(store).update_app(last_model_id=STARTER_ID, loading_model_id=STARTER_ID)
    store.close()  # as if the process had died inside llama.cpp during the load
    app = DesktopChatApp(app_paths)
    qtbot.addWidget(app.window)
    states: list[str] = []
    app.session.model_state.connect(lambda s, _d: states.append(s))
    with qtbot.wait_signal(app.library.listing_done, timeout=60_000):
        app.start()
    try:
        assert "closed unexpectedly while loading" in app.window.last_error
        assert "loading" not in states and app.session.model is None
        # Picking it again is the user's choice, and then it loads (and the marker clears).
        with qtbot.wait_signal(app.session.model_state, timeout=120_000,
                               check_params_cb=lambda s, _d: s == "ready"):
            app.session.select_model(STARTER_ID)
        assert app.settings.app().loading_model_id == ""
    finally:
        app.window.close()
