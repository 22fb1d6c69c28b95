"""The local API through the real engine worker on SmolLM2, called with the official ``openai``
client while a stand-in for the window generates through the same worker."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.types import (
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    LoadRequest,
)
from desktopchat.paths import AppPaths
from desktopchat.session.api_bridge import ApiBridge
from desktopchat.session.api_service import ApiService
from desktopchat.session.engine_worker import EngineWorker, WorkerThread
from desktopchat.session.request_ids import RequestIds

pytestmark = pytest.mark.realmodel

COUNT = "Count from 1 to 200, one number per line."


class Window(QObject):
    """Stands in for the window's controller: sends its own requests, records every finish."""

    generate_requested = Signal(object)
    load_requested = Signal(object)

    def __init__(self, worker: EngineWorker, ids: RequestIds) -> None:
        super().__init__()
        self.ids = ids
        self.finished: list[GenerationResult] = []
        self.loaded = False
        self.generate_requested.connect(worker.generate)
        self.load_requested.connect(worker.load)
        worker.finished.connect(self.on_finished)
        worker.loaded.connect(self.on_loaded)

    @Slot(object)
    def on_loaded(self, _info: object) -> None:
        # (qtbot.waitSignal on the worker's own signal would stop its timer from the worker's
        # thread: received here, on the test's thread, instead.)
        self.loaded = True

    @Slot(object)
    def on_finished(self, result: GenerationResult) -> None:
        self.finished.append(result)

    def chat(self, text: str, max_tokens: int) -> int:
        rid = self.ids.next()
        self.generate_requested.emit(GenerationRequest(
            rid, (ChatMessage("user", text),), GenerationParams(temperature=0.0,
                                                                max_tokens=max_tokens)))
        return rid


@dataclass
class Api:
    service: ApiService
    bridge: ApiBridge
    window: Window
    worker: EngineWorker

    @property
    def url(self) -> str:
        return self.service.url

    def client(self, key: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.url, api_key=key or self.service.token, max_retries=0,
                             timeout=300)


@pytest.fixture
def api(qtbot: Any, app_paths: AppPaths, smollm2_path: Path) -> Iterator[Api]:
    thread = WorkerThread("test-engine")
    worker = EngineWorker(None)
    worker.moveToThread(thread)
    thread.start()
    ids = RequestIds()
    bridge = ApiBridge(worker, ids)
    service = ApiService(bridge, app_paths.data_dir)
    window = Window(worker, ids)
    try:
        window.load_requested.emit(LoadRequest("smol", str(smollm2_path), n_ctx=2048,
                                               n_threads=2))
        qtbot.waitUntil(lambda: window.loaded, timeout=120_000)
        assert service.start(0) == ""
        yield Api(service, bridge, window, worker)
    finally:
        service.shutdown()
        QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        thread.stop()


