"""Offline mode: no socket is opened — not at start-up, not while chatting, not on a search or a
download attempt, not by the command line with --offline. Audited with ``sys.addaudithook``
('socket.connect' and 'socket.getaddrinfo'), which sees every connection Python makes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from desktopchat.app import DesktopChatApp, main
from desktopchat.chat.store import ChatStore
from desktopchat.models.starter import STARTER_ID
from desktopchat.settings import ModelSettings, Settings

_events: list[tuple[str, object]] = []
_recording = [False]


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _recording[0]:
        return
    if event == "socket.getaddrinfo":
        _events.append((event, args[:2]))
    elif event == "socket.connect" and isinstance(args[1], tuple):  # inet, not unix sockets
        _events.append((event, args[1]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only inside `network_audit`


@pytest.fixture
def network_audit() -> Iterator[list[tuple[str, object]]]:
    _events.clear()
    _recording[0] = True
    try:
        yield _events
    finally:
        _recording[0] = False


@pytest.mark.realmodel
def test_offline_app_opens_no_socket_starting_chatting_searching(qtbot, app_paths, network_audit):
    store = ChatStore(app_paths.db_path)
    Settings(store).save_model(STARTER_ID, ModelSettings(temperature=0.0, max_tokens=16,
                                                         context_length=1024, threads=1))
    store.close()
    app = DesktopChatApp(app_paths, offline=True)
    qtbot.addWidget(app.window)
    try:
        with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                               check_params_cb=lambda s, d: s == "ready"):
            app.start()
        assert app.offline_action.isChecked()
        with qtbot.wait_signal(app.generation.reply_finished, timeout=60_000):
            assert app.generation.send("Hello!")
        panel = app.hub.hub_panel
        app.hub.search("qwen", "downloads")
        qtbot.waitUntil(lambda: "Offline mode is on" in panel.message.text(), timeout=10_000)
        app.hub.list_files("Qwen/Qwen3-4B-GGUF", "")
        qtbot.waitUntil(lambda: "Offline mode is on" in panel.message.text(), timeout=10_000)
    finally:
        app.window.close()
        app.shutdown()
    assert network_audit == []


def test_cli_offline_opens_no_socket(tmp_path, network_audit, capsys):
    for args in (["search", "qwen"], ["files", "Qwen/Qwen3-4B-GGUF"],
                 ["get", "Qwen/Qwen3-4B-GGUF", "Qwen3-4B-Q4_K_M.gguf"]):
        assert main(["--data-dir", str(tmp_path), "--offline", "models", *args]) == 1
        assert "Offline mode is on" in capsys.readouterr().err
    assert network_audit == []


def test_start_up_never_imports_huggingface_hub(tmp_path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktopchat.app import DesktopChatApp\n"
        "from desktopchat.paths import AppPaths\n"
        "q = QApplication([])\n"
        f"app = DesktopChatApp(AppPaths.under(Path({str(tmp_path)!r})))\n"
        "app.window.show(); q.processEvents()\n"
        "loaded = 'huggingface_hub' in sys.modules\n"
        "app.window.close(); app.shutdown()\n"
        "print('IMPORTED' if loaded else 'CLEAN')\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "CLEAN"


def test_the_audit_does_see_connections(hub_server, network_audit):
    from desktopchat.models import hub

    assert hub.search_models("smol")
    assert any(event == "socket.connect" for event, _ in network_audit)
