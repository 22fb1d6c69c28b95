"""One sequence of request ids for everything that sends work to the engine worker.

The worker's stop flags stop "this request and any earlier one", and every listener filters
``tokens``/``finished`` by id, so the window's controller and the local API must draw ids from
the same counter, on the same (UI) thread, in the order they send requests.
"""

from __future__ import annotations

import itertools
import threading


class RequestIds:
    """Thread-safe increasing ids, from ``start`` (1 unless something else already sent ids to
    the same worker)."""

    def __init__(self, start: int = 1) -> None:
        self._lock = threading.Lock()
        self._counter = itertools.count(start)

    def next(self) -> int:
        with self._lock:
            return next(self._counter)
