"""The edges of a download against the loopback Hub and its CDN: drops below the read size, sizes
that lie, a changed CDN ETag, refusals that are not "gated", and names that are not safe."""

from __future__ import annotations

import hashlib
import threading

import pytest

from desktopchat.models import hub
from desktopchat.models.download import DownloadError, DownloadJob, DownloadManager, DownloadPaused
from desktopchat.models.hub import HubFile
from desktopchat.models.names import MAX_NAME_BYTES
from tests.conftest import TEST_FILE, TEST_REPO


def _job(repo: str = TEST_REPO, name: str = TEST_FILE) -> DownloadJob:
    model = hub.list_repo_files(repo).find(name)
    assert model is not None
    return DownloadJob.from_model(model)


def _manager(app_paths, **kw) -> DownloadManager:
    kw.setdefault("backoff", 0.01)
    kw.setdefault("stall_timeout", 5.0)
    return DownloadManager(app_paths, **kw)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pause_at(fraction: float):
    pause = threading.Event()

    def on_progress(p):
        if p.done > p.total * fraction:
            pause.set()

    return pause, on_progress


def test_a_link_that_drops_every_request_before_the_read_size_completes(hub_server, app_paths,
                                                                        smollm2_path):
    """Each response is cut after 300 kB, less than the 1 MiB read size: what arrived is
    written every time, so the download still completes and nothing is fetched twice."""
    hub_server.faults.drop_every = 300_000
    path = _manager(app_paths).run(_job())  # the default 1 MiB chunk size
    assert _sha(path) == _sha(smollm2_path)
    size = smollm2_path.stat().st_size
    assert hub_server.bytes_served == size
    assert len(hub_server.ranges) >= size // 300_000


def test_a_hub_that_advertises_a_larger_size_installs_the_verified_file(hub_server, app_paths,
                                                                        smollm2_path):
    hub_server.faults.size_lie = 4096  # the listing and X-Linked-Size; the CDN tells the truth
    job = _job()
    assert job.total == smollm2_path.stat().st_size + 4096
    seen = []
    path = _manager(app_paths).run(job, seen.append)
    assert _sha(path) == _sha(smollm2_path)
    assert seen[-1].done == seen[-1].total
    assert not list(app_paths.downloads_dir.iterdir())


@pytest.mark.parametrize("size_known", [True, False])
def test_a_complete_partial_with_a_lying_size_is_installed_not_looped_on(
        hub_server, app_paths, smollm2_path, size_known):
    """The state the issue found: every byte is on disk but the Hub says the file is larger.
    The size the CDN gave is remembered; without it (a partial left by an earlier version) the
    CDN's 416 (``bytes */N``) tells it. The sha256 matches, so the file is installed."""
    import json

    hub_server.faults.size_lie = 4096
    pause, on_progress = _pause_at(0.25)
    with pytest.raises(DownloadPaused):
        _manager(app_paths).run(_job(), on_progress, pause=pause)
    (partial,) = app_paths.downloads_dir.glob("*.part")
    partial.write_bytes(smollm2_path.read_bytes())  # the rest arrived, then the app died
    if not size_known:
        sidecar = partial.with_suffix(".json")
        record = json.loads(sidecar.read_text())
        del record["server_total"]
        sidecar.write_text(json.dumps(record))
    asked = len(hub_server.ranges)
    path = _manager(app_paths, max_retries=0).run(_job())
    assert _sha(path) == _sha(smollm2_path)
    size = smollm2_path.stat().st_size
    assert hub_server.ranges[asked:] == ([] if size_known else [f"bytes={size}-"])


def test_a_damaged_file_with_a_lying_size_blames_the_size_not_the_resume(hub_server, app_paths):
    hub_server.faults.size_lie = 4096
    hub_server.faults.flip_byte_at = 2_000_000
    with pytest.raises(DownloadError) as err:
        _manager(app_paths).run(_job())
    message = str(err.value)
    assert "bytes the Hub lists" in message and "resume" not in message
    assert not any(app_paths.models_dir.rglob("*.gguf"))
    assert not list(app_paths.downloads_dir.iterdir())


def test_a_changed_cdn_etag_restarts_cleanly_and_the_speed_never_goes_negative(
        hub_server, app_paths, smollm2_path):
    pause, on_progress = _pause_at(0.3)
    with pytest.raises(DownloadPaused):
        _manager(app_paths).run(_job(), on_progress, pause=pause)
    hub_server.etag_generation += 1  # the CDN's object changed: If-Range no longer matches
    seen = []
    path = _manager(app_paths).run(_job(), seen.append)
    assert _sha(path) == _sha(smollm2_path)
    last = hub_server.cdn_requests[-1]
    assert last["if_range"] and last["if_range"] != last["etag"]  # so the CDN sent all of it
    assert min(p.speed for p in seen) >= 0
    assert min(p.done for p in seen) == 0  # the restart was shown, not hidden


