"""The devices llama.cpp can compute on, read through ggml's device registry.

llama-cpp-python binds llama.h but not ggml-backend.h, so the few device functions are called
through ctypes on the ggml library llama.cpp itself uses (``backends._ggml_function``): after
:func:`desktopchat.engine.backends.load_backends` the registry holds the CPU backend and, in a
build that has them, the Vulkan, CUDA or Metal devices. A portable build without a usable
Vulkan device (no driver, no loader) simply lists the CPU.

Each device also gets its index in llama.cpp's own list of offload devices, which is what
``main_gpu`` means in single-device mode (``src/llama.cpp``, ``llama_model_load_from_file``):
RPC servers first, then discrete GPUs (one per PCI id: a card seen by both CUDA and Vulkan is
used once), then integrated GPUs only when there is no discrete one.

Mesa's lavapipe is a CPU-type Vulkan device: ggml-vulkan skips it unless
``GGML_VK_VISIBLE_DEVICES`` names it (only the GPU tests do), and then reports it as a GPU; the
planner recognises it by name and never picks it automatically.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass

from desktopchat.engine.backends import _ggml_function, load_backends
from desktopchat.engine.native import install_log_router
from desktopchat.models.offload import DeviceInfo, describe_device

log = logging.getLogger(__name__)

# enum ggml_backend_dev_type (ggml-backend.h)
_KINDS = {0: "cpu", 1: "gpu", 2: "igpu", 3: "accel", 4: "meta"}


class _Caps(ctypes.Structure):
    _fields_ = [("async_", ctypes.c_bool), ("host_buffer", ctypes.c_bool),
                ("buffer_from_host_ptr", ctypes.c_bool), ("events", ctypes.c_bool),
                ("mmap_support", ctypes.c_bool)]


class _Props(ctypes.Structure):
    """struct ggml_backend_dev_props (ggml-backend.h of the llama.cpp llama-cpp-python ships)."""

    _fields_ = [("name", ctypes.c_char_p), ("description", ctypes.c_char_p),
                ("memory_free", ctypes.c_size_t), ("memory_total", ctypes.c_size_t),
                ("type", ctypes.c_int), ("device_id", ctypes.c_char_p), ("caps", _Caps)]


@dataclass(frozen=True)
class RawDevice:
    """One registry entry as ggml reports it, before llama.cpp's selection is applied."""

    name: str
    description: str
    backend: str
    kind: str
    free_bytes: int
    total_bytes: int
    device_id: str = ""  # PCI bus id when the backend knows it


def _fn(name: str, argtypes: list[type], restype: type | None) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    f = _ggml_function(name)
    f.argtypes = argtypes
    f.restype = restype
    return f


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def read_registry() -> list[RawDevice]:
    """Every device in ggml's registry (loading the backends first if needed)."""
    install_log_router()  # ggml logs while it loads the backends: into logging, not stderr
    load_backends()
    vp = ctypes.c_void_p
    count = _fn("ggml_backend_dev_count", [], ctypes.c_size_t)
    get = _fn("ggml_backend_dev_get", [ctypes.c_size_t], vp)
    props_of = _fn("ggml_backend_dev_get_props", [vp, ctypes.POINTER(_Props)], None)
    reg_of = _fn("ggml_backend_dev_backend_reg", [vp], vp)
    reg_name = _fn("ggml_backend_reg_name", [vp], ctypes.c_char_p)
    found = []
    for i in range(int(count())):
        dev = get(i)
        if not dev:
            continue
        props = _Props()
        props_of(dev, ctypes.byref(props))
        reg = reg_of(dev)
        found.append(RawDevice(
            name=_text(props.name), description=_text(props.description),
            backend=_text(reg_name(reg)) if reg else "", kind=_KINDS.get(props.type, "accel"),
            free_bytes=int(props.memory_free), total_bytes=int(props.memory_total),
            device_id=_text(props.device_id),
        ))
    return found


def with_llama_indices(raw: list[RawDevice]) -> list[DeviceInfo]:
    """Attach llama.cpp's offload index (``main_gpu``) the way llama.cpp builds its list."""
    rpc: list[int] = []
    gpus: list[int] = []
    igpus: list[int] = []
    seen_ids: set[str] = set()
    for i, d in enumerate(raw):
        if d.kind == "gpu":
            if d.backend == "RPC":
                rpc.append(i)
            elif not d.device_id or d.device_id not in seen_ids:
                gpus.append(i)
                if d.device_id:
                    seen_ids.add(d.device_id)
        elif d.kind == "igpu" and (not igpus or raw[igpus[-1]].backend == d.backend):
            igpus.append(i)
    order = rpc + gpus + (igpus if not gpus else [])
    index = {dev: pos for pos, dev in enumerate(order)}
    return [DeviceInfo(d.name, d.description, d.backend, d.kind, d.free_bytes, d.total_bytes,
                       index.get(i, -1)) for i, d in enumerate(raw)]


def list_devices() -> list[DeviceInfo]:
    """The devices llama.cpp sees now (free memory is read at this moment)."""
    try:
        return with_llama_indices(read_registry())
    except (AttributeError, OSError):  # a llama.cpp without ggml's device API
        log.warning("could not list llama.cpp's devices", exc_info=True)
        return []


def describe_devices(devices: list[DeviceInfo] | None = None) -> list[str]:
    """Every device as one line (what the settings dialog and ``--self-test`` print)."""
    return [describe_device(d) for d in (list_devices() if devices is None else devices)]
