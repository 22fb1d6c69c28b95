"""A disk that fills while chatting and while downloading: the error is one clear sentence,
nothing saved is lost, and the app keeps working once space is freed. Runs on a small tmpfs
mounted in a private mount namespace (``unshare -r -m``), so nothing on the machine fills."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _in_tmpfs(tmp_path: Path, size_mb: int, *args: str) -> dict[str, object]:
    mount = tmp_path / "disk"
    mount.mkdir()
    unshare = shutil.which("unshare")
    assert unshare, "util-linux's unshare is needed (it ships with every Debian)"
    cmd = (f"mount -t tmpfs -o size={size_mb}m tmpfs {mount} && "
           f"exec {sys.executable} -m tests.support.full_disk {mount} " + " ".join(args))
    out = subprocess.run([unshare, "-r", "-m", "sh", "-c", cmd], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.realmodel
def test_a_full_disk_while_chatting_says_so_and_loses_nothing(tmp_path):
    got = _in_tmpfs(tmp_path, 24)
    assert got["loaded"] and got["saved_before"] == 2, got
    assert str(got["error_when_full"]).startswith("The disk is full")
    assert got["text_kept"] and not got["stuck_generating"] and got["send_label"] == "Send"
    assert got["sent_after_freeing"] and got["answered_after_freeing"] and got["kept_all"]
    assert got["integrity"] == "ok"


def test_a_disk_that_fills_during_a_download_keeps_what_arrived(tmp_path, hub_server):
    from tests.conftest import TEST_FILE, TEST_REPO

    got = _in_tmpfs(tmp_path, 160, "download", hub_server.url, TEST_REPO, TEST_FILE)
    assert str(got["error_when_full"]).startswith("The disk is full")
    assert got["retryable"] and int(got["kept_bytes"]) > 0
    assert got["installed"] and got["installed_size"] == hub_server.repos[TEST_REPO].files[0].size
