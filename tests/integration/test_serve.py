"""``desktopchat serve`` as a child process: the first line names the URL and the token file,
the API answers with that token, and SIGINT/SIGTERM stop it cleanly (exit 0)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.realmodel


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_url_and_token_file_then_stops_cleanly(
        tmp_path: Path, smollm2_path: Path, sig: signal.Signals) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktopchat.api.serve", "--model", str(smollm2_path),
         "--port", "0", "--data-dir", str(data), "--context", "1024", "--threads", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.fullmatch(r"desktopchat API on (http://127\.0\.0\.1:\d+/v1) "
                             r"\(token in (.+)\)\n", first)
        assert match, first
        url, token_file = match.group(1), Path(match.group(2))
        assert token_file == data.resolve() / "api-token"
        assert token_file.stat().st_mode & 0o077 == 0  # readable by the user only
        token = token_file.read_text().strip()
        auth = {"Authorization": f"Bearer {token}"}
        models = httpx.get(f"{url}/models", headers=auth, timeout=30).json()
        assert models["data"][0]["id"] == f"file:{smollm2_path}"
        reply = httpx.post(f"{url}/chat/completions", headers=auth, timeout=120, json={
            "messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 8}).json()
        assert reply["choices"][0]["message"]["content"]
        assert httpx.get(f"{url}/models", timeout=30).status_code == 401
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out.strip().endswith("desktopchat serve: stopped")


def test_serve_without_a_model_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktopchat.api.serve", "--model", str(tmp_path / "none.gguf"),
         "--data-dir", str(tmp_path / "d")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("desktopchat serve: no model to serve; pass --model PATH "
                                   "(a .gguf file).")
