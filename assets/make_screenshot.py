"""Regenerate assets/screenshot.png: the real app, the real starter model, a streamed answer.

    QT_QPA_PLATFORM=offscreen python assets/make_screenshot.py [OUT.png]

Runs the window offscreen on a throw-away data dir, asks the starter model for some code,
waits for the streamed reply to finish, and saves what the window shows.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktopchat.app import DesktopChatApp  # noqa: E402
from desktopchat.chat.store import ChatStore  # noqa: E402
from desktopchat.models.starter import STARTER_ID  # noqa: E402
from desktopchat.paths import AppPaths  # noqa: E402
from desktopchat.settings import ModelSettings, Settings  # noqa: E402

PROMPT = "Write a Python function that checks whether a number is prime."


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("screenshot.png"))
    qapp = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths.under(Path(tmp)).ensure()
        store = ChatStore(paths.db_path)
        Settings(store).save_model(
            STARTER_ID, ModelSettings(temperature=0.0, max_tokens=220, seed=1, threads=2)
        )
        earlier = store.create_conversation("Ideas for a weekend trip")
        store.add_message(earlier.id, "user", "Ideas for a weekend trip?")
        store.add_message(earlier.id, "assistant", "A hike, a museum, or a lake.")
        store.close()
        app = DesktopChatApp(paths)
        app.window.resize(1100, 760)
        state = {"sent": False}

        def on_state(kind: str, _detail: str) -> None:
            if kind == "ready" and not state["sent"]:
                state["sent"] = True
                app.controller.new_conversation()
                app.controller.send(PROMPT)

        def on_busy(busy: bool) -> None:
            if not busy:
                QTimer.singleShot(300, finish)

        def finish() -> None:
            app.window.grab().save(str(out))
            print(f"saved {out}")
            app.window.close()
            qapp.quit()

        app.controller.model_state.connect(on_state)
        app.controller.busy_changed.connect(on_busy)
        app.start()
        qapp.exec()
        app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
