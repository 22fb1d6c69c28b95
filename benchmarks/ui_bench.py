"""Figures 5 and 6: the GUI thread while a reply streams into the real ChatView (and while a
model loads), and Stop latency in the real app."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer, Signal, Slot

from benchmarks.harness import Driver, qapp
from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.engine.types import LoadRequest
from desktopchat.ui import idle_gc

HEARTBEAT_MS = 5

_MD_UNIT = (
    "## Step {i}\n\nThe *keeper* checks the **lamp**, trims the wick and writes the log. "
    "See [the manual](https://example.org/{i}) for `details`.\n\n"
    "```python\ndef light_{i}(oil: float) -> float:\n    # burn rate per hour\n"
    "    return oil * 0.{i} + {i}\n```\n\n- wind: {i} knots\n- swell: {i} m\n\n"
)


def markdown_tokens(n: int) -> list[str]:
    """``n`` token-sized pieces (about 4 characters each) of markdown with code blocks."""
    text = ""
    i = 0
    while len(text) < n * 4:
        i += 1
        text += _MD_UNIT.format(i=i)
    return [text[k:k + 4] for k in range(0, n * 4, 4)]


class Heartbeat(QObject):
    """A 5 ms timer on the GUI thread: the gaps between its ticks are the GUI's stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self.cpu_gaps: list[float] = []  # GUI-thread CPU time between ticks, ms
        self._cpu = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self.cpu_gaps.clear()
        self._clock.start()
        self._last = 0.0
        self._cpu = time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        # the time since the last tick counts too: a GUI thread blocked until the end (the
        # whole load, say) gives no tick at all, which must read as one long stall, not none
        if self._clock.isValid():
            self._tick()

    @Slot()
    def _tick(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self._last)
        self._last = now
        cpu = time.thread_time()
        self.cpu_gaps.append((cpu - self._cpu) * 1000)
        self._cpu = cpu

    def stalls(self) -> tuple[float, float]:
        """(max, p99) of how much later than due the ticks came, in ms."""
        # the first gap (from start() to the first tick) is left out unless it is all there is
        gaps = self.gaps[1:] or self.gaps
        late = sorted(max(0.0, g - HEARTBEAT_MS) for g in gaps) or [0.0]
        return late[-1], late[min(len(late) - 1, int(len(late) * 0.99))]

    def cpu_stalls(self) -> tuple[float, float]:
        """(max, p99) of the GUI thread's CPU time between two ticks, in ms: the stall a
        machine with a core to spare would show. On a loaded machine the wall-clock stalls
        also hold the time other processes took; this does not. Meaningful only when the
        event loop sleeps while idle (it counts a spinning loop as work)."""
        used = sorted(self.cpu_gaps[1:]) or [0.0]
        return used[-1], used[min(len(used) - 1, int(len(used) * 0.99))]


class _Feeder(QObject):
    text = Signal(str)


class _EventCounter(QObject):
    """Counts one kind of event reaching the objects it filters (Paint: a widget repainted;
    UpdateRequest on a top-level widget: the whole window repainted)."""

    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind = kind
        self.count = 0

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == self.kind:
            self.count += 1
        return False


