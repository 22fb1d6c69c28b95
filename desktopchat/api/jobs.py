"""What the local API hands to the app, and how the reply comes back (Qt-free).

The server runs on its own thread and asyncio loop. It never touches the engine: it hands a
``Job`` to a ``Backend`` (the app's ``ApiBridge``, which sends it to the engine worker as a
queued signal, behind whatever the window is generating) and awaits the job's queue, which the
backend fills from its own thread through ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.types import GenerationParams, GenerationResult, ModelInfo

if TYPE_CHECKING:
    import asyncio


class BackendBusy(Exception):
    """Too many API requests are already waiting for the model."""


@dataclass(frozen=True)
class Done:
    """The reply ended; ``result`` is None when the job was cancelled before it ran."""

    result: GenerationResult | None


class Job:
    """One API request's generation. ``push_*`` may be called from any thread."""

    def __init__(self, messages: tuple[ChatMessage, ...], params: GenerationParams,
                 loop: asyncio.AbstractEventLoop, client: str = "") -> None:
        self.messages = messages
        self.params = params
        self.client = client
        self.request_id = 0  # set by the backend when it sends the job to the engine
        self._loop = loop
        import asyncio  # here: the window imports this module at start-up, asyncio only if
        # the API is used

        self.queue: asyncio.Queue[str | Done] = asyncio.Queue()
        self._cancelled = threading.Event()
        self._done = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def mark_cancelled(self) -> None:
        self._cancelled.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def push_text(self, text: str) -> None:
        if not self._done.is_set():
            self._put(text)

    def push_done(self, result: GenerationResult | None) -> None:
        if not self._done.is_set():
            self._done.set()
            self._put(Done(result))

    def _put(self, item: str | Done) -> None:
        # RuntimeError: the server's loop has closed, nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self.queue.put_nowait, item)


class Backend(Protocol):
    """The app side of the local API."""

    def model(self) -> ModelInfo | None:
        """The loaded model (thread-safe snapshot), or None."""
        ...

    def defaults(self) -> GenerationParams:
        """Sampling settings for fields a request leaves out (the model's own settings)."""
        ...

    def submit(self, job: Job) -> None:
        """Queue ``job`` behind the engine's current work; raises ``BackendBusy``."""
        ...

    def cancel(self, job: Job) -> None:
        """The client went away or a stop string was hit: stop generating for ``job``."""
        ...
