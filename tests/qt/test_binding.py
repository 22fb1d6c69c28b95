"""Guards against Qt binding releases that break the app in ways no other test would see soon.

PySide6-Essentials 6.12.0 drops a reference to every Python value a signal delivers (True,
False, None, small ints), so a long chat aborts the process ("bool_dealloc: deallocating True
or False"). A streamed reply delivers thousands of such values.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)
    value = Signal(object)
    pair = Signal(int, str)


def test_signal_delivery_keeps_reference_counts():
    e = _Emitter()
    got: list[object] = []
    e.flag.connect(got.append)
    e.value.connect(got.append)
    e.pair.connect(lambda i, s: got.append(i))
    before = (sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(1))
    for i in range(2000):
        e.flag.emit(i % 2 == 0)
        e.value.emit(None)
        e.pair.emit(1, "x")
    got.clear()
    after = (sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(1))
    assert all(a >= b - 50 for a, b in zip(after, before, strict=True)), (before, after)
