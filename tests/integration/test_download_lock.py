"""One writer per partial download: ``desktopchat models get`` in a real second process against
the window's ``DownloadManager`` in this one, both on the same data dir and loopback Hub."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest

from desktopchat.models import hub
from desktopchat.models.download import DownloadError, DownloadJob, DownloadManager
from desktopchat.paths import AppPaths
from tests.conftest import TEST_FILE, TEST_REPO


def _cli_get(data_dir) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(data_dir), "models", "get",
         TEST_REPO, TEST_FILE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env)


def _eventually(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    """Poll a condition on another process's files (no signal reaches this one)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _window_manager(paths: AppPaths) -> DownloadManager:
    return DownloadManager(paths, backoff=0.01, stall_timeout=10, owner="the desktopchat window")


def _job() -> DownloadJob:
    return DownloadJob.from_model(hub.list_repo_files(TEST_REPO).find(TEST_FILE))


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path) -> AppPaths:
    return AppPaths.under(tmp_path / "shared").ensure()


def test_the_second_writer_is_told_who_holds_the_download(hub_server, data, smollm2_path):
    hub_server.faults.hold_after = 3 << 20
    proc = _cli_get(data.data_dir)
    try:
        assert hub_server.held.wait(60), "the CLI never started its transfer"
        # The bytes are in flight; the other process writes them when it gets the CPU.
        assert _eventually(lambda: any(data.downloads_dir.glob("*.part")), 60)
        (partial,) = data.downloads_dir.glob("*.part")
        with pytest.raises(DownloadError) as err:
            _window_manager(data).run(_job())
        message = str(err.value)
        assert f"'desktopchat models get' (process {proc.pid})" in message
        assert len(message.splitlines()) == 1 and err.value.retryable
        assert partial.exists()  # the second writer touched nothing
        hub_server.release()
        out, errors = proc.communicate(timeout=120)
        assert proc.returncode == 0, errors
    finally:
        hub_server.release()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    served = hub_server.bytes_served
    path = _window_manager(data).run(_job())  # installed by the CLI: nothing to fetch
    assert hub_server.bytes_served == served and _sha(path) == _sha(smollm2_path)
    assert not list(data.downloads_dir.iterdir())


def test_the_lock_of_a_killed_process_is_taken_over_and_its_partial_resumed(
        hub_server, data, smollm2_path):
    hub_server.faults.hold_after = 5 << 20
    proc = _cli_get(data.data_dir)
    try:
        assert hub_server.held.wait(60), "the CLI never started its transfer"
        assert _eventually(lambda: any(p.stat().st_size for p in
                                       data.downloads_dir.glob("*.part")), 60)
        (partial,) = data.downloads_dir.glob("*.part")
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    hub_server.release()
    assert list(data.downloads_dir.glob("*.lock"))  # left behind by the killed process
    kept = partial.stat().st_size
    assert 0 < kept <= 5 << 20
    path = _window_manager(data).run(_job())
    assert _sha(path) == _sha(smollm2_path)
    assert hub_server.ranges[-1] == f"bytes={kept}-"
    assert not list(data.downloads_dir.iterdir())
