"""The workers behind ``ChatTools``: searches on one QThread, file jobs (export, import, backup,
staging a restore) on another, so a search answers while a large backup is being written and
neither ever runs on the UI thread.

Each worker opens its own SQLite connection on its own thread (the UI's ``ChatStore``
connection belongs to the UI thread) and closes it there when its thread finishes. Requests
arrive as queued signals with frozen values; results leave the same way. A search that a newer
one in the same channel has already replaced is skipped before it runs (``SearchLatest``), and
the controller drops any stale answer that still arrives.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from desktopchat.chat.backup import BackupProblem, create_backup
from desktopchat.chat.export import export_html, export_json_text, export_markdown
from desktopchat.chat.importer import ImportProblem, import_file
from desktopchat.chat.search import SearchHit, search
from desktopchat.chat.staged_restore import StagedRestore, stage
from desktopchat.chat.store import ChatStore, StoreError

log = logging.getLogger(__name__)

FORMATS = ("markdown", "html", "json")
# The name lupdate looks for; translate is thread-safe, so the worker's sentences use it too.
# Sentences from the Qt-free core (ImportProblem, BackupProblem) are shown as they are.
translate = QCoreApplication.translate


# -- requests and results (immutable: they cross threads) ---------------------------------------

@dataclass(frozen=True)
class SearchRequest:
    request_id: int
    channel: str  # "find" (one chat) or "all"; each has its own latest request
    query: str
    conversation_id: int | None
    limit: int


@dataclass(frozen=True)
class SearchResults:
    request_id: int
    channel: str
    query: str
    conversation_id: int | None
    hits: tuple[SearchHit, ...]
    limit: int
    error: str = ""  # one sentence when the search could not run

    @property
    def truncated(self) -> bool:
        return len(self.hits) >= self.limit


@dataclass(frozen=True)
class ExportJob:
    conversation_id: int
    fmt: str  # one of FORMATS
    path: str
    include_reasoning: bool = False


@dataclass(frozen=True)
class ImportJob:
    path: str


@dataclass(frozen=True)
class BackupJob:
    path: str


@dataclass(frozen=True)
class StageJob:
    archive: str


@dataclass(frozen=True)
class JobDone:
    """A file job ended: ``ok`` and one ``sentence`` for the user either way."""

    job: ExportJob | ImportJob | BackupJob | StageJob
    ok: bool
    sentence: str
    conversation_ids: tuple[int, ...] = ()  # imported
    staged: StagedRestore | None = None  # a verified restore, awaiting confirmation


class SearchLatest:
    """The newest request id per channel, set on the UI thread, read on the worker's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}

    def set(self, channel: str, request_id: int) -> None:
        with self._lock:
            self._latest[channel] = request_id

    def superseded(self, channel: str, request_id: int) -> bool:
        with self._lock:
            return request_id < self._latest.get(channel, 0)


# -- connections of the worker threads ----------------------------------------------------------

def read_connection(db_path: Path) -> sqlite3.Connection:
    """A read-only connection to the history for the calling thread."""
    try:
        return sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:  # a WAL history in a read-only folder
        return sqlite3.connect(f"{db_path.as_uri()}?mode=ro&immutable=1", uri=True)


class WorkerStore(ChatStore):
    """The history opened on a worker thread, for the Qt-free exporters and the importer.

    The UI's store opened (and, when needed, recovered and migrated) the file at start-up;
    this second connection to the same file only connects: WAL lets it read while the UI
    writes, and an import's single transaction waits its turn like any other writer."""

    def __init__(self, path: Path) -> None:  # deliberately not ChatStore.__init__
        self.path = path
        self.recovered_from = None
        self.recovery_report = None
        self.read_only = False
        self.problem = ""
        self._db = self._connect(str(path), read_only=False)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then rename it into place:
    a failure never leaves a half-written file under the real name."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:80]}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- the workers --------------------------------------------------------------------------------

