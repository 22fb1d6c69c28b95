"""The byte transfer we own (Qt-free): resumable, verified, atomically installed downloads.

huggingface_hub's ``hf_hub_download`` writes each attempt to a process-unique temp file and
deletes it on failure, so a dropped connection, a quit or a crash starts over from zero. Here a
partial file (``AppPaths.downloads_dir/<name>.part``) and a JSON sidecar (url, size, sha256,
revision, etag) survive all of those; the next attempt re-hashes the partial from disk and asks
for the rest with an HTTP Range request. Only a file whose sha256 matches the Hub's LFS hash and
whose GGUF header validates is moved (``os.replace``) into ``models_dir/<owner>__<repo>/``, so a
partial or unverified file is never offered for loading.

Pause and cancel are ``threading.Event``s checked between chunks; a stall (no byte for
``stall_timeout`` seconds) and a dropped connection are retried with exponential backoff.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from desktopchat.models import hub
from desktopchat.models.gguf import GGUFError, read_gguf, validate_model_file
from desktopchat.models.hub import HubError, HubFile, HubModelFile
from desktopchat.paths import AppPaths

log = logging.getLogger(__name__)

CHUNK = 1 << 20
DISK_MARGIN = 64 << 20  # keep this much free besides the file itself
GATED_SENTENCE = f"The Hub refused the download because this model is gated: {hub.TOKEN_HINT}."


class DownloadError(Exception):
    """A download failed; ``str()`` is one sentence. ``retryable``: pressing Retry may help."""

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class DownloadPaused(Exception):
    """The pause event was set; the partial file is kept for a later resume."""


class DownloadCancelled(Exception):
    """The cancel event was set; the partial file was removed."""


class _Dropped(Exception):
    """The connection dropped or stalled; retried with backoff."""


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


@dataclass(frozen=True)
class DownloadProgress:
    job_id: str
    done: int
    total: int
    speed: float  # bytes per second, smoothed
    eta: float | None  # seconds, None until the speed is known


def free_space(path: Path) -> int:
    return shutil.disk_usage(path).free


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class _Digest:
    """The running sha256 of a partial file; ``reset()`` when the server restarts from 0."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def update(self, data: bytes) -> None:
        self._h.update(data)

    def reset(self) -> None:
        self._h = hashlib.sha256()

    def hexdigest(self) -> str:
        return self._h.hexdigest()


class _Meter:
    """Bytes done, a smoothed speed and an ETA, reported at most ``rate`` times a second."""

    def __init__(self, job: DownloadJob, done: int, report: Callable[[DownloadProgress], None],
                 rate: float = 10.0) -> None:
        self.job, self.done, self.report = job, done, report
        self.interval = 1.0 / rate
        self.speed = 0.0
        self._last_t = time.monotonic()
        self._last_done = done
        self._last_report = 0.0

    def add(self, n: int, force: bool = False) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last_t >= 0.25:
            inst = (self.done - self._last_done) / (now - self._last_t)
            self.speed = inst if self.speed == 0 else 0.7 * self.speed + 0.3 * inst
            self._last_t, self._last_done = now, self.done
        if force or now - self._last_report >= self.interval:
            self._last_report = now
            remaining = self.job.total - self.done
            eta = remaining / self.speed if self.speed > 0 else None
            self.report(
                DownloadProgress(self.job.job_id, self.done, self.job.total, self.speed, eta))


