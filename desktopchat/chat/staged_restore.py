"""Restoring a backup at the next start, when nothing holds the chat history open (Qt-free).

``restore_backup`` replaces the history file, so the ``ChatStore`` must be closed first — and
while the app runs, the store is held by the conversations, the reply being written, the
settings, the local API and the engine's saved caches, all keyed on conversation ids that a
restore changes. Rather than make every holder let go and reload mid-session, a restore is
done in two steps:

1. ``stage`` (while the app runs, off the UI thread): the archive is copied into the data
   folder and every check ``restore_backup`` makes is run on that copy, so what is applied is
   exactly what was verified (the original may be on a removable disk). ``commit`` then makes
   it the pending restore once the user confirms; ``discard`` drops it.
2. ``apply_pending`` (at the next start, before the store opens): ``restore_backup`` checks the
   pending archive once more and swaps it in, keeping the current history aside. A refused
   archive is renamed (never deleted) and the history is left as it was. Either way the caller
   gets one sentence to show.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from desktopchat.chat.backup import SUFFIX, BackupInfo, BackupProblem, restore_backup, verify_backup

log = logging.getLogger(__name__)

PENDING_NAME = f"restore-pending{SUFFIX}"
STAGING_PREFIX = ".restore-staging-"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class StagedRestore:
    """A verified copy of a backup in the data folder, waiting for the user to confirm."""

    path: Path
    source_name: str
    info: BackupInfo


def pending_path(data_dir: Path) -> Path:
    return data_dir / PENDING_NAME


def has_pending(data_dir: Path) -> bool:
    return pending_path(data_dir).is_file()


def stage(archive: Path, data_dir: Path) -> StagedRestore:
    """Copy ``archive`` into ``data_dir`` and verify the copy; BackupProblem (one sentence)
    when it cannot be copied or is not a sound backup (the copy is removed then)."""
    target = data_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex}.zip"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        size = archive.stat().st_size
        if size > shutil.disk_usage(data_dir).free:
            raise BackupProblem("There is not enough free disk space to restore this backup "
                                f"({size >> 20} MB needed).")
        with archive.open("rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
    except FileNotFoundError as exc:
        discard(target)
        raise BackupProblem(f"The backup {archive.name} could not be found.") from exc
    except OSError as exc:
        discard(target)
        raise BackupProblem(f"The backup {archive.name} could not be read "
                            f"({exc.strerror or exc}).") from exc
    try:
        info = verify_backup(target)
    except BaseException:
        discard(target)
        raise
    return StagedRestore(target, archive.name, info)


def commit(staged: StagedRestore, data_dir: Path) -> None:
    """Make a staged backup the one restored at the next start (replacing an earlier one)."""
    try:
        os.replace(staged.path, pending_path(data_dir))
    except OSError as exc:
        discard(staged.path)
        raise BackupProblem(f"The restore could not be prepared ({exc.strerror or exc}).") \
            from exc


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def cancel_pending(data_dir: Path) -> bool:
    """Forget the restore waiting for the next start; True when there was one."""
    path = pending_path(data_dir)
    if not path.is_file():
        return False
    discard(path)
    return not path.exists()


@dataclass(frozen=True)
class RestoreOutcome:
    """What applying a pending restore did, in one sentence for the user."""

    ok: bool
    sentence: str


def apply_pending(db_path: Path) -> RestoreOutcome | None:
    """At start-up, before the history is opened: restore the pending backup, if any.

    Returns what was restored, or why nothing was, or None when no restore was waiting.
    Leftover staging copies (the app quit while asking) are removed."""
    data_dir = db_path.parent
    with contextlib.suppress(OSError):
        for leftover in data_dir.glob(f"{STAGING_PREFIX}*"):
            discard(leftover)
    pending = pending_path(data_dir)
    if not pending.is_file():
        return None
    try:
        result = restore_backup(pending, db_path)
    except BackupProblem as exc:
        refused = pending.with_name(f"restore-refused-{int(time.time())}{SUFFIX}")
        with contextlib.suppress(OSError):
            pending.rename(refused)
        log.error("the pending restore was refused: %s (kept as %s)", exc, refused.name)
        return RestoreOutcome(False, "The backup waiting to be restored was refused, so your "
                              f"chats were not changed: {_lower_first(str(exc))}")
    discard(pending)
    info = result.info
    kept = (f" Your previous chats were kept as {result.kept_aside.name} in the data folder."
            if result.kept_aside is not None else "")
    when = local_time(info.created_at)
    log.info("restored a backup made %s (%d conversations)", info.created_at,
             info.conversations)
    return RestoreOutcome(True, f"Restored {info.conversations} conversation(s) with "
                                f"{info.messages} message(s) from the backup made {when}.{kept}")


def local_time(iso: str) -> str:
    """A manifest's ISO-8601 time as local "YYYY-MM-DD HH:MM" (the text itself if unreadable)."""
    try:
        return datetime.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:40]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
