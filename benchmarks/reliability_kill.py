"""kill -9 at random points of a real chat, driven through the real window in a subprocess.

The child (``python -m benchmarks.reliability_kill child DATA_DIR SEED``) starts the real app
(``DesktopChatApp``, offscreen) on a data dir shared by every round, waits for the model, then
works through a chat as a user would: messages and their streamed replies, regenerate, rename,
new chat, delete, a settings change. Before each step it prints ``begin <kind>``; after each
write it prints what is now committed. The parent kills it (SIGKILL) a few milliseconds after a
``begin`` of the kind this round targets (a reply streaming, a store write, a settings save, a
rename or delete), then checks the database the child left:

- ``PRAGMA integrity_check`` passes;
- every message the child reported committed is there (unless it reported deleting its chat);
- a reply that was streaming when it died is there (its text so far) and, once the next round's
  app has started, marked interrupted (unless that app's first step deleted its chat: the
  child's "ready" and its first step race the parent's look at the file);
- the next round's app starts and loads its model (else a failed restart).

``run(kills, work_dir, seed)`` returns the integer figures ``kills``, ``lost_messages``,
``integrity_failures``, ``failed_restarts`` and ``partials_kept``, and ``lost_detail``: for each
lost message, the round, why it counts as lost and the child's last lines (also on stderr).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

KINDS = ("generation", "store", "settings", "rename-delete")
START_TIMEOUT = 180.0
ROUND_TIMEOUT = 120.0


# -- the child: the real app ----------------------------------------------------------------


def _child(data_dir: str, seed: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktopchat.app import DesktopChatApp
    from desktopchat.chat.types import MessageStatus
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.paths import AppPaths
    from desktopchat.settings import ModelSettings

    rng = random.Random(seed)
    qapp = QApplication(["desktopchat"])
    app = DesktopChatApp(AppPaths.under(Path(data_dir)))

    def say(*words: object) -> None:
        print(*words, flush=True)

    def committed(messages: list[object]) -> None:
        say("committed", json.dumps([[m.id, m.conversation_id] for m in messages]))  # type: ignore[attr-defined]

    steps: list[str] = []

    def step() -> None:
        kind = rng.choices(["send", "send", "send", "regenerate", "rename", "new", "delete",
                            "settings"], k=1)[0]
        steps.append(kind)
        g, c = app.generation, app.conversations
        if kind in ("send", "regenerate"):
            say("begin store")
            if kind == "send":
                ok = g.send(f"Turn {len(steps)}: tell me one short fact about the number "
                            f"{rng.randrange(1000)}.")
            else:
                ok = g.regenerate()
            if not ok:
                QTimer.singleShot(0, step)
                return
            conv = c.current
            msgs = app.store.messages(conv) if conv else []
            committed([m for m in msgs if m.status is not MessageStatus.GENERATING])
            if g.generating and msgs:
                say("streaming", msgs[-1].id, conv)
                say("begin generation")
            return  # the next step starts when the reply ends
        if kind in ("rename", "new", "delete"):
            say("begin rename-delete")
            if kind == "rename" and c.current is not None:
                c.rename(c.current, f"Renamed {rng.randrange(10**6)}")
            elif kind == "new":
                c.new()
            elif kind == "delete" and c.current is not None and len(c.conversations()) > 1:
                gone = c.current
                say("deleting", gone)  # before: a kill mid-delete may or may not have removed it
                c.delete(gone)
        else:
            say("begin settings")
            ms = app.session.model_settings()
            app.settings.save_model(STARTER_ID, ModelSettings(
                temperature=round(rng.uniform(0.1, 1.0), 2), max_tokens=ms.max_tokens,
                context_length=ms.context_length, threads=ms.threads, seed=ms.seed))
        say("done", kind)
        QTimer.singleShot(rng.randrange(0, 50), step)

    def reply_done(status: object, _notices: object) -> None:
        conv = app.conversations.current
        if conv is not None:
            committed(list(app.store.messages(conv)))
        say("done reply")
        QTimer.singleShot(rng.randrange(0, 50), step)

    def state(name: str, _detail: str) -> None:
        if name == "ready" and not steps:
            interrupted = app.store._db.execute(
                "SELECT COUNT(*) FROM messages WHERE status = 'interrupted'").fetchone()[0]
            say("ready", interrupted)
            QTimer.singleShot(0, step)
        elif name == "failed":
            say("failed")

    app.generation.reply_finished.connect(reply_done)
    app.session.model_state.connect(state)
    app.start()
    qapp.exec()


# -- the parent -------------------------------------------------------------------------------


def _preset(data_dir: Path) -> None:
    from desktopchat.chat.store import ChatStore
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.settings import ModelSettings, Settings

    store = ChatStore(data_dir / "desktopchat.sqlite3")
    Settings(store).save_model(STARTER_ID, ModelSettings(
        temperature=0.7, max_tokens=48, context_length=2048, threads=2))
    store.close()


def _rows(db_path: Path) -> tuple[str, dict[int, str]]:
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = dict(db.execute("SELECT id, status FROM messages").fetchall())
        return str(check), {int(k): str(v) for k, v in rows.items()}
    finally:
        db.close()


class _Tracker:
    """What the children have said so far, across rounds, and the figures it gives."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.expected: dict[int, int] = {}  # committed message -> its chat
        self.deleted_convs: set[int] = set()
        # a reply cut by the last kill, and its chat: checked once the next app has started
        self.pending_partial: tuple[int, int] | None = None
        self.unseen_partial: tuple[int, int] | None = None  # gone at that start: judged later
        self.figures = {"kills": 0, "lost_messages": 0, "integrity_failures": 0,
                        "failed_restarts": 0, "partials_kept": 0}
        self.lost: list[str] = []  # what each lost message was, for the report
        self.round = 0
        self.said: list[str] = []  # this round's lines, for the report of a loss
        self.new_round()

    def new_round(self) -> None:
        self.round += 1
        self.said = []
        self.streaming: tuple[int, int] | None = None
        self.finished_reply = False
        self.ready = False

    def hear(self, line: str) -> str:
        """One line of the child's; returns it as ``word rest``."""
        word, _, rest = line.strip().partition(" ")
        self.said.append(line.strip()[:200])
        if word == "ready":
            self.ready = True
            if self.pending_partial is not None:
                # The child's first step may already be running (it may delete that chat), so
                # a reply found missing here is judged after the kill, with this round's lines.
                _, rows = _rows(self.db_path)
                if rows.get(self.pending_partial[0]) == "interrupted":
                    self.figures["partials_kept"] += 1
                elif self.pending_partial[0] not in rows:
                    self.unseen_partial = self.pending_partial
                self.pending_partial = None
        elif word == "committed":
            self.expected.update({int(m): int(c) for m, c in json.loads(rest)})
        elif word == "streaming":
            message, _, conv = rest.partition(" ")
            self.streaming, self.finished_reply = (int(message), int(conv)), False
        elif word == "done" and rest == "reply":
            self.finished_reply = True
        elif word == "deleting":
            self.deleted_convs.add(int(rest))
        return f"{word} {rest}"

    def judge(self) -> None:
        """After a kill: the file is whole, and everything committed is still there."""
        f = self.figures
        f["kills"] += 1
        if not self.ready:
            f["failed_restarts"] += 1
        check, rows = _rows(self.db_path)
        if check != "ok":
            f["integrity_failures"] += 1
        # A message is lost if it is gone and its chat was not (being) deleted; the child says
        # "deleting" before each deletion.
        for m, c in self.expected.items():
            if m not in rows and c not in self.deleted_convs:
                self._lose(m, f"committed in chat {c}, gone after the kill")
        self.expected = {m: c for m, c in self.expected.items() if m in rows}
        if self.unseen_partial is not None:
            message, conv = self.unseen_partial
            if conv not in self.deleted_convs:
                self._lose(message, "the partial reply was gone at the restart")
            self.unseen_partial = None
        if self.streaming is not None and not self.finished_reply:
            if self.streaming[0] in rows:
                self.pending_partial = self.streaming
            elif self.streaming[1] not in self.deleted_convs:
                self._lose(self.streaming[0],
                           "the streaming reply was not in the file after the kill")

    def _lose(self, message_id: int, why: str) -> None:
        self.figures["lost_messages"] += 1
        self.lost.append(f"round {self.round}, message {message_id}: {why}; the child said: "
                         + " | ".join(self.said[-12:]))
        print(f"lost: {self.lost[-1]}", file=sys.stderr, flush=True)


