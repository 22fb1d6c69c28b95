"""Screenshots of the Chat menu's widgets in the real window, in light and dark, at two sizes.

    python assets/chat_tools_screenshots.py OUT_DIR [--x11]

Shows the find bar over a chat, the search-all-chats panel, the Chat menu and its Preset
submenu, the export dialog and the preset editor. No model is loaded. Without ``--x11`` each
window is grabbed by Qt; with it, the script expects an X server (``Xvfb :99``,
``DISPLAY=:99``) and takes the whole screen with ImageMagick's ``import -window root``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.paths import AppPaths
from desktopchat.ui.chat_io import ExportDialog
from desktopchat.ui.theme import ThemeMode, theme_manager


def seed(paths: AppPaths) -> None:
    store = ChatStore(paths.db_path)
    c = store.create_conversation("Cleaning a CSV file")
    u = store.add_message(c.id, "user", "How do I sum one column of a CSV file in Python?")
    store.add_message(c.id, "assistant", "Use the `csv` module: `csv.DictReader` reads each "
                      "row as a dict, so summing a column is one generator expression.")
    store.add_message(c.id, "assistant", "With pandas: `pd.read_csv(path)[column].sum()`; "
                      "the csv module works too and needs no install.", parent_id=u.id)
    store.add_message(c.id, "user", "What if the CSV file has thousands separators?")
    store.add_message(c.id, "assistant", "Strip them first: `float(cell.replace(',', ''))`. "
                      "A CSV file written by a spreadsheet often quotes such numbers.")
    d = store.create_conversation("Trip to Lisbon <b>notes</b>")
    store.add_message(d.id, "user", "Make a packing list for three days in Lisbon.")
    store.add_message(d.id, "assistant", "Comfortable shoes (the hills!), a light jacket, and "
                      "a copy of the CSV file with your bookings.")
    store.close()


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, out: Path, x11: bool) -> None:
    settle()
    if x11:
        subprocess.run(["import", "-window", "root", str(out)], check=True)
    else:
        widget.grab().save(str(out))
    print(out)


def main() -> int:
    out = Path(sys.argv[1])
    x11 = "--x11" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths.under(Path(tmp)).ensure()
        seed(paths)
        app = DesktopChatApp(paths)
        win = app.window
        menu = app.chat_menu
        try:
            for mode in (ThemeMode.LIGHT, ThemeMode.DARK):
                theme_manager(qapp).set_mode(mode)  # type: ignore[arg-type]
                for w, h in ((800, 600), (1920, 1080)):
                    tag = f"{mode.value}-{w}x{h}"
                    win.resize(w, h)
                    win.move(0, 0)
                    win.show()
                    app.conversations.open(app.conversations.conversations()[-1].id)
                    menu.find_bar.open_bar()
                    menu.find_bar.field.setText("csv file")
                    settle(800)
                    shoot(win, out / f"find-{tag}.png", x11)
                    menu.find_bar.close_bar()
                    menu.search_panel.open_panel()
                    menu.search_panel.field.setText("csv")
                    settle(800)
                    shoot(win, out / f"search-{tag}.png", x11)
                    menu.search_panel.open_hit(menu.search_panel.hits[-1])
                    shoot(win, out / f"opened-{tag}.png", x11)
                    menu.search_panel.close_panel()
                    if x11:
                        menu.menu.popup(win.mapToGlobal(win.menuBar().geometry().bottomLeft()))
                        settle()
                        menu.preset_menu.popup(menu.menu.geometry().topRight())
                        shoot(win, out / f"menu-{tag}.png", x11)
                        menu.preset_menu.hide()
                        menu.menu.hide()
                    dialog = ExportDialog("Cleaning a CSV file", "markdown", False, win)
                    dialog.show()
                    shoot(dialog, out / f"export-{tag}.png", x11)
                    dialog.close()
                    editor = menu.open_preset_editor()
                    editor.list.setCurrentRow(1)
                    shoot(editor, out / f"presets-{tag}.png", x11)
                    editor.close()
        finally:
            win.close()
            app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
