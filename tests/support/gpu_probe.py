"""Runs the app's real engine in a process of its own, for the GPU tier: the test process has the
test venv's llama.cpp (no Vulkan) loaded, and ggml's Vulkan settings are read once per process.

    python gpu_probe.py '{"model": PATH, "device": "Vulkan0", "gpu_layers": -1, "cap": 0}'
    python gpu_probe.py '{"devices_only": true}'

Prints one JSON object on its last line: the devices llama.cpp sees (and their one-line
descriptions), the offload plan, and for a model: where it ended up (``ModelInfo``), the
fallback sentence, the self-test reply, and llama.cpp's own log lines about devices, offload
and buffers (the proof of where the tensors went).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import threading


class _Collect(logging.Handler):
    KEEP = ("offload", "buffer size", "using device", "ggml_vulkan", "Vulkan", "failed",
            "unable", "allocate", "error", "loaded")
    SKIP = ("assigned to device", ": dev = ")  # one line per layer

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if any(k in msg for k in self.KEEP) and not any(k in msg for k in self.SKIP):
            self.lines.append(msg[:300])


def main() -> int:
    args = json.loads(sys.argv[1])
    collect = _Collect()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    root.addHandler(collect)
    out: dict[str, object] = {}
    from desktopchat.engine import devices as dv

    found = dv.list_devices()
    out["devices"] = [dataclasses.asdict(d) | {"software": d.software} for d in found]
    out["device_lines"] = dv.describe_devices(found)
    if args.get("devices_only"):
        out["log"] = collect.lines
        print(json.dumps(out))
        return 0
    from desktopchat.app import SELF_TEST_PROMPT
    from desktopchat.chat.types import ChatMessage
    from desktopchat.engine.engine import Engine
    from desktopchat.engine.placement import plan_for
    from desktopchat.engine.types import (
        EngineError,
        GenerationParams,
        GenerationRequest,
        LoadRequest,
    )
    from desktopchat.settings import DEFAULT_SYSTEM_PROMPT

    req = LoadRequest("probe", args["model"], n_ctx=args.get("n_ctx", 2048), n_threads=2,
                      n_gpu_layers=args.get("gpu_layers", -1), device=args.get("device", "auto"),
                      device_memory_cap=args.get("cap", 0))
    plan = plan_for(req, req.n_ctx)
    out["plan"] = {"n_gpu_layers": plan.n_gpu_layers, "n_layers": plan.n_layers,
                   "device": plan.device.name if plan.device else None,
                   "device_bytes": plan.device_bytes, "budget_bytes": plan.budget_bytes,
                   "reason": plan.reason}
    engine = Engine()
    try:
        info = engine.load(req)
        out["info"] = {"placement": info.placement, "fallback_notice": info.fallback_notice,
                       "n_gpu_layers": info.n_gpu_layers}
        messages = (ChatMessage("system", DEFAULT_SYSTEM_PROMPT),
                    ChatMessage("user", SELF_TEST_PROMPT))
        gen = GenerationRequest(1, messages,
                                GenerationParams(temperature=0.0, max_tokens=24, seed=42))
        result = engine.generate(gen, threading.Event(), lambda _t: None)
        out["reply"] = result.text
        out["error"] = result.error
    except EngineError as exc:
        out["error"] = str(exc)
    finally:
        engine.close()
    out["log"] = collect.lines
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
