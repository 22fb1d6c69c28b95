"""Where a model runs: how many of its layers go to a GPU, chosen from the GGUF header and the
device's memory before anything is loaded (Qt-free, no llama_cpp).

llama.cpp offloads a model by layers, counted from the last one: ``n_gpu_layers = k`` puts the
last ``k`` repeating blocks on the GPU, and ``k = block_count + 1`` adds the output layer (the
final norm and the output matrix; llama.cpp's log reports it as "offloaded 31/31 layers" for a
30-block model). The input embeddings always stay on the CPU. What a device needs for ``k``
layers:

- **weights**: the tensor bytes of those blocks (``blk.N.*``), plus the output matrix (or the
  token embeddings it is tied to, which llama.cpp then copies to the device) when all fit;
- **KV cache**: the offloaded blocks' share at the chosen context (llama.cpp keeps each layer's
  cache on the device that computes it), counted as the fit badge counts it
  (:func:`desktopchat.models.fit.kv_cache_bytes`);
- **compute buffer**: the activations of one micro-batch (512 tokens: llama-cpp-python's
  ``n_ubatch``) and its logits (llama.cpp reserves for every token of the micro-batch being an
  output: 96 MiB for SmolLM2's 49,152-token vocabulary).

Checked against the buffers llama.cpp logs on a Vulkan device (Mesa's lavapipe, fully
offloaded, 2,048-token context): SmolLM2 needs 235 MiB and the estimate is 259 MiB (+10%;
tests/integration/test_gpu_lavapipe.py asserts it never undershoots); the synthetic 1.5B model
(benchmarks/synthetic.py) needs 969 MiB, estimated 1,008 MiB (+4%). Gemma 3 270M's output
matrix (170 MB) is over lavapipe's storage-buffer limit, so lavapipe leaves it and the logits
on the CPU (122 MiB on the device against 808 MiB estimated): a device with such a limit is
overestimated, never under.

Against: the device's free memory, less a fixed reserve for the driver and the context, times a
safety share (Ollama's estimates overshoot on exactly this and crash); never more than the
app-wide cap when one is set. Everything goes to the device when it fits; otherwise the largest
``k`` that fits; the CPU when fewer than a tenth of the layers would fit (the GPU would mostly
copy). Integrated GPUs share the system's memory: their budget is also bounded by the memory
free now, and offloading does not lower what the system must hold. Apple's Metal reports its own
working-set budget and maps the weights, so a model that fits goes there whole. Software
devices (Mesa's lavapipe, SwiftShader) are never chosen automatically: they are slower than the
CPU backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from desktopchat.models.fit import kv_cache_bytes, n_vocab
from desktopchat.models.gguf import GGUFInfo
from desktopchat.models.hparams import LLAMA_MAX_LAYERS

MiB = 1024 * 1024
DEVICE_RESERVE = 256 * MiB  # driver, context and fragmentation, kept free on any device
DEVICE_SHARE = 0.90  # of what is left after the reserve
MIN_USEFUL_SHARE = 0.10  # fewer layers than this share on the GPU: stay on the CPU
N_UBATCH = 512  # llama-cpp-python's micro-batch: what the compute buffer is sized for
SOFTWARE_DEVICES = ("llvmpipe", "lavapipe", "swiftshader", "softpipe")

AUTO = "auto"
CPU = "cpu"


@dataclass(frozen=True)
class DeviceInfo:
    """A device llama.cpp can compute on, as ggml reports it (plain values)."""

    name: str  # ggml's device name: "Vulkan0", "CUDA0", "Metal", "CPU"
    description: str  # the hardware: "NVIDIA GeForce RTX 4070", "AMD Ryzen 7 …"
    backend: str  # the ggml backend: "Vulkan", "CUDA", "Metal", "CPU"
    kind: str  # "cpu" | "gpu" | "igpu" | "accel"
    free_bytes: int
    total_bytes: int
    # Its position in llama.cpp's own list of offload devices (``main_gpu``); -1 when llama.cpp
    # would not offload to it (the CPU, an integrated GPU beside a discrete one, a duplicate).
    llama_index: int = -1

    @property
    def software(self) -> bool:
        """A device that only emulates a GPU on the CPU (slower than the CPU backend)."""
        text = f"{self.name} {self.description}".lower()
        return any(s in text for s in SOFTWARE_DEVICES)

    @property
    def is_gpu(self) -> bool:
        return self.kind in ("gpu", "igpu")

    @property
    def shares_host_memory(self) -> bool:
        """Integrated GPUs and Apple silicon: the device's memory is the system's memory."""
        return self.kind == "igpu" or self.backend in ("MTL", "Metal")

    @property
    def usable(self) -> bool:
        return self.is_gpu and self.llama_index >= 0

    def label(self) -> str:
        return f"{self.name} ({self.description})" if self.description else self.name


@dataclass(frozen=True)
class LayerCosts:
    """Device bytes per repeating block (weights + KV), of the output layer, and of compute."""

    blocks: tuple[int, ...]
    block_weights: tuple[int, ...]
    output_bytes: int
    input_bytes: int  # token embeddings: always on the CPU
    compute_bytes: int

    @property
    def n_layers(self) -> int:
        """llama.cpp's count: the blocks plus the output layer."""
        return len(self.blocks) + 1

    def device_bytes(self, k: int) -> int:
        """What the device holds with ``n_gpu_layers = k``."""
        k = max(0, min(k, self.n_layers))
        if k == 0:
            return 0
        n = len(self.blocks)
        held = sum(self.blocks[n - min(k, n):])
        if k > n:
            held += self.output_bytes
        return held + self.compute_bytes

    def weights_on_device(self, k: int) -> int:
        n = len(self.blocks)
        held = sum(self.block_weights[n - min(max(k, 0), n):]) if k > 0 else 0
        return held + (self.output_bytes if k > n else 0)


