"""A model path must be a regular file: a FIFO named ``x.gguf`` (or a link to one), a device,
a socket or a folder is refused with one sentence, at once, and nothing blocks on it."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from desktopchat.models.gguf import GGUFError, read_gguf, validate_model_file
from tests.support.models import make_fifo, make_gguf

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and devices are POSIX")


def _refused_without_blocking(check: Callable[[Path], object], path: Path,
                              fifo: Path | None = None) -> str:
    """Run ``check(path)`` in a thread; if it blocks, unblock it (open the FIFO's writing end)
    and fail. Returns the refusal's sentence."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(check(path))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout=20)
    if t.is_alive() and fifo is not None:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # lets the blocked reader go
        os.close(fd)
        t.join(timeout=20)
        pytest.fail(f"{check.__name__} blocked on {path}")
    assert outcome and isinstance(outcome[0], GGUFError), outcome
    return str(outcome[0])


@posix_only
@pytest.mark.parametrize("check", [validate_model_file, read_gguf])
def test_a_fifo_named_gguf_is_refused_at_once(tmp_path, check):
    fifo = make_fifo(tmp_path / "x.gguf")
    assert _refused_without_blocking(check, fifo, fifo) == \
        "it is a named pipe (FIFO), not a model file"


@posix_only
def test_a_symlink_to_a_fifo_is_refused_at_once(tmp_path):
    fifo = make_fifo(tmp_path / "pipe")
    link = tmp_path / "model.gguf"
    link.symlink_to(fifo)
    assert "named pipe" in _refused_without_blocking(validate_model_file, link, fifo)


@posix_only
def test_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.gguf"
    link.symlink_to("/dev/zero")
    assert _refused_without_blocking(validate_model_file, link) == \
        "it is a device, not a model file"
    assert "device" in _refused_without_blocking(validate_model_file, Path("/dev/null"))


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.gguf"
    folder.mkdir()
    assert _refused_without_blocking(validate_model_file, folder) == \
        "it is a folder, not a model file"


@posix_only
def test_a_socket_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # AF_UNIX paths are short: bind from inside the folder
    with socket.socket(socket.AF_UNIX) as s:
        s.bind("s.gguf")
        assert "socket" in _refused_without_blocking(validate_model_file, tmp_path / "s.gguf")


def test_a_symlink_to_a_regular_model_is_followed(tmp_path):
    real = tmp_path / "real.gguf"
    real.write_bytes(make_gguf())
    link = tmp_path / "link.gguf"
    link.symlink_to(real)
    assert validate_model_file(link).tensors


def test_a_dangling_symlink_cannot_be_read(tmp_path):
    link = tmp_path / "gone.gguf"
    link.symlink_to(tmp_path / "nowhere.gguf")
    with pytest.raises(GGUFError, match="cannot be read"):
        validate_model_file(link)
