"""The window's Hub panels on the real download thread against the loopback Hub; the downloaded
model then chats in the real engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.models.download import DownloadManager
from desktopchat.models.starter import STARTER_ID
from desktopchat.settings import ModelSettings, Settings
from tests.conftest import TEST_FILE, TEST_REPO

SHORT = ModelSettings(temperature=0.0, max_tokens=24, context_length=1024, threads=1, seed=1)
JOB_ID = f"{TEST_REPO}/{TEST_FILE}"


@pytest.fixture
def launch(qtbot, app_paths, hub_server) -> Iterator[Callable[[], DesktopChatApp]]:
    apps: list[DesktopChatApp] = []

    def _launch() -> DesktopChatApp:
        store = ChatStore(app_paths.db_path)
        Settings(store).save_model(STARTER_ID, SHORT)
        store.close()
        manager = DownloadManager(app_paths, chunk_size=256 << 10, backoff=0.01, stall_timeout=10)
        app = DesktopChatApp(app_paths, download_manager=manager)
        apps.append(app)
        qtbot.addWidget(app.window)
        return app

    yield _launch
    hub_server.release()
    for app in apps:
        app.window.close()
        app.shutdown()


def _state(wanted: str) -> Callable[[str, str], bool]:
    return lambda job_id, state: job_id == JOB_ID and state == wanted


def _open_files(qtbot, app: DesktopChatApp) -> None:
    panel = app.hub.hub_panel
    with qtbot.wait_signal(panel.files_shown, timeout=20_000):
        app.hub.list_files(TEST_REPO, "")
    with qtbot.wait_signal(panel.fit_shown, timeout=20_000):
        assert panel.select_file(TEST_FILE)
    assert panel.download_button.isEnabled()
    details = panel.fit_details.text()
    assert details.split(":")[0] in ("fits", "tight", "won't fit")
    assert "of weights" in details and "KV cache" in details


def _start_held(qtbot, app: DesktopChatApp, hub_server, at: int) -> None:
    """Press Download and wait until the Hub holds the transfer after ``at`` bytes."""
    hub_server.faults.hold_after = at
    hub_server.held.clear()
    with qtbot.wait_signal(app.hub.downloads_panel.changed, timeout=20_000,
                           check_params_cb=_state("running")):
        qtbot.mouseClick(app.hub.hub_panel.download_button, Qt.MouseButton.LeftButton)
    assert hub_server.held.wait(20)


@pytest.mark.realmodel
def test_search_download_then_chat_with_the_downloaded_model(qtbot, launch, app_paths):
    app = launch()
    panel = app.hub.hub_panel
    assert panel.results.topLevelItemCount() >= 8  # the catalog, before any network call
    assert "Qwen3 4B" in [panel.results.topLevelItem(i).text(0)
                          for i in range(panel.results.topLevelItemCount())]
    qtbot.keyClicks(panel.query, "smollm2")
    with qtbot.wait_signal(panel.results.model().rowsInserted, timeout=20_000):
        qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert panel.results.topLevelItem(0).text(0) == TEST_REPO
    _open_files(qtbot, app)
    dp = app.hub.downloads_panel
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state("done")):
        qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: any(m.path.endswith(TEST_FILE) for m in app.library.models))
    installed = [m for m in app.library.models if m.path.endswith(TEST_FILE)]
    assert len(installed) == 1
    picker = app.window.model_picker
    assert picker.findData(installed[0].model_id) >= 0
    app.settings.save_model(installed[0].model_id, SHORT)
    with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                           check_params_cb=lambda s, d: s == "ready"):
        app.session.select_model(installed[0].model_id)
    assert app.session.model.model_id == installed[0].model_id
    with qtbot.wait_signal(app.generation.reply_finished, timeout=60_000):
        assert app.generation.send("Say hello.")
    reply = app.store.messages(app.conversations.current)[-1]
    assert reply.role == "assistant" and reply.content.strip()


def test_pause_resume_and_cancel_from_the_panel(qtbot, launch, app_paths, hub_server):
    app = launch()
    _open_files(qtbot, app)
    dp = app.hub.downloads_panel
    _start_held(qtbot, app, hub_server, 3 << 20)
    row = dp.row(JOB_ID)
    with qtbot.wait_signal(dp.changed, timeout=20_000, check_params_cb=_state("paused")):
        qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
        hub_server.release()
    assert "Paused at" in row.status.text()
    assert not list(app_paths.models_dir.rglob("*.gguf"))
    (partial,) = app_paths.downloads_dir.glob("*.part")
    assert 0 < partial.stat().st_size < app.hub.downloads_panel.row(JOB_ID).job.total
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state("done")):
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert (app_paths.models_dir / "test-org__SmolLM2-135M-Instruct-GGUF" / TEST_FILE).is_file()
    qtbot.wait_until(lambda: any(m.path.endswith(TEST_FILE) for m in app.library.models))


def test_cancel_removes_the_partial_and_a_paused_download_cancels_at_once(
        qtbot, launch, app_paths, hub_server):
    app = launch()
    _open_files(qtbot, app)
    dp = app.hub.downloads_panel
    _start_held(qtbot, app, hub_server, 2 << 20)
    row = dp.row(JOB_ID)
    with qtbot.wait_signal(dp.changed, timeout=20_000, check_params_cb=_state("cancelled")):
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
        hub_server.release()
    assert not list(app_paths.downloads_dir.iterdir())
    assert not list(app_paths.models_dir.rglob("*.gguf"))
    # Again, paused this time: Cancel acts at once (no transfer runs) and removes the partial.
    _start_held(qtbot, app, hub_server, 2 << 20)
    with qtbot.wait_signal(dp.changed, timeout=20_000, check_params_cb=_state("paused")):
        qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
        hub_server.release()
    assert list(app_paths.downloads_dir.glob("*.part"))
    with qtbot.wait_signal(dp.changed, timeout=5_000, check_params_cb=_state("cancelled")):
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert not list(app_paths.downloads_dir.iterdir())


def test_failure_shows_one_sentence_and_retry_works(qtbot, launch, app_paths, hub_server):
    app = launch()
    _open_files(qtbot, app)
    dp = app.hub.downloads_panel
    hub_server.faults.flip_byte_at = 5_000_000
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state("failed")):
        qtbot.mouseClick(app.hub.hub_panel.download_button, Qt.MouseButton.LeftButton)
    row = dp.row(JOB_ID)
    assert "damaged" in row.status.text() and not row.retry_button.isHidden()
    hub_server.faults.flip_byte_at = None
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state("done")):
        qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)


def test_quit_during_a_download_leaves_a_resumable_partial(qtbot, launch, app_paths, hub_server):
    app = launch()
    _open_files(qtbot, app)
    dp = app.hub.downloads_panel
    _start_held(qtbot, app, hub_server, 2 << 20)
    hub_server.release()
    app.window.close()  # pauses the transfer and joins the threads
    assert not app.hub.download_thread.isRunning()
    (partial,) = app_paths.downloads_dir.glob("*.part")
    kept = partial.stat().st_size
    assert 0 < kept < dp.row(JOB_ID).job.total
    assert partial.with_suffix(".json").is_file()
    # Start again: the download is listed as paused and Resume finishes it from the partial.
    app2 = launch()
    row = app2.hub.downloads_panel.row(JOB_ID)
    assert row is not None and row.state == "paused"
    with qtbot.wait_signal(app2.hub.downloads_panel.changed, timeout=60_000,
                           check_params_cb=_state("done")):
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert hub_server.ranges[-1] == f"bytes={kept}-"  # only the missing bytes were asked for
    qtbot.wait_until(lambda: any(m.path.endswith(TEST_FILE) for m in app2.library.models))