def test_a_server_that_ignores_range_never_shows_a_negative_speed(hub_server, app_paths,
                                                                  smollm2_path):
    size = smollm2_path.stat().st_size
    hub_server.faults.drop_after = size // 2
    hub_server.faults.ignore_range = True
    hub_server.faults.rate = 60 << 20  # slow enough for the meter to take several readings
    seen = []
    path = _manager(app_paths).run(_job(), seen.append)
    assert _sha(path) == _sha(smollm2_path)
    assert len(seen) > 5 and all(p.speed >= 0 for p in seen)


def test_a_refusal_of_a_repo_that_is_not_gated_is_not_called_gated(hub_server, app_paths):
    job = _job()
    hub_server.faults.status = 403
    with pytest.raises(DownloadError) as err:
        _manager(app_paths).run(job)
    assert "refused" in str(err.value) and "gated" not in str(err.value)
    hub_server.faults.status = None
    hub_server.add_repo("gated/Model-GGUF", {"m-Q4_1.gguf": hub_server.repos[TEST_REPO]
                                             .files[0].source}, gated=True)
    with pytest.raises(DownloadError, match="gated"):
        _manager(app_paths).run(_job("gated/Model-GGUF", "m-Q4_1.gguf"))


def test_server_errors_are_retried(hub_server, app_paths, smollm2_path):
    hub_server.faults.status, hub_server.faults.status_count = 503, 2
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)


def test_a_300_character_file_name_gets_a_bounded_local_name(hub_server, app_paths,
                                                             smollm2_path):
    long_name = "x" * 290 + "-Q4_1.gguf"
    hub_server.add_repo("o/Long-GGUF", {long_name: smollm2_path})
    path = _manager(app_paths).run(_job("o/Long-GGUF", long_name))
    assert _sha(path) == _sha(smollm2_path)
    assert len(path.name.encode()) <= MAX_NAME_BYTES and path.name.endswith("-Q4_1.gguf")
    assert path.parent.parent == app_paths.models_dir


HOSTILE = ["..\\..\\x-Q4_0.gguf", "C:x-Q4_0.gguf", "CON.gguf", "sub/nul.Q4_0.gguf",
           "bell\x07-Q4_0.gguf", "<img src=x><b>bold</b>.gguf", "../up-Q4_0.gguf",
           "COM1.x.gguf", "trailing-dot.gguf."]


def test_hostile_hub_names_are_never_offered_nor_downloaded(hub_server, app_paths,
                                                            smollm2_path):
    hub_server.add_repo("o/Hostile-GGUF", {**{n: smollm2_path for n in HOSTILE},
                                           "fine-Q4_1.gguf": smollm2_path})
    listing = hub.list_repo_files("o/Hostile-GGUF")
    assert [m.name for m in listing.files] == ["fine-Q4_1.gguf"]
    sha = listing.files[0].first.sha256
    before = list(hub_server.requests)
    for name in HOSTILE:  # a job made by hand (or read back from a tampered sidecar)
        job = DownloadJob("o/Hostile-GGUF", listing.revision, name,
                          (HubFile(name, smollm2_path.stat().st_size, sha),))
        with pytest.raises(DownloadError) as err:
            _manager(app_paths).run(job)
        assert not err.value.retryable and len(str(err.value).splitlines()) == 1
    assert hub_server.requests == before  # refused before any request
    assert not any(app_paths.data_dir.parent.rglob("x-Q4_0.gguf"))
    with pytest.raises(DownloadError, match="not a valid Hub repo"):
        _manager(app_paths).run(DownloadJob("../../etc", "main", "x.gguf",
                                            (HubFile("x.gguf", 1, ""),)))


def test_same_base_name_in_two_subfolders_installs_two_verified_files(hub_server, app_paths,
                                                                      smollm2_path, tmp_path):
    other = tmp_path / "other.gguf"
    data = bytearray(smollm2_path.read_bytes())
    data[-1] ^= 0xFF  # another file with the same header: a different sha256
    other.write_bytes(bytes(data))
    hub_server.add_repo("o/Folders-GGUF", {"Q4_1/model.gguf": smollm2_path,
                                           "Q8_0/model.gguf": other})
    listing = hub.list_repo_files("o/Folders-GGUF")
    first = _manager(app_paths).run(DownloadJob.from_model(listing.find("Q4_1/model.gguf")))
    served = hub_server.bytes_served
    second = _manager(app_paths).run(DownloadJob.from_model(listing.find("Q8_0/model.gguf")))
    assert hub_server.bytes_served == served + other.stat().st_size  # fetched, not reused
    assert first.name == "Q4_1__model.gguf" and _sha(first) == _sha(smollm2_path)
    assert second.name == "Q8_0__model.gguf" and _sha(second) == _sha(other)
    # An earlier install under the same local name but from another Hub file is not "installed".
    third = DownloadJob.from_model(listing.find("Q4_1/model.gguf"))
    assert _manager(app_paths).partial_bytes(third) == third.total
