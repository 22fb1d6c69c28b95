"""ChatTools: search, export, import, backup, restore and presets for the window (UI thread).

The UI asks here; the work runs on two worker threads (``chat_tools_worker``): searches on one,
so typing in a search box never waits for a backup, and file jobs on the other, one at a time.
Every search carries a request id per channel ("find" in one chat, "all" across chats); an
answer to anything but the channel's latest request is dropped.

A restore is verified and staged now and applied at the next start, before the history opens
(``desktopchat.chat.staged_restore`` says why). Presets are small settings writes and stay on
the UI thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from desktopchat.chat import staged_restore
from desktopchat.chat.backup import BackupProblem
from desktopchat.chat.presets import Preset, PresetProblem, Presets
from desktopchat.chat.search import MAX_LIMIT, SearchHit, search
from desktopchat.chat.staged_restore import RestoreOutcome, StagedRestore
from desktopchat.chat.store import ChatStore, StoreError
from desktopchat.session.chat_tools_worker import (
    FORMATS,
    BackupJob,
    ExportJob,
    FileWorker,
    ImportJob,
    JobDone,
    SearchLatest,
    SearchRequest,
    SearchResults,
    SearchWorker,
    StageJob,
)
from desktopchat.session.conversations import ConversationController
from desktopchat.session.engine_worker import WorkerThread

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # the name lupdate looks for

SEARCH_LIMIT = 50  # results listed across chats
FIND_LIMIT = MAX_LIMIT  # matches counted in one chat



class ChatTools(QObject):
    """Signals:
        search_results(SearchResults): the latest search of a channel answered.
        job_started(str kind), job_finished(JobDone): a file job ("export", "import",
            "backup", "restore") began / ended; ``busy`` is True in between.
        restore_ready(StagedRestore): a backup was verified and staged; ``confirm_restore`` or
            ``cancel_restore`` it.
        restore_pending_changed(bool): whether a restore waits for the next start.
        preset_changed(int conversation_id): the conversation's preset was chosen or cleared.
        presets_changed(): a preset was saved or deleted.
        notice(str), error(str): one sentence for the user.
        search_requested(SearchRequest), job_requested(object): to the workers.
    """

    search_results = Signal(object)
    job_started = Signal(str)
    job_finished = Signal(object)
    restore_ready = Signal(object)
    restore_pending_changed = Signal(bool)
    preset_changed = Signal(int)
    presets_changed = Signal()
    notice = Signal(str)
    error = Signal(str)
    search_requested = Signal(object)
    job_requested = Signal(object)

    def __init__(self, store: ChatStore, conversations: ConversationController,
                 restored: RestoreOutcome | None = None,
                 replying_in: Callable[[int], bool] | None = None) -> None:
        super().__init__()
        self.store = store
        self.conversations = conversations
        self.presets = Presets(store)
        self.data_dir = store.path.parent
        self.restored = restored  # what applying a pending restore at start-up did
        # Whether a reply is being written in a chat: its branch is not switched under it.
        self._replying_in = replying_in or (lambda _cid: False)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._shared_latest = SearchLatest()
        self._jobs = 0
        self._closed = False
        # A history that could not be created on disk lives in memory: no other thread can
        # open it, so searches run here (it is small: this session's chats only).
        self._in_memory = not store.path.is_file()

        self.search_thread = WorkerThread("desktopchat-search")
        self.search_worker = SearchWorker(store.path, self._shared_latest)
        self.search_worker.moveToThread(self.search_thread)
        self.search_requested.connect(self.search_worker.run)
        self.search_worker.results.connect(self._search_done)
        self.search_thread.finished.connect(self.search_worker.close,
                                            Qt.ConnectionType.DirectConnection)

        self.file_thread = WorkerThread("desktopchat-chat-files")
        self.file_worker = FileWorker(store.path)
        self.file_worker.moveToThread(self.file_thread)
        self.job_requested.connect(self.file_worker.run)
        self.file_worker.done.connect(self._job_done)
        self.file_thread.finished.connect(self.file_worker.close,
                                          Qt.ConnectionType.DirectConnection)
        self.search_thread.start()
        self.file_thread.start()

    # -- search -------------------------------------------------------------------------------

    def search(self, channel: str, query: str, conversation_id: int | None = None,
               limit: int = SEARCH_LIMIT) -> int:
        """Search in the background; ``search_results`` answers with this request id (only if
        no newer search of ``channel`` was asked for meanwhile)."""
        rid = next(self._ids)
        self._latest[channel] = rid
        self._shared_latest.set(channel, rid)
        req = SearchRequest(rid, channel, query, conversation_id, limit)
        if self._in_memory:
            hits = tuple(search(self.store, query, conversation_id, limit))
            self.search_results.emit(SearchResults(rid, channel, query, conversation_id, hits,
                                                   limit))
        else:
            self.search_requested.emit(req)
        return rid

    def cancel_search(self, channel: str) -> None:
        """Forget what the channel asked for (its box was cleared or closed)."""
        rid = next(self._ids)
        self._latest[channel] = rid
        self._shared_latest.set(channel, rid)

    @Slot(object)
    def _search_done(self, results: SearchResults) -> None:
        if self._closed or results.request_id != self._latest.get(results.channel):
            return
        self.search_results.emit(results)

    def open_hit(self, hit: SearchHit) -> bool:
        """Open the chat a hit is in, on the branch it lives on (activating that branch when it
        is not the one shown). False when the chat or message is gone."""
        if self.store.conversation(hit.conversation_id) is None:
            self.error.emit(translate("ChatTools", "That chat no longer exists."))
            return False
        if hit.activate_id is not None:
            if self._replying_in(hit.conversation_id):
                self.error.emit(translate(
                    "ChatTools", "A reply is being written in that chat; open this result again "
                                 "once it is done (it is on another branch)."))
                return False
            try:
                if self.store.activate(hit.activate_id) is None:
                    self.error.emit(translate("ChatTools", "That message no longer exists."))
                    return False
            except StoreError as exc:
                self.error.emit(str(exc))
                return False
        self.conversations.open(hit.conversation_id)
        return True

    # -- file jobs ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._jobs > 0

    def _submit(self, kind: str, job: ExportJob | ImportJob | BackupJob | StageJob) -> None:
        self._jobs += 1
        self.job_started.emit(kind)
        self.job_requested.emit(job)

    def export(self, conversation_id: int, fmt: str, path: str,
               include_reasoning: bool = False) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        self._submit("export", ExportJob(conversation_id, fmt, str(path), include_reasoning))

    def import_file(self, path: str) -> None:
        if self.store.read_only or self._in_memory:
            self.error.emit(self.store.problem or translate(
                "ChatTools", "The chat history cannot be written, so nothing can be imported."))
            return
        self._submit("import", ImportJob(str(path)))

    def backup(self, path: str) -> None:
        if self._in_memory:
            self.error.emit(self.store.problem)
            return
        self._submit("backup", BackupJob(str(path)))

    def prepare_restore(self, archive: str) -> None:
        """Verify ``archive`` and stage it; ``restore_ready`` (then confirm or cancel) or
        ``error`` follows."""
        self._submit("restore", StageJob(str(archive)))

    @Slot(object)
    def _job_done(self, done: JobDone) -> None:
        self._jobs = max(0, self._jobs - 1)
        if self._closed:  # quitting: a staged copy nobody will confirm goes
            if done.staged is not None:
                staged_restore.discard(done.staged.path)
            return
        if isinstance(done.job, StageJob) and done.ok and done.staged is not None:
            self.job_finished.emit(done)
            self.restore_ready.emit(done.staged)
            return
        if isinstance(done.job, ImportJob) and done.ok:
            self.conversations.conversations_changed.emit()
            if done.conversation_ids:
                self.conversations.open(done.conversation_ids[0])
        (self.notice if done.ok else self.error).emit(done.sentence)
        self.job_finished.emit(done)

    # -- restore ------------------------------------------------------------------------------

    @property
    def restore_pending(self) -> bool:
        return staged_restore.has_pending(self.data_dir)

    def confirm_restore(self, staged: StagedRestore) -> bool:
        try:
            staged_restore.commit(staged, self.data_dir)
        except BackupProblem as exc:
            self.error.emit(str(exc))
            return False
        self.notice.emit(translate(
            "ChatTools", "The backup will replace your chats and settings the next time "
                         "desktopchat starts; quit and start it again to finish."))
        self.restore_pending_changed.emit(True)
        return True

    def cancel_restore(self, staged: StagedRestore) -> None:
        staged_restore.discard(staged.path)

    def cancel_pending_restore(self) -> None:
        if staged_restore.cancel_pending(self.data_dir):
            self.notice.emit(translate(
                "ChatTools", "The restore waiting for the next start was cancelled; your chats "
                             "stay as they are."))
        self.restore_pending_changed.emit(self.restore_pending)

    # -- presets ------------------------------------------------------------------------------

    def preset_for(self, conversation_id: int | None) -> Preset | None:
        if conversation_id is None:
            return None
        return self.presets.for_conversation(self.store, conversation_id)

    def choose_preset(self, conversation_id: int, preset_id: str | None) -> bool:
        """Use a preset in a conversation (None: the model's own settings)."""
        try:
            self.presets.choose(self.store, conversation_id, preset_id)
        except (PresetProblem, StoreError) as exc:
            self.error.emit(str(exc))
            return False
        self.preset_changed.emit(conversation_id)
        return True

    def save_preset(self, data: dict[str, object]) -> Preset:
        """Add or replace a user preset; raises PresetProblem or StoreError (one sentence),
        which the editor shows beside the form."""
        preset = self.presets.save(data)
        self.presets_changed.emit()
        return preset

    def delete_preset(self, preset_id: str) -> None:
        """Delete a user preset; chats that used it fall back to the model's own settings."""
        try:
            self.presets.delete(preset_id)
        except StoreError as exc:
            self.error.emit(str(exc))
            return
        self.presets_changed.emit()

    # -- quitting -----------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 2000) -> list[str]:
        """Drop further results and join both threads (bounded). Returns the names of threads
        still busy after ``timeout_ms`` (an import or backup of a huge history), which are left
        to finish or die with the process; their connection is their own."""
        if self._closed:
            return []
        self._closed = True
        self.cancel_search("find")
        self.cancel_search("all")
        left = []
        for thread in (self.search_thread, self.file_thread):
            if not thread.stop(timeout_ms):
                log.warning("%s did not stop within %d ms; leaving it", thread.objectName(),
                            timeout_ms)
                left.append(thread.objectName())
        return left


def sanitize_file_name(title: str, fallback: str = "chat", limit: int = 80) -> str:
    """A file name from a chat title, safe on Linux, macOS and Windows: no path separators,
    reserved characters, control characters, leading dots or trailing dots and spaces, no
    reserved device names, at most ``limit`` characters."""
    cleaned = "".join(" " if (ch in '<>:"/\\|?*' or ord(ch) < 32 or ch == "\x7f") else ch
                      for ch in title)
    cleaned = " ".join(cleaned.split())[:limit].strip(" .")
    cleaned = cleaned.lstrip(".-")
    if not cleaned:
        return fallback
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"{cleaned}_"
    return cleaned


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10))}


def default_export_path(directory: Path, title: str, fmt: str) -> Path:
    suffix = {"markdown": ".md", "html": ".html", "json": ".json"}[fmt]
    return directory / f"{sanitize_file_name(title)}{suffix}"
