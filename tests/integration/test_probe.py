"""The test load in a child process: good models pass, a crash, a hang or a memory bomb fails
with one sentence while this process carries on, the verdict is cached by file identity, and
the child has no network."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import threading

import psutil
import pytest

from desktopchat.models import probe
from desktopchat.models.gguf import read_gguf
from desktopchat.models.probe import (
    CANCELLED,
    CRASHED,
    cached_verdict,
    check_model,
    forget_verdict,
)
from tests.support.models import make_fifo, write_llama

pytestmark = pytest.mark.realmodel

NESTED_LOOPS = ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                "{% endfor %}")


def _probe_children() -> list[psutil.Process]:
    me = psutil.Process()
    return [p for p in me.children(recursive=True)
            if "desktopchat.engine.probe" in " ".join(p.cmdline())]


@pytest.mark.parametrize("model", ["smollm2", "gemma"])
def test_good_models_pass_and_the_verdict_is_cached(model, request, tmp_path):
    path = request.getfixturevalue(f"{model}_path")
    first = check_model(path, cache_dir=tmp_path)
    assert first.ok and first.sentence == "" and not first.cached, first.detail
    assert "answered" in first.detail and first.duration > 0
    if sys.platform.startswith("linux"):
        assert "network namespace" in first.detail
    again = check_model(path, cache_dir=tmp_path)
    assert again.cached and again.ok and again.detail == first.detail
    assert cached_verdict(path, tmp_path) == again
    assert json.loads((tmp_path / probe.CACHE_FILE).read_text())["entries"]


def test_a_nan_epsilon_crashes_only_the_child(tmp_path, monkeypatch):
    """A NaN norm epsilon loads and aborts llama.cpp at the first token it computes. The Python
    checks refuse it; with them out of the way (a value they do not know yet), the child's
    crash is what stands between the file and the app's process."""
    path = write_llama(tmp_path / "nan.gguf",
                       metadata={"llama.attention.layer_norm_rms_epsilon": math.nan})
    refused = check_model(path, cache_dir=tmp_path / "c1")
    assert not refused.ok and "norm epsilon" in refused.sentence and "nan" in refused.sentence
    monkeypatch.setattr(probe, "validate_model_file", read_gguf)
    verdict = check_model(path, cache_dir=tmp_path / "c2")
    assert not verdict.ok
    assert verdict.sentence == CRASHED
    assert "killed by SIGABRT" in verdict.detail and "eps >= 0.0f" in verdict.detail
    assert cached_verdict(path, tmp_path / "c2") == \
        probe.ProbeVerdict(False, CRASHED, verdict.detail, round(verdict.duration, 3), True)
    assert not _probe_children()


def test_a_template_that_loops_is_stopped_by_the_template_sandbox(tmp_path):
    path = write_llama(tmp_path / "loops.gguf", chat_template=NESTED_LOOPS)
    verdict = check_model(path, cache_dir=tmp_path, timeout_s=60)
    assert not verdict.ok
    assert verdict.sentence.startswith("This model's chat template tried to take more than")
    assert verdict.sentence.endswith("it was stopped.")
    assert "during render" in verdict.detail and "TemplateLimitError" in verdict.detail
    assert not _probe_children()


def test_a_test_load_past_its_time_is_killed_and_not_cached(tmp_path):
    """A busy machine can make a good file slow: the verdict says so and is not kept."""
    path = write_llama(tmp_path / "slow.gguf")
    # 20 ms: less than a Python child needs to start, let alone load a model (a quiet machine
    # finished this model's whole test load in 0.27 s, so 0.3 s was a race)
    verdict = check_model(path, cache_dir=tmp_path, timeout_s=0.02)
    assert not verdict.ok
    assert verdict.sentence == ("This model file is damaged or uses settings llama.cpp cannot "
                                "run (its test load did not finish within 0.02 seconds).")
    assert "(timeout)" in verdict.detail
    assert cached_verdict(path, tmp_path) is None
    assert not _probe_children()


@pytest.mark.parametrize("size", [400_000_000, 4_000_000_000])
def test_a_template_memory_bomb_is_stopped_before_it_allocates(tmp_path, size):
    """The template sandbox refuses the string before building it; the child never grows (the
    parent's watch on resident memory and the address-space cap stay behind it)."""
    path = write_llama(tmp_path / "bomb.gguf", chat_template=f"{{{{ 'x' * {size} }}}}")
    verdict = check_model(path, cache_dir=tmp_path, memory_cap=1024 * 2**20)
    assert not verdict.ok
    assert verdict.sentence.startswith("This model's chat template tried to build a text")
    assert "TemplateLimitError" in verdict.detail
    assert not _probe_children()


