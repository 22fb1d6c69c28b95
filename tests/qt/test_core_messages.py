"""Sentences from the Qt-free core (remote engines, the local API) in the window's language:
the core writes each of its sentences here, and a template of ``ui.core_messages`` must read it
back exactly, so a sentence changed in the core fails this test instead of silently showing
English in a Chinese window."""

from __future__ import annotations

import errno
import socket
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from keyring.backends import fail

from desktopchat.api import server
from desktopchat.engine.remote_config import (
    MAX_ENGINES,
    RemoteConfigError,
    RemoteEndpoint,
    RemoteEngines,
    RemoteTarget,
    SecretStore,
    insecure_warning,
    normalize_base_url,
)
from desktopchat.engine.remote_http import (
    ForeignHostRefused,
    OfflineRefused,
    offline_sentence,
    status_sentence,
    transport_sentence,
)
from desktopchat.session import remote_models
from desktopchat.ui import i18n
from desktopchat.ui.core_messages import TEMPLATES, core_text, template_for
from tests.unit.test_remote_config import DictStore, MemoryKeyring
from tools import translations


def _config_errors(tmp_path: Path) -> list[str]:
    said: list[str] = []

    def catch(call: Any, *args: Any) -> None:
        with pytest.raises(RemoteConfigError) as caught:
            call(*args)
        said.append(str(caught.value))

    for typed in ("", "http://box/" + "v" * 3000, "localhost:8000", "ftp://box/v1", "http:///v1",
                  "http://me:secret@box/v1", "http://box/v1?key=1", "http://box:99999/v1"):
        catch(normalize_base_url, typed)
    engines = RemoteEngines(DictStore(), SecretStore(tmp_path / "k.json", MemoryKeyring()))
    engines.add("Box", "http://box:1")
    catch(engines.add, " ", "http://box:2")
    catch(engines.add, "x" * 81, "http://box:2")
    catch(engines.add, "Box", "http://box:2")
    catch(engines.add, "Other", "http://box:2", "sk\nInjected: header")
    catch(engines.update, "gone", "Box", "http://box:2")
    catch(engines.target, "gone", "")
    for i in range(MAX_ENGINES - 1):
        engines.add(f"Box {i}", "http://box:1")
    catch(engines.add, "One too many", "http://box:1")
    said.append(insecure_warning("http://192.168.7.20:8000/v1"))
    said.append(SecretStore(tmp_path / "keys.json", fail.Keyring()).fallback_warning)
    return said


def _remote_errors() -> list[str]:
    endpoint = RemoteEndpoint("e1", "Lab GPU", "https://gpu.example.com:8443/v1")
    request = httpx.Request("GET", "https://gpu.example.com:8443/v1/models")
    said = [offline_sentence(), remote_models.OFFLINE]
    body = b'{"error": {"message": "model not loaded"}}'
    for status, headers, text in ((401, {}, b""), (404, {}, b""), (429, {"retry-after": "7"}, b""),
                                  (429, {}, b""), (302, {}, b""), (500, {}, b""), (503, {}, body),
                                  (400, {}, b""), (422, {}, body)):
        said.append(status_sentence("Lab GPU", "llama-70b", status, httpx.Headers(headers),
                                    text))
    said.append(status_sentence("Lab GPU", "", 404, httpx.Headers(), b""))  # listing: no model
    for exc, started in (
            (OfflineRefused("offline", request=request), False),
            (ForeignHostRefused("elsewhere", request=request), False),
            (httpx.ReadTimeout("slow"), True), (httpx.ReadError("reset"), True),
            (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
             False),
            (httpx.ConnectTimeout("timed out"), False), (httpx.ConnectError("refused"), False),
            (httpx.ReadTimeout("slow"), False), (httpx.RemoteProtocolError("closed"), False),
            (httpx.UnsupportedProtocol("odd scheme"), False)):
        said.append(transport_sentence(endpoint, exc, started))
    return said


