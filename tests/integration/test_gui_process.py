"""The window as a real process: --quit-after-start shows it, loads the model and exits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.realmodel
def test_quit_after_start_shows_the_window_loads_the_model_and_exits_0(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(tmp_path), "--quit-after-start"],
        capture_output=True, text=True, timeout=180, env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "window shown:" in r.stdout
    assert "model ready: SmolLM2" in r.stdout
    log_text = (tmp_path / "logs" / "desktopchat.log").read_text(encoding="utf-8")
    assert "window shown" in log_text and "Traceback" not in log_text
    assert not (tmp_path / "desktopchat.lock").exists()  # released on the way out


def test_quit_after_start_with_no_model_still_starts_and_exits_0(tmp_path):
    """The plain installer's first run: no model yet; the window starts and says so."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               DESKTOPCHAT_STARTER_MODEL=str(tmp_path / "not-there.gguf"))
    r = subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(tmp_path), "--quit-after-start"],
        capture_output=True, text=True, timeout=180, env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "window shown:" in r.stdout and "model none: No model to load" in r.stdout
