"""README's screenshots of the real window: light, dark and the first run, taken under Xvfb with
the real app and the starter model (SmolLM2), as a user sees them.

    python assets/make_screenshot.py [OUT_DIR] [--size 1100x720] [--language zh_CN]

For each shot a throw-away data dir is prepared, an X server (Xvfb) started at the window's
size, and the app run on it (Qt's xcb platform). The question is typed with xdotool into the
window as it opened (the cursor starts in the message box), the streamed reply is waited for,
and the screen is taken with ImageMagick's ``import -window root``, then stripped (and
quantised with pngquant where it is installed). Needs: Xvfb, xdotool, imagemagick
(``apt-get install -y xvfb xdotool imagemagick pngquant``).

Writes screenshot-light.png, screenshot-dark.png and screenshot-first-run.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROMPT = "Write a Python function that checks whether a number is prime."
SHOTS = {  # name: (look, first run?)
    "screenshot-light.png": ("light", False),
    "screenshot-dark.png": ("dark", False),
    "screenshot-first-run.png": ("light", True),
}


def _free_display() -> int:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("no free X display number")


def take(out: Path, look: str, first_run: bool, size: tuple[int, int], language: str) -> None:
    """One screenshot: an X server of ``size``, the app on it, the screen saved to ``out``."""
    display = f":{_free_display()}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size[0]}x{size[1]}x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            if time.monotonic() > deadline or xvfb.poll() is not None:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.1)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}
        with tempfile.TemporaryDirectory() as data:
            subprocess.run([sys.executable, __file__, "--child", str(out), data, look,
                            "1" if first_run else "0", f"{size[0]}x{size[1]}", language],
                           env=env, check=True, timeout=600)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    subprocess.run(["convert", str(out), "-strip", str(out)], check=True)
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "70-95",
                        "--output", str(out), str(out)], check=False)
    print(f"saved {out} ({out.stat().st_size // 1024} kB)")


def child(out: str, data: str, look: str, first_run: bool, size: str, language: str) -> int:
    """Inside the X server: prepare the data dir, run the app, type, wait, take the screen."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktopchat.app import DesktopChatApp
    from desktopchat.chat.store import ChatStore
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.paths import AppPaths
    from desktopchat.settings import ModelSettings, Settings

    width, height = (int(v) for v in size.split("x"))
    qapp = QApplication([])
    qapp.setStyle("Fusion")
    paths = AppPaths.under(Path(data)).ensure()
    store = ChatStore(paths.db_path)
    settings = Settings(store)
    settings.update_app(theme=look, language=language,
                        last_model_id="" if first_run else STARTER_ID)
    settings.save_model(STARTER_ID, ModelSettings(temperature=0.0, max_tokens=200, seed=1,
                                                  threads=2))
    if not first_run:
        for title, question, answer in (
                ("Ideas for a weekend trip", "Ideas for a weekend trip?",
                 "A hike, a museum, or a lake."),
                ("Explain recursion", "Explain recursion in one sentence.",
                 "A function that calls itself on a smaller piece of the problem.")):
            conv = store.create_conversation(title)
            store.add_message(conv.id, "user", question)
            store.add_message(conv.id, "assistant", answer, model="SmolLM2 135M Instruct")
    store.close()
    app = DesktopChatApp(paths)
    window = app.window
    window.setGeometry(0, 0, width, height)
    state = {"typed": False}

    def shoot() -> None:
        subprocess.run(["import", "-window", "root", out], check=True)
        window.close()
        qapp.quit()

    def typed() -> None:
        """The question, typed where the cursor is when the window opens."""
        wid = str(int(window.winId()))
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True)
        subprocess.run(["xdotool", "type", "--delay", "8", PROMPT], check=True)
        subprocess.run(["xdotool", "key", "Return"], check=True)

    def on_state(kind: str, _detail: str) -> None:
        if kind != "ready" or state["typed"]:
            return
        state["typed"] = True
        if first_run:
            QTimer.singleShot(800, shoot)
        else:
            app.conversations.new()
            QTimer.singleShot(300, typed)

    def on_busy(busy: bool) -> None:
        if not busy:
            QTimer.singleShot(600, shoot)

    app.session.model_state.connect(on_state)
    app.generation.busy_changed.connect(on_busy)
    app.start()
    qapp.exec()
    app.shutdown()
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        a = sys.argv[2:]
        return child(a[0], a[1], a[2], a[3] == "1", a[4], a[5])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=str(HERE))
    parser.add_argument("--size", default="1100x720")
    parser.add_argument("--language", default="en")
    parser.add_argument("--only", choices=sorted(SHOTS), action="append")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import", "convert"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: apt-get install -y xvfb xdotool imagemagick")
    size = tuple(int(v) for v in args.size.split("x"))
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (look, first_run) in SHOTS.items():
        if args.only and name not in args.only:
            continue
        take(out_dir / name, look, first_run, (size[0], size[1]), args.language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
