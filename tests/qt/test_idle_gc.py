"""Full garbage collections wait for an idle moment (idle_gc): never while the chat view is
scrolling or streaming, soon after it stops, and anyway once too much is pending."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.ui import idle_gc
from desktopchat.ui.chat_view import ChatView


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _garbage(n: int) -> None:
    for _ in range(n):
        _Cycle()


@pytest.fixture
def full_collections() -> Iterator[list[float]]:
    """The times at which generation-2 collections ended, while the test runs."""
    seen: list[float] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            seen.append(time.monotonic())

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def test_installing_leaves_young_generations_and_uninstall_restores(qapp: QApplication) -> None:
    before = gc.get_threshold()
    collector = idle_gc.IdleCollector(qapp)
    try:
        young, middle, old = gc.get_threshold()
        assert (young, middle) == before[:2]
        assert old > 10**8  # the automatic collector never reaches the old generation
    finally:
        collector.uninstall()
    assert gc.get_threshold() == before


def test_full_collection_waits_while_the_view_scrolls_then_runs_when_idle(
        qtbot: Any, qapp: QApplication, full_collections: list[float]) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.show_messages([StoredMessage(i, 1, i, "user" if i % 2 else "assistant",
                                      f"message {i}\n\n" + "a line of text\n\n" * 8,
                                      MessageStatus.COMPLETE, 0.0) for i in range(1, 200)])
    qtbot.waitUntil(lambda: view.is_settled, timeout=20_000)
    collector = idle_gc.IdleCollector(qapp, quiet_s=0.8, check_ms=20, min_pending=2,
                                      force_after=10**6)
    try:
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum())
        end = time.monotonic() + 1.5
        step = -1
        while time.monotonic() < end:  # a user scrolling up and down for 1.5 s
            if bar.value() in (0, bar.maximum()):
                step = -step
            bar.setValue(bar.value() + step * bar.pageStep() // 4)
            _garbage(3000)  # what rows coming and going leave behind, and more
            qtbot.wait(15)
        last_busy = idle_gc._last_busy  # the view's last layout pass
        assert collector.pending >= 2, "young collections ran while scrolling"
        assert full_collections == [], "a full collection ran in the middle of the scroll"
        qtbot.waitUntil(lambda: collector.collections >= 1, timeout=5000)
        assert full_collections and full_collections[0] - last_busy >= 0.8
        assert collector.forced == 0
        assert collector.pending < 2
    finally:
        collector.uninstall()


def test_input_events_count_as_busy(qtbot: Any, qapp: QApplication,
                                    full_collections: list[float]) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    collector = idle_gc.IdleCollector(qapp, quiet_s=0.8, check_ms=20, min_pending=2,
                                      force_after=10**6)
    try:
        end = time.monotonic() + 1.0
        while time.monotonic() < end:  # the mouse wheel and keys, nothing laid out
            wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPointF(0, 0).toPoint(),
                                QPointF(0, 0).toPoint(), Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                                False)
            QApplication.sendEvent(view.viewport(), wheel)
            qtbot.keyClick(view, Qt.Key.Key_Shift)
            _garbage(3000)
            qtbot.wait(15)
        assert collector.pending >= 2 and full_collections == []
        qtbot.waitUntil(lambda: collector.collections >= 1, timeout=5000)
    finally:
        collector.uninstall()


def test_collects_anyway_when_busy_too_long(qtbot: Any, qapp: QApplication,
                                            full_collections: list[float]) -> None:
    collector = idle_gc.IdleCollector(qapp, quiet_s=60.0, check_ms=20, min_pending=2,
                                      force_after=5)
    try:
        end = time.monotonic() + 10
        while collector.collections == 0 and time.monotonic() < end:
            idle_gc.busy()
            _garbage(3000)
            qtbot.wait(10)
        assert collector.collections >= 1 and collector.forced >= 1
        assert full_collections, "the forced collection was a full one"
    finally:
        collector.uninstall()


def test_event_filter_passes_every_event_on(qapp: QApplication) -> None:
    collector = idle_gc.IdleCollector(qapp)
    try:
        assert collector.eventFilter(qapp, QEvent(QEvent.Type.KeyPress)) is False
        assert collector.eventFilter(qapp, QEvent(QEvent.Type.Paint)) is False
    finally:
        collector.uninstall()


def test_survivors_are_frozen_and_a_deep_collection_frees_frozen_cycles(
        qtbot: Any, qapp: QApplication) -> None:
    import weakref

    collector = idle_gc.IdleCollector(qapp, quiet_s=0.0, check_ms=20, min_pending=1,
                                      force_after=10**6, deep_quiet_s=0.5, deep_every_s=3600)
    try:
        kept = _Cycle()
        alive = weakref.ref(kept)
        frozen = gc.get_freeze_count()
        _garbage(20_000)
        qtbot.waitUntil(lambda: collector.collections >= 1, timeout=5000)
        assert gc.get_freeze_count() > frozen, "what survived an idle collection is frozen"
        del kept  # now garbage, but frozen: ordinary collections do not walk it
        for _ in range(3):
            idle_gc.busy()  # no deep collection yet
            _garbage(20_000)
            done = collector.collections
            qtbot.waitUntil(lambda done=done: collector.collections > done, timeout=5000)
        assert alive() is not None and collector.deep == 0
        collector.deep_every_s = 0.0  # the deep collection is due once it has been quiet
        qtbot.waitUntil(lambda: collector.deep >= 1, timeout=5000)
        assert alive() is None, "the deep collection freed the frozen cycle"
    finally:
        collector.uninstall()
    assert gc.get_freeze_count() == 0
