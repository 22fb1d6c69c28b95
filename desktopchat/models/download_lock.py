"""One writer per partial download, across processes (Qt-free).

The window and ``desktopchat models get`` may both be asked for the same file; two writers
appending to one ``.part`` would interleave their bytes. Each partial has a lock file beside it
(``<name>.part.lock``), locked with the operating system's advisory lock (``flock`` on POSIX,
``msvcrt.locking`` on Windows) and holding the owner's pid and a description for the message the
second writer shows. The operating system drops the lock when its process dies, so the lock of a
crashed or killed process is simply taken over: nothing is ever stale.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

_INFO_MAX = 4096
_WIN_LOCK_OFFSET = 1 << 20  # Windows locks a byte range; the owner info stays readable before it


class LockHeld(Exception):
    """Another writer holds the lock; ``str()`` names it ("the desktopchat window (process 12)")."""


class DownloadLock:
    """``acquire()`` or ``LockHeld``; ``release()`` removes the lock file while still holding it."""

    def __init__(self, path: Path, owner: str) -> None:
        self.path = path
        self.owner = owner
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        for _ in range(20):  # the file may be removed between our open and our lock: try again
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                holder = _describe(fd)
                os.close(fd)
                raise LockHeld(holder)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:
                _unlock(fd)
                os.close(fd)
                continue
            info = json.dumps({"pid": os.getpid(), "owner": self.owner, "since": time.time()})
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, info.encode("utf-8")[:_INFO_MAX])
            self._fd = fd
            return
        raise LockHeld("another desktopchat")

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform != "win32":  # an open file cannot be removed on Windows; it stays
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> DownloadLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _describe(fd: int) -> str:
    """The holder as the user should read it, from what it wrote into the lock file."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, _INFO_MAX).decode("utf-8") or "{}")
        owner = str(info.get("owner") or "another desktopchat")[:100]
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "another desktopchat"
    return f"{owner} (process {pid})"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
