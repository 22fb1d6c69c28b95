"""The real app on a test's data dir (pytest fixture ``launch``) and small helpers for driving
its window: shared by the window's test modules."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.models.starter import STARTER_ID
from desktopchat.paths import AppPaths
from desktopchat.settings import ModelSettings, Settings

SHORT = ModelSettings(temperature=0.0, max_tokens=40, context_length=2048, threads=2, seed=1)
LONG = ModelSettings(temperature=0.9, max_tokens=3000, context_length=4096, threads=2, seed=7)


def preset(paths: AppPaths, model_id: str, value: ModelSettings) -> None:
    store = ChatStore(paths.db_path)
    Settings(store).save_model(model_id, value)
    store.close()


@pytest.fixture(name="launch")
def launch_fixture(qtbot, app_paths) -> Iterator[Callable[..., DesktopChatApp]]:
    """``launch(settings=SHORT, wait_model=True)``: start the app on the test's data dir and
    wait until the starter model is loaded. Import ``launch_fixture`` to use it."""
    apps: list[DesktopChatApp] = []

    def _launch(settings: ModelSettings | None = SHORT, wait_model: bool = True) -> DesktopChatApp:
        if settings is not None:
            preset(app_paths, STARTER_ID, settings)
        app = DesktopChatApp(app_paths)
        apps.append(app)
        qtbot.addWidget(app.window)
        with qtbot.wait_signal(app.session.model_state, timeout=60_000, raising=wait_model,
                               check_params_cb=ready):
            app.start()
            qtbot.wait_exposed(app.window)
        return app

    yield _launch
    for app in apps:
        app.window.close()
        app.shutdown()


def ready(state: str, detail: str) -> bool:
    return state == "ready"


def failed(state: str, detail: str) -> bool:
    return state == "failed"


def send(qtbot, app: DesktopChatApp, text: str) -> None:
    qtbot.keyClicks(app.window.composer, text)
    qtbot.keyClick(app.window.composer, Qt.Key.Key_Return)


def idle(busy: bool) -> bool:
    return busy is False


def forget_looks() -> None:
    """Back to the system's look, size and language, with no ThemeManager left (the app made
    one for a test that chose a look; later tests expect none, as at a default start)."""
    import shiboken6

    from desktopchat.ui import i18n, theme

    i18n.uninstall()
    manager = theme.manager_if_any()
    if manager is not None:
        manager.set_mode(theme.ThemeMode.SYSTEM)
        manager.set_font_size(0)
        shiboken6.delete(manager)
    assert theme.manager_if_any() is None
