"""The chat view's own figures, which need no model: a 1,000-message chat (open it and show its
end, scroll it end to end) and hostile model output (nothing loads, nothing navigates, nothing
freezes). ``benchmarks/run.py`` records them with figure 5; on their own:

    QT_QPA_PLATFORM=offscreen python -m benchmarks.view_bench [--quick]

prints them with streaming figure 5 (4,000 tokens into the view, also after a long chat).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QHelpEvent, QImage, QTextCursor
from PySide6.QtWidgets import QToolTip

from benchmarks.harness import qapp
from benchmarks.ui_bench import Heartbeat, stream_into_view
from desktopchat.chat.types import MessageStatus, StoredMessage

FRAME_S = 1 / 60


def chat_messages(n: int) -> list[StoredMessage]:
    """``n`` messages of a realistic chat: short questions, answers with prose, a list and a
    code block (a longer one every tenth answer)."""
    out: list[StoredMessage] = []
    for i in range(n):
        mid = i + 1
        if i % 2 == 0:
            text = f"Question {i // 2}: how do I parse the log lines of service {i} in Python?"
            out.append(StoredMessage(mid, 1, mid, "user", text, MessageStatus.COMPLETE, 0.0))
            continue
        lines = 60 if i % 20 == 1 else 12
        code = "".join(f"    fields_{k} = line.split(',')[{k % 7}].strip()  # field {k}\n"
                       for k in range(lines))
        text = (f"Read the file line by line and split each one; the **third** field holds the "
                f"status. See [the docs](https://docs.python.org/3/library/csv.html) for "
                f"`csv.reader`.\n\n1. Open the file.\n2. Split each line.\n3. Count the "
                f"statuses.\n\n```python\ndef parse_{i}(path: str) -> dict[str, int]:\n"
                f"  for line in open(path):\n{code}  return counts\n```\n\nThat handles "
                f"answer {i}; tell me if the format differs.")
        out.append(StoredMessage(mid, 1, mid, "assistant", text, MessageStatus.COMPLETE, 0.0,
                                 "SmolLM2 135M"))
    return out


def _frame(app: Any) -> None:
    """Let the event loop run for one frame (the heartbeat ticks inside; the loop sleeps
    between events, as the app's does). Rows the view dropped are deleted in it: Qt defers
    a ``deleteLater`` made outside any event (this script's ``setValue``) to the next
    ``exec()``, where the app's loop, scrolling on wheel events, deletes them at once."""
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    end = time.perf_counter() + FRAME_S
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _settle(app: Any, view: Any, timeout_s: float = 60.0) -> None:
    """Run the event loop until the view has no work left (it sleeps between events: the
    view's idle steps are timer events, so one always comes while work remains)."""
    end = time.perf_counter() + timeout_s
    while not view.is_settled and time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def long_chat(n_messages: int = 1000, reopen: int = 3) -> dict[str, float]:
    """Open a chat of ``n_messages`` in the real ChatView until its end is on screen (rows
    built and painted; highlighting may follow in idle moments), ``reopen`` times; then scroll
    it to the top and back a page a frame, as a dragged scroll bar does, timing GUI stalls."""
    from desktopchat.ui.chat_view import ChatView

    app = qapp()
    view = ChatView()
    view.resize(860, 640)
    view.show()
    _settle(app, view)  # the window is up a while before a chat opens (lexers prepared)
    msgs = chat_messages(n_messages)
    opened, settled, cpu = [], [], []
    for _ in range(reopen):
        t0, c0 = time.perf_counter(), time.thread_time()
        view.show_messages(msgs)
        while view.rows_pending:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        view.viewport().repaint()
        opened.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        _settle(app, view)
        settled.append(time.perf_counter() - t0)
        view.show_messages([])
        _settle(app, view)
    view.show_messages(msgs)
    _settle(app, view)
    bar = view.verticalScrollBar()
    end_shown = bar.value() == bar.maximum() and view.row(n_messages) is not None
    hb = Heartbeat()
    hb.start()
    steps = 0
    t0 = time.perf_counter()
    for direction in (-1, 1):
        while (bar.value() > 0) if direction < 0 else (bar.value() < bar.maximum()):
            bar.setValue(bar.value() + direction * bar.pageStep())
            steps += 1
            _frame(app)
    scroll_s = time.perf_counter() - t0
    hb.stop()
    stall_max, stall_p99 = hb.stalls()
    cpu_max, cpu_p99 = hb.cpu_stalls()
    view.close()
    view.deleteLater()
    app.processEvents()
    return {"messages": n_messages, "open_first_ms": opened[0] * 1000,
            "open_median_ms": statistics.median(opened) * 1000,
            "open_max_ms": max(opened) * 1000, "open_cpu_ms": statistics.median(cpu) * 1000,
            "settled_ms": statistics.median(settled) * 1000,
            "end_shown": float(end_shown), "scroll_steps": steps, "scroll_s": scroll_s,
            "scroll_stall_max_ms": stall_max, "scroll_stall_p99_ms": stall_p99,
            "scroll_cpu_stall_max_ms": cpu_max, "scroll_cpu_stall_p99_ms": cpu_p99}


# -- hostile model output ---------------------------------------------------------------------

HOSTILE_CASES: tuple[tuple[str, str], ...] = (
    ("img file", '<img src="file://{canary}"> and <img src="{canary}">'),
    ("img loopback", '<img src="http://127.0.0.1:{port}/pixel.png">'),
    ("script", "<script>document.write('x')</script><script src=http://127.0.0.1:{port}/s.js>"),
    ("iframe", '<iframe src="http://127.0.0.1:{port}/"></iframe><object data="file://{canary}">'),
    ("css", "<style>p { background: url(http://127.0.0.1:{port}/bg.png) }</style>"),
    ("links", "[js](javascript:alert(1)) [file](file://{canary}) [mail](mailto:a@example.org) "
              '<a href="javascript:alert(1)">raw</a> [data](data:text/html,<b>x</b>)'),
    ("link title", '[docs](https://example.org "<img src=file://{canary}>")'),
    ("markdown images", "![a](file://{canary}) ![b](http://127.0.0.1:{port}/md.png) "
                        "![c](data:image/png;base64,iVBORw0KGgo=)"),
    ("1 MB line", "word " * 200_000),
    ("10,000 nested list items", "- " * 10_000 + "end"),
    ("10,000 nested quotes", "> " * 10_000 + "end"),
    ("split UTF-8", "caf\udcc3\udca9 \ufffd na\u00efve \U0001f600 \x00 end"),
)


# Issue 11, problem 12, as measured on the old view: a 20,000-line code block stalled the
# window 4.4 s (again on reopening), a 10,000-item list 3.8 s, a 1 MB line 2.5 s, and 10,000
# levels of nested lists or quotes showed nothing. hostile_outputs(BIG_REPLIES) measures them.
BIG_REPLIES: tuple[tuple[str, str], ...] = (
    ("20,000-line code block", "```python\n" + "".join(
        f"value_{i} = compute({i}, factor={i % 7})  # step {i}\n" for i in range(20_000))
     + "```\n"),
    ("10,000-item list", "".join(f"- item {i}: a short note\n" for i in range(10_000))),
    ("1 MB line", "word " * 200_000),
    ("10,000 nested lists", "- " * 10_000 + "end"),
    ("10,000 nested quotes", "> " * 10_000 + "end"),
)


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def hostile_outputs(cases: Sequence[tuple[str, str]] | None = None) -> dict[str, Any]:
    """See ``ui_bench.hostile_outputs``. Each case is shown opened and streamed (4 kB
    batches); every link in it is hovered (tooltip) and clicked; the view is grabbed and
    searched for the canary's red."""
    from desktopchat.ui.blocks import ProseBlock
    from desktopchat.ui.chat_view import ChatView

    app = qapp()
    _Counter.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    serving = threading.Thread(target=server.serve_forever, name="hostile-loopback")
    serving.start()
    opened: list[str] = []
    real_open = QDesktopServices.openUrl
    QDesktopServices.openUrl = lambda url: opened.append(url.toString()) or True  # type: ignore
    out: dict[str, Any] = {"hostile_outputs_tried": 0, "resources_loaded": 0, "navigations": 0,
                           "rich_tooltips": 0, "max_stall_ms": 0.0, "max_cpu_stall_ms": 0.0,
                           "stall_ms": {}, "cpu_stall_ms": {}}
    view = ChatView()
    view.resize(900, 700)
    view.show()
    red = QColor(255, 0, 0)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            canary = Path(tmp) / "canary.png"
            img = QImage(40, 40, QImage.Format.Format_RGB32)
            img.fill(red)
            img.save(str(canary))
            port = str(server.server_address[1])
            _settle(app, view)
            for name, template in cases or HOSTILE_CASES:
                text = template.replace("{port}", port).replace("{canary}", str(canary))
                hb = Heartbeat()
                hb.start()
                view.show_messages([StoredMessage(1, 1, 1, "assistant", text,
                                                  MessageStatus.COMPLETE, 0.0, "m")])
                _settle(app, view)
                view.begin_reply(2, "m")
                for i in range(0, len(text), 4096):
                    view.append_stream(text[i:i + 4096])
                    _frame(app)
                view.end_reply(MessageStatus.COMPLETE)
                _settle(app, view)
                hb.stop()
                stall = hb.stalls()[0]
                out["stall_ms"][name] = round(stall, 1)
                out["max_stall_ms"] = max(out["max_stall_ms"], stall)
                cpu = hb.cpu_stalls()[0]
                out["cpu_stall_ms"][name] = round(cpu, 1)
                out["max_cpu_stall_ms"] = max(out["max_cpu_stall_ms"], cpu)
                out["hostile_outputs_tried"] += 1
                shot = view.viewport().grab().toImage()
                if any(shot.pixelColor(x, y) == red for x in range(0, shot.width(), 2)
                       for y in range(0, shot.height(), 2)):
                    out["resources_loaded"] += 1
                before = len(opened)
                for mid in (1, 2):
                    row = view.row(mid)
                    for prose in (p for p in (row.body.pieces if row else [])
                                  if isinstance(p, ProseBlock)):
                        for href, point in _anchors(prose):
                            ev = QHelpEvent(QEvent.Type.ToolTip, point,
                                            prose.viewport().mapToGlobal(point))
                            app.sendEvent(prose.viewport(), ev)
                            tip = QToolTip.text()
                            QToolTip.hideText()
                            if "<img" in tip or "file:" in tip:
                                out["rich_tooltips"] += 1
                            prose.anchorClicked.emit(QUrl(href))
                out["navigations"] += sum(
                    1 for u in opened[before:] if not u.lower().startswith(("http:", "https:")))
    finally:
        QDesktopServices.openUrl = real_open  # type: ignore[method-assign]
        view.close()
        view.deleteLater()
        app.processEvents()
        server.shutdown()
        server.server_close()
        serving.join()
    out["loopback_requests"] = _Counter.hits
    out["resources_loaded"] += _Counter.hits
    return out


def _anchors(prose: Any) -> list[tuple[str, Any]]:
    """(href, point in the viewport) of each link in a prose block."""
    doc = prose.document()
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            href = frag.charFormat().anchorHref()
            if href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + 1)
                found.append((href, prose.cursorRect(cursor).center()))
            it += 1
        block = block.next()
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    ap.add_argument("--rate", type=float, default=200.0, help="tokens/s streamed")
    args = ap.parse_args(argv)
    n_tokens, n_msgs = (600, 100) if args.quick else (4000, 1000)
    res: dict[str, Any] = {"stream": stream_into_view(n_tokens, args.rate)}
    res["stream_after_long_chat"] = stream_into_view(n_tokens, args.rate,
                                                     history=chat_messages(n_msgs))
    res["long_chat"] = long_chat(n_msgs)
    res["hostile"] = hostile_outputs()
    res["big_replies"] = hostile_outputs(BIG_REPLIES)
    print(json.dumps(res, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
