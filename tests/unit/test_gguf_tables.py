"""The GGUF tables come from the gguf package and agree with the bundled llama.cpp."""

from __future__ import annotations

import ctypes
import importlib.util
from pathlib import Path

import gguf

from desktopchat.models.gguf import GGML_TYPE_NAMES, GGML_TYPES, KNOWN_ARCHITECTURES


def _bundled(name: str) -> Path:
    """llama-cpp-python's own copy of libllama / libggml-base."""
    spec = importlib.util.find_spec("llama_cpp")
    assert spec is not None and spec.submodule_search_locations
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    candidates = [p for p in lib.iterdir() if p.name.startswith((f"lib{name}.", f"{name}."))]
    assert candidates, f"no {name} library in {lib}"
    return max(candidates, key=lambda p: p.stat().st_size)


def test_type_sizes_are_the_gguf_packages():
    assert GGML_TYPES[int(gguf.GGMLQuantizationType.Q4_K)] == (256, 144)
    assert GGML_TYPES[int(gguf.GGMLQuantizationType.Q8_0)] == (32, 34)
    assert GGML_TYPES[int(gguf.GGMLQuantizationType.MXFP4)] == (32, 17)
    assert GGML_TYPE_NAMES[3] == "Q4_1" and GGML_TYPE_NAMES[30] == "BF16"
    for t, sizes in gguf.GGML_QUANT_SIZES.items():
        if t != gguf.GGMLQuantizationType.Q8_1:  # activations only; the package's size is stale
            assert GGML_TYPES[int(t)] == sizes
    assert int(gguf.GGMLQuantizationType.Q8_1) not in GGML_TYPES


def test_every_type_we_accept_has_the_same_size_in_the_bundled_ggml():
    ggml = ctypes.CDLL(str(_bundled("ggml-base")))
    ggml.ggml_blck_size.restype = ctypes.c_int64
    ggml.ggml_type_size.restype = ctypes.c_size_t
    for type_id, (block, size) in GGML_TYPES.items():
        got = (ggml.ggml_blck_size(type_id), ggml.ggml_type_size(type_id))
        assert got == (block, size), f"{GGML_TYPE_NAMES[type_id]}: ggml says {got}"


def test_every_architecture_we_accept_is_in_the_bundled_llama_cpp():
    """llama.cpp's architecture names are NUL-terminated strings in its library (a name may
    share its storage with a longer one that ends with it, "qwen2" in "rwkv6qwen2")."""
    lib = _bundled("llama").read_bytes()
    missing = sorted(a for a in KNOWN_ARCHITECTURES if a.encode() + b"\0" not in lib)
    assert not missing, f"the gguf package names architectures llama.cpp lacks: {missing}"
    assert {"llama", "gemma3", "qwen3", "gpt-oss"} <= KNOWN_ARCHITECTURES
    assert "clip" not in KNOWN_ARCHITECTURES  # a vision encoder, not a chat model
    assert set(gguf.MODEL_ARCH_NAMES.values()) - KNOWN_ARCHITECTURES == {"clip"}
