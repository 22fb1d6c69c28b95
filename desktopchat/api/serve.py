"""``desktopchat serve``: the local API without a window, for scripts and servers.

The same pieces as in the window: an ``EngineWorker`` on its own QThread (under a
``QCoreApplication``), the ``ApiBridge`` and the ``ApiService``. The model is loaded first; the
first line printed then gives the URL and the token file's path (the server is ready when it
appears). SIGINT and SIGTERM stop it cleanly: requests are cancelled, the model is closed on its
own thread, the thread is joined.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import socket
import sys
from pathlib import Path
from types import FrameType

from desktopchat.api.config import DEFAULT_PORT
from desktopchat.paths import AppPaths

log = logging.getLogger(__name__)


def add_serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="run the local OpenAI-compatible API without a window")
    p.add_argument("--model", type=Path, help="the GGUF file to serve (default: the starter)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free port)")
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="keep all app data (the token file, logs) here")
    p.add_argument("--context", type=int, default=4096, help="context length in tokens")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: pick)")


class _StopOnSignals:
    """SIGINT/SIGTERM end the Qt event loop: the C-level handler writes to a socket that a
    QSocketNotifier watches, so a signal is noticed at once even while Qt waits."""

    def __init__(self, quit_loop: object) -> None:
        from PySide6.QtCore import QSocketNotifier

        self.received = 0
        self._rsock, self._wsock = socket.socketpair()
        self._rsock.setblocking(False)
        self._wsock.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._wsock.fileno())
        self._old = {s: signal.signal(s, self._handler) for s in (signal.SIGINT, signal.SIGTERM)}
        self._notifier = QSocketNotifier(self._rsock.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)
        self._quit = quit_loop

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            self._rsock.recv(64)
        self._quit()  # type: ignore[operator]

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._old_fd)
        for s, h in self._old.items():
            signal.signal(s, h)
        self._rsock.close()
        self._wsock.close()


def run_serve(args: argparse.Namespace, paths: AppPaths) -> int:
    from PySide6.QtCore import (
        QCoreApplication,
        QEventLoop,
        QMetaObject,
        QObject,
        Qt,
        Signal,
        Slot,
    )

    from desktopchat.engine.types import LoadRequest
    from desktopchat.models.starter import starter_model_path
    from desktopchat.session.api_bridge import ApiBridge
    from desktopchat.session.api_service import ApiService
    from desktopchat.session.engine_worker import EngineWorker, WorkerThread
    from desktopchat.session.request_ids import RequestIds
    from desktopchat.settings import ModelSettings

    model = args.model or starter_model_path()
    if model is None or not Path(model).is_file():
        print("desktopchat serve: no model to serve; pass --model PATH (a .gguf file).",
              file=sys.stderr)
        return 2
    threads = args.threads or ModelSettings().resolved_threads()
    if QCoreApplication.instance() is None:
        _app = QCoreApplication(sys.argv[:1])

    class _Loader(QObject):
        """Sends the load to the worker and ends ``loop`` when it settles (on this thread)."""

        load_requested = Signal(object)

        def __init__(self, loop: QEventLoop) -> None:
            super().__init__()
            self.loop = loop
            self.failed = ""

        @Slot(object)
        def on_loaded(self, _info: object) -> None:
            self.loop.quit()

        @Slot(str, str)
        def on_failed(self, _model_id: str, message: str) -> None:
            self.failed = message
            self.loop.quit()

    thread = WorkerThread("desktopchat-engine")
    worker = EngineWorker(None)
    worker.moveToThread(thread)
    thread.start()
    bridge = ApiBridge(worker, RequestIds())
    service = ApiService(bridge, paths.data_dir)
    loop = QEventLoop()
    loader = _Loader(loop)
    loader.load_requested.connect(worker.load)
    worker.loaded.connect(loader.on_loaded)
    worker.load_failed.connect(loader.on_failed)
    stopper = _StopOnSignals(loop.quit)
    code = 0
    try:
        loader.load_requested.emit(LoadRequest(f"file:{model}", str(model), n_ctx=args.context,
                                               n_threads=threads))
        loop.exec()
        if stopper.received:
            return 0
        if loader.failed or bridge.model() is None:
            print(f"desktopchat serve: {loader.failed or 'the model did not load.'}",
                  file=sys.stderr)
            return 1
        error = service.start(args.port)
        if error:
            print(f"desktopchat serve: {error}", file=sys.stderr)
            return 1
        info = bridge.model()
        print(f"desktopchat API on {service.url} (token in {service.token_path})", flush=True)
        print(f"serving {info.name if info else model}; Ctrl+C stops it", flush=True)
        worker.loaded.disconnect(loader.on_loaded)
        loop.exec()
        print("desktopchat serve: stopped", flush=True)
    finally:
        stopper.close()
        service.shutdown()
        if thread.isRunning():
            QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        thread.stop()
    return code


def main(argv: list[str] | None = None) -> int:
    """``python -m desktopchat.api.serve``: the same as ``desktopchat serve``."""
    from desktopchat.logsetup import setup_logging

    parser = argparse.ArgumentParser(prog="desktopchat")
    add_serve_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
    data_dir = getattr(args, "data_dir", None)
    paths = (AppPaths.under(data_dir) if data_dir else AppPaths.default()).ensure()
    setup_logging(paths.log_file)
    return run_serve(args, paths)


if __name__ == "__main__":
    raise SystemExit(main())
