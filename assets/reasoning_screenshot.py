"""README's picture of a reasoning reply and branches in the real window, light and dark.

    python assets/reasoning_screenshot.py [OUT_DIR] [--x11] [--size 1100x780]

The chat is written into a throw-away history first (the picture shows how the window shows a
reasoning model's saved chat, not a live run: the starter model does not reason). It holds
one question answered twice (the second reply a regeneration, so ‹ 2/2 › arrows show) with
the model's thinking stored apart from the answer, one reply's thinking expanded. No model is
loaded. Without ``--x11`` the window is grabbed by Qt; with it, the script expects an X server
(``Xvfb :99 -screen 0 1100x780x24``, ``DISPLAY=:99``) and takes the whole screen with
ImageMagick's ``import -window root``.

Writes screenshot-reasoning-light.png and screenshot-reasoning-dark.png.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import MessageStatus
from desktopchat.paths import AppPaths
from desktopchat.ui.theme import ThemeMode, theme_manager

HERE = Path(__file__).resolve().parent
MODEL = "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
QUESTION = "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. " \
           "How much does the ball cost?"
FIRST = ("The ball costs **$0.05**.\n\nIf the ball costs *x*, the bat costs *x* + 1.00, so "
         "2*x* + 1.00 = 1.10 and *x* = 0.05.")
FIRST_THOUGHT = ("The quick answer is 10 cents, but then the bat would cost $1.10 and the "
                 "total $1.20. Let the ball be x: x + (x + 1.00) = 1.10, so 2x = 0.10 and "
                 "x = 0.05. Check: 0.05 + 1.05 = 1.10. Right.")
SECOND = ("**5 cents.**\n\n| | price |\n|---|---|\n| ball | $0.05 |\n| bat | $1.05 |\n"
          "| total | $1.10 |\n\nThe intuitive answer, 10 cents, would make the bat only "
          "90 cents more expensive than the ball.")
SECOND_THOUGHT = ("Classic trick question. Write it down: ball + bat = 1.10 and bat = ball + "
                  "1.00. Substituting: 2·ball + 1.00 = 1.10, so ball = 0.05 and bat = 1.05. "
                  "The difference is exactly 1.00, as required. I should also say why 10 "
                  "cents is wrong, since that is what most people answer first.")
FOLLOW_UP = "Show it as one line of Python."
ANSWER = "```python\nball = (1.10 - 1.00) / 2  # 0.05\n```"
ANSWER_THOUGHT = "One expression: half of what is left after the $1.00 difference."


def seed(paths: AppPaths) -> None:
    store = ChatStore(paths.db_path)
    older = store.create_conversation("Plan a week of dinners")
    store.add_message(older.id, "user", "Plan a week of vegetarian dinners.", model=MODEL)
    store.add_message(older.id, "assistant", "Monday: lentil soup …", model=MODEL)
    c = store.create_conversation("The bat and the ball")
    q = store.add_message(c.id, "user", QUESTION)
    a1 = store.add_message(c.id, "assistant", "", MessageStatus.GENERATING, MODEL)
    store.update_message(a1.id, FIRST, MessageStatus.COMPLETE, reasoning=FIRST_THOUGHT,
                         thinking_seconds=6.4)
    a2 = store.add_message(c.id, "assistant", "", MessageStatus.GENERATING, MODEL,
                           parent_id=q.id)
    store.update_message(a2.id, SECOND, MessageStatus.COMPLETE, reasoning=SECOND_THOUGHT,
                         thinking_seconds=11.8)
    store.set_reasoning_expanded(a2.id, True)
    store.add_message(c.id, "user", FOLLOW_UP)
    a3 = store.add_message(c.id, "assistant", "", MessageStatus.GENERATING, MODEL)
    store.update_message(a3.id, ANSWER, MessageStatus.COMPLETE, reasoning=ANSWER_THOUGHT,
                         thinking_seconds=2.1)
    store.close()


def settle(ms: int = 600) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=str(HERE))
    parser.add_argument("--x11", action="store_true")
    parser.add_argument("--size", default="1100x780")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.split("x"))
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths.under(Path(tmp)).ensure()
        seed(paths)
        app = DesktopChatApp(paths)
        win = app.window
        try:
            for mode in (ThemeMode.LIGHT, ThemeMode.DARK):
                theme_manager(qapp).set_mode(mode)  # type: ignore[arg-type]
                win.resize(width, height)
                win.move(0, 0)
                win.show()
                chat = next(c for c in app.conversations.conversations()
                            if c.title == "The bat and the ball")
                app.conversations.open(chat.id)
                settle()
                win.view.verticalScrollBar().setValue(0)  # the question at the top
                settle(300)
                target = out / f"screenshot-reasoning-{mode.value}.png"
                if args.x11:
                    subprocess.run(["import", "-window", "root", str(target)], check=True)
                else:
                    win.grab().save(str(target))
                print(target)
        finally:
            win.close()
            app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