def _listing_failure(monkeypatch: pytest.MonkeyPatch) -> str:
    """The lister's own sentence for an unexpected failure (run on this thread)."""
    import desktopchat.engine.remote as remote

    def broken(*_args: Any, **_kwargs: Any) -> list[Any]:
        raise RuntimeError("bad answer")

    monkeypatch.setattr(remote, "list_models", broken)
    lister = remote_models.RemoteModelLister(threading.Event(), timeout=1)
    said: list[str] = []
    lister.failed.connect(lambda _engine_id, message: said.append(message))
    target = RemoteTarget(RemoteEndpoint("e1", "Lab GPU", "http://127.0.0.1:9/v1"), "")
    remote_models._ListJob(lister, target, 1).run()
    lister.shutdown()
    return said[0]


def _api_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    with pytest.raises(server.ServerError) as caught:
        server.ServerThread(None, 70000)
    said.append(str(caught.value))
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        with pytest.raises(server.ServerError) as caught:
            server.ServerThread(None, busy.getsockname()[1]).start()
        said.append(str(caught.value))
    finally:
        busy.close()

    class Refusing(socket.socket):
        def bind(self, _address: Any) -> None:
            raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(server, "socket", types.SimpleNamespace(
        **{name: getattr(socket, name) for name in ("AF_INET", "SOCK_STREAM", "SOL_SOCKET",
                                                     "SO_REUSEADDR")}, socket=Refusing))
    with pytest.raises(server.ServerError) as caught:
        server.ServerThread(None, 8765).start()
    said.append(str(caught.value))
    return said


@pytest.fixture
def core_sentences(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return [*_config_errors(tmp_path), *_remote_errors(), _listing_failure(monkeypatch),
            *_api_errors(monkeypatch)]


def test_every_core_sentence_has_a_template(core_sentences: list[str]) -> None:
    """Each sentence is read back into its template and values, which rebuild it exactly; and
    every template is one the core still writes."""
    used = set()
    for sentence in core_sentences:
        found = template_for(sentence)
        assert found is not None, f"no template for: {sentence!r}"
        template, values = found
        assert template.format(**values) == sentence
        used.add(template)
    assert used == set(TEMPLATES), set(TEMPLATES) - used


@pytest.fixture
def chinese(qapp: Any, tmp_path: Path) -> Iterator[None]:
    translations.compile_all(tmp_path / "qm")
    assert i18n.install("zh_CN", tmp_path / "qm") == "zh_CN"
    yield
    i18n.uninstall()


def test_in_chinese_the_values_land_in_the_translation(chinese: None,
                                                      core_sentences: list[str]) -> None:
    for sentence in core_sentences:
        assert core_text(sentence) != sentence, sentence
    reached = core_text("Lab {0} at gpu.example.com cannot be reached; check the address and "
                        "that it is running.")
    assert reached == "无法连接位于 gpu.example.com 的 Lab {0}；请检查地址，并确认它正在运行。"
    assert core_text("Something the core said only yesterday.") == \
        "Something the core said only yesterday."
    too_long = "The request to " + "x" * 5000 + " failed: no."
    assert core_text(too_long) == too_long


def test_in_english_a_sentence_is_shown_as_the_core_wrote_it(qapp: Any,
                                                            core_sentences: list[str]) -> None:
    i18n.uninstall()
    for sentence in core_sentences:
        assert core_text(sentence) == sentence


def test_the_remote_engines_page_shows_a_core_error_in_chinese(
        chinese: None, qtbot: Any, tmp_path: Path) -> None:
    from desktopchat.ui.remote_engines import RemoteEnginesPage

    engines = RemoteEngines(DictStore(), SecretStore(tmp_path / "k.json", MemoryKeyring()))
    page = RemoteEnginesPage(engines)
    qtbot.addWidget(page)
    page.name.setText("Lab GPU")
    page.save()
    assert page.status.text() == "请输入服务器地址，例如 http://localhost:8000/v1。"
    page.url.setText("http://192.168.7.20:8000")
    assert page.warning.text().startswith("访问 192.168.7.20 使用的是未加密的 http://")
    assert page.save_button.text() == "保存(&S)"
