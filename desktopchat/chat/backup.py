"""One archive of every chat and setting, and a restore that refuses anything damaged (Qt-free).

Chats and settings live in one SQLite file, so a backup is that database, copied with SQLite's
online backup API (a consistent snapshot even while the app keeps writing), in a zip archive
with a manifest: format and version, the app and history schema versions, counts, the size and
sha256 of the database.

``restore_backup`` checks everything before it touches anything: the archive opens, holds
exactly the expected members of sane sizes, the manifest is ours and not newer than this app,
the database's sha256 matches, SQLite's ``PRAGMA integrity_check`` passes, its schema is not
newer than this app's and it has a chat history's tables. Only then is the current history
(with its WAL) moved aside — kept, never deleted — and the restored file put in its place. The
caller closes the ``ChatStore`` first and opens a new one after (which migrates an older
backup forward, with its usual backup copy). Every refusal is ``BackupProblem``, one sentence.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktopchat import APP_NAME, __version__
from desktopchat.chat.store import SCHEMA_VERSION

FORMAT = "desktopchat.backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "history.sqlite3"
MAX_MANIFEST_BYTES = 1 << 20
MAX_DATABASE_BYTES = 64 << 30
SUFFIX = ".desktopchat-backup.zip"
_CHUNK = 1 << 20


class BackupProblem(Exception):
    """Why a backup cannot be made or restored, in one sentence."""


class _Store(Protocol):
    def reader(self) -> sqlite3.Connection: ...


@dataclass(frozen=True)
class BackupInfo:
    """What an archive holds, from its manifest."""

    created_at: str
    app_version: str
    schema: int
    conversations: int
    messages: int
    size: int
    sha256: str


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    kept_aside: Path | None  # where the history that was replaced now is


def default_name(now: float | None = None) -> str:
    stamp = datetime.datetime.fromtimestamp(now or time.time()).strftime("%Y-%m-%d-%H%M%S")
    return f"{APP_NAME}-{stamp}{SUFFIX}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _counts(db: sqlite3.Connection) -> tuple[int, int]:
    return (int(db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]),
            int(db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]))


def create_backup(source: _Store | sqlite3.Connection | Path, dest: Path) -> BackupInfo:
    """Write an archive of the whole history to ``dest`` (atomically: a temporary file, then
    renamed). ``source`` is the open ``ChatStore``, a connection, or the database's path (a
    worker thread opens its own connection)."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        workdir = tempfile.TemporaryDirectory(dir=dest.parent, prefix=".backup-")
    except OSError as exc:
        raise BackupProblem(f"The backup could not be written to {dest.parent} "
                            f"({exc.strerror or exc}).") from exc
    with workdir as tmp:
        snap = Path(tmp) / DATABASE
        try:
            with contextlib.closing(sqlite3.connect(snap)) as dst:
                if isinstance(source, Path):
                    with contextlib.closing(sqlite3.connect(f"{source.as_uri()}?mode=ro",
                                                            uri=True)) as src:
                        src.backup(dst)
                else:
                    db = source if isinstance(source, sqlite3.Connection) else source.reader()
                    db.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                schema = int(dst.execute("PRAGMA user_version").fetchone()[0])
                conversations, messages = _counts(dst)
        except sqlite3.Error as exc:
            raise BackupProblem(f"The chat history could not be copied ({exc}).") from exc
        info = BackupInfo(datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                          __version__, schema, conversations, messages, snap.stat().st_size,
                          _sha256(snap))
        manifest = {"format": FORMAT, "version": FORMAT_VERSION, "app": APP_NAME,
                    "app_version": info.app_version, "created_at": info.created_at,
                    "schema": schema, "conversations": conversations, "messages": messages,
                    "files": {DATABASE: {"size": info.size, "sha256": info.sha256}}}
        partial = Path(tmp) / "archive.zip"
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(MANIFEST, json.dumps(manifest, indent=1))
                z.write(snap, DATABASE)
            os.replace(partial, dest)
        except OSError as exc:
            raise BackupProblem(f"The backup could not be written to {dest.parent} "
                                f"({exc.strerror or exc}).") from exc
    return info


def read_manifest(archive: Path) -> BackupInfo:
    """The manifest of ``archive``, checked; BackupProblem when it is not a usable backup."""
    try:
        with zipfile.ZipFile(archive) as z:
            return _manifest(z)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError) as exc:
        # RuntimeError: zipfile's "encrypted" and "unsupported compression" for damaged flags
        raise BackupProblem("The file is not a desktopchat backup or is damaged (it is not a "
                            "readable zip archive).") from exc


