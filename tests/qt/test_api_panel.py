"""The Local API panel on real widgets with a real ApiService (no model loaded)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktopchat.chat.store import ChatStore
from desktopchat.paths import AppPaths
from desktopchat.session.api_bridge import ApiBridge
from desktopchat.session.api_service import ApiService
from desktopchat.session.engine_worker import EngineWorker
from desktopchat.session.request_ids import RequestIds
from desktopchat.ui.api_panel import ApiPanel
from tests.support.servers import free_port


@pytest.fixture
def panel(qtbot: Any, app_paths: AppPaths) -> Iterator[tuple[ApiPanel, ChatStore]]:
    store = ChatStore(app_paths.db_path)
    worker = EngineWorker(None)  # never asked to generate here: no thread needed
    service = ApiService(ApiBridge(worker, RequestIds()), app_paths.data_dir, store)
    widget = ApiPanel(service)
    qtbot.addWidget(widget)
    widget.show()
    yield widget, store
    service.shutdown()
    store.close()


def _get(url: str, token: str) -> httpx.Response:
    box: list[httpx.Response] = []
    t = threading.Thread(target=lambda: box.append(
        httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)))
    t.start()
    t.join()
    return box[0]


def test_turn_on_use_regenerate_clear_turn_off(qtbot: Any,
                                               panel: tuple[ApiPanel, ChatStore]) -> None:
    widget, store = panel
    assert not widget.enabled.isChecked()
    assert widget.status.text() == "Off. Nothing listens until you turn it on."
    port = free_port()
    widget.port.setValue(port)
    qtbot.mouseClick(widget.enabled, Qt.MouseButton.LeftButton)
    url = f"http://127.0.0.1:{port}/v1"
    assert widget.status.text().startswith(f"Running at {url}")
    assert not widget.port.isEnabled()
    assert store.get_setting("local_api") == {"enabled": True, "port": port}
    token = widget.token.text()
    assert token.startswith("dc-") and token == widget.service.token_path.read_text().strip()
    qtbot.mouseClick(widget.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == token
    assert _get(f"{url}/models", token).json() == {"object": "list", "data": []}
    qtbot.waitUntil(lambda: widget.log.count() == 1, timeout=10_000)
    assert "127.0.0.1:" in widget.log.item(0).text() and "/v1/models" in widget.log.item(0).text()
    qtbot.mouseClick(widget.regenerate_button, Qt.MouseButton.LeftButton)
    assert widget.token.text() != token
    assert _get(f"{url}/models", token).status_code == 401
    qtbot.waitUntil(lambda: widget.log.count() == 2, timeout=10_000)
    qtbot.mouseClick(widget.clear_button, Qt.MouseButton.LeftButton)
    assert widget.log.count() == 0 and widget.service.entries() == []
    qtbot.mouseClick(widget.enabled, Qt.MouseButton.LeftButton)
    assert not widget.service.running and widget.port.isEnabled()
    assert store.get_setting("local_api") == {"enabled": False, "port": port}


def test_a_port_in_use_is_one_sentence(qtbot: Any, panel: tuple[ApiPanel, ChatStore]) -> None:
    import socket

    widget, _store = panel
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        widget.port.setValue(port)
        qtbot.mouseClick(widget.enabled, Qt.MouseButton.LeftButton)
    assert not widget.enabled.isChecked()
    assert widget.status.text() == f"Port {port} is already in use; pick another port."


def test_an_invalid_port_is_one_sentence(panel: tuple[ApiPanel, ChatStore]) -> None:
    widget, _store = panel
    assert widget.service.start(70000) == "70000 is not a valid port number."
    assert not widget.service.running and not widget.enabled.isChecked()
    assert widget.status.text() == "70000 is not a valid port number."
