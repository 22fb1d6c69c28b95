"""Hostile model files through import and the window's load path, in the real app.

``tests.support.hostile.generate`` writes the files (mutated and truncated copies of the test
models and every class of the reliability issue). A child process runs the real app
(``DesktopChatApp``, offscreen) and takes one path at a time on stdin: it imports the file (the
Import action's path), and if the import succeeds, picks it in the model list (the isolated test
load, then the real load) and, if it loads, sends a message and waits for the reply. It prints
one JSON line per file. The parent counts a child that dies as a crash of the app's process and
a file with no outcome within its time as a hang (and restarts the app for the next file).

``run(n, work_dir, seed)`` returns the integer figures ``hostile_files_tried``,
``hostile_files_crashed``, ``hostile_files_hung``, ``hostile_files_rejected``,
``hostile_files_answered`` and ``hostile_files_unexplained`` (loaded, yet neither refused with a
reason nor answering).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

FILE_TIMEOUT = 240.0  # the test load's own timeout is 60 s + size; a real load and a reply more
START_TIMEOUT = 180.0


def _child(data_dir: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication

    from desktopchat.app import DesktopChatApp
    from desktopchat.paths import AppPaths
    from desktopchat.settings import ModelSettings

    qapp = QApplication(["desktopchat"])
    paths = AppPaths.under(Path(data_dir))
    from desktopchat.logsetup import setup_logging

    setup_logging(paths.ensure().log_file)
    app = DesktopChatApp(paths)

    class Lines(QObject):
        line = Signal(str)

    lines = Lines()
    state: dict[str, object] = {}

    def report(outcome: str, reason: str = "") -> None:
        print(json.dumps({"path": state.get("path"), "outcome": outcome,
                          "reason": reason[:300]}), flush=True)
        state.clear()

    def next_file(path: str) -> None:
        state["path"] = path.strip()
        state["phase"] = "import"
        app.library.import_model(state["path"])  # type: ignore[arg-type]

    def imported(model: object) -> None:
        if state.get("phase") != "import":
            return
        state["phase"] = "load"
        model_id = model.model_id  # type: ignore[attr-defined]
        state["model_id"] = model_id
        app.settings.save_model(model_id, ModelSettings(max_tokens=8, context_length=512,
                                                        threads=2, temperature=0.0))
        app.session.select_model(model_id)

    def failed(message: str) -> None:
        if state.get("phase") == "import":
            report("rejected", message)

    def model_state(name: str, detail: str) -> None:
        if state.get("phase") != "load":
            return
        if name == "failed":
            report("rejected", detail)
        elif name == "ready" and app.session.model is not None and \
                app.session.model.model_id == state.get("model_id"):
            state["phase"] = "answer"
            if not app.generation.send("Hello"):
                report("unexplained", "loaded but could not be asked")

    def finished(status: object, _notices: object) -> None:
        if state.get("phase") != "answer":
            return
        conv = app.conversations.current
        reply = app.store.messages(conv)[-1] if conv else None
        if reply is not None and reply.content.strip():
            report("answered")
        else:
            report("rejected" if app.window.last_error else "unexplained",
                   app.window.last_error or "no reply")

    app.library.imported.connect(imported)
    app.library.error.connect(failed)
    app.session.model_state.connect(model_state)
    app.generation.reply_finished.connect(finished)
    lines.line.connect(next_file)

    def read_stdin() -> None:
        for raw in sys.stdin:
            lines.line.emit(raw)
        QTimer.singleShot(0, qapp.quit)

    def started() -> None:
        app.library.listing_done.disconnect(started)  # later listings follow each import
        print(json.dumps({"ready": True}), flush=True)
        threading.Thread(target=read_stdin, daemon=True).start()

    app.library.listing_done.connect(started)
    app.start()
    qapp.exec()


class _App:
    """The child app, with its output read on a thread."""

    def __init__(self, data_dir: Path) -> None:
        root = Path(__file__).resolve().parent.parent
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.reliability_files", "child", str(data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            cwd=root, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        self.out: queue.Queue[dict[str, object] | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        first = self.next(START_TIMEOUT)
        if not first or not first.get("ready"):
            raise RuntimeError("the app did not start")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.out.put(json.loads(line))
        self.out.put(None)  # the process ended

    def next(self, timeout: float) -> dict[str, object] | None:
        try:
            return self.out.get(timeout=timeout)
        except queue.Empty:
            return {"timeout": True}

    def ask(self, path: Path) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=10)  # it ends at the pipe's end, now that the child is gone
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a write buffered for a dead child
                    pipe.close()


def run(n: int, work_dir: Path, seed: int = 0, real_cases: int | None = None) -> dict[str, int]:
    from desktopchat.models.starter import starter_model_path
    from tests.support.hostile import generate
    from tests.support.models import gemma_model_path

    files = work_dir / "hostile"
    bases = [p for p in (starter_model_path(),) if p is not None]
    with contextlib.suppress(Exception):  # the test extra's Gemma: optional in a quick run
        bases.append(gemma_model_path(work_dir / "models"))
    cases = generate(files, n, seed, bases, real_cases=real_cases)
    figures = {"hostile_files_tried": 0, "hostile_files_crashed": 0, "hostile_files_hung": 0,
               "hostile_files_rejected": 0, "hostile_files_answered": 0,
               "hostile_files_unexplained": 0}
    data = work_dir / "files-data"
    app = _App(data)
    started = time.monotonic()
    try:
        for case in cases:
            figures["hostile_files_tried"] += 1
            app.ask(case.path)
            got = app.next(FILE_TIMEOUT)
            if got is None or got.get("timeout"):
                key = "hostile_files_crashed" if got is None else "hostile_files_hung"
                figures[key] += 1
                print(f"{key}: {case.kind} {case.path}", file=sys.stderr, flush=True)
                app.kill()
                app = _App(data)
                continue
            outcome = str(got.get("outcome"))
            print(f"{case.kind}: {outcome} {str(got.get('reason'))[:120]}", file=sys.stderr,
                  flush=True)
            if outcome == "rejected" and got.get("reason"):
                figures["hostile_files_rejected"] += 1
            elif outcome == "answered":
                figures["hostile_files_answered"] += 1
            else:
                figures["hostile_files_unexplained"] += 1
                print(f"unexplained: {case.kind} {case.path}: {got}", file=sys.stderr,
                      flush=True)
    finally:
        app.kill()
    figures["hostile_files_seconds"] = int(time.monotonic() - started)
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(sys.argv[2])
    else:
        print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 20,
                             Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/dc-hostile"))))