class DownloadManager:
    """Runs one job at a time for its caller's thread (the worker thread or the CLI)."""

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
    ) -> None:
        self.paths = paths
        self.chunk_size = chunk_size
        self.stall_timeout = stall_timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.free_space = free_space_fn
        self.offline = offline

    # -- where files live ---------------------------------------------------------------------

    def final_path(self, job: DownloadJob, part: HubFile) -> Path:
        folder = self.paths.models_dir / hub.install_folder_name(job.repo_id)
        return folder / part.path.rsplit("/", 1)[-1]

    def partial_path(self, job: DownloadJob, part: HubFile) -> Path:
        flat = part.path.replace("/", "__")
        return self.paths.downloads_dir / f"{hub.install_folder_name(job.repo_id)}__{flat}.part"

    def sidecar_path(self, job: DownloadJob, part: HubFile) -> Path:
        return self.partial_path(job, part).with_suffix(".json")

    def partial_bytes(self, job: DownloadJob) -> int:
        """Bytes already on disk for this job (installed parts and partials)."""
        done = 0
        for part in job.parts:
            if self.final_path(job, part).is_file():
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
            except (OSError, ValueError, KeyError, TypeError):
                log.warning("ignoring unreadable download record %s", sidecar)
                continue
            if parts and self.partial_path(job, parts[0]).parent == sidecar.parent:
                jobs.setdefault(job.job_id, job)
        return list(jobs.values())

    def discard(self, job: DownloadJob) -> None:
        """Remove the job's partial files (cancel); installed parts stay."""
        for part in job.parts:
            for p in (self.partial_path(job, part), self.sidecar_path(job, part)):
                p.unlink(missing_ok=True)

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
        try:
            hub.ensure_online(self.offline())
        except HubError as exc:
            raise DownloadError(str(exc), retryable=False) from exc
        self.paths.downloads_dir.mkdir(parents=True, exist_ok=True)
        self._check_disk(job)
        meter = _Meter(job, self.partial_bytes(job), progress)
        meter.add(0, force=True)
        try:
            for part in job.parts:
                if not self.final_path(job, part).is_file():
                    self._fetch_part(job, part, meter, pause, cancel)
        except DownloadCancelled:
            self.discard(job)
            raise
        meter.add(0, force=True)
        return self.final_path(job, job.parts[0])

    def _check_disk(self, job: DownloadJob) -> None:
        remaining = job.total - self.partial_bytes(job)
        free = self.free_space(self.paths.downloads_dir)
        if remaining + DISK_MARGIN > free:
            raise DownloadError(
                f"Not enough disk space: {job.name} needs {human_size(remaining)} more but only "
                f"{human_size(free)} is free; free some space and press Retry.",
                retryable=True,
            )

    def _fetch_part(self, job: DownloadJob, part: HubFile, meter: _Meter,
                    pause: threading.Event, cancel: threading.Event) -> None:
        url = hub.resolve_url(job.repo_id, part.path, job.revision)
        try:
            remote = hub.file_metadata(url, offline=self.offline())
        except HubError as exc:
            raise _hub_download_error(exc) from exc
        if remote.size is not None and part.size and remote.size != part.size:
            raise DownloadError(
                f"The server reported {part.path} as {remote.size} bytes but the Hub lists "
                f"{part.size}; nothing was installed, try again later.", retryable=True)
        size = part.size or remote.size or 0
        partial, sidecar = self.partial_path(job, part), self.sidecar_path(job, part)
        record = {"url": url, "size": size, "sha256": part.sha256, "revision": job.revision,
                  "etag": remote.etag, "repo_id": job.repo_id, "path": part.path,
                  "job": {"name": job.name, "parts": [asdict(p) for p in job.parts]}}
        hasher = self._resume_state(partial, sidecar, record, meter)
        _write_json(sidecar, record)
        attempt = 0
        while True:
            if cancel.is_set():
                raise DownloadCancelled()
            if pause.is_set():
                raise DownloadPaused()
            before = partial.stat().st_size if partial.exists() else 0
            if before >= size:
                break
            try:
                self._stream(url, remote.etag, partial, before, size, hasher, meter, pause, cancel)
                break
            except _Dropped as exc:
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
        self._verify_and_install(job, part, partial, sidecar, hasher)

    def _resume_state(self, partial: Path, sidecar: Path, record: dict[str, object],
                      meter: _Meter) -> _Digest:
        """Keep a partial only if it belongs to the same file; re-hash it from disk."""
        hasher = _Digest()
        if not partial.exists():
            return hasher
        try:
            old = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        same = all(old.get(k) == record[k] for k in ("size", "sha256", "revision", "path"))
        if not same or partial.stat().st_size > int(record["size"]):  # type: ignore[call-overload]
            log.info("discarding partial %s (it belongs to another version)", partial)
            meter.add(-partial.stat().st_size)
            partial.unlink()
            return hasher
        with partial.open("rb") as f:
            while block := f.read(CHUNK):
                hasher.update(block)
        return hasher

    def _stream(self, url: str, etag: str, partial: Path, offset: int, size: int,
                hasher: _Digest, meter: _Meter,
                pause: threading.Event, cancel: threading.Event) -> None:
        import httpx2  # huggingface_hub's HTTP client

        headers = hub.auth_headers()
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if etag:
                headers["If-Range"] = f'"{etag}"'
        timeout = httpx2.Timeout(self.stall_timeout, connect=min(30.0, self.stall_timeout))
        try:
            with hub.http_session().stream("GET", url, headers=headers, timeout=timeout,
                                           follow_redirects=True) as r:
                self._check_status(r.status_code, partial)
                if offset and r.status_code == 200:  # the server ignored Range: start over
                    log.info("server ignored the Range request; restarting %s", partial.name)
                    meter.add(-offset)
                    offset = 0
                    hasher.reset()
                    partial.unlink(missing_ok=True)
                elif r.status_code == 206:
                    start = _content_range_start(r.headers.get("Content-Range", ""))
                    if start != offset:
                        raise DownloadError("The server resumed at the wrong place; press Retry.")
                with partial.open("ab", buffering=0) as out:
                    written = offset
                    for block in r.iter_bytes(self.chunk_size):
                        written += len(block)
                        if written > size:
                            raise DownloadError(
                                f"The server sent more than the file's {size} bytes (it lied about "
                                "the size); nothing was installed.", retryable=True)
                        out.write(block)
                        hasher.update(block)
                        meter.add(len(block))
                        if cancel.is_set():
                            raise DownloadCancelled()
                        if pause.is_set():
                            raise DownloadPaused()
        except (httpx2.TimeoutException, httpx2.RemoteProtocolError, httpx2.NetworkError) as exc:
            if isinstance(exc, httpx2.ConnectError) and not partial.exists():
                raise DownloadError(
                    "The Hub could not be reached; check your network connection and press Retry."
                ) from exc
            raise _Dropped("the connection stalled" if isinstance(exc, httpx2.TimeoutException)
                           else "the connection dropped") from exc
        if partial.stat().st_size < size:
            raise _Dropped("the connection ended early")

    def _check_status(self, status: int, partial: Path) -> None:
        if status in (200, 206):
            return
        if status in (401, 403):
            raise DownloadError(GATED_SENTENCE, retryable=True)
        if status == 404:
            raise DownloadError("The Hub has no such file (404); check the model name.", False)
        if status == 416:
            raise _Dropped("the server refused the resume position")
        if status >= 500 or status == 429:
            raise _Dropped(f"the server answered {status}")
        raise DownloadError(f"The Hub answered with error {status}; try again later.")

    def _verify_and_install(self, job: DownloadJob, part: HubFile, partial: Path, sidecar: Path,
                            hasher: _Digest) -> None:
        if part.sha256 and hasher.hexdigest() != part.sha256.lower():
            partial.unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)
            raise DownloadError(
                f"{part.path} arrived damaged (its sha256 does not match the Hub's) and was "
                "deleted; press Retry to download it again.", retryable=True)
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
        _write_json(final.parent / ".desktopchat-source.json", {"repo_id": job.repo_id,
                    "revision": job.revision, "files": {p.path: asdict(p) for p in job.parts}})
        sidecar.unlink(missing_ok=True)
        log.info("installed %s (sha256 verified)", final)


def _hub_download_error(exc: HubError) -> DownloadError:
    text = str(exc)
    return DownloadError(text, retryable="404" not in text)


def _content_range_start(value: str) -> int:
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return -1


def _write_json(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)