def _block_index(name: str) -> int:
    if not name.startswith("blk."):
        return -1
    head = name[4:].split(".", 1)[0]
    return int(head) if head.isdigit() else -1


def layer_costs(info: GGUFInfo, n_ctx: int) -> LayerCosts:
    """Split the model's bytes by llama.cpp's offload layers (see the module docstring)."""
    # bounded like fit.py: a hostile count (2**32-1) must not size a list here; the model
    # checks refuse such a file, and the engine plans before llama.cpp reads it
    n_blocks = min(max(0, int(info.arch_value("block_count", 0) or 0)), LLAMA_MAX_LAYERS)
    if info.context_length:
        n_ctx = min(n_ctx, info.context_length)
    weights = [0] * n_blocks
    output = 0
    embd = 0
    has_output = False
    for t in info.tensors:
        i = _block_index(t.name)
        if 0 <= i < n_blocks:
            weights[i] += t.nbytes
        elif t.name.startswith("token_embd."):
            embd += t.nbytes
        else:  # output, output_norm, rope tables, …: they go with the output layer
            output += t.nbytes
            has_output = has_output or t.name == "output.weight"
    if not has_output:
        output += embd  # tied embeddings: llama.cpp copies them to the output layer's device
    kv, _note = kv_cache_bytes(info, n_ctx)
    kv_per_block = kv // n_blocks if n_blocks else 0
    blocks = tuple(w + kv_per_block for w in weights)
    return LayerCosts(blocks, tuple(weights), output, embd, compute_bytes(info, n_ctx))


def compute_bytes(info: GGUFInfo, n_ctx: int) -> int:
    """The device's compute buffer: one micro-batch's activations and logits."""
    n_embd = int(info.arch_value("embedding_length", 0) or 0)
    ff = info.arch_value("feed_forward_length")
    n_ff = int(max(ff) if isinstance(ff, list) and ff else ff or 4 * n_embd)
    n_head = int(info.arch_value("attention.head_count", 1) or 1)
    ubatch = min(N_UBATCH, max(1, n_ctx))
    activations = ubatch * 4 * (2 * n_embd + n_ff)
    # flash attention's scratch: one tile of scores per head against the context, in f16
    attention = ubatch * n_head * min(n_ctx, 256) * 2 * 2
    logits = ubatch * n_vocab(info) * 4
    return activations + attention + logits + 16 * MiB