class Call:
    """A blocking client call on its own thread, so the Qt loop (the bridge) keeps running."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn,))
        self._thread.start()

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            self.result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, qtbot: Any, timeout: int = 240_000) -> Any:
        qtbot.waitUntil(lambda: self.done, timeout=timeout)
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.result


def test_openai_client_streams_and_completes_while_the_window_chats(api: Api, qtbot: Any) -> None:
    window_id = api.window.chat(COUNT, 48)  # the window is generating first

    def complete() -> Any:
        with api.client() as c:
            return c.chat.completions.create(
                model="anything", messages=[{"role": "user", "content": "Say hello."}],
                max_tokens=16, temperature=0, seed=3)

    def stream() -> tuple[list[str], list[str | None]]:
        texts: list[str] = []
        reasons: list[str | None] = []
        with api.client() as c:
            for chunk in c.chat.completions.create(
                    model="smol", messages=[{"role": "user", "content": "Name a colour."}],
                    max_tokens=16, temperature=0, stream=True):
                texts.append(chunk.choices[0].delta.content or "")
                reasons.append(chunk.choices[0].finish_reason)
        return texts, reasons

    plain, streamed = Call(complete), Call(stream)
    reply = plain.wait(qtbot)
    texts, reasons = streamed.wait(qtbot)
    qtbot.waitUntil(lambda: len(api.window.finished) == 3, timeout=60_000)
    assert reply.choices[0].message.content.strip()
    assert reply.usage.completion_tokens > 0 and reply.usage.prompt_tokens > 0
    assert "".join(texts).strip() and reasons[-1] in ("stop", "length")
    finished = [r.request_id for r in api.window.finished]
    assert finished[0] == window_id  # the API's requests queued behind the window's reply
    assert api.window.finished[0].text.strip() and len(finished) == 3
    entries = api.service.entries()
    assert [e.status for e in entries] == [200, 200]
    assert all(e.client.startswith("127.0.0.1:") and e.completion_tokens > 0 for e in entries)


def test_prefix_cache_is_reused_for_a_follow_up(api: Api, qtbot: Any) -> None:
    history: list[Any] = [{"role": "system", "content": "You are a helpful assistant. " * 20},
               {"role": "user", "content": "What is the capital of France?"}]

    def two_turns() -> tuple[Any, Any]:
        with api.client() as c:
            first = c.chat.completions.create(model="m", messages=history, max_tokens=12,
                                              temperature=0)
            answer = first.choices[0].message.content
            follow: list[Any] = [*history, {"role": "assistant", "content": answer},
                                 {"role": "user", "content": "And of Italy?"}]
            return first, c.chat.completions.create(model="m", messages=follow, max_tokens=12,
                                                    temperature=0)

    first, second = Call(two_turns).wait(qtbot)
    cached = second.usage.prompt_tokens_details.cached_tokens
    assert cached > first.usage.prompt_tokens // 2  # the shared prefix was not read again


def test_requests_without_the_token_are_refused(api: Api, qtbot: Any) -> None:
    def attempts() -> tuple[Any, ...]:
        with api.client("dc-wrong") as c:
            try:
                c.models.list()
            except openai.AuthenticationError as exc:
                wrong = exc
        bare = httpx.post(f"{api.url}/chat/completions", json={"messages": []})
        models = httpx.get(f"{api.url}/models",
                           headers={"Authorization": f"Bearer {api.service.token}"})
        return wrong, bare, models

    wrong, bare, models = Call(attempts).wait(qtbot)
    assert wrong.status_code == 401
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "invalid_api_key"
    assert models.json()["data"][0]["id"] == "smol"
    old = api.service.token
    api.service.regenerate_token()
    again = Call(lambda: httpx.get(f"{api.url}/models",
                                   headers={"Authorization": f"Bearer {old}"})).wait(qtbot)
    assert again.status_code == 401


def test_bad_requests_get_openai_style_errors(api: Api, qtbot: Any) -> None:
    auth = {"Authorization": f"Bearer {api.service.token}"}
    url = f"{api.url}/chat/completions"
    many = [{"role": "user", "content": "x"}] * 600

    def send() -> list[httpx.Response]:
        with httpx.Client(headers=auth, timeout=60) as c:
            return [
                c.post(url, content=b"{not json", headers={"content-type": "application/json"}),
                c.post(url, content=b"[1, 2]"),
                c.post(url, content=b"x" * (3 << 20)),
                c.post(url, json={"messages": many}),
                c.post(url, json={"messages": [{"role": "user", "content": "hi"}],
                                  "max_tokens": 10**6}),
                c.post(url, json={"messages": [{"role": "user", "content": "hi"}],
                                  "temperature": "hot"}),
                c.post(url, json={"messages": [{"role": "tool", "content": "hi"}]}),
                c.get(f"{api.url}/models", headers={"host": "evil.example"}),
                c.get(f"{api.url}/nothing-here"),
            ]

    responses = Call(send).wait(qtbot)
    assert [r.status_code for r in responses] == [400, 400, 413, 400, 400, 400, 400, 400, 404]
    for r in responses:
        error = r.json()["error"]
        assert error["message"] and error["type"]
    assert responses[4].json()["error"]["param"] == "max_tokens"


def test_bound_to_loopback_only(api: Api) -> None:
    host, port = api.service.address or ("", 0)
    assert host == "127.0.0.1"
    listening = _listeners(port)
    assert listening == ["127.0.0.1"]  # no 0.0.0.0 or :: socket on that port
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", port), 5):
        pass


def _listeners(port: int) -> list[str]:
    """Local addresses with a LISTEN socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found: list[str] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                if len(addr) == 8:
                    found.append(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    found.append(addr)
    return found


def test_stop_strings_and_a_client_that_leaves(api: Api, qtbot: Any) -> None:
    def with_stop() -> Any:
        with api.client() as c:
            return c.chat.completions.create(
                model="m", messages=[{"role": "user", "content": COUNT}], max_tokens=64,
                temperature=0, stop=["\n"])

    reply = Call(with_stop).wait(qtbot)
    assert "\n" not in reply.choices[0].message.content
    assert reply.choices[0].finish_reason == "stop"

    def leave_early() -> str:
        body = {"messages": [{"role": "user", "content": COUNT}], "max_tokens": 600,
                "temperature": 0, "stream": True}
        headers = {"Authorization": f"Bearer {api.service.token}"}
        with httpx.stream("POST", f"{api.url}/chat/completions", json=body, headers=headers,
                          timeout=120) as resp:
            for line in resp.iter_lines():
                if line.startswith("data: ") and json.loads(line[6:])["choices"][0][
                        "delta"].get("content"):
                    return line  # close the stream after the first text
        return ""

    n_before = len(api.window.finished)
    assert Call(leave_early).wait(qtbot)
    qtbot.waitUntil(lambda: len(api.window.finished) > n_before + 0, timeout=120_000)
    qtbot.waitUntil(lambda: any(e.note == "client went away" for e in api.service.entries()),
                    timeout=60_000)
    left = api.window.finished[-1]
    assert left.finish_reason is FinishReason.STOPPED and left.completion_tokens < 600
    api.service.clear_activity()
    assert api.service.entries() == []
