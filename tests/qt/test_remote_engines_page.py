"""The Remote engines settings page on real widgets: add, edit, warn, test, remove, offline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktopchat.chat.store import ChatStore
from desktopchat.engine.remote_config import RemoteEngines, SecretStore
from desktopchat.paths import AppPaths
from desktopchat.session.remote_models import RemoteModelLister
from desktopchat.ui.remote_engines import OFFLINE_TEXT, RemoteEnginesPage
from tests.support.servers import ScriptedServer
from tests.unit.test_remote_config import MemoryKeyring


@pytest.fixture
def page(qtbot: Any, app_paths: AppPaths) -> Iterator[tuple[RemoteEnginesPage, ChatStore,
                                                            MemoryKeyring]]:
    store = ChatStore(app_paths.db_path)
    ring = MemoryKeyring()
    engines = RemoteEngines(store, SecretStore(app_paths.data_dir / "keys.json", ring))
    lister = RemoteModelLister(threading.Event(), timeout=10)
    widget = RemoteEnginesPage(engines, lister)
    qtbot.addWidget(widget)
    widget.show()
    yield widget, store, ring
    lister.shutdown()
    store.close()


def _fill(qtbot: Any, page: RemoteEnginesPage, name: str, url: str, key: str = "") -> None:
    for field, text in ((page.name, name), (page.url, url), (page.key, key)):
        field.clear()
        qtbot.keyClicks(field, text)


def test_add_warns_for_plain_http_and_keeps_the_key_out_of_the_database(
        qtbot: Any, page: tuple[RemoteEnginesPage, ChatStore, MemoryKeyring],
        app_paths: AppPaths) -> None:
    widget, store, ring = page
    _fill(qtbot, widget, "Lab GPU", "http://192.168.7.20:8000", "sk-lab-key")
    assert widget.warning.isVisible()
    assert widget.warning.text().startswith("192.168.7.20 is reached over plain http://")
    with qtbot.waitSignal(widget.engines_changed):
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert widget.list.count() == 1
    assert widget.list.item(0).text() == "Lab GPU — http://192.168.7.20:8000/v1"
    assert widget.status.text() == "Saved Lab GPU."
    assert list(ring.data.values()) == ["sk-lab-key"]
    store.close()
    assert b"sk-lab-key" not in Path(app_paths.db_path).read_bytes()
    _fill(qtbot, widget, "Lab GPU", "http://localhost:8000")
    assert not widget.warning.isVisible()


def test_test_connection_lists_models_without_blocking(
        qtbot: Any, page: tuple[RemoteEnginesPage, ChatStore, MemoryKeyring]) -> None:
    widget, _store, _ring = page
    with ScriptedServer(api_key="sk-k") as server:
        _fill(qtbot, widget, "Scripted", server.url, "sk-k")
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
        assert widget.status.text() == "Asking Scripted for its models…"  # returned at once
        qtbot.waitUntil(lambda: widget.status.text().startswith("Connected"), timeout=20_000)
        assert widget.status.text() == ("Connected: 9 models (boom, drop, echo, rate, stall…).")
        # A wrong key: one sentence, from the server's 401.
        qtbot.keyClicks(widget.key, "sk-wrong")
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "refused the API key" in widget.status.text(), timeout=20_000)
    assert widget.status.text() == ("Scripted refused the API key (HTTP 401); check the key in "
                                    "Remote engines.")


def test_remove_and_offline(qtbot: Any,
                            page: tuple[RemoteEnginesPage, ChatStore, MemoryKeyring]) -> None:
    widget, _store, ring = page
    _fill(qtbot, widget, "Box", "https://box.example.com", "sk-1")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    widget.set_offline(True)
    assert widget.offline_banner.isVisible() and widget.offline_banner.text() == OFFLINE_TEXT
    assert not widget.save_button.isEnabled() and not widget.list.isEnabled()
    widget.lister.offline.set()  # type: ignore[union-attr]
    widget.set_offline(False)
    qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
    assert widget.status.text().startswith("Offline mode is on")  # refused before any socket
    widget.lister.offline.clear()  # type: ignore[union-attr]
    qtbot.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
    assert widget.list.count() == 0 and ring.data == {}
    assert widget.status.text() == "Removed Box and its key."


def test_a_bad_address_is_one_sentence(qtbot: Any,
                                       page: tuple[RemoteEnginesPage, ChatStore,
                                                   MemoryKeyring]) -> None:
    widget, _store, _ring = page
    _fill(qtbot, widget, "Box", "box.lan:8000")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert widget.status.text() == "The address must start with http:// or https://."
    assert widget.list.count() == 0
