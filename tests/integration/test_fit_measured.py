"""The fit estimate against reality: the resident memory a real model takes in the real engine.

Each measurement runs in a fresh Python process, so nothing else the test run loaded counts:
VmRSS (``ps`` on macOS) is read after the engine module is imported (llama.cpp's library is mapped) and again after
``Engine.load`` plus one reply to a prompt that fills ~90% of the context. The reply matters:
the load alone leaves most of llama.cpp's compute buffer untouched (not resident), while a full
context touches the attention scores of a whole prompt chunk. Weights need no extra touching: on
Linux llama.cpp maps the file with MAP_POPULATE, so they are resident right after the load
(measured: SmolLM2's 92 MiB of weights are all in the load's RSS increase).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.models.fit import MemoryInfo, estimate_fit
from desktopchat.models.gguf import read_gguf

pytestmark = pytest.mark.realmodel

MEASURE = r"""
import json, sys, threading

import os, subprocess

def rss():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # macOS: no /proc; ps reports the same resident size in KiB
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(os.getpid())],
                             capture_output=True, text=True, check=True)
        return int(out.stdout.split()[0]) * 1024

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest

path, n_ctx = sys.argv[1], int(sys.argv[2])
engine = Engine()
before = rss()
engine.load(LoadRequest("fit", path, n_ctx=n_ctx, n_threads=2))
after_load = rss()
low, high, words = int(n_ctx * 0.85), n_ctx - 16, n_ctx // 3
for _ in range(12):
    msgs = (ChatMessage("user", " ".join(f"w{i}" for i in range(words))),)
    k = len(engine.tokenize_prompt(msgs))
    if low <= k <= high:
        break
    words = max(1, int(words * (low + high) / 2 / k))
req = GenerationRequest(1, msgs, GenerationParams(temperature=0.0, max_tokens=2, seed=1))
result = engine.generate(req, threading.Event(), lambda _t: None)
assert not result.error, result.error
after_reply = rss()
engine.close()
print(json.dumps({"load": after_load - before, "in_use": after_reply - before, "prompt": k}))
"""


def _measure(model: Path, n_ctx: int) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(model), str(n_ctx)],
        capture_output=True, text=True, timeout=280, check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("n_ctx", [512, 1024])
@pytest.mark.parametrize("model", ["smollm2", "gemma"])
def test_estimate_is_within_15_percent_of_measured_rss(model, n_ctx, request):
    path = request.getfixturevalue(f"{model}_path")
    measured = _measure(path, n_ctx)
    est = estimate_fit(read_gguf(path), n_ctx, MemoryInfo(64 * 2**30, 32 * 2**30))
    ratio = est.total_bytes / measured["in_use"]
    detail = (f"{model} n_ctx={n_ctx}: estimated {est.total_bytes / 2**20:.1f} MiB "
              f"(weights {est.weights_bytes / 2**20:.1f}, kv {est.kv_cache_bytes / 2**20:.1f}, "
              f"overhead {est.overhead_bytes / 2**20:.1f}), measured {measured['in_use'] / 2**20:.1f}"
              f" MiB in use ({measured['load'] / 2**20:.1f} after the load alone, "
              f"prompt {measured['prompt']} tokens)")
    print(detail)
    assert 0.85 <= ratio <= 1.15, detail
