"""A disk that fills while chatting and while downloading, on a small tmpfs of its own.

Run as ``python -m tests.support.full_disk MOUNTPOINT`` inside a mount namespace where a small
tmpfs is mounted at MOUNTPOINT (``unshare -r -m`` makes that possible without privileges; the
tests do it). Prints one JSON line of what happened, for tests/integration/test_full_disk.py and
the reliability suite:

- the app's data dir lives on the tmpfs (the model file does not); a filler file takes all but
  a few kB, so a message cannot be saved: the window must say "The disk is full…", keep the
  typed text, stay usable (not stuck "generating"), and lose nothing saved before;
- once the filler is gone, the same message is sent and answered, and everything is there;
- a download onto the full disk stops with a sentence and keeps what arrived; once space is
  freed it resumes and installs a verified file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path


def _fill(mount: Path, leave: int) -> Path:
    filler = mount / "filler"
    with open(filler, "wb") as f:
        block = b"\0" * (1 << 16)
        with contextlib.suppress(OSError):
            while True:
                f.write(block)
                f.flush()
    st = os.statvfs(mount)
    free = st.f_bavail * st.f_frsize
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - max(0, leave - free)))
    return filler


def chat_scenario(mount: Path) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktopchat.app import DesktopChatApp
    from desktopchat.chat.store import ChatStore
    from desktopchat.models.starter import STARTER_ID
    from desktopchat.paths import AppPaths
    from desktopchat.settings import ModelSettings, Settings

    qapp = QApplication.instance() or QApplication(["desktopchat"])
    paths = AppPaths.under(mount / "data")
    paths.ensure()
    store = ChatStore(paths.db_path)
    settings = Settings(store)
    settings.save_model(STARTER_ID, ModelSettings(temperature=0.0, max_tokens=24,
                                                  context_length=1024, threads=2))
    settings.update_app(kv_state_cap_mb=0)  # no saved KV caches: the disk is for the history
    store.close()
    app = DesktopChatApp(paths)
    out: dict[str, object] = {}

    def spin(until, timeout: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
        import time

        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                return False
            qapp.processEvents()
            time.sleep(0.01)
        return True

    app.start()
    out["loaded"] = spin(lambda: app.session.model is not None)
    app.window.composer.setPlainText("What is two and two?")
    app.window._send_or_stop()  # what Enter does
    spin(lambda: not app.generation.generating and bool(app.generation.last_result))
    before = [(m.role, m.content) for m in app.store.messages(app.conversations.current)]
    out["saved_before"] = len(before)
    filler = _fill(mount, leave=8 << 10)
    big = "Please remember this long note: " + "lorem ipsum " * 4000
    app.window.composer.setPlainText(big)
    app.window._send_or_stop()
    spin(lambda: not app.generation.generating, 60)
    out["error_when_full"] = app.window.last_error
    out["text_kept"] = app.window.composer.toPlainText() == big
    out["stuck_generating"] = app.generation.generating
    out["send_label"] = app.window.send_button.text()
    filler.unlink()
    out["sent_after_freeing"] = app.generation.send("And three and three?")
    app.window.composer.clear()
    spin(lambda: not app.generation.generating, 120)
    after = [(m.role, m.content) for m in app.store.messages(app.conversations.current)]
    out["kept_all"] = after[: len(before)] == before
    out["answered_after_freeing"] = len(after) == len(before) + 2 and bool(after[-1][1])
    app.window.close()
    app.shutdown()
    store = ChatStore(paths.db_path)
    out["integrity"] = store._db.execute("PRAGMA integrity_check").fetchone()[0]
    store.close()
    return out


def download_scenario(mount: Path, hub_url: str, repo: str, name: str) -> dict[str, object]:
    from desktopchat.models import hub
    from desktopchat.models.download import DownloadError, DownloadJob, DownloadManager
    from desktopchat.paths import AppPaths

    os.environ["HF_ENDPOINT"] = hub_url
    paths = AppPaths.under(mount / "dl")
    paths.ensure()
    manager = DownloadManager(paths, backoff=0.01, stall_timeout=10,
                              free_space_fn=lambda _p: 1 << 40)  # the check passes: it fills
    job = DownloadJob.from_model(hub.list_repo_files(repo).find(name))
    filler = _fill(mount, leave=3 << 20)
    out: dict[str, object] = {}
    try:
        manager.run(job)
        out["error_when_full"] = ""
    except DownloadError as exc:
        out["error_when_full"] = str(exc)
        out["retryable"] = exc.retryable
    partials = list(paths.downloads_dir.glob("*.part"))
    out["kept_bytes"] = partials[0].stat().st_size if partials else 0
    filler.unlink()
    path = manager.run(job)
    out["installed"] = path.is_file()
    out["installed_size"] = path.stat().st_size
    return out


if __name__ == "__main__":
    mount = Path(sys.argv[1])
    if sys.argv[2:3] == ["download"]:
        print(json.dumps(download_scenario(mount, *sys.argv[3:6])), flush=True)
    else:
        print(json.dumps(chat_scenario(mount)), flush=True)
