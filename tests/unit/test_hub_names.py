"""Quantization labels, split-file grouping and the curated catalog (no network)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from desktopchat.models.catalog import CatalogError, load_catalog, parse_catalog
from desktopchat.models.hub import HubFile, group_gguf_files, quant_label, split_info


@pytest.mark.parametrize("name, label", [
    ("Qwen3-4B-Q4_K_M.gguf", "Q4_K_M"),
    ("Llama-3.2-1B-Instruct-Q8_0.gguf", "Q8_0"),
    ("model-IQ4_XS.gguf", "IQ4_XS"),
    ("gemma-3-270m-it-BF16.gguf", "BF16"),
    ("smollm2-1.7b-instruct-q4_k_m.gguf", "Q4_K_M"),
    ("phi-f16.gguf", "F16"),
    ("sub/dir/Model-Q5_K_S-00001-of-00002.gguf", "Q5_K_S"),
    ("Model-IQ2_XXS.gguf", "IQ2_XXS"),
    ("mystery.gguf", "?"),
])
def test_quant_label(name, label):
    assert quant_label(name) == label


def test_split_files_are_one_model_and_incomplete_splits_are_dropped():
    files = [
        HubFile("big-Q4_K_M-00002-of-00003.gguf", 20, "b"),
        HubFile("big-Q4_K_M-00001-of-00003.gguf", 10, "a"),
        HubFile("big-Q4_K_M-00003-of-00003.gguf", 30, "c"),
        HubFile("half-Q8_0-00001-of-00002.gguf", 5, "d"),
        HubFile("small-Q8_0.gguf", 7, "e"),
        HubFile("README.md", 1, ""),
    ]
    assert split_info("big-Q4_K_M-00002-of-00003.gguf") == ("big-Q4_K_M", 2, 3)
    models = group_gguf_files("o/r", "abc", files)
    assert [m.name for m in models] == ["big-Q4_K_M-00001-of-00003.gguf", "small-Q8_0.gguf"]
    big = models[0]
    assert [p.sha256 for p in big.parts] == ["a", "b", "c"]
    assert big.size == 60 and big.quantization == "Q4_K_M"


def test_catalog_loads_with_typed_numbers_and_honest_pins():
    entries = load_catalog()
    assert len(entries) >= 8
    names = " ".join(e.name for e in entries)
    for expected in ("DeepSeek-R1", "Qwen3", "Llama 3.2", "Gemma 3", "Phi-4", "SmolLM2"):
        assert expected in names
    for e in entries:
        assert e.files and all(f.approx_size > 0 for f in e.files)
        assert e.pinned == (len(e.revision) == 40)  # 'main' is never presented as pinned
        assert all(quant_label(f.filename) == f.quantization for f in e.files)


def test_catalog_rejects_bad_types_and_versions():
    data = json.loads(resources.files("desktopchat.models").joinpath("catalog.json").read_text())
    bad = json.loads(json.dumps(data))
    bad["models"][0]["files"][0]["approx_size"] = "1 GB"
    with pytest.raises(CatalogError, match="approx_size"):
        parse_catalog(bad)
    bad = json.loads(json.dumps(data))
    bad["schema_version"] = 99
    with pytest.raises(CatalogError, match="schema"):
        parse_catalog(bad)
    bad = json.loads(json.dumps(data))
    bad["models"][0]["pinned"] = True
    with pytest.raises(CatalogError, match="sha"):
        parse_catalog(bad)
