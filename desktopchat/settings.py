"""Versioned settings: per-model generation settings and app-wide preferences (Qt-free).

Values are frozen dataclasses; they are persisted as JSON in the history database's settings
table, so settings and chats live (and are backed up) in one place. Unknown keys are ignored and
bad values fall back to defaults one field at a time, so a hand-edited or older file never stops
the app from starting.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from dataclasses import dataclass, fields
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant."


class KeyValueStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class ModelSettings:
    """Generation settings for one model."""

    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    context_length: int = 4096
    threads: int = 0  # 0: pick from the machine's cores
    seed: int = -1  # -1: random each reply
    # Where it runs (desktopchat.models.offload): "auto" (the best GPU, sized to its memory),
    # "cpu", or a device's name as llama.cpp reports it ("Vulkan0", "CUDA0", "Metal").
    device: str = "auto"
    gpu_layers: int = -1  # -1: as many as fit; otherwise this many layers on the device

    # (min, max) for numbers; checked on load and in the settings dialog.
    LIMITS = {
        "temperature": (0.0, 5.0),
        "top_p": (0.0, 1.0),
        "top_k": (0, 1000),
        "min_p": (0.0, 1.0),
        "repeat_penalty": (0.5, 3.0),
        "max_tokens": (1, 131072),
        "context_length": (256, 262144),
        "threads": (0, 256),
        "seed": (-1, 2**31 - 1),
        "gpu_layers": (-1, 4096),
    }
    # Text fields from the settings file, checked like the numbers (a hand-edited file).
    PATTERNS = {"device": re.compile(r"auto|cpu|[A-Za-z][A-Za-z0-9_.-]{0,63}")}

    def resolved_threads(self) -> int:
        if self.threads > 0:
            return self.threads
        return max(1, min(8, (os.cpu_count() or 2)))

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["version"] = SETTINGS_VERSION
        return d

    @classmethod
    def from_dict(cls, data: Any) -> ModelSettings:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class AppSettings:
    """Preferences that are not per model."""

    offline: bool = False
    # The window's look (desktopchat.ui.preferences): "system" | "light" | "dark"; the text size
    # in points (0: the system's); the language ("" follows the system, "en", "zh_CN").
    theme: str = "system"
    font_size: int = 0
    language: str = ""
    # The window's geometry and splitter, as Qt saves them (base64); "" for the default.
    window_geometry: str = ""
    window_splitter: str = ""
    last_model_id: str = ""
    # Set just before a model loads and cleared once it has loaded (or failed cleanly): still set
    # at start-up means the app died loading it, so it is not loaded again automatically.
    loading_model_id: str = ""
    last_conversation_id: int = 0
    # Disk for saved KV caches (reopening a long chat without re-reading it); 0 turns it off.
    kv_state_cap_mb: int = 2048
    hide_reasoning: bool = False  # never show models' reasoning (it is still kept)
    # The most device (GPU) memory a model may take, in MB; 0: as much as the device has free.
    # For a GPU shared with other programs, and for tests.
    gpu_memory_cap_mb: int = 0

    LIMITS = {"last_conversation_id": (0, 2**62), "kv_state_cap_mb": (0, 1 << 20),
              "gpu_memory_cap_mb": (0, 1 << 24)}

    def device_memory_cap_bytes(self) -> int:
        """``LoadRequest.device_memory_cap`` for this setting (0: no cap)."""
        return self.gpu_memory_cap_mb * 1024 * 1024

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["version"] = SETTINGS_VERSION
        return d

    @classmethod
    def from_dict(cls, data: Any) -> AppSettings:
        return _from_dict(cls, data)


T = TypeVar("T", ModelSettings, AppSettings)


def _from_dict(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        return cls()
    limits: dict[str, tuple[float, float]] = getattr(cls, "LIMITS", {})
    patterns: dict[str, re.Pattern[str]] = getattr(cls, "PATTERNS", {})
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        default = f.default
        raw = data[f.name]
        try:
            if isinstance(default, bool):
                if not isinstance(raw, bool):
                    raise TypeError
                value: Any = raw
            elif isinstance(default, int):
                if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != int(raw):
                    raise TypeError
                value = int(raw)
            elif isinstance(default, float):
                if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                    raise TypeError
                value = float(raw)
            else:
                if not isinstance(raw, str):
                    raise TypeError
                if f.name in patterns and not patterns[f.name].fullmatch(raw):
                    raise ValueError
                value = raw
            if f.name in limits:
                lo, hi = limits[f.name]
                if not lo <= value <= hi:
                    raise ValueError
        except (TypeError, ValueError, OverflowError):
            log.warning("setting %s=%r is invalid; using %r", f.name, raw, default)
            continue
        values[f.name] = value
    return cls(**values)


class Settings:
    """Reads and writes settings through the history store's key-value table."""

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store

    def app(self) -> AppSettings:
        return AppSettings.from_dict(self._store.get_setting("app"))

    def save_app(self, value: AppSettings) -> None:
        self._store.set_setting("app", value.to_dict())

    def update_app(self, **changes: Any) -> AppSettings:
        value = dataclasses.replace(self.app(), **changes)
        self.save_app(value)
        return value

    def model(self, model_id: str) -> ModelSettings:
        return ModelSettings.from_dict(self._store.get_setting(f"model:{model_id}"))

    def save_model(self, model_id: str, value: ModelSettings) -> None:
        self._store.set_setting(f"model:{model_id}", value.to_dict())
