"""The window's size, position and splitter, kept in the app settings (so ``--data-dir`` keeps
them with everything else) and restored at the next start.

A first window, or one whose saved place is on no screen now, gets a default size that fits the
screen it opens on: at most 1100×740, and at most 90% of the screen's available area (at
``QT_SCALE_FACTOR=2`` a 1440×900 screen is 720×450 of Qt's pixels).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktopchat.chat.store import StoreError
from desktopchat.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1100, 740)
SCREEN_SHARE = 0.9  # a first window takes at most this much of the screen
SIDEBAR = (180, 260)  # the chats' column: at least, at most (pixels)


def _decode(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode("ascii", "replace"))


def _encode(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def restore(window: QMainWindow, splitter: QSplitter, settings: Settings) -> None:
    app = settings.app()
    restored = bool(app.window_geometry) and window.restoreGeometry(_decode(app.window_geometry))
    screen = window.screen() or QGuiApplication.primaryScreen()
    avail = screen.availableGeometry() if screen is not None else None
    if restored and avail is not None and not avail.intersects(window.frameGeometry()):
        restored = False
    if not restored:
        w, h = DEFAULT_SIZE
        if avail is not None:
            w = min(w, int(avail.width() * SCREEN_SHARE))
            h = min(h, int(avail.height() * SCREEN_SHARE))
        window.resize(w, h)
        if avail is not None:
            window.move(avail.center().x() - w // 2, avail.center().y() - h // 2)
    if not (app.window_splitter and splitter.restoreState(_decode(app.window_splitter))):
        side = min(SIDEBAR[1], max(SIDEBAR[0], window.width() // 4))
        splitter.setSizes([side, max(200, window.width() - side)])


def save(window: QMainWindow, splitter: QSplitter, settings: Settings) -> None:
    try:
        settings.update_app(window_geometry=_encode(window.saveGeometry()),
                            window_splitter=_encode(splitter.saveState()))
    except StoreError:
        log.info("could not save the window's size and position", exc_info=True)
