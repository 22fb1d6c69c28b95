"""The byte transfer we own (Qt-free): resumable, verified, atomically installed downloads.

huggingface_hub's ``hf_hub_download`` writes each attempt to a process-unique temp file and
deletes it on failure, so a dropped connection, a quit or a crash starts over from zero. Here a
partial file (``AppPaths.downloads_dir/<name>.part``) and a JSON sidecar (url, size, sha256,
revision, the download server's ETag) survive all of those; the next attempt re-hashes the
partial from disk and asks for the rest with an HTTP Range request. Every byte that arrives is
written at once, so a drop loses nothing. Only a file whose sha256 matches the Hub's LFS hash and
whose GGUF header validates is moved (``os.replace``) into ``models_dir/<owner>__<repo>/``, so a
partial or unverified file is never offered for loading; the sizes the servers announce are
checked against each other but the hash decides.

The Hub answers a file request with a redirect to a CDN whose ETag is not the Hub's
(``X-Linked-Etag`` is the sha256); ``If-Range`` is only meaningful to the server that sends the
bytes, so it carries the ETag that server (the CDN) sent, never the sha256.

Pause and cancel are ``threading.Event``s checked between reads, and ``interrupt()`` (any thread)
cuts a read that is blocked on a stalled connection (``models.net``). A stall (no byte for
``stall_timeout`` seconds) and a dropped connection are retried with exponential backoff. A lock
file per partial (``models.download_lock``) keeps a second writer (another process) out.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from desktopchat.models import hub, names, net
from desktopchat.models.download_lock import DownloadLock, LockHeld
from desktopchat.models.gguf import GGUFError, read_gguf, validate_model_file
from desktopchat.models.hub import HubFile, HubModelFile
from desktopchat.models.names import UnsafeName, human_size
from desktopchat.models.transfer import (
    DISK_FULL,
    DownloadCancelled,
    DownloadError,
    DownloadPaused,
    DownloadProgress,
    Dropped,
    Meter,
    PartState,
    stream_part,
)
from desktopchat.paths import AppPaths

__all__ = ["DownloadCancelled", "DownloadError", "DownloadJob", "DownloadManager",
           "DownloadPaused", "DownloadProgress", "human_size"]

log = logging.getLogger(__name__)

CHUNK = 1 << 20
DISK_MARGIN = 64 << 20  # keep this much free besides the file itself
MAX_PARTIAL_STEM = 200  # bytes; ``.part.lock`` and ``.json.tmp`` still fit in NAME_MAX
SOURCE_RECORD = ".desktopchat-source.json"


@dataclass(frozen=True)
class DownloadJob:
    """What to fetch: one model (all parts of a split GGUF), pinned to a commit."""

    repo_id: str
    revision: str
    name: str  # the model's file name (part 1 for a split model)
    parts: tuple[HubFile, ...]

    @property
    def job_id(self) -> str:
        return f"{self.repo_id}/{self.name}"

    @property
    def total(self) -> int:
        return sum(p.size for p in self.parts)

    @classmethod
    def from_model(cls, model: HubModelFile) -> DownloadJob:
        return cls(model.repo_id, model.revision, model.name, model.parts)


def free_space(path: Path) -> int:
    return shutil.disk_usage(path).free


class DownloadManager:
    """Runs one job at a time for its caller's thread (the worker thread or the CLI).

    ``owner`` names this writer in the message another process shows while this one holds a
    download ("the desktopchat window", "'desktopchat models get'")."""

    def __init__(
        self,
        paths: AppPaths,
        *,
        chunk_size: int = CHUNK,
        stall_timeout: float = 30.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        free_space_fn: Callable[[Path], int] = free_space,
        offline: Callable[[], bool] = lambda: False,
        owner: str = "another desktopchat",
    ) -> None:
        self.paths = paths
        self.chunk_size = chunk_size  # block size for re-hashing a partial from disk
        self.stall_timeout = stall_timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.free_space = free_space_fn
        self.offline = offline
        self.owner = owner
        self._scope: net.Scope | None = None
        self._scope_lock = threading.Lock()

    def interrupt(self) -> None:
        """Any thread: cut the transfer's network read now (it then sees pause or cancel)."""
        with self._scope_lock:
            scope = self._scope
        if scope is not None:
            scope.interrupt()

    # -- where files live ---------------------------------------------------------------------

    def final_path(self, job: DownloadJob, part: HubFile) -> Path:
        folder = self.paths.models_dir / _safe(names.repo_folder_name, job.repo_id)
        return _inside(folder / _safe(names.local_file_name, part.path), self.paths.models_dir)

    def partial_path(self, job: DownloadJob, part: HubFile) -> Path:
        stem = (f"{_safe(names.repo_folder_name, job.repo_id)}__"
                f"{_safe(names.local_file_name, part.path)}")
        stem = names.bound(stem, MAX_PARTIAL_STEM, f"{job.repo_id}/{part.path}")
        return _inside(self.paths.downloads_dir / f"{stem}.part", self.paths.downloads_dir)

    def sidecar_path(self, job: DownloadJob, part: HubFile) -> Path:
        return self.partial_path(job, part).with_suffix(".json")

    def lock(self, job: DownloadJob, part: HubFile) -> DownloadLock:
        partial = self.partial_path(job, part)
        return DownloadLock(partial.with_name(partial.name + ".lock"), self.owner)

    def installed(self, job: DownloadJob, part: HubFile) -> bool:
        """The part is in the models folder and is this very file (not another file that
        happened to get the same local name)."""
        final = self.final_path(job, part)
        if not final.is_file():
            return False
        files = _read_json(final.parent / SOURCE_RECORD).get("files", {})
        rec = files.get(final.name) if isinstance(files, dict) else None
        if isinstance(rec, dict):
            return rec.get("path") == part.path and rec.get("sha256") == part.sha256
        legacy = files.get(part.path) if isinstance(files, dict) else None  # before names.py
        if isinstance(legacy, dict):
            return legacy.get("sha256") == part.sha256
        return final.stat().st_size == part.size

    def partial_bytes(self, job: DownloadJob) -> int:
        """Bytes already on disk for this job (installed parts and partials)."""
        done = 0
        for part in job.parts:
            if self.installed(job, part):
                done += part.size
            elif self.partial_path(job, part).is_file():
                done += self.partial_path(job, part).stat().st_size
        return done

    def pending_jobs(self) -> list[DownloadJob]:
        """Downloads left unfinished by an earlier run (quit, crash, pause), from the sidecars."""
        jobs: dict[str, DownloadJob] = {}
        for sidecar in sorted(self.paths.downloads_dir.glob("*.json")):
            try:
                rec = json.loads(sidecar.read_text(encoding="utf-8"))
                parts = tuple(HubFile(str(p["path"]), int(p["size"]), str(p["sha256"]))
                              for p in rec["job"]["parts"])
                job = DownloadJob(str(rec["repo_id"]), str(rec["revision"]),
                                  str(rec["job"]["name"]), parts)
                ours = bool(parts) and self.partial_path(job, parts[0]).parent == sidecar.parent
            except (OSError, ValueError, KeyError, TypeError, DownloadError):
                log.warning("ignoring unreadable download record %s", sidecar)
                continue
            if ours:
                jobs.setdefault(job.job_id, job)
        return list(jobs.values())

    def discard(self, job: DownloadJob) -> None:
        """Remove the job's partial files (cancel); installed parts stay. Refused (one-sentence
        ``DownloadError``) while another process is writing them."""
        locks = self._lock_all(job)
        try:
            self._discard_files(job)
        finally:
            for lock in locks:
                lock.release()

    def _discard_files(self, job: DownloadJob) -> None:
        for part in job.parts:
            for p in (self.partial_path(job, part), self.sidecar_path(job, part)):
                p.unlink(missing_ok=True)

    def _lock_all(self, job: DownloadJob) -> list[DownloadLock]:
        locks: list[DownloadLock] = []
        try:
            for part in job.parts:
                lock = self.lock(job, part)
                lock.acquire()
                locks.append(lock)
        except LockHeld as held:
            for lock in locks:
                lock.release()
            raise DownloadError(f"{job.name} is already being downloaded by {held}; wait for "
                                "that to finish, then try again.", retryable=True) from held
        return locks

    # -- the download ---------------------------------------------------------------------------

    def run(
        self,
        job: DownloadJob,
        progress: Callable[[DownloadProgress], None] = lambda _p: None,
        pause: threading.Event | None = None,
        cancel: threading.Event | None = None,
    ) -> Path:
        """Download, verify and install every part; returns part 1's installed path.

        Raises DownloadPaused, DownloadCancelled or DownloadError (one sentence)."""
        pause = pause or threading.Event()
        cancel = cancel or threading.Event()
        if cancel.is_set():
            self._discard_quietly(job)
            raise DownloadCancelled()
        if pause.is_set():
            raise DownloadPaused()
        try:
            hub.ensure_online(self.offline())
        except hub.HubError as exc:
            raise DownloadError(str(exc), retryable=True) from exc
        final = self.final_path(job, job.parts[0])  # refuses unsafe names before any request
        try:
            return self._run_unlocked(job, final, progress, pause, cancel)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise DownloadError(DISK_FULL, retryable=True) from exc
            raise

    def _run_unlocked(self, job: DownloadJob, final: Path,
                      progress: Callable[[DownloadProgress], None], pause: threading.Event,
                      cancel: threading.Event) -> Path:
        self.paths.downloads_dir.mkdir(parents=True, exist_ok=True)
        locks = self._lock_all(job)
        try:
            with net.scope(f"download of {job.name}") as scope:
                with self._scope_lock:
                    self._scope = scope
                try:
                    self._run_locked(job, progress, pause, cancel)
                finally:
                    with self._scope_lock:
                        self._scope = None
        except DownloadCancelled:
            self._discard_files(job)
            raise
        finally:
            for lock in locks:
                lock.release()
        return final

    def _discard_quietly(self, job: DownloadJob) -> None:
        try:
            self.discard(job)
        except DownloadError as exc:
            log.warning("cancelled %s but kept its partial: %s", job.job_id, exc)

    def _run_locked(self, job: DownloadJob, progress: Callable[[DownloadProgress], None],
                    pause: threading.Event, cancel: threading.Event) -> None:
        self._check_disk(job)
        meter = Meter(job, self.partial_bytes(job), progress)
        meter.add(0, force=True)
        for part in job.parts:
            if not self.installed(job, part):
                self._fetch_part(job, part, meter, pause, cancel)
        meter.done = max(meter.done, job.total)
        meter.add(0, force=True)

    def _check_disk(self, job: DownloadJob) -> None:
        remaining = job.total - self.partial_bytes(job)
        free = self.free_space(self.paths.downloads_dir)
        if remaining + DISK_MARGIN > free:
            raise DownloadError(
                f"Not enough disk space: {job.name} needs {human_size(remaining)} more but only "
                f"{human_size(free)} is free; free some space and press Retry.",
                retryable=True,
            )

    def _fetch_part(self, job: DownloadJob, part: HubFile, meter: Meter,
                    pause: threading.Event, cancel: threading.Event) -> None:
        url = hub.resolve_url(job.repo_id, part.path, job.revision)
        partial, sidecar = self.partial_path(job, part), self.sidecar_path(job, part)
        record: dict[str, Any] = {
            "url": url, "size": part.size, "sha256": part.sha256, "revision": job.revision,
            "repo_id": job.repo_id, "path": part.path,
            "job": {"name": job.name, "parts": [asdict(p) for p in job.parts]}}
        state = self._resume_state(partial, sidecar, record, meter)
        _write_json(sidecar, record)
        attempt = 0
        while True:
            if cancel.is_set():
                raise DownloadCancelled()
            if pause.is_set():
                raise DownloadPaused()
            before = partial.stat().st_size if partial.exists() else 0
            goal = state.goal()
            if goal is not None and before >= goal:
                break
            try:
                stream_part(self, url, partial, state, meter, pause, cancel)
                now = partial.stat().st_size if partial.exists() else 0
                goal = state.goal()
                if goal is None or now >= goal:
                    break
                raise Dropped("the connection ended early")
            except Dropped as exc:
                now = partial.stat().st_size if partial.exists() else 0
                attempt = 1 if now > before else attempt + 1
                if attempt > self.max_retries:
                    raise DownloadError(
                        f"The download of {part.path} kept failing ({exc}); what arrived is kept, "
                        "press Retry (or run the same command again) to resume.") from exc
                delay = self.backoff * (2 ** max(0, attempt - 1))
                log.info("download %s: %s; retry %d in %.1f s", part.path, exc, attempt, delay)
                if cancel.wait(delay):
                    raise DownloadCancelled() from exc
            finally:
                record.update(range_etag=state.range_etag, server_total=state.server_total)
                _write_json(sidecar, record)
        self._verify_and_install(job, part, partial, sidecar, state)

    def _resume_state(self, partial: Path, sidecar: Path, record: dict[str, Any],
                      meter: Meter) -> PartState:
        """Keep a partial only if it belongs to the same file; re-hash it from disk."""
        state = PartState(int(record["size"]), str(record["sha256"]).lower())
        if not partial.exists():
            return state
        old = _read_json(sidecar)
        same = all(old.get(k) == record[k] for k in ("size", "sha256", "revision", "path"))
        if not same or (state.expected and partial.stat().st_size > state.expected):
            log.info("discarding partial %s (it belongs to another version)", partial)
            meter.rewind(partial.stat().st_size)
            partial.unlink()
            return state
        etag, total = old.get("range_etag"), old.get("server_total")
        state.range_etag = etag if isinstance(etag, str) else ""
        state.server_total = total if isinstance(total, int) and total >= 0 else None
        with partial.open("rb") as f:
            while block := f.read(self.chunk_size):
                state.digest.update(block)
        return state

    def _verify_and_install(self, job: DownloadJob, part: HubFile, partial: Path, sidecar: Path,
                            state: PartState) -> None:
        got = partial.stat().st_size if partial.exists() else 0
        if state.sha256 and state.digest.hexdigest() != state.sha256:
            partial.unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)
            if state.expected and got != state.expected:
                raise DownloadError(
                    f"The server's copy of {part.path} is {got:,} bytes, not the {state.expected:,}"
                    " bytes the Hub lists, and it does not match the Hub's checksum; it was "
                    "deleted, try again later.", retryable=True)
            raise DownloadError(
                f"{part.path} arrived damaged (its sha256 does not match the Hub's) and was "
                "deleted; press Retry to download it again.", retryable=True)
        if not state.sha256 and state.expected and got != state.expected:
            partial.unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)
            raise DownloadError(
                f"The server sent {got:,} bytes of {part.path} but the Hub lists "
                f"{state.expected:,} and gives no checksum to decide; nothing was installed.",
                retryable=True)
        try:
            if part is job.parts[0]:
                validate_model_file(partial)
            else:
                read_gguf(partial)
        except GGUFError as exc:
            partial.unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)
            raise DownloadError(f"{part.path} is not a usable model: {exc}.",
                                retryable=False) from exc
        final = self.final_path(job, part)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
        self._record_source(job, part, final, got)
        sidecar.unlink(missing_ok=True)
        if state.expected and got != state.expected:
            log.warning("installed %s: %d bytes, not the %d the Hub lists (sha256 verified)",
                        final, got, state.expected)
        log.info("installed %s (sha256 verified)", final)

    def _record_source(self, job: DownloadJob, part: HubFile, final: Path, size: int) -> None:
        """Where each installed file came from, by local name (kept for every file of the repo
        folder, so ``installed`` can tell this file from another with the same name)."""
        path = final.parent / SOURCE_RECORD
        rec = _read_json(path)
        old = rec.get("files")
        files: dict[str, Any] = old if isinstance(old, dict) else {}
        files = {k: v for k, v in files.items() if k != part.path}  # the old, per-path entry
        files[final.name] = {"path": part.path, "size": size, "sha256": part.sha256,
                             "revision": job.revision}
        _write_json(path, {"repo_id": job.repo_id, "revision": job.revision, "files": files})


def _safe(fn: Callable[[str], str], name: str) -> str:
    try:
        return fn(name)
    except UnsafeName as exc:
        raise DownloadError(f"{exc} Nothing was downloaded.", retryable=False) from exc


def _inside(path: Path, folder: Path) -> Path:
    try:
        return names.inside(path, folder)
    except UnsafeName as exc:
        raise DownloadError(f"{exc} Nothing was downloaded.", retryable=False) from exc


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)
