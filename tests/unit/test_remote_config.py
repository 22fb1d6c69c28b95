"""Remote engines' settings and the HTTP helpers (Qt-free, no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from desktopchat.engine.remote_config import (
    RemoteConfigError,
    RemoteEngines,
    SecretStore,
    insecure_warning,
    normalize_base_url,
    parse_remote_model_id,
    remote_model_id,
)
from desktopchat.engine.remote_http import retry_after_seconds, sse_events, status_sentence


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this test (never the user's)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.data.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class DictStore:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get_setting(self, key: str, default: Any = None) -> Any:
        return json.loads(self.values[key]) if key in self.values else default

    def set_setting(self, key: str, value: Any) -> None:
        self.values[key] = json.dumps(value)


@pytest.mark.parametrize(("typed", "url"), [
    ("http://Box.lan:8000", "http://box.lan:8000/v1"),
    ("http://box.lan:8000/v1/", "http://box.lan:8000/v1"),
    ("  https://api.example.com/openai/v1  ", "https://api.example.com/openai/v1"),
    ("http://localhost:11434/", "http://localhost:11434/v1"),
])
def test_base_urls_are_normalized(typed: str, url: str) -> None:
    assert normalize_base_url(typed) == url


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the server's address"),
    ("localhost:8000", "must start with http:// or https://"),
    ("ftp://box/v1", "must start with http:// or https://"),
    ("http://me:secret@box/v1", "Put the API key in its own field"),
    ("http://box:99999/v1", "invalid port"),
    ("http://box/v1?key=1", "cannot have a query"),
])
def test_bad_urls_get_one_sentence(typed: str, message: str) -> None:
    with pytest.raises(RemoteConfigError, match=message):
        normalize_base_url(typed)


def test_plain_http_warns_only_off_this_computer() -> None:
    assert "192.168.1.5 is reached over plain http://" in insecure_warning(
        "http://192.168.1.5:8000/v1")
    for url in ("http://localhost:8000/v1", "http://127.0.0.9/v1", "http://[::1]:8000/v1",
                "https://gpu.example.com/v1"):
        assert insecure_warning(url) == ""


def test_keys_go_to_the_keyring_never_the_settings(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = DictStore()
    engines = RemoteEngines(store, SecretStore(tmp_path / "keys.json", ring))
    endpoint, warning = engines.add("GPU box", "https://gpu.example.com", "sk-abc123")
    assert warning == "" and endpoint.has_key
    assert "sk-abc123" not in json.dumps(store.values)
    assert not (tmp_path / "keys.json").exists()
    assert engines.api_key(endpoint.engine_id) == "sk-abc123"
    target = engines.target(endpoint.engine_id, "llama-70b")
    assert target.api_key == "sk-abc123" and "sk-abc123" not in repr(target)
    req = engines.load_request(endpoint.engine_id, "llama-70b")
    assert "sk-abc123" not in repr(req) and req.model_id == f"remote:{endpoint.engine_id}:llama-70b"
    # A key is for the server it was given for: a new address drops it.
    moved, _ = engines.update(endpoint.engine_id, "GPU box", "https://other.example.com")
    assert not moved.has_key and engines.api_key(endpoint.engine_id) == ""
    engines.update(endpoint.engine_id, "GPU box", "https://other.example.com", "sk-new")
    engines.remove(endpoint.engine_id)
    assert engines.engines() == [] and ring.data == {}


def test_without_a_keyring_the_key_file_is_private_and_the_user_is_told(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "remote-keys.json"
    engines = RemoteEngines(DictStore(), SecretStore(path, fail.Keyring()))
    endpoint, warning = engines.add("Box", "http://box.lan:8000", "sk-file")
    assert warning == (f"This system has no keyring, so the API key is kept in {path}, a file "
                       f"only your user account can read.")
    assert path.stat().st_mode & 0o777 == 0o600
    assert engines.api_key(endpoint.engine_id) == "sk-file"
    engines.remove(endpoint.engine_id)
    assert "sk-file" not in path.read_text()


def test_names_are_unique_and_bounded(tmp_path: Path) -> None:
    engines = RemoteEngines(DictStore(), SecretStore(tmp_path / "k.json", MemoryKeyring()))
    engines.add("Box", "http://box:1")
    with pytest.raises(RemoteConfigError, match="already an engine named Box"):
        engines.add("Box", "http://box:2")
    with pytest.raises(RemoteConfigError, match="too long"):
        engines.add("x" * 81, "http://box:3")
    with pytest.raises(RemoteConfigError, match="not valid"):
        engines.add("Other", "http://box:4", "sk\nInjected: header")


def test_a_damaged_settings_entry_is_skipped(tmp_path: Path) -> None:
    store = DictStore()
    store.set_setting("remote_engines", [{"engine_id": "a", "name": "ok", "base_url": "http://a"},
                                         {"name": "no id"}, {"engine_id": "b", "name": "bad",
                                                             "base_url": "gopher://x"}, 7])
    engines = RemoteEngines(store, SecretStore(tmp_path / "k.json", MemoryKeyring()))
    assert [e.name for e in engines.engines()] == ["ok"]


def test_remote_model_ids_round_trip() -> None:
    mid = remote_model_id("r1", "deepseek-r1:latest")
    assert parse_remote_model_id(mid) == ("r1", "deepseek-r1:latest")
    assert parse_remote_model_id("starter:smollm2") is None


def test_retry_after_as_seconds_or_date() -> None:
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_status_sentences() -> None:
    h = httpx.Headers()
    assert status_sentence("Box", "m", 503, h, b"<html>busy</html>") == \
        "Box failed with a server error (HTTP 503)."
    assert status_sentence("Box", "m", 400, h, b'{"detail": "bad\\u0007 field"}') == \
        "Box rejected the request (HTTP 400): bad field."
    assert status_sentence("Box", "m", 429, h, b"") == \
        "Box is limiting requests (HTTP 429); try again in a moment."


def test_sse_events_are_split_across_chunks_and_bounded() -> None:
    chunks = [b"data: {\"a\"", b": 1}\r", b"\n\r\n: comment\n\ndata: x\ndata: y\n\n",
              b"data: [DONE]"]
    assert list(sse_events(iter(chunks), lambda: False)) == ['{"a": 1}', "x\ny", "[DONE]"]
    with pytest.raises(ValueError):
        list(sse_events(iter([b"data: " + b"x" * (2 << 20)]), lambda: False))