def test_a_changed_file_is_checked_again(tmp_path, monkeypatch):
    path = write_llama(tmp_path / "m.gguf", seed=1)
    cache = tmp_path / "cache"
    assert cached_verdict(path, cache) is None
    assert check_model(path, cache_dir=cache).ok

    def no_child(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a cached verdict must not start a child")

    with monkeypatch.context() as m:
        m.setattr(probe.subprocess, "Popen", no_child)
        assert check_model(path, cache_dir=cache).cached
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # touched
    assert cached_verdict(path, cache) is None
    assert not check_model(path, cache_dir=cache).cached
    write_llama(tmp_path / "m.gguf", seed=2)  # same size and name, other bytes
    assert cached_verdict(path, cache) is None
    assert check_model(path, cache_dir=cache).ok
    with monkeypatch.context() as m:  # a new llama.cpp (or app) checks everything again
        m.setattr(probe, "PROBE_VERSION", probe.PROBE_VERSION + 1)
        assert cached_verdict(path, cache) is None
    forget_verdict(path, cache)
    assert cached_verdict(path, cache) is None


def test_the_cache_file_is_written_atomically_and_survives_garbage(tmp_path):
    path = write_llama(tmp_path / "m.gguf")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / probe.CACHE_FILE).write_text("[" * 100_000)  # deeply nested garbage
    assert cached_verdict(path, cache) is None
    assert check_model(path, cache_dir=cache).ok
    assert cached_verdict(path, cache) is not None
    assert [p.name for p in cache.iterdir()] == [probe.CACHE_FILE]  # no temporary left over


def test_a_cancelled_check_is_not_cached(tmp_path):
    path = write_llama(tmp_path / "model.gguf")
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)  # before the child can have loaded anything
    timer.start()
    try:
        verdict = check_model(path, cache_dir=tmp_path, cancel=cancel)
    finally:
        timer.cancel()
        timer.join()
    assert verdict.sentence == CANCELLED and not verdict.ok
    assert cached_verdict(path, tmp_path) is None
    assert not _probe_children()


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_never_reaches_the_child(tmp_path):
    fifo = make_fifo(tmp_path / "x.gguf")
    verdict = check_model(fifo, cache_dir=tmp_path)
    assert verdict.sentence == "x.gguf cannot be loaded: it is a named pipe (FIFO), not a model " \
                               "file."
    assert cached_verdict(fifo, tmp_path) is None


CONNECT = r"""
import ctypes, json, socket, struct, sys
from desktopchat.engine.probe import cut_network
how = cut_network()
port = int(sys.argv[1])
out = {"how": how}
try:
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    out["python"] = "connected"
except OSError as exc:
    out["python"] = f"{type(exc).__name__}: {exc}"
try:
    socket.socket(socket.AF_UNIX).close()
    out["unix"] = "created"
except OSError as exc:
    out["unix"] = f"{type(exc).__name__}: {exc}"
# native code does not pass Python's audit hooks: only the namespace stops it
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.socket(2, 1, 0)  # AF_INET, SOCK_STREAM
addr = struct.pack("<H", 2) + struct.pack(">H", port) + bytes([127, 0, 0, 1]) + bytes(8)
rc = libc.connect(fd, addr, len(addr))
out["native"] = "connected" if rc == 0 else f"errno {ctypes.get_errno()}"
print(json.dumps(out))
"""


def _connect_from_the_sandbox() -> dict[str, str]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]
        # the same host, outside the sandbox: the server is reachable
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        out = subprocess.run([sys.executable, "-c", CONNECT, str(port)], capture_output=True,
                             text=True, timeout=60, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _user_namespaces() -> bool:
    code = ("import ctypes; raise SystemExit(ctypes.CDLL(None, use_errno=True)"
            ".unshare(0x10000000 | 0x40000000))")
    return sys.platform.startswith("linux") and subprocess.run(
        [sys.executable, "-c", code], timeout=30, check=False).returncode == 0


def test_python_in_the_child_cannot_open_a_socket():
    result = _connect_from_the_sandbox()
    assert result["python"].startswith("PermissionError"), result
    assert result["unix"].startswith("PermissionError"), result


@pytest.mark.skipif(not _user_namespaces(),
                    reason="this kernel refuses unprivileged user namespaces (the audit hook "
                           "still refuses Python sockets)")
def test_native_code_in_the_child_cannot_reach_the_network():
    result = _connect_from_the_sandbox()
    assert "network namespace" in result["how"], result
    assert result["native"].startswith("errno"), result
