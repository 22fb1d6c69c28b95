"""The download path against a real Hub protocol on loopback, serving the real SmolLM2 GGUF."""

from __future__ import annotations

import hashlib
import threading

import pytest

from desktopchat.models import hub
from desktopchat.models.download import DownloadError, DownloadJob, DownloadManager, DownloadPaused
from desktopchat.models.gguf import validate_model_file
from tests.conftest import TEST_FILE, TEST_REPO

CHUNK = 256 << 10


def _job() -> DownloadJob:
    files = hub.list_repo_files(TEST_REPO)
    model = files.find(TEST_FILE)
    assert model is not None
    return DownloadJob.from_model(model)


def _manager(app_paths, **kw) -> DownloadManager:
    kw.setdefault("chunk_size", CHUNK)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("stall_timeout", 5.0)
    return DownloadManager(app_paths, **kw)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _nothing_installed(app_paths) -> bool:
    return not any(app_paths.models_dir.rglob("*.gguf"))


def test_listing_has_size_sha_quant_and_pinned_commit(hub_server, smollm2_path):
    files = hub.list_repo_files(TEST_REPO)
    assert files.revision == "0123456789abcdef0123456789abcdef01234567"
    (model,) = files.files
    assert model.name == TEST_FILE and model.quantization == "Q4_1"
    assert model.size == smollm2_path.stat().st_size
    assert model.first.sha256 == _sha(smollm2_path)


def test_search_asks_the_hub_for_gguf_repos_and_shows_its_order(hub_server, smollm2_path):
    """The app's own query: the Hub filters by the gguf tag, sorts (always descending, as the
    real Hub does) and leaves out lastModified and gated unless they are asked for."""
    hub_server.add_repo("other/Tiny-GGUF", {"tiny-Q8_0.gguf": smollm2_path}, downloads=1,
                        likes=99, last_modified="2025-03-04T05:06:07.000Z", gated=True)
    hub_server.add_repo("other/Tiny-safetensors", {"w.gguf": smollm2_path}, downloads=10**6,
                        likes=10**6, tags=("safetensors",))
    by_downloads = hub.search_models("")
    assert [r.repo_id for r in by_downloads] == [TEST_REPO, "other/Tiny-GGUF"]
    by_likes = hub.search_models("", sort="likes", limit=5)
    assert [r.repo_id for r in by_likes] == ["other/Tiny-GGUF", TEST_REPO]
    assert by_likes[0].last_modified == "2025-03-04" and by_likes[0].gated
    assert not by_likes[1].gated
    assert [r.repo_id for r in hub.search_models("tiny", sort="recent")] == ["other/Tiny-GGUF"]
    asked = hub_server.search_queries
    assert [q["sort"] for q in asked] == [["downloads"], ["likes"], ["lastModified"]]
    assert all(q["filter"] == ["gguf"] for q in asked)
    assert asked[1]["limit"] == ["5"] and "search" not in asked[1]
    assert asked[2]["search"] == ["tiny"]
    assert sorted(asked[0]["expand"]) == ["downloads", "gated", "lastModified", "likes"]
    assert all("direction" not in q for q in asked)  # the Hub ignores it; it is not sent


def test_download_verifies_and_installs(hub_server, app_paths, smollm2_path):
    seen = []
    path = _manager(app_paths).run(_job(), seen.append)
    assert path == app_paths.models_dir / "test-org__SmolLM2-135M-Instruct-GGUF" / TEST_FILE
    assert _sha(path) == _sha(smollm2_path)
    validate_model_file(path)
    assert seen[-1].done == seen[-1].total == smollm2_path.stat().st_size
    assert not list(app_paths.downloads_dir.iterdir())


def test_drop_is_resumed_across_the_redirect_with_the_cdns_etag(hub_server, app_paths,
                                                                smollm2_path):
    """The Hub redirects to a CDN whose ETag is not the sha256: the resume's If-Range carries
    the CDN's ETag, so the CDN honours the Range, nothing is fetched twice and the file is exact."""
    size = smollm2_path.stat().st_size
    hub_server.faults.drop_after = size // 2 + 12345
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)
    first, resumed = [r for r in hub_server.cdn_requests if r["method"] == "GET"]
    assert first["range"] == "" and resumed["range"] == f"bytes={size // 2 + 12345}-"
    assert resumed["if_range"] == resumed["etag"] and _sha(smollm2_path) not in resumed["etag"]
    assert hub_server.bytes_served == size  # every byte that arrived before the drop was kept
    assert any(r.startswith("GET /test-org/") and "/resolve/" in r for r in hub_server.requests)


def test_resume_after_restart_with_a_new_manager(hub_server, app_paths, smollm2_path):
    size = smollm2_path.stat().st_size
    hub_server.faults.drop_after = size // 3
    with pytest.raises(DownloadError, match="press Retry"):
        _manager(app_paths, max_retries=0).run(_job())
    assert _nothing_installed(app_paths)
    partials = list(app_paths.downloads_dir.glob("*.part"))
    assert len(partials) == 1 and 0 < partials[0].stat().st_size < size
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)
    assert hub_server.bytes_served <= size + CHUNK


def test_pause_keeps_the_partial_and_resume_finishes(hub_server, app_paths, smollm2_path):
    pause = threading.Event()

    def on_progress(p):
        if p.done > p.total // 4:
            pause.set()

    with pytest.raises(DownloadPaused):
        _manager(app_paths).run(_job(), on_progress, pause=pause)
    assert _nothing_installed(app_paths)
    (partial,) = app_paths.downloads_dir.glob("*.part")
    kept, served_before = partial.stat().st_size, hub_server.bytes_served
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)
    # The resume asked only for what was not on disk.
    assert hub_server.ranges[-1] == f"bytes={kept}-"
    assert hub_server.bytes_served - served_before == smollm2_path.stat().st_size - kept


