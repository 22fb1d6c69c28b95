"""Device listing and the load fallback, without a GPU: ggml's registry as plain values, and the
fallback chain driven by a load function that fails the way a refusing device does."""

from __future__ import annotations

import pytest

from desktopchat.engine.devices import RawDevice, describe_devices, list_devices, with_llama_indices
from desktopchat.engine.placement import info_fields, llama_kwargs, load_placed, placement_text
from desktopchat.models.offload import DeviceInfo, OffloadPlan

GiB = 2**30


def raw(name: str, kind: str, backend: str, device_id: str = "", free: int = 8 * GiB,
        description: str = "") -> RawDevice:
    return RawDevice(name, description or name, backend, kind, free, free, device_id)


def test_llama_cpp_device_order_is_reproduced():
    devices = with_llama_indices([
        raw("CUDA0", "gpu", "CUDA", "0000:01:00.0"),
        raw("Vulkan0", "gpu", "Vulkan", "0000:01:00.0"),  # the same card through Vulkan
        raw("Vulkan1", "igpu", "Vulkan", "0000:00:02.0"),
        raw("Vulkan2", "gpu", "Vulkan", "0000:02:00.0"),
        raw("CPU", "cpu", "CPU"),
    ])
    index = {d.name: d.llama_index for d in devices}
    # discrete GPUs once per PCI id; the integrated one only when there is no discrete GPU
    assert index == {"CUDA0": 0, "Vulkan0": -1, "Vulkan1": -1, "Vulkan2": 1, "CPU": -1}
    only_igpu = with_llama_indices([raw("Vulkan0", "igpu", "Vulkan"), raw("CPU", "cpu", "CPU")])
    assert [d.llama_index for d in only_igpu] == [0, -1]


def test_this_machine_lists_at_least_its_cpu():
    devices = list_devices()
    assert any(d.kind == "cpu" for d in devices), devices
    lines = describe_devices(devices)
    assert len(lines) == len(devices)
    assert any(line.startswith("CPU: ") and "free of" in line for line in lines), lines


def test_device_lines_say_what_each_device_is():
    lines = describe_devices([
        DeviceInfo("CUDA0", "NVIDIA GeForce RTX 4070", "CUDA", "gpu", 11 * GiB, 12 * GiB, 0),
        DeviceInfo("Vulkan0", "llvmpipe (LLVM 15.0.6, 256 bits)", "Vulkan", "gpu", GiB, GiB, 1),
        DeviceInfo("Vulkan1", "Intel Iris Xe", "Vulkan", "igpu", GiB, GiB, -1),
    ])
    assert lines[0] == "CUDA0: NVIDIA GeForce RTX 4070 (CUDA, GPU, 11.0 GB free of 12.0 GB)"
    assert lines[1].endswith("(software device: never chosen automatically)")
    assert lines[2].endswith("(not used: llama.cpp prefers another GPU)")


def _plan(k: int = 31) -> OffloadPlan:
    dev = DeviceInfo("Vulkan0", "Radeon", "Vulkan", "gpu", 8 * GiB, 8 * GiB, 0)
    return OffloadPlan(dev, k, 31, 100, 200, "reason")


def test_a_refused_load_retries_with_fewer_layers_then_the_cpu():
    tried: list[dict[str, int]] = []

    def refuse_gpu(kwargs: dict[str, int]) -> str:
        tried.append(kwargs)
        if kwargs["n_gpu_layers"] > 0:
            raise ValueError("Failed to load model from file: out of device memory")
        return "model"

    llm, placed = load_placed(_plan(), refuse_gpu)
    assert llm == "model"
    assert [t["n_gpu_layers"] for t in tried] == [31, 15, 0]
    assert [t["main_gpu"] for t in tried] == [0, 0, -1]  # the CPU step uses no device at all
    assert placed.text == "CPU" and placed.n_gpu_layers == 0
    assert placed.notice == ("Vulkan0 could not load this model (not enough GPU memory, or a "
                             "driver error), so it runs on the CPU; it may be slower.")
    assert info_fields(placed)["fallback_notice"] == placed.notice


def test_half_the_layers_is_enough_when_the_device_takes_them():
    def take_half(kwargs: dict[str, int]) -> str:
        if kwargs["n_gpu_layers"] > 20:
            raise RuntimeError("vk::Device::allocateMemory: ErrorOutOfDeviceMemory")
        return "model"

    _llm, placed = load_placed(_plan(), take_half)
    assert placed.n_gpu_layers == 15 and placed.text == "GPU + CPU 15/31 layers (Vulkan0)"
    assert "so 15 of 31 run on it and the rest on the CPU" in placed.notice


def test_a_cpu_failure_is_the_models_own_and_is_raised():
    def broken(_kwargs: dict[str, int]) -> str:
        raise ValueError("Failed to load model from file")

    with pytest.raises(ValueError, match="Failed to load"):
        load_placed(_plan(), broken)


def test_a_plan_that_fits_loads_once_and_says_nothing():
    calls = []
    _llm, placed = load_placed(_plan(), lambda kw: calls.append(kw) or "model")
    assert len(calls) == 1 and placed.notice == "" and placed.text == "GPU (Vulkan0)"
    assert llama_kwargs(_plan(), 31)["split_mode"] == 0  # single-device mode
    assert placement_text(_plan(), 0) == "CPU"
