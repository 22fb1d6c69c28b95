"""A listing that breaks part-way (a bug, a library missing from a bundle) still ends: the window
says so in one sentence, keeps what was found, and start-up goes on to load a model."""

from __future__ import annotations

import pytest

from desktopchat.app import DesktopChatApp
from desktopchat.models.library import ModelLibrary


@pytest.mark.realmodel
def test_a_listing_that_raises_still_finishes_and_the_start_goes_on(qtbot, app_paths,
                                                                     monkeypatch, caplog):
    real_iter = ModelLibrary.iter_models

    def breaks_after_the_first_batch(self):  # type: ignore[no-untyped-def]
        it = real_iter(self)
        yield next(it)  # the starter model
        raise ImportError("No module named 'yaml'")  # what a bundle missing a module did

    monkeypatch.setattr(ModelLibrary, "iter_models", breaks_after_the_first_batch)
    app = DesktopChatApp(app_paths)
    qtbot.addWidget(app.window)
    errors: list[str] = []
    app.library.error.connect(errors.append)
    states: list[str] = []
    app.session.model_state.connect(lambda state, _detail: states.append(state))
    with qtbot.wait_signal(app.library.listing_done, timeout=30_000):
        app.start()
    assert errors == ["The model list could not be read completely; details are in the log."]
    assert "listing the models failed" in caplog.text
    assert [m.model_id for m in app.library.models], "the batch found before the error is kept"
    qtbot.wait_until(lambda: any(s in ("ready", "failed", "none") for s in states),
                     timeout=120_000)
    assert "ready" in states
    app.window.close()
