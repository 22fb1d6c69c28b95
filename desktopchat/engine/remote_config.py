"""Remote engines the user added: a name, an OpenAI-compatible base URL and an optional API key.

The list lives in the settings table (through the same key-value protocol as ``settings.py``);
API keys never do. A key goes to the OS keyring (the ``keyring`` package); where the system has
none, to a file only the user can read, and the caller gets a warning sentence to show. Keys
are kept out of every ``repr`` so a logged request or endpoint never carries one.

Qt-free and network-free: reaching an endpoint is ``desktopchat.engine.remote``'s job.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import secrets as _secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from desktopchat.engine.types import LoadRequest

log = logging.getLogger(__name__)

SETTINGS_KEY = "remote_engines"
KEYRING_SERVICE = "desktopchat"
MAX_ENGINES = 32
MAX_NAME = 80
MAX_URL = 2048
MAX_KEY = 4096
MODEL_ID_PREFIX = "remote:"


class RemoteConfigError(ValueError):
    """A value the user typed cannot be used; ``str()`` is one plain sentence."""


class KeyValueStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1: traffic that never leaves this computer."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(text: str) -> str:
    """The API root for what the user typed: ``http://host:8000`` and ``http://host:8000/v1/``
    both become ``http://host:8000/v1``; a longer path (``https://host/openai/v1``) is kept."""
    text = text.strip()
    if not text:
        raise RemoteConfigError("Enter the server's address, such as http://localhost:8000/v1.")
    if len(text) > MAX_URL:
        raise RemoteConfigError("That address is too long.")
    if "://" not in text:
        raise RemoteConfigError("The address must start with http:// or https://.")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise RemoteConfigError("The address must start with http:// or https://.")
    if not parts.hostname:
        raise RemoteConfigError("The address has no host name.")
    if parts.username or parts.password:
        raise RemoteConfigError("Put the API key in its own field, not in the address.")
    if parts.query or parts.fragment:
        raise RemoteConfigError("The address cannot have a query (?) or a fragment (#).")
    try:
        _ = parts.port
    except ValueError as exc:
        raise RemoteConfigError("The address has an invalid port number.") from exc
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def insecure_warning(base_url: str) -> str:
    """A sentence to show when messages (and the key) would cross the network unencrypted."""
    parts = urlsplit(base_url)
    if parts.scheme == "http" and parts.hostname and not is_loopback_host(parts.hostname):
        return (f"{parts.hostname} is reached over plain http://: your messages and API key "
                f"cross the network unencrypted; use https:// unless this network is yours.")
    return ""


