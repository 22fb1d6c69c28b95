"""The resident memory a model really takes in the real engine, measured in a fresh process
(shared by the fit tests: the estimate is checked against this).

VmRSS (``ps`` on macOS) is read after the engine module is imported (llama.cpp's library is
mapped) and again after ``Engine.load`` plus one reply to a prompt that fills ~90% of the
context. The reply matters: the load alone leaves most of llama.cpp's compute buffer untouched
(not resident), while a full context touches the attention scores of a whole prompt chunk.
Weights need no extra touching: on Linux llama.cpp maps the file with MAP_POPULATE, so they are
resident right after the load.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktopchat.models.fit import FitEstimate

MEASURE = r"""
import json, os, subprocess, sys, threading

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


def measure_resident(model: Path, n_ctx: int, timeout: float = 600) -> dict[str, int]:
    """``{"load": bytes after the load, "in_use": bytes after a reply at a full context,
    "prompt": its tokens}``, measured in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(model), str(n_ctx)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def describe(what: str, est: FitEstimate, measured: dict[str, int]) -> str:
    mib = 2**20
    return (f"{what}: estimated {est.total_bytes / mib:.1f} MiB (weights "
            f"{est.weights_bytes / mib:.1f}, kv {est.kv_cache_bytes / mib:.1f}, overhead "
            f"{est.overhead_bytes / mib:.1f}), measured {measured['in_use'] / mib:.1f} MiB in use "
            f"({measured['load'] / mib:.1f} after the load alone, prompt {measured['prompt']} "
            "tokens)")