def test_stall_is_detected_and_retried(hub_server, app_paths, smollm2_path):
    hub_server.faults.stall_after = 3 * CHUNK
    path = _manager(app_paths, stall_timeout=0.5).run(_job())
    assert hub_server.stalled.is_set()
    assert _sha(path) == _sha(smollm2_path)


def test_flipped_byte_is_rejected_and_nothing_installed(hub_server, app_paths):
    hub_server.faults.flip_byte_at = 1_000_000
    with pytest.raises(DownloadError, match="damaged.*deleted.*Retry") as err:
        _manager(app_paths).run(_job())
    assert err.value.retryable
    assert _nothing_installed(app_paths)
    assert not list(app_paths.downloads_dir.iterdir())


def test_a_lie_in_the_size_headers_still_installs_the_verified_file(hub_server, app_paths,
                                                                   smollm2_path):
    hub_server.faults.linked_size_lie = 4096  # X-Linked-Size disagrees with the listing
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)


def test_extra_bytes_beyond_the_size_are_not_written(hub_server, app_paths, smollm2_path):
    hub_server.faults.extra_bytes = 4096
    path = _manager(app_paths).run(_job())
    assert path.stat().st_size == smollm2_path.stat().st_size
    assert _sha(path) == _sha(smollm2_path)


def test_gated_repo_says_how_to_add_a_token(hub_server, app_paths, smollm2_path, monkeypatch):
    hub_server.add_repo("gated/Model-GGUF", {"m-Q4_1.gguf": smollm2_path}, gated=True)
    files = hub.list_repo_files("gated/Model-GGUF")
    job = DownloadJob.from_model(files.files[0])
    with pytest.raises(DownloadError, match="gated.*access token"):
        _manager(app_paths).run(job)
    monkeypatch.setenv("HF_TOKEN", hub_server.valid_token)
    assert _manager(app_paths).run(job).is_file()


def test_404_is_one_sentence(hub_server, app_paths):
    job = _job()
    hub_server.faults.status = 404
    with pytest.raises(DownloadError, match="404") as err:
        _manager(app_paths).run(job)
    assert not err.value.retryable
    with pytest.raises(hub.HubError, match="no model by that name") as err:
        hub.list_repo_files("nobody/nothing")
    assert "gated" not in str(err.value)


def test_disk_full_is_refused_up_front(hub_server, app_paths):
    job = _job()
    mgr = _manager(app_paths, free_space_fn=lambda _p: 10 << 20)
    with pytest.raises(DownloadError, match="Not enough disk space"):
        mgr.run(job)
    assert hub_server.bytes_served == 0
    assert not list(app_paths.downloads_dir.iterdir())


def test_no_network_is_one_sentence(app_paths, monkeypatch):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens on this port now
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(hub.HubError, match="could not be reached"):
        hub.list_repo_files(TEST_REPO)


def test_offline_refuses_before_any_connection(hub_server, app_paths):
    with pytest.raises(hub.OfflineError):
        hub.search_models("smol", offline=True)
    with pytest.raises(DownloadError, match="Offline"):
        DownloadManager(app_paths, offline=lambda: True).run(
            DownloadJob(TEST_REPO, "main", TEST_FILE, ()))
    assert hub_server.requests == []


def test_split_model_downloads_all_parts_and_installs_them_together(hub_server, app_paths,
                                                                    tmp_path):
    from tests.support.models import make_gguf

    one = tmp_path / "one.gguf"
    one.write_bytes(make_gguf({"general.architecture": "llama", "split.count": 2}))
    two = tmp_path / "two.gguf"
    two.write_bytes(make_gguf({"split.no": 1}, tensors=(("w2", (32, 4), 0),)))
    hub_server.add_repo("o/Split-GGUF", {"m-Q8_0-00001-of-00002.gguf": one,
                                         "m-Q8_0-00002-of-00002.gguf": two})
    (model,) = hub.list_repo_files("o/Split-GGUF").files
    assert len(model.parts) == 2 and model.quantization == "Q8_0"
    path = _manager(app_paths).run(DownloadJob.from_model(model))
    assert path.name == "m-Q8_0-00001-of-00002.gguf"
    assert (path.parent / "m-Q8_0-00002-of-00002.gguf").read_bytes() == two.read_bytes()


def test_remote_header_is_read_with_a_range_request(hub_server, smollm2_path):
    from desktopchat.models.gguf import read_gguf

    model = hub.list_repo_files(TEST_REPO).files[0]
    info = hub.read_remote_header(model)
    local = read_gguf(smollm2_path)
    assert info.architecture == local.architecture == "llama"
    assert info.metadata["llama.block_count"] == local.metadata["llama.block_count"]
    assert len(info.tensors) == len(local.tensors)
    assert hub_server.bytes_served < smollm2_path.stat().st_size // 4


def test_a_server_that_ignores_range_restarts_cleanly(hub_server, app_paths, smollm2_path):
    size = smollm2_path.stat().st_size
    hub_server.faults.drop_after = size // 2
    hub_server.faults.ignore_range = True
    path = _manager(app_paths).run(_job())
    assert _sha(path) == _sha(smollm2_path)  # the hash restarted with the file
    assert hub_server.ranges[-1].startswith("bytes=")