@dataclass(frozen=True)
class OffloadPlan:
    """Where a load will put the model, and why (a plain sentence for the fit badge)."""

    device: DeviceInfo | None  # None: the CPU alone
    n_gpu_layers: int  # what llama.cpp gets
    n_layers: int  # llama.cpp's count (blocks + output layer)
    device_bytes: int  # expected on the device
    budget_bytes: int  # what the device may take (0: not computed)
    reason: str
    requested: str = AUTO  # "auto", "cpu" or a device name

    @property
    def on_gpu(self) -> bool:
        return self.device is not None and self.n_gpu_layers > 0

    @property
    def main_gpu(self) -> int:
        """llama.cpp's ``main_gpu`` (single-device mode); -1: no device at all."""
        return self.device.llama_index if self.on_gpu and self.device is not None else -1

    def with_layers(self, k: int, reason: str, costs: LayerCosts | None = None) -> OffloadPlan:
        k = max(0, min(k, self.n_layers))
        device = self.device if k > 0 else None
        held = costs.device_bytes(k) if costs is not None else 0
        return replace(self, device=device, n_gpu_layers=k, device_bytes=held, reason=reason)


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def budget_for(device: DeviceInfo, cap_bytes: int = 0, host_available: int = 0) -> int:
    """Bytes a model may take on ``device``: free memory less the reserve, times the safety
    share; bounded by the app's cap, and for an integrated GPU by the system's free memory (its
    driver reports a heap as large as the system's memory, and the weights are copied into it).
    Apple's Metal is not bounded so: it reports its own working-set budget (what macOS lets the
    GPU wire, less what is allocated) and maps the model's weights instead of copying them."""
    free = device.free_bytes
    if device.kind == "igpu" and host_available > 0:
        free = min(free, host_available)
    budget = int(max(0, free - DEVICE_RESERVE) * DEVICE_SHARE)
    if cap_bytes > 0:
        budget = min(budget, cap_bytes)
    return budget


def layers_that_fit(costs: LayerCosts, budget: int) -> int:
    k = costs.n_layers
    while k > 0 and costs.device_bytes(k) > budget:
        k -= 1
    return k


def pick_device(devices: list[DeviceInfo]) -> DeviceInfo | None:
    """Auto: a real (not software) GPU llama.cpp would offload to; discrete before integrated,
    then the most free memory."""
    usable = [d for d in devices if d.usable and not d.software]
    if not usable:
        return None
    return max(usable, key=lambda d: (d.kind == "gpu", d.free_bytes))


