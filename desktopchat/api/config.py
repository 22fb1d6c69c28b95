"""The local API's settings (off by default; the port), kept in the settings table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

SETTINGS_KEY = "local_api"
DEFAULT_PORT = 8765  # on 127.0.0.1 only


class KeyValueStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class ApiConfig:
    enabled: bool = False
    port: int = DEFAULT_PORT

    @classmethod
    def load(cls, store: KeyValueStore) -> ApiConfig:
        raw = store.get_setting(SETTINGS_KEY, {})
        if not isinstance(raw, dict):
            return cls()
        enabled = raw.get("enabled") is True
        port = raw.get("port")
        ok = isinstance(port, int) and not isinstance(port, bool) and 1024 <= port <= 65535
        return cls(enabled, port if ok else DEFAULT_PORT)  # type: ignore[arg-type]

    def save(self, store: KeyValueStore) -> None:
        store.set_setting(SETTINGS_KEY, {"enabled": self.enabled, "port": self.port})
