"""Loading a model where the offload plan says, and falling back when the device refuses.

The plan (:mod:`desktopchat.models.offload`) is an estimate. When a load with offload fails
anyway (out of device memory, a driver error), the load is retried with half the layers, then on
the CPU alone; the model is never left unloaded because of the GPU, and the user gets one
sentence saying what happened (``ModelInfo.fallback_notice``).

llama.cpp runs in single-device mode (``split_mode=NONE``): ``main_gpu`` names the one device
the plan was sized for, and a CPU load passes ``main_gpu=-1``, which leaves every GPU out of the
context (no device buffers, no operations copied to a GPU during prompt processing).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import llama_cpp

from desktopchat.engine.devices import list_devices
from desktopchat.engine.types import LoadRequest
from desktopchat.models.fit import MemoryInfo
from desktopchat.models.gguf import GGUFInfo, read_gguf
from desktopchat.models.offload import (
    OffloadPlan,
    describe,
    fallback_layers,
    fallback_notice,
    plan_offload,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Placement:
    """Where a load ended up."""

    plan: OffloadPlan
    n_gpu_layers: int
    text: str  # "GPU (Vulkan0)", "GPU + CPU 15/31 layers (Vulkan0)", "CPU"
    notice: str  # one sentence when the plan had to be cut back; else ""


def plan_for(req: LoadRequest, n_ctx: int, header: GGUFInfo | None = None) -> OffloadPlan:
    """The offload plan for ``req`` on the devices present now."""
    info = header if header is not None else read_gguf(req.path)
    memory = MemoryInfo.current()
    return plan_offload(
        info, n_ctx, list_devices(), choice=req.device, gpu_layers=req.n_gpu_layers,
        cap_bytes=req.device_memory_cap,
        host_available=memory.available_bytes if memory is not None else 0,
    )


def llama_kwargs(plan: OffloadPlan, n_gpu_layers: int) -> dict[str, Any]:
    """What ``llama_cpp.Llama`` gets for ``n_gpu_layers`` of ``plan``."""
    return {
        "n_gpu_layers": n_gpu_layers,
        "split_mode": llama_cpp.LLAMA_SPLIT_MODE_NONE,
        "main_gpu": plan.main_gpu if n_gpu_layers > 0 else -1,
    }


def placement_text(plan: OffloadPlan, n_gpu_layers: int) -> str:
    """The status bar's words for where the model runs."""
    used = plan.with_layers(n_gpu_layers, plan.reason)
    text = describe(used)
    return f"{text} ({used.device.name})" if used.on_gpu and used.device is not None else text


def _cause(exc: Exception) -> str:
    """The failure in the user's words. llama-cpp-python reports every failed load with the same
    few words ("Failed to load model from file", "Failed to create llama_context"), whether the
    device ran out of memory or its driver failed; llama.cpp's own log, in the log file, says
    which (the warning below keeps the traceback too)."""
    del exc
    return "not enough GPU memory, or a driver error"


def load_placed(plan: OffloadPlan, attempt: Callable[[dict[str, Any]], T]) -> tuple[T, Placement]:
    """Call ``attempt`` with the Llama keyword arguments of each fallback step until one loads.

    The CPU step's failure is the model's own (a broken file, too little memory): it is raised.
    """
    first_error = ""
    steps = fallback_layers(plan)
    for k in steps:
        try:
            llm = attempt(llama_kwargs(plan, k))
        except Exception as exc:
            if k == steps[-1]:
                raise
            first_error = first_error or _cause(exc)
            log.warning("loading with %d GPU layers on %s failed; retrying with fewer", k,
                        plan.device.name if plan.device else "?", exc_info=True)
            gc.collect()  # a half-built model or context gives its device memory back
            continue
        notice = fallback_notice(plan, k, first_error)
        if notice:
            log.warning("%s", notice)
        return llm, Placement(plan, k, placement_text(plan, k), notice)
    raise AssertionError("fallback_layers always ends with a step")  # pragma: no cover



def info_fields(placed: Placement | None) -> dict[str, Any]:
    """``ModelInfo``'s placement fields for a load (a load without a plan ran on the CPU)."""
    if placed is None:
        return {"placement": "CPU", "fallback_notice": "", "n_gpu_layers": 0}
    return {"placement": placed.text, "fallback_notice": placed.notice,
            "n_gpu_layers": placed.n_gpu_layers}
