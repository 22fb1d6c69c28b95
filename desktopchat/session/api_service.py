"""The local API as one switchable service: token file, activity log, bridge and server thread.

The window's API panel and ``desktopchat serve`` drive the same object, so the headless server
is the window's server without the window.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktopchat.api.activity import ActivityEntry, ActivityLog
from desktopchat.api.auth import TOKEN_FILE, TokenFile
from desktopchat.api.config import ApiConfig, KeyValueStore
from desktopchat.session.api_bridge import ApiBridge

if TYPE_CHECKING:
    from desktopchat.api.server import ServerThread

log = logging.getLogger(__name__)


class ApiService(QObject):
    """Turns the local API on and off.

    Signals:
        state_changed(bool running, str detail): detail is the URL when running, the error
            sentence when starting failed, "" when turned off.
        activity_added(ActivityEntry): a request was answered (emitted from the server thread;
            connect it normally: it is queued to the receiver's thread).
        token_changed(str token): the token was regenerated.
    """

    state_changed = Signal(bool, str)
    activity_added = Signal(object)
    token_changed = Signal(str)

    def __init__(self, bridge: ApiBridge, data_dir: Path,
                 store: KeyValueStore | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.tokens = TokenFile(data_dir / TOKEN_FILE)
        self.activity = ActivityLog()
        self.activity.listener = self.activity_added.emit
        self._store = store
        self._config = ApiConfig.load(store) if store is not None else ApiConfig()
        self._server: ServerThread | None = None

    @property
    def config(self) -> ApiConfig:
        return self._config

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return self._server.url if self._server is not None else ""

    @property
    def address(self) -> tuple[str, int] | None:
        return self._server.address if self._server is not None else None

    @property
    def token(self) -> str:
        return self.tokens.value

    @property
    def token_path(self) -> Path:
        return self.tokens.path

    def start_if_enabled(self) -> None:
        """At start-up: turn the API on if the user left it on."""
        if self._config.enabled:
            self.start()

    def start(self, port: int | None = None) -> str:
        """Start serving (on ``port``, or the saved one); returns "" or the error sentence."""
        if port is not None:
            self._config = replace(self._config, port=port)
        # Starlette and uvicorn are imported here, when the API is turned on: not at every start.
        from desktopchat.api.routes import build_app
        from desktopchat.api.server import ServerError, ServerThread

        self.stop(remember=False)
        _ = self.tokens.value  # create the token file before the first request can arrive
        try:
            server = ServerThread(build_app(self.bridge, self.tokens, self.activity),
                                  self._config.port)
            server.start()
        except ServerError as exc:
            self._save(enabled=False)
            self.state_changed.emit(False, str(exc))
            return str(exc)
        self._server = server
        self._save(enabled=True)
        self.state_changed.emit(True, server.url)
        return ""

    @Slot()
    def stop(self, remember: bool = True) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self.bridge.cancel_all()
        server.stop()
        if remember:
            self._save(enabled=False)
        self.state_changed.emit(False, "")

    def regenerate_token(self) -> str:
        token = self.tokens.regenerate()
        self.token_changed.emit(token)
        return token

    def clear_activity(self) -> None:
        self.activity.clear()

    def entries(self) -> list[ActivityEntry]:
        return self.activity.entries()

    def shutdown(self) -> None:
        """On quit: stop the server (the saved on/off choice is kept for the next start)."""
        self.stop(remember=False)

    def _save(self, enabled: bool) -> None:
        self._config = replace(self._config, enabled=enabled)
        if self._store is not None:
            self._config.save(self._store)
