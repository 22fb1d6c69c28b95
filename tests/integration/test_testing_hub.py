"""The loopback Hub as the benchmark runs it: in its own process, with a network-speed limit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def test_hub_process_serves_a_repo_at_a_limited_rate(tmp_path: Path):
    blob = tmp_path / "tiny.gguf"
    blob.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    rate = 2 << 20  # 2 MiB/s: the body cannot arrive in under about 0.5 s
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hub", "--file",
         f"bench/tiny-GGUF/tiny.gguf={blob}", "--rate", str(rate)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2],  # tests.support is importable from the root
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/api/models/bench/tiny-GGUF?blobs=true") as r:
            info = json.load(r)
        assert [s["rfilename"] for s in info["siblings"]] == ["tiny.gguf"]
        t = time.monotonic()
        with urllib.request.urlopen(f"{url}/bench/tiny-GGUF/resolve/main/tiny.gguf") as r:
            body = r.read()
        elapsed = time.monotonic() - t
        assert body == blob.read_bytes()
        # A lower bound only (a slow machine can take longer, never shorter).
        assert elapsed >= 0.9 * (len(body) - (256 << 10)) / rate
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        assert proc.wait(30) == 0
        proc.stdout.close()


def test_resolve_redirects_to_a_cdn_with_its_own_etag_like_the_real_hub(hub_server, smollm2_path):
    """What huggingface_hub itself reads from the Hub, and what the CDN answers to Range and
    If-Range (against its own ETag)."""
    from huggingface_hub import get_hf_file_metadata

    from desktopchat.models import hub
    from tests.conftest import TEST_FILE, TEST_REPO
    from tests.support.hub import COMMIT

    sha = hub_server.repos[TEST_REPO].files[0].sha256
    size = smollm2_path.stat().st_size
    url = hub.resolve_url(TEST_REPO, TEST_FILE, "main")
    meta = get_hf_file_metadata(url, endpoint=hub_server.url)
    assert (meta.etag, meta.size, meta.commit_hash) == (sha, size, COMMIT)
    assert meta.location.startswith(hub_server.cdn_url + "/")
    session = hub.http_session()
    head = session.head(url, follow_redirects=False)
    assert head.status_code == 302 and head.headers["X-Linked-Size"] == str(size)
    assert head.headers["X-Repo-Commit"] and head.headers["X-Linked-Etag"] == f'"{sha}"'
    cdn = session.head(head.headers["Location"])
    etag = cdn.headers["ETag"]
    assert cdn.status_code == 200 and sha not in etag and not etag.startswith("W/")
    part = session.get(url, headers={"Range": "bytes=10-19", "If-Range": etag})
    assert part.status_code == 206 and part.content == smollm2_path.read_bytes()[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{size}"
    stale = session.head(url, headers={"Range": "bytes=10-19", "If-Range": f'"{sha}"'})
    assert stale.status_code == 200  # If-Range with the linked ETag does not match the CDN
    past = session.head(url, headers={"Range": f"bytes={size}-"})
    assert past.status_code == 416 and past.headers["Content-Range"] == f"bytes */{size}"


def test_search_honours_the_parameters_the_real_hub_honours(hub_server, smollm2_path):
    from desktopchat.models import hub

    hub_server.add_repo("a/Liked-GGUF", {"x.gguf": smollm2_path}, downloads=1, likes=999)
    hub_server.add_repo("b/Plain", {"x.gguf": smollm2_path}, downloads=10**9, tags=("pytorch",))
    session = hub.http_session()

    def ids(**params) -> list[str]:
        r = session.get(f"{hub_server.url}/api/models", params=params)
        assert r.status_code == 200, r.text
        return [m["id"] for m in r.json()]

    assert ids(sort="downloads", filter="gguf") == ["test-org/SmolLM2-135M-Instruct-GGUF",
                                                    "a/Liked-GGUF"]
    assert ids(sort="downloads", direction="1") == ids(sort="downloads")  # direction is ignored
    assert ids(sort="likes", limit="1") == ["a/Liked-GGUF"]
    assert ids(search="liked") == ["a/Liked-GGUF"] and ids(author="b") == ["b/Plain"]
    compact = session.get(f"{hub_server.url}/api/models").json()[0]
    assert "lastModified" not in compact and "gated" not in compact and "downloads" in compact
    full = session.get(f"{hub_server.url}/api/models", params={"full": "true"}).json()[0]
    assert "lastModified" in full and "gated" in full
    picked = session.get(f"{hub_server.url}/api/models",
                         params={"expand": ["likes", "gated"]}).json()[0]
    assert set(picked) == {"_id", "id", "likes", "gated"}
    assert session.get(f"{hub_server.url}/api/models", params={"sort": "nope"}).status_code == 400
