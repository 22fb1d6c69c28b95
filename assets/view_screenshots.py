"""Screenshots of the chat view alone with a realistic chat, in light and dark, at two sizes.

    python assets/view_screenshots.py OUT_DIR [--x11]

Shows code blocks, lists, a long code line, a long prose line, reasoning (collapsed, and live
while a reply streams), branch arrows, a stopped reply and a trim notice. Without ``--x11`` the
view is grabbed by Qt (any platform, offscreen included); with it, the script expects an X
server (e.g. ``Xvfb :99``, ``DISPLAY=:99``) and takes the whole screen with ImageMagick's
``import -window root``, as a user would see it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QMainWindow

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.theme import ThemeMode, theme_manager

NOW = time.time()
CHAT = [
    ("user", "How do I sum one column of a CSV file in Python?"),
    ("assistant", (
        "Use the standard library's `csv` module: it streams the file row by row, so it works "
        "for files of any size.\n\n"
        "```python\nimport csv\n\n\ndef column_total(path: str, column: str) -> float:\n"
        "    with open(path, newline=\"\") as f:\n"
        "        return sum(float(row[column]) for row in csv.DictReader(f))\n\n\n"
        "print(column_total(\"sales.csv\", \"amount\"))\n```\n\n"
        "A few things to watch for:\n\n"
        "1. **Empty cells** raise `ValueError`; skip them with `if row[column]`.\n"
        "2. Thousands separators (`1,200`) need `.replace(\",\", \"\")` first.\n"
        "3. For large data, [pandas](https://pandas.pydata.org) is faster: "
        "`pd.read_csv(path)[column].sum()`.\n"
    )),
    ("user", "And if one line of the file is enormous?"),
    ("assistant", (
        "Then only that line is long. Here is what such a line looks like in a code block: "
        "it scrolls sideways inside its own box while the prose around it keeps wrapping "
        "normally, however narrow the window becomes, because prose lines wrap at the "
        "column's width.\n\n"
        "```text\nid,name,notes\n1,lamp," + "very long notes " * 30 + "\n2,wick,short\n```\n"
    )),
    ("user", "Give me the steps to clean the data, briefly."),
    ("assistant", "1. Strip spaces around every cell.\n2. Drop duplicate rows.\n3. Convert"),
]


def build(view: ChatView) -> None:
    msgs = [StoredMessage(i + 1, 1, i + 1, role, text,
                          MessageStatus.STOPPED if i == len(CHAT) - 1 else MessageStatus.COMPLETE,
                          NOW - 600 + 60 * i, None if role == "user" else "Qwen3 4B Q4_K_M")
            for i, (role, text) in enumerate(CHAT)]
    view.show_messages(msgs)
    view.set_message_extras(2, reasoning="The user wants a short, safe answer...",
                            thinking_seconds=12.4, branch=(2, 3))
    view.set_message_notices(6, ["2 older messages were left out to fit the context."])
    view.append_message(StoredMessage(7, 1, 7, "user", "Why is the third step cut off?",
                                      MessageStatus.COMPLETE, NOW - 30))
    view.begin_reply(8, "Qwen3 4B Q4_K_M")
    view.set_message_extras(8, thinking_live=True, thinking_seconds=4.0)
    view.append_reasoning("The previous reply was stopped by the user. I should explain that "
                          "and finish the list: convert types, then validate ranges.")
    view.append_stream("It was stopped before it finished. The full list:\n\n"
                       "1. Strip spaces.\n2. Drop duplicates.\n3. Convert types:\n\n"
                       "```python\ndf[\"amount\"] = pd.to_numeric(df[\"amount\"], errors=")
    view.flush()


def settle(app: QApplication, view: ChatView) -> None:
    end = time.perf_counter() + 5
    while time.perf_counter() < end and not view.is_settled:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(20):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    x11 = "--x11" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    themes = theme_manager(app)
    for mode in (ThemeMode.LIGHT, ThemeMode.DARK):
        themes.set_mode(mode)
        for w, h in ((800, 600), (1920, 1080)):
            win = QMainWindow()
            view = ChatView()
            win.setCentralWidget(view)
            win.setGeometry(0, 0, w, h)
            win.show()
            build(view)
            settle(app, view)
            for where in ("end", "top"):
                if where == "top":  # the first answer: reasoning collapsed, branch arrows
                    view.verticalScrollBar().setValue(0)
                    settle(app, view)
                path = out / f"view-{mode.value}-{w}x{h}-{where}.png"
                if x11:
                    subprocess.run(["import", "-window", "root", "-crop", f"{w}x{h}+0+0",
                                    str(path)], check=True)
                else:
                    win.grab().save(str(path))
                print(f"saved {path}")
            view.end_reply(MessageStatus.COMPLETE)
            win.close()
            win.deleteLater()
            app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
