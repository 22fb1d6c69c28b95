"""Which engine answers a load request: the local ``Engine`` for a GGUF file, the
``RemoteEngine`` for a model on a server (a ``RemoteLoadRequest``).

Meant for ``EngineWorker.load`` on the engine thread: it keeps the current engine when the kind
is the same, and otherwise loads into a new one and closes the old one only once the new load
succeeded, so a failed switch leaves the previous model loaded (as ``Engine.load`` does).
"""

from __future__ import annotations

import threading
from typing import Any

from desktopchat.engine.remote import RemoteEngine
from desktopchat.engine.remote_config import RemoteLoadRequest
from desktopchat.engine.types import KVStateConfig, LoadRequest, ModelInfo


def load_engine(current: Any, req: LoadRequest, kv_state: KVStateConfig | None,
                offline: threading.Event | None) -> tuple[Any, ModelInfo]:
    """Returns (the engine now in use, its model info); raises ``EngineError`` on failure, with
    ``current`` untouched unless it was the engine that tried."""
    remote = isinstance(req, RemoteLoadRequest)
    if current is not None and isinstance(current, RemoteEngine) == remote:
        return current, current.load(req)
    if remote:
        new: Any = RemoteEngine(offline)
    else:
        from desktopchat.engine.engine import Engine  # imports llama_cpp on this thread

        new = Engine(kv_state)
    try:
        info = new.load(req)
    except BaseException:
        new.close()
        raise
    if current is not None:
        current.close()
    return new, info
