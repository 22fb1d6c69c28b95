"""``models import`` and ``--self-test`` on a FIFO named ``x.gguf`` (or a link to one) used to
block for ever in ``open()``; now each says one sentence and exits at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.models import make_fifo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")


@pytest.mark.parametrize("command", [["models", "import"], ["--self-test", "--model"]])
@pytest.mark.parametrize("via_link", [False, True])
def test_a_fifo_is_refused_in_one_sentence_without_hanging(tmp_path, command, via_link):
    fifo = make_fifo(tmp_path / "x.gguf")
    target = fifo
    if via_link:
        target = tmp_path / "link.gguf"
        target.symlink_to(fifo)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(tmp_path / "data"), *command,
         str(target)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    said = (out.stdout + out.stderr).strip().splitlines()
    assert out.returncode == 1, said
    assert len(said) == 1 and target.name in said[0], said
    assert said[0].endswith("it is a named pipe (FIFO), not a model file."), said
    assert "Traceback" not in out.stderr