def plan_offload(
    info: GGUFInfo,
    n_ctx: int,
    devices: list[DeviceInfo],
    choice: str = AUTO,
    gpu_layers: int = -1,
    cap_bytes: int = 0,
    host_available: int = 0,
) -> OffloadPlan:
    """Plan a load of ``info`` at ``n_ctx``. ``choice``: "auto", "cpu" or a device name;
    ``gpu_layers`` >= 0 fixes the layer count (the user's override), -1 sizes it; ``cap_bytes``
    caps the device memory used (0: no cap); ``host_available``: system memory free now."""
    costs = layer_costs(info, n_ctx)
    n_layers = costs.n_layers
    cpu = OffloadPlan(None, 0, n_layers, 0, 0, "", requested=choice or AUTO)
    if choice == CPU or gpu_layers == 0:
        return replace(cpu, reason="Runs on the CPU, as set in this model's settings.")
    device: DeviceInfo | None
    note = ""
    if choice and choice != AUTO:
        device = next((d for d in devices if d.name == choice), None)
        if device is None or not device.usable:
            note = f"{choice} is not available here. "
            device = pick_device(devices)
    else:
        device = pick_device(devices)
    if device is None:
        return replace(cpu, reason=_sentence(
            note, "runs on the CPU: no GPU that llama.cpp can use was found."))
    budget = budget_for(device, cap_bytes, host_available)
    plan = OffloadPlan(device, n_layers, n_layers, costs.device_bytes(n_layers), budget, "",
                       requested=choice or AUTO)
    where = device.label()
    if gpu_layers > 0:
        k = min(gpu_layers, n_layers)
        return plan.with_layers(k, _sentence(
            note, f"{k} of {n_layers} layers run on {where}, as set in this model's settings."),
            costs)
    k = layers_that_fit(costs, budget)
    full = costs.device_bytes(n_layers)
    if k == n_layers:
        return plan.with_layers(k, _sentence(
            note, f"all {n_layers} layers fit on {where}: about {_gb(full)} of the "
                  f"{_gb(budget)} it can give."), costs)
    if k < max(1, math.ceil(n_layers * MIN_USEFUL_SHARE)):
        return plan.with_layers(0, _sentence(
            note, f"runs on the CPU: {where} can give {_gb(budget)} and the model needs about "
                  f"{_gb(full)}, too little would fit to help."), costs)
    return plan.with_layers(k, _sentence(
        note, f"{k} of {n_layers} layers fit on {where} ({_gb(budget)} to give, the whole model "
              f"needs about {_gb(full)}); the rest runs on the CPU."), costs)


def _sentence(note: str, rest: str) -> str:
    return note + rest[:1].upper() + rest[1:]


def describe(plan: OffloadPlan) -> str:
    """The fit badge's and the status bar's word for it: "GPU", "GPU + CPU 22/32 layers", "CPU"."""
    if not plan.on_gpu:
        return "CPU"
    if plan.n_gpu_layers >= plan.n_layers:
        return "GPU"
    return f"GPU + CPU {plan.n_gpu_layers}/{plan.n_layers} layers"


def fallback_layers(plan: OffloadPlan) -> list[int]:
    """Layer counts to try, in order, when a load with offload fails: the plan, half of it,
    then the CPU alone."""
    steps = [plan.n_gpu_layers]
    if plan.n_gpu_layers > 1:
        steps.append(plan.n_gpu_layers // 2)
    if plan.n_gpu_layers > 0:
        steps.append(0)
    return steps


def fallback_notice(plan: OffloadPlan, used: int, error: str) -> str:
    """One sentence saying the planned offload failed and where the model runs instead."""
    if used == plan.n_gpu_layers or plan.device is None:
        return ""
    name = plan.device.name
    cause = f" ({error})" if error else ""
    if used == 0:
        return (f"{name} could not load this model{cause}, so it runs on the CPU; "
                f"it may be slower.")
    return (f"{name} could not take {plan.n_gpu_layers} layers of this model{cause}, so "
            f"{used} of {plan.n_layers} run on it and the rest on the CPU.")


def _device_size(n: int) -> str:
    return f"{n / 2**30:.1f} GB"


def describe_device(d: DeviceInfo) -> str:
    """One line for settings and ``--self-test``: name, hardware, backend, type, memory."""
    kind = {"cpu": "CPU", "gpu": "GPU", "igpu": "integrated GPU", "accel": "accelerator"}.get(
        d.kind, d.kind)
    memory = (f"{_device_size(d.free_bytes)} free of {_device_size(d.total_bytes)}"
              if d.total_bytes else "memory not reported")
    backend = "" if d.backend.lower() == kind.lower() else f"{d.backend or '?'}, "
    line = f"{d.name}: {d.description or d.name} ({backend}{kind}, {memory})"
    if d.software:
        line += " (software device: never chosen automatically)"
    elif d.is_gpu and d.llama_index < 0:
        line += " (not used: llama.cpp prefers another GPU)"
    return line
