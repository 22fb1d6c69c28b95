"""The local API's activity log: one line per request (client, tokens, time), kept in memory,
bounded, clearable. Thread-safe: the server adds from its thread, the window reads and clears.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_ENTRIES = 500
MAX_CLIENT = 80


@dataclass(frozen=True)
class ActivityEntry:
    at: float  # wall-clock time the request arrived
    client: str  # "127.0.0.1:50422 python-httpx/0.28" (plain text, bounded)
    path: str
    status: int  # HTTP status sent
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    note: str = ""  # "stream", "cancelled", an error sentence

    @property
    def summary(self) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(self.at))
        tokens = (f"{self.prompt_tokens} + {self.completion_tokens} tokens"
                  if self.prompt_tokens or self.completion_tokens else "")
        parts = [clock, self.client, self.path, str(self.status), tokens,
                 f"{self.seconds:.2f} s", self.note]
        return "  ".join(p for p in parts if p)


def client_label(host: str, port: int, user_agent: str) -> str:
    """Who called, as plain bounded text."""
    agent = "".join(c for c in user_agent if c.isprintable())[:40]
    label = f"{host}:{port}" + (f" {agent}" if agent else "")
    return label[:MAX_CLIENT]


class ActivityLog:
    """A bounded list of entries; ``listener`` (if set) is called from the adding thread."""

    def __init__(self, maxlen: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[ActivityEntry] = deque(maxlen=maxlen)
        self.listener: Callable[[ActivityEntry], None] | None = None

    def add(self, entry: ActivityEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        listener = self.listener
        if listener is not None:
            listener(entry)

    def entries(self) -> list[ActivityEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
