"""Dropping .gguf files anywhere on the window imports them.

Text widgets take drops themselves (a dropped file would become its path as text), so the
filter is installed on them as well as on the window: a drop of .gguf files goes to the import
wherever it lands; any other drop is left to the widget under it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent

_DRAG = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def dropped_models(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """The local .gguf files a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls()
            if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]


class ModelDrops(QObject):
    """An event filter: .gguf drops on the watched widgets go to ``import_files(paths)``."""

    def __init__(self, parent: QObject, import_files: Callable[[list[str]], None]) -> None:
        super().__init__(parent)
        self._import = import_files

    def watch(self, *widgets: QObject) -> None:
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _DRAG:
            return False
        paths = dropped_models(event)  # type: ignore[arg-type]
        if not paths:
            return False
        event.acceptProposedAction()  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.Drop:
            self._import(paths)
        return True
