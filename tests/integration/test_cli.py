"""The app as a subprocess: --version, --self-test on the real models, bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desktopchat import __version__


def _run(*args: str, data_dir, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=timeout, env=env,
    )


def test_version(tmp_path):
    r = _run("--version", data_dir=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == f"desktopchat {__version__}"


@pytest.mark.realmodel
def test_self_test_answers_with_the_starter_model(tmp_path):
    r = _run("--self-test", data_dir=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "SmolLM2" in out or "smollm2" in out.lower()
    reply = next(line for line in out.splitlines() if line.startswith("reply: "))
    assert len(reply) > len("reply: ") + 1
    assert "Paris" in reply
    assert "tokens/s" in out and "self-test passed" in out
    assert (tmp_path / "logs" / "desktopchat.log").exists()


@pytest.mark.realmodel
def test_self_test_with_the_template_less_gemma(tmp_path, gemma_path):
    r = _run("--self-test", "--model", str(gemma_path), data_dir=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "format: gemma (fallback)" in r.stdout


@pytest.mark.parametrize("content", [b"", b"hello, I am not a model", b"GGUF\x03\x00\x00\x00"])
def test_self_test_bad_model_one_line_and_nonzero(tmp_path, content):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(content)
    r = _run("--self-test", "--model", str(bad), data_dir=tmp_path)
    assert r.returncode != 0
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("self-test failed: bad.gguf cannot be loaded")
    assert "Traceback" not in r.stdout + r.stderr


def test_self_test_missing_model(tmp_path):
    r = _run("--self-test", "--model", str(tmp_path / "nope.gguf"), data_dir=tmp_path)
    assert r.returncode != 0 and "cannot be read" in r.stdout
