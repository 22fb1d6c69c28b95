"""The Downloads and Get models panels with the real download and Hub threads (``HubWiring``)
against the loopback Hub: Offline on and off, cancelling a queued download, pausing a stalled
one, quitting while a download stalls and a search hangs, and names that look like HTML."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from desktopchat.models import hub
from desktopchat.models.download import DownloadJob, DownloadManager
from desktopchat.models.hub import HubFile, HubModelFile, HubRepo, RepoFiles
from desktopchat.session.hub import HubWiring
from desktopchat.session.hub_workers import DownloadFailed, DownloadPausedInfo
from tests.conftest import TEST_FILE, TEST_REPO

JOB_ID = f"{TEST_REPO}/{TEST_FILE}"
STALL_TIMEOUT = 30.0


@pytest.fixture
def wiring(qtbot, app_paths, hub_server) -> Iterator[Callable[[], HubWiring]]:
    made: list[HubWiring] = []

    def make() -> HubWiring:
        manager = DownloadManager(app_paths, backoff=0.01, stall_timeout=STALL_TIMEOUT)
        w = HubWiring(app_paths, manager=manager)
        qtbot.addWidget(w.hub_panel)
        qtbot.addWidget(w.downloads_panel)
        made.append(w)
        return w

    yield make
    hub_server.release()
    for w in made:
        w.shutdown()


def _state(job_id: str, wanted: str) -> Callable[[str, str], bool]:
    return lambda jid, state: jid == job_id and state == wanted


def _model(repo: str = TEST_REPO, name: str = TEST_FILE) -> HubModelFile:
    model = hub.list_repo_files(repo).find(name)
    assert model is not None
    return model


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_for_partial(qtbot, app_paths, size: int):
    def written() -> bool:
        return [p.stat().st_size for p in app_paths.downloads_dir.glob("*.part")] == [size]

    qtbot.waitUntil(written, timeout=20_000)
    (partial,) = app_paths.downloads_dir.glob("*.part")
    return partial


def _start_held(qtbot, w: HubWiring, hub_server, model: HubModelFile, at: int = 2 << 20) -> None:
    hub_server.faults.hold_after = at
    hub_server.held.clear()
    job_id = DownloadJob.from_model(model).job_id
    with qtbot.wait_signal(w.downloads_panel.changed, timeout=20_000,
                           check_params_cb=_state(job_id, "running")):
        w.download(model)
    assert hub_server.held.wait(20)


def test_offline_pauses_a_download_and_turning_it_off_resumes_it(qtbot, wiring, hub_server,
                                                                 app_paths, smollm2_path):
    w = wiring()
    dp = w.downloads_panel
    _start_held(qtbot, w, hub_server, _model())
    with qtbot.wait_signal(dp.changed, timeout=10_000, check_params_cb=_state(JOB_ID, "paused")):
        w.set_offline(True)
    row = dp.row(JOB_ID)
    assert "Offline mode is on" in row.status.text() and not row.resume_button.isHidden()
    (partial,) = app_paths.downloads_dir.glob("*.part")
    kept = partial.stat().st_size
    assert kept > 0
    hub_server.release()
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state(JOB_ID, "done")):
        w.set_offline(False)  # it continues by itself, from the partial
    assert hub_server.ranges[-1] == f"bytes={kept}-"
    installed = app_paths.models_dir / "test-org__SmolLM2-135M-Instruct-GGUF" / TEST_FILE
    assert _sha(installed) == _sha(smollm2_path)


def test_resume_pressed_while_offline_can_be_retried_once_offline_is_off(qtbot, wiring, hub_server):
    w = wiring()
    dp = w.downloads_panel
    _start_held(qtbot, w, hub_server, _model())
    with qtbot.wait_signal(dp.changed, timeout=10_000, check_params_cb=_state(JOB_ID, "paused")):
        w.set_offline(True)
    hub_server.release()
    row = dp.row(JOB_ID)
    with qtbot.wait_signal(dp.changed, timeout=10_000, check_params_cb=_state(JOB_ID, "failed")):
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)
    assert "Offline mode is on" in row.status.text()
    assert not row.retry_button.isHidden() and row.retry_button.isEnabled()
    w.set_offline(False)
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state(JOB_ID, "done")):
        qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)


def test_cancelling_a_queued_download_acts_at_once(qtbot, wiring, hub_server, app_paths,
                                                   smollm2_path, tmp_path):
    other = tmp_path / "other.gguf"
    data = bytearray(smollm2_path.read_bytes())
    data[-1] ^= 0xFF
    other.write_bytes(bytes(data))
    hub_server.add_repo("o/Second-GGUF", {"second-Q4_1.gguf": other})
    second = _model("o/Second-GGUF", "second-Q4_1.gguf")
    w = wiring()
    dp = w.downloads_panel
    _start_held(qtbot, w, hub_server, _model())
    second_id = DownloadJob.from_model(second).job_id
    with qtbot.wait_signal(dp.changed, timeout=5_000,
                           check_params_cb=_state(second_id, "queued")):
        w.download(second)
    with qtbot.wait_signal(dp.changed, timeout=5_000,
                           check_params_cb=_state(second_id, "cancelled")):
        qtbot.mouseClick(dp.row(second_id).cancel_button, Qt.MouseButton.LeftButton)
    assert dp.row(JOB_ID).state == "running"  # the first one is still held by the Hub
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state(JOB_ID, "done")):
        hub_server.release()
    second_blob = hub_server.repos["o/Second-GGUF"].files[0].sha256
    assert not any(second_blob in r["path"] for r in hub_server.cdn_requests)
    assert not list(app_paths.models_dir.glob("o__Second-GGUF/*"))


def test_pause_acts_at_once_on_a_stalled_download(qtbot, wiring, hub_server, app_paths,
                                                  smollm2_path):
    w = wiring()
    dp = w.downloads_panel
    hub_server.faults.stall_after = 3 << 20
    with qtbot.wait_signal(dp.changed, timeout=20_000, check_params_cb=_state(JOB_ID, "running")):
        w.download(_model())
    assert hub_server.stalled.wait(20)
    # Every byte sent before the stall is on disk: the transfer now waits on a silent socket.
    partial = _wait_for_partial(qtbot, app_paths, 3 << 20)
    row = dp.row(JOB_ID)
    started = time.monotonic()
    with qtbot.wait_signal(dp.changed, timeout=int(STALL_TIMEOUT * 1000 / 3),
                           check_params_cb=_state(JOB_ID, "paused")):
        qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < STALL_TIMEOUT / 3  # not the stall timeout
    assert partial.stat().st_size == 3 << 20  # what arrived is kept
    with qtbot.wait_signal(dp.changed, timeout=60_000, check_params_cb=_state(JOB_ID, "done")):
        qtbot.mouseClick(row.resume_button, Qt.MouseButton.LeftButton)


def test_quit_is_bounded_during_a_stalled_download_and_a_hanging_search(
        qtbot, wiring, hub_server, app_paths, smollm2_path):
    job = DownloadJob.from_model(_model())
    w = wiring()
    hub_server.faults.stall_after = 3 << 20
    with qtbot.wait_signal(w.downloads_panel.changed, timeout=20_000,
                           check_params_cb=_state(JOB_ID, "running")):
        w.download(_model())
    assert hub_server.stalled.wait(20)
    partial = _wait_for_partial(qtbot, app_paths, 3 << 20)
    hub_server.faults.hang_api = True  # a Hub that accepts the search and never answers
    asked = len(hub_server.search_queries)
    w.search("smol", "downloads")
    qtbot.waitUntil(lambda: any("/api/models?" in r for r in hub_server.requests), timeout=20_000)
    assert len(hub_server.search_queries) == asked  # the search is in flight, unanswered
    started = time.monotonic()
    w.shutdown()
    elapsed = time.monotonic() - started
    # A generous bound from the configured timeouts: far below either one (a fixed 2 s would be
    # a timing assertion on a shared machine).
    assert elapsed < min(STALL_TIMEOUT, hub.SEARCH_TIMEOUT) / 3
    assert not w.download_thread.isRunning() and not w.query_thread.isRunning()
    hub_server.faults.hang_api = False
    kept = partial.stat().st_size
    assert kept == 3 << 20
    path = DownloadManager(app_paths, backoff=0.01, stall_timeout=10).run(job)
    assert _sha(path) == _sha(smollm2_path)
    assert hub_server.ranges[-1] == f"bytes={kept}-"


HTML_NAME = "<img src=x><b>bold</b>"


def test_names_from_the_hub_are_shown_as_plain_text(qtbot, wiring):
    w = wiring()
    dp, hp = w.downloads_panel, w.hub_panel
    part = HubFile(f"{HTML_NAME}.gguf", 1000, "")
    job = DownloadJob("o/r", "main", part.path, (part,))
    dp.on_queued(job)
    row = dp.row(job.job_id)
    assert row.name.textFormat() == Qt.TextFormat.PlainText and HTML_NAME in row.name.text()
    assert "&lt;img" in row.name.toolTip() and "<img" not in row.name.toolTip()
    dp.on_failed(DownloadFailed(job.job_id, f"{HTML_NAME} arrived damaged.", True))
    assert row.status.textFormat() == Qt.TextFormat.PlainText
    assert row.status.text().startswith(HTML_NAME)
    dp.on_paused(DownloadPausedInfo(job.job_id, 10, 1000))
    assert row.status.textFormat() == Qt.TextFormat.PlainText
    hp.show_results([HubRepo(f"o/{HTML_NAME}", 1, 2, "2025-01-01", False)])
    item = hp.results.topLevelItem(0)
    assert item.text(0) == f"o/{HTML_NAME}" and "&lt;b&gt;" in item.toolTip(0)
    model = HubModelFile("o/r", "c" * 40, part.path, "?", (part,))
    hp.show_files(RepoFiles("o/r", "c" * 40, False, (model,)))
    assert "&lt;img" in hp.files.topLevelItem(0).toolTip(0)
    hp.show_error(f"{HTML_NAME} failed.")
    for label in (hp.message, hp.fit_details):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert hp.message.text() == f"{HTML_NAME} failed."