def stream_into_view(n_tokens: int, rate: float,
                     history: Sequence[StoredMessage] = ()) -> dict[str, float]:
    """Stream ``n_tokens`` of markdown into the real ChatView at ``rate`` tokens/s, batched as
    the engine batches them (EMIT_INTERVAL), from a worker thread through a queued signal;
    below ``history`` when given (a long chat streams at the same cost as a short one)."""
    from desktopchat.engine.engine import EMIT_INTERVAL
    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.syntax import cold_languages

    app = qapp()
    view = ChatView()
    view.resize(900, 700)
    warm_hb = Heartbeat()  # the view prepares code highlighting once, in idle moments
    warm_hb.start()
    view.show()
    painter = _EventCounter(QEvent.Type.Paint)
    view.viewport().installEventFilter(painter)
    pieces = markdown_tokens(n_tokens)
    feeder = _Feeder()
    feeder.text.connect(view.append_stream)
    # Time spent in flush per token, by position in the reply.
    flush_cost: list[tuple[int, float]] = []
    received = [0]
    orig_flush = view.flush
    orig_append = view.append_stream

    def counting_append(text: str) -> None:
        received[0] += len(text) // 4
        orig_append(text)

    def timed_flush() -> None:
        n = received[0]
        t = time.perf_counter()
        orig_flush()
        flush_cost.append((n, time.perf_counter() - t))

    feeder.text.disconnect(view.append_stream)
    view.append_stream = counting_append  # type: ignore[method-assign]
    feeder.text.connect(counting_append)
    view.flush = timed_flush  # type: ignore[method-assign]
    view._flush_timer.timeout.disconnect()
    view._flush_timer.timeout.connect(timed_flush)
    # As in the app, the window is open a while before the first reply (a model loads first),
    # and the view has prepared its code highlighting in idle moments (measured on its own).
    settle = time.perf_counter() + 10.0
    while cold_languages() and time.perf_counter() < settle:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    warm_hb.stop()
    warm_max, warm_p99 = warm_hb.stalls()
    if history:
        view.show_messages(history)
        while not view.is_settled and time.perf_counter() < settle + 30:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    view.begin_reply(len(history) + 1, "bench")
    hb = Heartbeat()
    done = threading.Event()

    def produce() -> None:
        start = time.perf_counter()
        batch: list[str] = []
        last = start
        for i, p in enumerate(pieces):
            due = start + (i + 1) / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            batch.append(p)
            now = time.perf_counter()
            if now - last >= EMIT_INTERVAL or i == 0:
                feeder.text.emit("".join(batch))
                batch.clear()
                last = now
        if batch:
            feeder.text.emit("".join(batch))
        done.set()

    hb.start()
    paints0 = painter.count
    t0 = time.perf_counter()
    th = threading.Thread(target=produce, name="bench-feeder")
    th.start()
    while not done.is_set():  # sleeps between events, as the app's loop does
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    th.join()
    for _ in range(20):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    duration = time.perf_counter() - t0
    view.end_reply(MessageStatus.COMPLETE)
    hb.stop()
    stall_max, stall_p99 = hb.stalls()
    cpu_max, cpu_p99 = hb.cpu_stalls()

    def cost(lo: int, hi: int) -> float:
        parts = [c for n, c in flush_cost if lo < n <= hi]
        return sum(parts) / (hi - lo)

    first = cost(0, 500)
    last = cost(n_tokens - 500, n_tokens)
    res = {
        "stall_max_ms": stall_max, "stall_p99_ms": stall_p99,
        "cpu_stall_max_ms": cpu_max, "cpu_stall_p99_ms": cpu_p99,
        "warm_max_ms": warm_max, "warm_p99_ms": warm_p99,
        "render_first_us": first * 1e6, "render_last_us": last * 1e6,
        "paints_per_s": (painter.count - paints0) / duration,
        "flushes_per_s": len(flush_cost) / duration, "duration_s": duration,
    }
    view.close()
    view.deleteLater()
    return res


def during_load(path: Path, req: LoadRequest) -> tuple[float, float]:
    """GUI-thread stalls (max, p99 ms) while the worker thread loads a model."""
    app = qapp()
    # what earlier figures left for deletion is their cleanup, not the load's
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    driver = Driver()
    hb = Heartbeat()
    hb.start()
    while not hb.gaps:  # the first gap is not counted: let it pass before the load starts
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    driver.load(req)
    hb.stop()
    driver.close()
    return hb.stalls()


def during_first_load(req: LoadRequest) -> tuple[float, float]:
    """``during_load`` in a new process: the first load of a process (the app's start-up) also
    initialises llama.cpp's backends; a later one (a model switch, ``during_load`` late in a
    run) does not. Returns (max, p99) ms."""
    import dataclasses
    import json
    import subprocess
    import sys

    code = ("import json, sys; from pathlib import Path; "
            "from benchmarks.ui_bench import during_load; "
            "from desktopchat.engine.types import LoadRequest; "
            "req = LoadRequest(**json.loads(sys.argv[1])); "
            "print(json.dumps(during_load(Path(req.path), req)))")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(dataclasses.asdict(req))],
                          capture_output=True, text=True, timeout=600, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    worst, p99 = json.loads(done.stdout.strip().splitlines()[-1])
    return float(worst), float(p99)


def stop_latency(data_dir: Path, model_path: Path, tries: int, threads: int,
                 n_ctx: int) -> list[float]:
    """ms from Stop to the reply's last text shown (its end rendered) in the real app."""
    from desktopchat.app import DesktopChatApp
    from desktopchat.chat.store import ChatStore
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.paths import AppPaths
    from desktopchat.settings import ModelSettings, Settings

    paths = AppPaths.under(data_dir).ensure()
    from desktopchat.models.local import model_id_for
    from desktopchat.models.starter import starter_model_path

    model_id = STARTER_ID
    if model_path != starter_model_path():
        import shutil

        target = paths.models_dir / model_path.name
        if not target.exists():
            shutil.copyfile(model_path, target)
        model_id = model_id_for(target)
    store = ChatStore(paths.db_path)
    Settings(store).save_model(model_id, ModelSettings(max_tokens=4000, context_length=n_ctx,
                                                       threads=threads, seed=5))
    store.close()
    app = qapp()
    dapp = DesktopChatApp(paths)
    loop = QEventLoop()

    def wait(cond, timeout_s: float = 120) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout_s
        while not cond() and time.perf_counter() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)

    dapp.start()
    mid = model_id
    dapp.session.select_model(mid)
    wait(lambda: dapp.session.model is not None and dapp.session.model.model_id == mid)
    view = dapp.window.view
    shown: list[float] = []
    orig_flush = view.flush
    orig_end = view.end_reply

    def flush() -> None:
        had = view.has_pending
        orig_flush()
        if had:
            shown.append(time.perf_counter())

    def end_reply(status, notices=()):  # type: ignore[no-untyped-def]
        orig_end(status, notices)
        shown.append(time.perf_counter())

    view.flush = flush  # type: ignore[method-assign]
    view._flush_timer.timeout.disconnect()
    view._flush_timer.timeout.connect(flush)
    view.end_reply = end_reply  # type: ignore[method-assign]
    out: list[float] = []
    for i in range(tries):
        dapp.conversations.new()
        shown.clear()
        dapp.generation.send(f"Write a long essay about harbours, part {i}.")
        wait(lambda: len(shown) >= 6)
        t_stop = time.perf_counter()
        dapp.generation.stop()
        wait(lambda: not dapp.generation.generating)
        for _ in range(10):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        out.append((max(shown) - t_stop) * 1000)
    del loop
    dapp.window.close()
    dapp.shutdown()
    return out


