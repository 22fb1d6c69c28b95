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


# -- safe local names (desktopchat.models.names) ----------------------------------------------

from pathlib import Path  # noqa: E402

from desktopchat.models import names  # noqa: E402


@pytest.mark.parametrize("hub_path, local", [
    ("Qwen3-4B-Q4_K_M.gguf", "Qwen3-4B-Q4_K_M.gguf"),
    ("Q4_K_M/model.gguf", "Q4_K_M__model.gguf"),
    ("Q8_0/model.gguf", "Q8_0__model.gguf"),
    ("BF16/big-BF16-00002-of-00003.gguf", "BF16__big-BF16-00002-of-00003.gguf"),
    ("ünï-x.gguf", "ünï-x.gguf"),
])
def test_local_names_keep_folders_so_same_base_names_stay_distinct(hub_path, local):
    assert names.local_file_name(hub_path) == local


@pytest.mark.parametrize("hub_path", [
    "..\\..\\x.gguf", "a:b.gguf", "C:x.gguf", "x\x00.gguf", "bell\x07.gguf", "nl\n.gguf",
    "rtl\u202egguf.exe.gguf", "CON.gguf", "con", "sub/NUL.tar.gguf", "COM1.gguf", "lpt9.x.gguf",
    "COM¹.gguf", "../x.gguf", "a/../x.gguf", "/etc/x.gguf", "a//x.gguf", "dot.gguf.",
    "space.gguf ", "<img src=x><b>bold</b>.gguf", "pipe|.gguf", "q?.gguf", "star*.gguf", "",
    "x" * 1001,
])
def test_hostile_hub_names_are_refused(hub_path):
    with pytest.raises(names.UnsafeName) as err:
        names.local_file_name(hub_path)
    assert len(str(err.value).splitlines()) == 1


def test_long_names_are_bounded_and_stay_distinct_and_split_parts_keep_one_prefix():
    a = names.local_file_name("a" * 300 + "-Q4_K_M.gguf")
    b = names.local_file_name("a" * 299 + "b-Q4_K_M.gguf")
    assert a != b and a.endswith("-Q4_K_M.gguf") and b.endswith("-Q4_K_M.gguf")
    assert max(len(a.encode()), len(b.encode())) <= names.MAX_NAME_BYTES
    multi = names.local_file_name("é" * 200 + ".gguf")  # 2 bytes a character
    assert len(multi.encode()) <= names.MAX_NAME_BYTES and multi.encode().decode() == multi
    parts = [names.local_file_name(f"{'m' * 300}-{i:05d}-of-00003.gguf") for i in (1, 2, 3)]
    prefixes = {names.split_info(p)[0] for p in parts}
    assert len(prefixes) == 1 and [names.split_info(p)[1] for p in parts] == [1, 2, 3]


def test_repo_folder_names_and_paths_stay_inside(tmp_path):
    assert names.repo_folder_name("Qwen/Qwen3-4B-GGUF") == "Qwen__Qwen3-4B-GGUF"
    for bad in ("../../etc", "a/b/c", "owner", "o/..", "o/a..b", "-o/x", "o/x-", "o:x/y",
                "o/" + "x" * 97, "o/x\\y"):
        with pytest.raises(names.UnsafeName):
            names.repo_folder_name(bad)
    assert names.inside(tmp_path / "a" / "b.gguf", tmp_path) == tmp_path / "a" / "b.gguf"
    for outside in (tmp_path / ".." / "x.gguf", tmp_path, Path("/etc/passwd")):
        with pytest.raises(names.UnsafeName):
            names.inside(outside, tmp_path)


def test_human_size_has_one_spelling():
    assert [names.human_size(n) for n in (0, 999, 1000, 98_362_432, 4.2e9, 3e12, -1500)] == [
        "0 bytes", "999 bytes", "1 kB", "98.4 MB", "4.2 GB", "3.0 TB", "-2 kB"]


def test_one_split_pattern_for_the_hub_and_the_library():
    from desktopchat.models import hub

    assert hub.split_info is names.split_info
    assert names.split_info("x-00001-of-00002.GGUF") == ("x", 1, 2)
    assert names.split_info("x-00001-of-00002.bin") is None
    assert names.SPLIT_PATTERN.match("x-00002-of-00002")["total"] == "00002"