def run(kills: int, work_dir: Path, seed: int = 0) -> dict[str, Any]:
    data = work_dir / "kill-data"
    data.mkdir(parents=True, exist_ok=True)
    _preset(data)
    rng = random.Random(seed)
    tracker = _Tracker(data / "desktopchat.sqlite3")
    root = Path(__file__).resolve().parent.parent
    for round_no in range(kills):
        target = KINDS[round_no % len(KINDS)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.reliability_kill", "child", str(data),
             str(rng.randrange(2**31))],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=root,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert proc.stdout is not None
        tracker.new_round()
        started = time.monotonic()
        try:
            for line in proc.stdout:
                said = tracker.hear(line)
                if said == "failed ":
                    break
                if said == f"begin {target}":
                    time.sleep(rng.uniform(0.0, 0.05 if target != "generation" else 1.5))
                    break
                if time.monotonic() - started > (ROUND_TIMEOUT if tracker.ready else
                                                 START_TIMEOUT):
                    break
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            # What it said between the chosen moment and its death (a deletion, a commit, a
            # new reply streaming) happened too: read it from the pipe before judging the file.
            for line in proc.stdout:
                if line.endswith("\n"):  # not a line cut short by the kill
                    tracker.hear(line)
            proc.stdout.close()
        tracker.judge()
    return {**tracker.figures, "lost_detail": tracker.lost}


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 8, Path(sys.argv[2]
                             if len(sys.argv) > 2 else "/tmp/dc-kill"))))