def during_download(data_dir: Path, model_path: Path, rate: int) -> dict[str, float]:
    """GUI-thread stalls while the real app downloads ``model_path`` through its Get models
    panel and download thread from a loopback Hub (in another process) limited to ``rate``
    bytes/s: the window shows progress, speed and ETA the whole time."""
    import os
    import subprocess
    import sys

    from desktopchat.app import DesktopChatApp
    from desktopchat.paths import AppPaths

    repo, name = "bench/model-GGUF", model_path.name
    hub = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hub", "--file", f"{repo}/{name}={model_path}",
         "--rate", str(rate)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parent.parent)
    old_endpoint = os.environ.get("HF_ENDPOINT")
    app = qapp()
    dapp = None
    try:
        assert hub.stdout is not None
        os.environ["HF_ENDPOINT"] = hub.stdout.readline().strip()
        paths = AppPaths.under(data_dir).ensure()
        dapp = DesktopChatApp(paths)
        dapp.window.show()
        idle_gc.started()  # as run_gui does once the app has started
        dapp.open_get_models()
        panel, downloads = dapp.hub.hub_panel, dapp.hub.downloads_panel
        state = {"files": False, "fit": False, "done": ""}
        panel.files_shown.connect(lambda _r: state.update(files=True))
        panel.fit_shown.connect(lambda _n: state.update(fit=True))
        downloads.changed.connect(lambda _j, s: state.update(done=s) if s in
                                  ("done", "failed", "cancelled") else None)

        def wait(key: str, timeout_s: float = 600) -> None:
            end = time.perf_counter() + timeout_s
            while not state[key] and time.perf_counter() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if not state[key]:
                raise TimeoutError(f"no {key} within {timeout_s} s")

        dapp.hub.list_files(repo, "")
        wait("files")
        assert panel.select_file(name)
        wait("fit")
        page = dapp.window.models_page
        assert page is not None
        counters = []
        for w in (dapp.window, page):  # the main window, and the page that shows the progress
            c = _EventCounter(QEvent.Type.UpdateRequest)
            w.installEventFilter(c)
            counters.append(c)
        hb = Heartbeat()
        hb.start()
        t0 = time.perf_counter()
        panel.download_button.click()
        page.tabs.setCurrentWidget(downloads)  # watching the progress bar, speed and ETA
        wait("done")
        duration = time.perf_counter() - t0
        hb.stop()
        if state["done"] != "done":
            raise RuntimeError(f"the download ended {state['done']}")
        stall_max, stall_p99 = hb.stalls()
        return {"stall_max_ms": stall_max, "stall_p99_ms": stall_p99, "seconds": duration,
                "mb_per_s": model_path.stat().st_size / 2**20 / duration,
                "repaints_per_s": max(c.count for c in counters) / duration}
    finally:
        if dapp is not None:
            dapp.window.close()
            dapp.shutdown()
        if old_endpoint is None:
            os.environ.pop("HF_ENDPOINT", None)
        else:
            os.environ["HF_ENDPOINT"] = old_endpoint
        assert hub.stdin is not None
        hub.stdin.close()
        hub.wait(30)
        if hub.stdout is not None:
            hub.stdout.close()



def hostile_outputs(cases: Sequence[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Hostile model output shown in the real ChatView (issue 10's reliability suite calls
    this): integer counts ``hostile_outputs_tried``, ``resources_loaded``, ``navigations`` and
    ``rich_tooltips``, the maximum GUI stall ``max_stall_ms`` and each case's ``stall_ms``.
    ``cases`` are (name, text) pairs; ``{port}`` in a text is a loopback server that counts
    requests and ``{canary}`` a red image on disk (default: view_bench.HOSTILE_CASES)."""
    from benchmarks import view_bench

    return view_bench.hostile_outputs(cases)
