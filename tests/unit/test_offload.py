"""The offload planner (Qt-free, no llama.cpp): which device, how many layers, and why.

Devices are plain values here (a discrete GPU, an integrated one, Apple's Metal, Mesa's
lavapipe), so every branch runs on a machine without a GPU; the real devices are exercised by
tests/integration/test_gpu_lavapipe.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktopchat.models.fit import estimate_fit
from desktopchat.models.gguf import GGUFInfo, TensorInfo, read_gguf
from desktopchat.models.offload import (
    DEVICE_RESERVE,
    DeviceInfo,
    budget_for,
    describe,
    fallback_layers,
    fallback_notice,
    layer_costs,
    plan_offload,
)
from desktopchat.models.starter import starter_model_path

GiB = 2**30
MiB = 2**20


def fake_model(n_blocks: int = 32, block_bytes: int = 30 * MiB, n_embd: int = 2048,
               vocab: int = 49152, tied: bool = False) -> GGUFInfo:
    """A llama-shaped header: ``n_blocks`` blocks of ``block_bytes`` weights each."""
    meta = {
        "general.architecture": "llama",
        "llama.block_count": n_blocks,
        "llama.embedding_length": n_embd,
        "llama.feed_forward_length": 4 * n_embd,
        "llama.attention.head_count": 32,
        "llama.attention.head_count_kv": 8,
        "llama.context_length": 8192,
        "tokenizer.ggml.tokens": ["t"] * 64,
        "llama.vocab_size": vocab,
    }
    tensors = [TensorInfo("token_embd.weight", (n_embd, vocab), 12, 0, vocab * n_embd // 2)]
    for i in range(n_blocks):
        tensors.append(TensorInfo(f"blk.{i}.attn_q.weight", (n_embd, n_embd), 12, 0,
                                  block_bytes // 2))
        tensors.append(TensorInfo(f"blk.{i}.ffn_up.weight", (n_embd, n_embd), 12, 0,
                                  block_bytes - block_bytes // 2))
    tensors.append(TensorInfo("output_norm.weight", (n_embd,), 0, 0, 4 * n_embd))
    if not tied:
        tensors.append(TensorInfo("output.weight", (n_embd, vocab), 14, 0, vocab * n_embd))
    return GGUFInfo(Path("fake.gguf"), 3, 0, meta, tensors)


def gpu(free: int, name: str = "Vulkan0", kind: str = "gpu", backend: str = "Vulkan",
        description: str = "Radeon RX 7600", index: int = 0) -> DeviceInfo:
    return DeviceInfo(name, description, backend, kind, free, free, index)


CPU_DEV = DeviceInfo("CPU", "AMD EPYC", "CPU", "cpu", 64 * GiB, 64 * GiB, -1)


def test_costs_split_every_byte_of_the_model_into_llama_cpp_layers():
    info = fake_model()
    costs = layer_costs(info, 4096)
    assert costs.n_layers == 33  # 32 blocks + the output layer, as llama.cpp counts them
    weights = sum(costs.block_weights) + costs.input_bytes + costs.output_bytes
    assert weights == info.tensor_bytes
    # the KV cache is spread over the blocks: the fit badge's figure, split by layer
    kv = sum(costs.blocks) - sum(costs.block_weights)
    assert abs(kv - estimate_fit(info, 4096).kv_cache_bytes) < 32
    # k layers are the last k blocks; the output layer only with all of them
    assert costs.device_bytes(0) == 0
    assert costs.device_bytes(1) == costs.blocks[-1] + costs.compute_bytes
    assert costs.device_bytes(33) - costs.device_bytes(32) == costs.output_bytes


def test_tied_embeddings_are_copied_to_the_output_layer():
    tied = layer_costs(fake_model(tied=True), 2048)
    assert tied.output_bytes >= tied.input_bytes  # llama.cpp duplicates them onto the device


def test_costs_of_the_real_starter_model():
    info = read_gguf(starter_model_path())
    costs = layer_costs(info, 2048)
    assert costs.n_layers == 31  # llama.cpp logs "offloaded 31/31 layers" for SmolLM2
    # its output matrix is the token embeddings (tied): counted once more, on the device
    assert not any(t.name == "output.weight" for t in info.tensors)
    assert sum(costs.block_weights) + costs.output_bytes == info.tensor_bytes


def test_a_hostile_layer_count_is_bounded_before_anything_is_sized_by_it():
    """The engine plans before llama.cpp reads the file: 2**32-1 blocks must not size a list."""
    info = fake_model(n_blocks=2)
    info.metadata["llama.block_count"] = 2**32 - 1
    costs = layer_costs(info, 2048)
    assert costs.n_layers == 512 + 1  # llama.cpp's layer maximum, plus the output layer
    assert sum(costs.block_weights) == 2 * 30 * MiB


def test_everything_goes_to_a_gpu_it_fits_on():
    plan = plan_offload(fake_model(), 4096, [CPU_DEV, gpu(12 * GiB)])
    assert plan.n_gpu_layers == plan.n_layers == 33
    assert describe(plan) == "GPU" and plan.main_gpu == 0
    assert plan.device_bytes <= plan.budget_bytes
    assert plan.reason.startswith("All 33 layers fit on Vulkan0 (Radeon RX 7600)")


def test_as_many_layers_as_fit_and_the_rest_on_the_cpu():
    info = fake_model()
    costs = layer_costs(info, 4096)
    free = DEVICE_RESERVE + int(costs.device_bytes(20) / 0.9) + MiB  # 20 layers and a bit
    plan = plan_offload(info, 4096, [CPU_DEV, gpu(free)])
    assert plan.n_gpu_layers == 20
    assert costs.device_bytes(20) <= plan.budget_bytes < costs.device_bytes(21)
    assert describe(plan) == "GPU + CPU 20/33 layers"
    assert "20 of 33 layers fit on Vulkan0" in plan.reason and "rest runs on the CPU" in plan.reason


def test_the_cpu_when_too_little_would_fit_to_help():
    info = fake_model()
    costs = layer_costs(info, 4096)
    free = DEVICE_RESERVE + int(costs.device_bytes(2) / 0.9)  # 2 of 33: under a tenth
    plan = plan_offload(info, 4096, [CPU_DEV, gpu(free)])
    assert plan.n_gpu_layers == 0 and not plan.on_gpu and plan.main_gpu == -1
    assert describe(plan) == "CPU"
    assert plan.reason.startswith("Runs on the CPU: Vulkan0")


def test_the_cap_in_settings_bounds_the_automatic_choice():
    info = fake_model()
    costs = layer_costs(info, 4096)
    cap = costs.device_bytes(10)
    plan = plan_offload(info, 4096, [gpu(24 * GiB)], cap_bytes=cap)
    assert plan.n_gpu_layers == 10 and plan.budget_bytes == cap


def test_no_gpu_means_the_cpu_with_a_reason():
    plan = plan_offload(fake_model(), 4096, [CPU_DEV])
    assert describe(plan) == "CPU"
    assert plan.reason == "Runs on the CPU: no GPU that llama.cpp can use was found."
    assert plan_offload(fake_model(), 4096, []).n_gpu_layers == 0


def test_auto_never_chooses_a_software_device():
    lavapipe = gpu(64 * GiB, description="llvmpipe (LLVM 15.0.6, 256 bits)")
    assert lavapipe.software
    assert not plan_offload(fake_model(), 4096, [CPU_DEV, lavapipe]).on_gpu
    # named explicitly (what the GPU tests do), it is used and sized like any device
    named = plan_offload(fake_model(), 4096, [CPU_DEV, lavapipe], choice="Vulkan0")
    assert named.on_gpu and named.n_gpu_layers == 33


def test_manual_choices():
    devices = [CPU_DEV, gpu(1 * GiB, "CUDA0", backend="CUDA", description="RTX 3050", index=0),
               gpu(16 * GiB, "CUDA1", backend="CUDA", description="RTX 4080", index=1)]
    info = fake_model()
    assert plan_offload(info, 4096, devices).device.name == "CUDA1"  # most free memory
    small = plan_offload(info, 4096, devices, choice="CUDA0")
    assert small.device.name == "CUDA0" and small.main_gpu == 0
    assert 0 < small.n_gpu_layers < 33  # sized to that device
    fixed = plan_offload(info, 4096, devices, choice="CUDA0", gpu_layers=30)
    assert fixed.n_gpu_layers == 30  # the user's count, even past the estimate
    assert "as set in this model's settings" in fixed.reason
    assert plan_offload(info, 4096, devices, gpu_layers=99).n_gpu_layers == 33
    cpu = plan_offload(info, 4096, devices, choice="cpu")
    assert not cpu.on_gpu and cpu.reason == "Runs on the CPU, as set in this model's settings."
    assert not plan_offload(info, 4096, devices, gpu_layers=0).on_gpu
    gone = plan_offload(info, 4096, devices, choice="Vulkan3")
    assert gone.device.name == "CUDA1"
    assert gone.reason.startswith("Vulkan3 is not available here. All 33 layers fit on CUDA1")


def test_integrated_gpus_share_the_systems_memory():
    igpu = gpu(32 * GiB, kind="igpu", description="Intel Iris Xe", index=0)
    assert igpu.shares_host_memory
    # the device reports the system's heap; what is free in the system bounds it
    assert budget_for(igpu, host_available=4 * GiB) == int((4 * GiB - DEVICE_RESERVE) * 0.9)
    plan = plan_offload(fake_model(), 4096, [CPU_DEV, igpu], host_available=1 * GiB)
    assert plan.n_gpu_layers < 33
    # a discrete GPU comes first
    dgpu = gpu(8 * GiB, "Vulkan1", index=0)
    assert plan_offload(fake_model(), 4096, [igpu, dgpu]).device.name == "Vulkan1"


def test_a_mac_offloads_everything_to_metal_when_it_fits():
    # ggml-metal's device: "MTL0" of the "MTL" backend, a GPU whose free memory is macOS's
    # working-set budget less what is allocated
    metal = DeviceInfo("MTL0", "Apple M2", "MTL", "gpu", 10 * GiB, 10 * GiB, 0)
    assert metal.shares_host_memory
    plan = plan_offload(fake_model(), 4096, [metal, CPU_DEV], host_available=3 * GiB)
    assert describe(plan) == "GPU" and plan.device.name == "MTL0"  # weights mapped, not copied
    small = DeviceInfo("MTL0", "Apple M1", "MTL", "gpu", GiB, GiB, 0)
    assert 0 < plan_offload(fake_model(), 4096, [small, CPU_DEV]).n_gpu_layers < 33


def test_fallback_steps_and_the_sentence_that_says_so():
    plan = plan_offload(fake_model(), 4096, [gpu(12 * GiB)])
    assert fallback_layers(plan) == [33, 16, 0]
    assert fallback_layers(plan_offload(fake_model(), 4096, [])) == [0]
    assert fallback_notice(plan, 33, "") == ""
    assert fallback_notice(plan, 16, "out of device memory") == (
        "Vulkan0 could not take 33 layers of this model (out of device memory), so 16 of 33 run "
        "on it and the rest on the CPU.")
    assert fallback_notice(plan, 0, "driver error") == (
        "Vulkan0 could not load this model (driver error), so it runs on the CPU; "
        "it may be slower.")


@pytest.mark.parametrize("ctx", [512, 4096, 8192])
def test_a_longer_context_never_fits_more_layers(ctx):
    info = fake_model()
    short = plan_offload(info, 512, [gpu(3 * GiB)])
    longer = plan_offload(info, ctx, [gpu(3 * GiB)])
    assert longer.n_gpu_layers <= short.n_gpu_layers
