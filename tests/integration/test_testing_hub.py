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