@dataclass(frozen=True)
class RemoteEndpoint:
    """One remote engine as the user added it (no key: see ``RemoteEngines.api_key``)."""

    engine_id: str
    name: str
    base_url: str  # normalized by normalize_base_url
    has_key: bool = False

    @property
    def origin(self) -> tuple[str, str, int]:
        """(scheme, host, port): the only server requests for this engine may go to."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return parts.scheme, (parts.hostname or "").lower(), port

    @property
    def server_root(self) -> str:
        """Scheme and host without the API path (Ollama's native API lives there)."""
        parts = urlsplit(self.base_url)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


@dataclass(frozen=True)
class RemoteTarget:
    """What a remote load needs on the engine thread: the endpoint, the model, the key."""

    endpoint: RemoteEndpoint
    model: str
    api_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class RemoteLoadRequest(LoadRequest):
    """A ``LoadRequest`` for a model on a remote engine. ``path`` names the server and model
    (for logs); ``target`` carries everything the engine thread needs."""

    target: RemoteTarget | None = None


def remote_model_id(engine_id: str, model: str) -> str:
    """The id a remote model has in the model picker: ``remote:<engine id>:<model>``."""
    return f"{MODEL_ID_PREFIX}{engine_id}:{model}"


def parse_remote_model_id(model_id: str) -> tuple[str, str] | None:
    """(engine id, model) for a remote model id; None for a local one."""
    if not model_id.startswith(MODEL_ID_PREFIX):
        return None
    engine_id, sep, model = model_id[len(MODEL_ID_PREFIX):].partition(":")
    return (engine_id, model) if sep and engine_id and model else None


# -- API keys ---------------------------------------------------------------------------------


class SecretStore:
    """API keys in the OS keyring, or (without one) in a user-only file, with a warning.

    ``backend`` is a ``keyring`` backend to use instead of the system's (tests pass one, so they
    never touch a real keyring)."""

    def __init__(self, fallback_path: Path, backend: Any = None) -> None:
        self._path = fallback_path
        self._backend = backend
        self._lock = threading.Lock()

    def _keyring(self) -> Any:
        """The keyring backend, or None when the system has no usable one."""
        try:
            import keyring
            from keyring.backends import chainer, fail

            backend = self._backend if self._backend is not None else keyring.get_keyring()
        except Exception:
            log.warning("the keyring could not be opened", exc_info=True)
            return None
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return None
        return backend

    @property
    def fallback_warning(self) -> str:
        return (f"This system has no keyring, so the API key is kept in {self._path}, a file "
                f"only your user account can read.")

    def set(self, account: str, secret: str) -> str:
        """Store ``secret``; returns a warning sentence when it went to the file fallback."""
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(KEYRING_SERVICE, account, secret)
                self._file_delete(account)
                return ""
            except Exception:
                log.warning("the keyring refused to store a key; using the file", exc_info=True)
        self._file_set(account, secret)
        return self.fallback_warning

    def get(self, account: str) -> str:
        backend = self._keyring()
        if backend is not None:
            try:
                value = backend.get_password(KEYRING_SERVICE, account)
                if value:
                    return str(value)
            except Exception:
                log.warning("the keyring could not be read", exc_info=True)
        return self._file_read().get(account, "")

    def delete(self, account: str) -> None:
        backend = self._keyring()
        if backend is not None:
            try:
                backend.delete_password(KEYRING_SERVICE, account)
            except Exception:  # noqa: BLE001 - not there (or no keyring): nothing to delete
                log.debug("no keyring entry to delete")
        self._file_delete(account)

    def _file_read(self) -> dict[str, str]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def _file_set(self, account: str, secret: str) -> None:
        with self._lock:
            data = self._file_read()
            data[account] = secret
            self._file_write(data)

    def _file_delete(self, account: str) -> None:
        with self._lock:
            data = self._file_read()
            if account in data:
                del data[account]
                self._file_write(data)

    def _file_write(self, data: dict[str, str]) -> None:
        """Atomically, created 0600 before a byte is written (never readable by others)."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_name(self._path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


# -- the list of engines ----------------------------------------------------------------------


class RemoteEngines:
    """Add, edit, remove and read remote engines (call from one thread: the UI's)."""

    def __init__(self, store: KeyValueStore, secrets: SecretStore) -> None:
        self._store = store
        self._secrets = secrets

    def engines(self) -> list[RemoteEndpoint]:
        raw = self._store.get_setting(SETTINGS_KEY, [])
        out: list[RemoteEndpoint] = []
        if not isinstance(raw, list):
            return out
        for item in raw[:MAX_ENGINES]:
            try:
                out.append(RemoteEndpoint(
                    engine_id=str(item["engine_id"]), name=str(item["name"])[:MAX_NAME],
                    base_url=normalize_base_url(str(item["base_url"])),
                    has_key=bool(item.get("has_key", False)),
                ))
            except (KeyError, TypeError, AttributeError, RemoteConfigError):
                log.warning("a remote engine entry in the settings is invalid; skipped")
        return out

    def get(self, engine_id: str) -> RemoteEndpoint | None:
        return next((e for e in self.engines() if e.engine_id == engine_id), None)

    def _save(self, engines: list[RemoteEndpoint]) -> None:
        self._store.set_setting(SETTINGS_KEY, [
            {"engine_id": e.engine_id, "name": e.name, "base_url": e.base_url,
             "has_key": e.has_key} for e in engines
        ])

    @staticmethod
    def _clean_name(name: str) -> str:
        name = " ".join(name.split())
        if not name:
            raise RemoteConfigError("Give the engine a name.")
        if len(name) > MAX_NAME:
            raise RemoteConfigError(f"The name is too long (at most {MAX_NAME} characters).")
        return name

    @staticmethod
    def _clean_key(api_key: str) -> str:
        api_key = api_key.strip()
        if len(api_key) > MAX_KEY or any(c in api_key for c in "\r\n\0"):
            raise RemoteConfigError("That API key is not valid.")
        return api_key

    def add(self, name: str, base_url: str, api_key: str = "") -> tuple[RemoteEndpoint, str]:
        """Add an engine; returns it and a warning sentence (key in the file fallback), or ""."""
        engines = self.engines()
        if len(engines) >= MAX_ENGINES:
            raise RemoteConfigError(f"At most {MAX_ENGINES} remote engines can be added.")
        name = self._clean_name(name)
        if any(e.name == name for e in engines):
            raise RemoteConfigError(f"There is already an engine named {name}.")
        url = normalize_base_url(base_url)
        key = self._clean_key(api_key)
        endpoint = RemoteEndpoint("r" + _secrets.token_hex(6), name, url, bool(key))
        warning = self._secrets.set(self._account(endpoint.engine_id), key) if key else ""
        self._save([*engines, endpoint])
        return endpoint, warning

    def update(self, engine_id: str, name: str, base_url: str,
               api_key: str | None = None) -> tuple[RemoteEndpoint, str]:
        """Change an engine; ``api_key`` None keeps the stored key, "" removes it."""
        engines = self.engines()
        old = next((e for e in engines if e.engine_id == engine_id), None)
        if old is None:
            raise RemoteConfigError("That remote engine no longer exists.")
        name = self._clean_name(name)
        if any(e.name == name and e.engine_id != engine_id for e in engines):
            raise RemoteConfigError(f"There is already an engine named {name}.")
        url = normalize_base_url(base_url)
        warning = ""
        has_key = old.has_key
        if api_key is not None:
            key = self._clean_key(api_key)
            if key:
                warning = self._secrets.set(self._account(engine_id), key)
            else:
                self._secrets.delete(self._account(engine_id))
            has_key = bool(key)
        elif url != old.base_url and old.has_key:
            # A key is for the server it was given for: never send it to a new address.
            self._secrets.delete(self._account(engine_id))
            has_key = False
        new = RemoteEndpoint(engine_id, name, url, has_key)
        self._save([new if e.engine_id == engine_id else e for e in engines])
        return new, warning

    def remove(self, engine_id: str) -> None:
        self._secrets.delete(self._account(engine_id))
        self._save([e for e in self.engines() if e.engine_id != engine_id])

    def api_key(self, engine_id: str) -> str:
        return self._secrets.get(self._account(engine_id))

    def target(self, engine_id: str, model: str) -> RemoteTarget:
        endpoint = self.get(engine_id)
        if endpoint is None:
            raise RemoteConfigError("That remote engine was removed.")
        key = self.api_key(engine_id) if endpoint.has_key else ""
        return RemoteTarget(endpoint, model, key)

    def load_request(self, engine_id: str, model: str) -> RemoteLoadRequest:
        """What the engine worker's ``load`` gets for a remote model picked in the window."""
        target = self.target(engine_id, model)
        return RemoteLoadRequest(
            model_id=remote_model_id(engine_id, model),
            path=f"{target.endpoint.base_url} {model}",
            target=target,
        )

    @staticmethod
    def _account(engine_id: str) -> str:
        return f"remote-engine:{engine_id}"