def _manifest(z: zipfile.ZipFile) -> BackupInfo:
    names = {i.filename: i for i in z.infolist()}
    if set(names) != {MANIFEST, DATABASE}:
        raise BackupProblem("The file is not a desktopchat backup (it does not hold exactly a "
                            "manifest and a history).")
    if names[MANIFEST].file_size > MAX_MANIFEST_BYTES:
        raise BackupProblem("The backup's manifest is too large to be genuine.")
    try:
        doc: Any = json.loads(z.read(MANIFEST))
    except (ValueError, RecursionError) as exc:
        raise BackupProblem("The backup's manifest is damaged.") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupProblem("The file is not a desktopchat backup (its manifest is not ours).")
    version, schema = doc.get("version"), doc.get("schema")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise BackupProblem("The backup's manifest is damaged.")
    if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise BackupProblem(f"The backup was made by a newer desktopchat "
                            f"({doc.get('app_version', '?')}); update the app to restore it.")
    entry = doc.get("files", {}).get(DATABASE) if isinstance(doc.get("files"), dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) \
            or not isinstance(entry.get("size"), int):
        raise BackupProblem("The backup's manifest is damaged.")
    if entry["size"] != names[DATABASE].file_size or entry["size"] > MAX_DATABASE_BYTES:
        raise BackupProblem("The backup is damaged (its history is not the size the manifest "
                            "says).")
    return BackupInfo(str(doc.get("created_at", "")), str(doc.get("app_version", "")), schema,
                      int(doc.get("conversations") or 0), int(doc.get("messages") or 0),
                      entry["size"], entry["sha256"])


def _extract_checked(z: zipfile.ZipFile, info: BackupInfo, target: Path) -> None:
    """Unpack the history to ``target`` and prove it is the one the manifest describes and a
    sound desktopchat database."""
    free = shutil.disk_usage(target.parent).free
    if info.size > free:
        raise BackupProblem(f"There is not enough free disk space to restore this backup "
                            f"({info.size >> 20} MB needed).")
    h = hashlib.sha256()
    written = 0
    try:
        dst = target.open("wb")
    except OSError as exc:
        raise BackupProblem(f"The backup could not be unpacked in {target.parent} "
                            f"({exc.strerror or exc}).") from exc
    with dst:
        try:
            with z.open(DATABASE) as src:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > info.size:
                        break
                    h.update(chunk)
                    dst.write(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:  # CRC, inflate
            raise BackupProblem("The backup is damaged (its history cannot be read).") from exc
        except OSError as exc:
            raise BackupProblem(f"The backup could not be unpacked ({exc.strerror or exc})."
                                ) from exc
    if written != info.size or h.hexdigest() != info.sha256:
        raise BackupProblem("The backup is damaged (its history does not match its checksum).")
    try:
        with contextlib.closing(sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)) as db:
            ok = db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            schema = int(db.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master "
                                               "WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupProblem("The backup is damaged (its history is not a readable "
                            "database).") from exc
    if not ok:
        raise BackupProblem("The backup is damaged (its history fails SQLite's integrity "
                            "check).")
    if schema > SCHEMA_VERSION:
        raise BackupProblem("The backup was made by a newer desktopchat; update the app to "
                            "restore it.")
    if not {"conversations", "messages", "settings"} <= tables:
        raise BackupProblem("The backup's database is not a desktopchat history.")


def verify_backup(archive: Path) -> BackupInfo:
    """Every check a restore makes, without restoring."""
    with tempfile.TemporaryDirectory(prefix="desktopchat-verify-") as tmp:
        return _verify_into(archive, Path(tmp) / DATABASE)


def _verify_into(archive: Path, target: Path) -> BackupInfo:
    try:
        with zipfile.ZipFile(archive) as z:
            info = _manifest(z)
            _extract_checked(z, info, target)
            return info
    except FileNotFoundError as exc:
        raise BackupProblem(f"The backup {archive.name} could not be found.") from exc
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError) as exc:
        # RuntimeError: zipfile's "encrypted" and "unsupported compression" for damaged flags
        raise BackupProblem("The file is not a desktopchat backup or is damaged (it is not a "
                            "readable zip archive).") from exc


def restore_backup(archive: Path, db_path: Path) -> RestoreResult:
    """Replace the history at ``db_path`` with the archive's, keeping the current one aside.
    The ChatStore on ``db_path`` must be closed."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".restore-") as tmp:
        staged = Path(tmp) / DATABASE
        info = _verify_into(archive, staged)
        aside = db_path.with_name(f"{db_path.name}.before-restore-{int(time.time())}")
        moved: list[tuple[Path, Path]] = []  # (from, to), to put back if the swap fails
        try:
            for suffix in ("", "-wal", "-shm"):  # the history and its WAL stay together
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
                    moved.append((side, aside.with_name(aside.name + suffix)))
            os.replace(staged, db_path)
        except OSError as exc:
            for original, kept in reversed(moved):
                with contextlib.suppress(OSError):
                    kept.rename(original)
            raise BackupProblem(f"The history could not be replaced ({exc.strerror or exc}); "
                                "nothing was changed.") from exc
    return RestoreResult(info, aside if moved and moved[0][0] == db_path else None)
