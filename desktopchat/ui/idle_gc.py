"""Full garbage collections in idle moments, not in the middle of a scroll.

CPython collects its oldest generation when enough objects have survived the young ones, on
whichever thread happens to allocate then. In the window that is the GUI thread, in the middle
of whatever made those objects: measured, a full collection stalled scrolling a 1,000-message
chat for ~40 ms (52 ms in all against 12 ms with the collector off). The young generations stay
automatic (they are cheap); the old one is collected by an ``IdleCollector`` on the GUI thread
once nothing has moved for ``quiet_s``: no input, no scrolling, no streamed text being laid
out (``busy()``, called by the chat view). So that memory stays bounded while the user keeps
busy for a long time, it collects anyway after ``force_after`` young collections.

A full collection walks every tracked object (~0.5 µs each here: 50 ms for 100,000), so what
survives one is frozen (``gc.freeze``) and the next walks only what came since. Cycles among
frozen objects that become garbage later wait for a deep collection (unfreeze, collect,
freeze), made when nothing has moved for ``deep_quiet_s`` and at most every ``deep_every_s``.

CPython's incremental collector (aimed at 3.14) collects the old generation a slice at a time
and gives these thresholds other meanings, so ``install`` leaves 3.14 and later to it.
"""

from __future__ import annotations

import gc
import logging
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Slot

log = logging.getLogger(__name__)

QUIET_S = 1.0  # nothing moved for this long: an idle moment
CHECK_MS = 250
MIN_PENDING = 10  # CPython's own threshold for the old generation (young collections since)
FORCE_AFTER = 500  # collect even while busy after this many young collections (memory bound)
DEEP_QUIET_S = 30.0  # a deep collection (frozen objects too) waits for a long idle moment ...
DEEP_EVERY_S = 600.0  # ... and comes at most this often
_NEVER = 1 << 30  # an old-generation threshold the automatic collector never reaches

_last_busy = 0.0


def busy() -> None:
    """Something the user watches is moving (a scroll, a streamed reply being laid out): hold
    the full collection back a while. Cheap enough to call on every frame."""
    global _last_busy
    _last_busy = time.monotonic()


_INPUT = frozenset(int(t.value) for t in (
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.InputMethod))


class IdleCollector(QObject):
    """Collects the old generation on the GUI thread in idle moments (see the module)."""

    def __init__(self, app: QCoreApplication, quiet_s: float = QUIET_S,
                 check_ms: int = CHECK_MS, min_pending: int = MIN_PENDING,
                 force_after: int = FORCE_AFTER, deep_quiet_s: float = DEEP_QUIET_S,
                 deep_every_s: float = DEEP_EVERY_S) -> None:
        super().__init__(app)
        self._app = app
        self.quiet_s = quiet_s
        self.min_pending = min_pending
        self.force_after = force_after
        self.deep_quiet_s = deep_quiet_s
        self.deep_every_s = deep_every_s
        self.collections = 0  # full collections made here (idle or forced)
        self.forced = 0
        self.deep = 0
        self.longest_ms = 0.0
        self._last_deep = time.monotonic()
        self._threshold = gc.get_threshold()
        young, middle, _old = self._threshold
        gc.set_threshold(young, middle, _NEVER)
        app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type().value in _INPUT:
            busy()
        return False

    @property
    def pending(self) -> int:
        """Young collections since the last full one."""
        return gc.get_count()[2]

    @Slot()
    def _check(self) -> None:
        now = time.monotonic()
        quiet = now - _last_busy
        if quiet >= self.deep_quiet_s and now - self._last_deep >= self.deep_every_s:
            self._collect("deep")
            return
        pending = self.pending
        if pending < self.min_pending:
            return
        forced = pending >= self.force_after
        if forced or quiet >= self.quiet_s:
            self._collect("forced while busy" if forced else "idle")

    def _collect(self, kind: str) -> None:
        t0 = time.perf_counter()
        if kind == "deep":
            gc.unfreeze()
            self._last_deep = time.monotonic()
            self.deep += 1
        found = gc.collect()
        gc.freeze()  # what survived is not walked again until the next deep collection
        ms = (time.perf_counter() - t0) * 1000
        self.collections += 1
        self.forced += kind == "forced while busy"
        self.longest_ms = max(self.longest_ms, ms)
        log.debug("full garbage collection (%s): %d unreachable, %.1f ms", kind, found, ms)

    def uninstall(self) -> None:
        """Stop, and give every object and the old generation back to CPython's automatic
        collector."""
        self._timer.stop()
        self._app.removeEventFilter(self)
        gc.unfreeze()
        gc.set_threshold(*self._threshold)


def started() -> None:
    """The app has started: what it built so far lives as long as the process, so the
    collector never walks it again (``gc.freeze``; ~50 ms a full collection otherwise)."""
    gc.freeze()


def install(app: QCoreApplication) -> IdleCollector | None:
    """The policy for this process (the app and the benchmarks that stand for it); None where
    the interpreter's own collector is incremental."""
    if sys.version_info >= (3, 14):
        return None
    return IdleCollector(app)
