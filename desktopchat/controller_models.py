"""The model-library half of ``ChatController``: re-list, import and remove models.

A mixin so the controller stays one object for the window (and one module under 500 lines); it
uses the controller's ``library``, ``model``, ``set_models`` and its ``error``/``notice`` signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktopchat.models.gguf import GGUFError
from desktopchat.models.local import LocalModel

if TYPE_CHECKING:
    from desktopchat.engine.types import ModelInfo
    from desktopchat.models.library import ModelLibrary

log = logging.getLogger("desktopchat.controller")


class LibraryActions:
    """Model-library actions of the controller (see ``ChatController`` for the signals)."""

    library: ModelLibrary | None
    model: ModelInfo | None
    error: Any  # Signal(str)
    notice: Any  # Signal(str)
    set_models: Callable[[list[LocalModel]], None]

    def refresh_models(self) -> None:
        """Re-list the models from the library (after an import, a download, a removal); the
        selection and the loaded model stay as they are."""
        if self.library is None:
            return
        self.set_models(self.library.list_models())

    def import_model(self, path: str, copy: bool = False) -> LocalModel | None:
        """Validate and add a .gguf (in place unless ``copy``); on failure say why in one
        sentence (traceback in the log) and return None."""
        if self.library is None:
            return None
        try:
            model = self.library.import_file(Path(path), copy=copy)
        except GGUFError as exc:
            log.warning("import of %s refused", path, exc_info=True)
            self.error.emit(str(exc))
            return None
        except OSError as exc:
            log.exception("import of %s failed", path)
            self.error.emit(f"{Path(path).name} could not be imported ({exc.strerror or exc}).")
            return None
        self.refresh_models()
        self.notice.emit(f"Added {model.name}; pick it in the model list to load it.")
        return model

    def remove_model(self, model_id: str) -> str | None:
        """Delete (owned file) or forget (anyone else's) a model; the loaded model is refused.
        Returns the sentence saying which happened, or None after an error was shown."""
        if self.library is None:
            return None
        if self.model is not None and self.model.model_id == model_id:
            self.error.emit("That model is loaded; unload it (or load another) first.")
            return None
        try:
            message = self.library.remove(model_id)
        except GGUFError as exc:
            log.warning("removing %s failed", model_id, exc_info=True)
            self.error.emit(str(exc))
            return None
        self.refresh_models()
        self.notice.emit(message)
        return message