class SearchWorker(QObject):
    """Signals:
        results(SearchResults): the answer to a search that was not superseded.
    """

    results = Signal(object)

    def __init__(self, db_path: Path, latest: SearchLatest) -> None:
        super().__init__()
        self._db_path = db_path
        self._latest = latest
        self._db: sqlite3.Connection | None = None

    @Slot(object)
    def run(self, req: SearchRequest) -> None:
        if self._latest.superseded(req.channel, req.request_id):
            return
        try:
            if self._db is None:
                self._db = read_connection(self._db_path)
            hits = tuple(search(self._db, req.query, req.conversation_id, req.limit))
            error = ""
        except sqlite3.Error as exc:
            log.error("search for %r failed", req.query[:80], exc_info=True)
            error = translate("ChatTools", "The search could not read the chat history "
                                           "({why}).").format(why=exc)
            hits = ()
        self.results.emit(SearchResults(req.request_id, req.channel, req.query,
                                        req.conversation_id, hits, req.limit, error))

    @Slot()
    def close(self) -> None:
        """Runs on the worker's thread as it finishes (the connection belongs to it)."""
        if self._db is not None:
            self._db.close()
            self._db = None


class FileWorker(QObject):
    """Signals:
        done(JobDone): an export, import, backup or restore staging ended (ok or not).
    """

    done = Signal(object)

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self._db_path = db_path
        self._store: WorkerStore | None = None

    def _opened(self) -> WorkerStore:
        if self._store is None:
            self._store = WorkerStore(self._db_path)
        return self._store

    @Slot(object)
    def run(self, job: ExportJob | ImportJob | BackupJob | StageJob) -> None:
        try:
            self.done.emit(self._run(job))
        except Exception:
            log.exception("chat file job %r failed", job)
            self.done.emit(JobDone(job, False, translate(
                "ChatTools", "That failed unexpectedly; the details are in the log file.")))

    def _run(self, job: ExportJob | ImportJob | BackupJob | StageJob) -> JobDone:
        if isinstance(job, ExportJob):
            return self._export(job)
        if isinstance(job, ImportJob):
            return self._import(job)
        if isinstance(job, BackupJob):
            return self._backup(job)
        return self._stage(job)

    def _export(self, job: ExportJob) -> JobDone:
        path = Path(job.path)
        try:
            store = self._opened()
            if job.fmt == "markdown":
                text = export_markdown(store, job.conversation_id,
                                       include_reasoning=job.include_reasoning)
            elif job.fmt == "html":
                text = export_html(store, job.conversation_id,
                                   include_reasoning=job.include_reasoning)
            else:
                text = export_json_text(store, [job.conversation_id])
        except ValueError:
            return JobDone(job, False, translate(
                "ChatTools", "That chat no longer exists, so it was not exported."))
        except (sqlite3.Error, StoreError) as exc:
            log.error("export of chat %d failed", job.conversation_id, exc_info=True)
            return JobDone(job, False, translate(
                "ChatTools", "The chat could not be read for export ({why}).").format(why=exc))
        try:
            write_atomically(path, text)
        except OSError as exc:
            log.error("writing %s failed", path, exc_info=True)
            return JobDone(job, False, translate(
                "ChatTools", "The chat could not be saved as {name} ({why}).").format(
                    name=path.name, why=exc.strerror or exc))
        return JobDone(job, True, translate("ChatTools", "Exported the chat to {name}.")
                       .format(name=path.name))

    def _import(self, job: ImportJob) -> JobDone:
        path = Path(job.path)
        try:
            result = import_file(self._opened(), path)
        except ImportProblem as exc:
            return JobDone(job, False, translate(
                "ChatTools", "{name} was not imported: {why}").format(
                    name=path.name, why=_lower_first(str(exc))))
        except (sqlite3.Error, StoreError) as exc:
            log.error("import of %s failed", path, exc_info=True)
            return JobDone(job, False, translate(
                "ChatTools", "{name} was not imported: the chat history could not be opened "
                             "({why}).").format(name=path.name, why=exc))
        return JobDone(job, True, result.sentence(), result.conversation_ids)

    def _backup(self, job: BackupJob) -> JobDone:
        path = Path(job.path)
        try:
            info = create_backup(self._db_path, path)
        except BackupProblem as exc:
            return JobDone(job, False, str(exc))
        return JobDone(job, True, translate(
            "ChatTools", "Backed up {conversations} conversation(s) with {messages} message(s) "
                         "and your settings to {name}.").format(
                conversations=info.conversations, messages=info.messages, name=path.name))

    def _stage(self, job: StageJob) -> JobDone:
        try:
            staged = stage(Path(job.archive), self._db_path.parent)
        except BackupProblem as exc:
            return JobDone(job, False, str(exc))
        return JobDone(job, True, translate("ChatTools", "The backup {name} is sound.").format(
            name=staged.source_name), staged=staged)

    @Slot()
    def close(self) -> None:
        """Runs on the worker's thread as it finishes (the connection belongs to it)."""
        if self._store is not None:
            self._store.close()
            self._store = None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
