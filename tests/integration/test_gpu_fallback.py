"""The load fallback through the real engine on SmolLM2, on any machine: a GPU that refuses the
load (the way llama.cpp reports it: an exception from ``Llama``) leaves the model loaded on the
CPU with one sentence saying so. The GPU itself is faked only at the two seams the engine reads
(the device list and the ``Llama`` constructor); everything else, the CPU load included, is real.
The same chain on a real Vulkan device: tests/integration/test_gpu_lavapipe.py."""

from __future__ import annotations

import threading
from typing import Any

import llama_cpp
import pytest

from desktopchat.chat.types import ChatMessage
from desktopchat.engine import engine as engine_module
from desktopchat.engine import hugepages, placement
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest
from desktopchat.models.offload import DeviceInfo

pytestmark = pytest.mark.realmodel
GiB = 2**30
FAKE_GPU = DeviceInfo("Vulkan0", "Radeon RX 7600", "Vulkan", "gpu", 8 * GiB, 8 * GiB, 0)


def _ask(engine: Engine) -> str:
    req = GenerationRequest(1, (ChatMessage("user", "What is the capital of France?"),),
                            GenerationParams(temperature=0.0, max_tokens=24, seed=42))
    return engine.generate(req, threading.Event(), lambda _t: None).text


@pytest.fixture
def refusing_gpu(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A GPU in the device list whose every load fails as an out-of-memory device's does."""
    tried: list[dict[str, Any]] = []
    real = llama_cpp.Llama

    def llama(*args: Any, **kwargs: Any) -> Any:
        tried.append({k: kwargs[k] for k in ("n_gpu_layers", "main_gpu", "split_mode")}
                     | {"mmap": kwargs.get("use_mmap", True)})
        if kwargs["n_gpu_layers"] > 0:
            raise ValueError("Failed to create llama_context")
        return real(*args, **kwargs)

    monkeypatch.setattr(placement, "list_devices", lambda: [FAKE_GPU])
    monkeypatch.setattr(engine_module.llama_cpp, "Llama", llama)
    return tried


def test_a_refused_gpu_load_falls_back_to_the_cpu_and_says_so(smollm2_path, refusing_gpu):
    engine = Engine()
    try:
        info = engine.load(LoadRequest("s", str(smollm2_path), n_ctx=1024, n_threads=2))
        assert [t["n_gpu_layers"] for t in refusing_gpu if t["n_gpu_layers"]][:1] == [31]
        # a GPU load keeps the file mapping; the CPU load reads the weights in for huge pages
        assert all(t["mmap"] for t in refusing_gpu if t["n_gpu_layers"])
        assert refusing_gpu[-1] == {"n_gpu_layers": 0, "main_gpu": -1, "split_mode": 0,
                                    "mmap": not hugepages.supported()}
        assert info.placement == "CPU" and info.n_gpu_layers == 0
        assert info.fallback_notice == (
            "Vulkan0 could not load this model (not enough GPU memory, or a driver error), so it "
            "runs on the CPU; it may be slower.")
        assert "Paris" in _ask(engine)
    finally:
        engine.close()


def test_cpu_only_never_touches_a_gpu(smollm2_path, refusing_gpu):
    engine = Engine()
    try:
        info = engine.load(LoadRequest("s", str(smollm2_path), n_ctx=1024, n_threads=2,
                                       device="cpu"))
        assert [t["n_gpu_layers"] for t in refusing_gpu] == [0]  # one load, no retry
        assert info.placement == "CPU" and info.fallback_notice == ""
    finally:
        engine.close()

