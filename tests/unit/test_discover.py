"""Discovery of models other apps already downloaded, on realistic fake stores: the Hugging Face
cache (snapshot symlinks into blobs), LM Studio's folders and Ollama's manifests and blobs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktopchat.models.discover import discover_models
from desktopchat.models.library import ModelLibrary
from tests.support.models import make_gguf

OLLAMA_DIGEST = "a" * 64


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every entry under root with its size and mtime: proof that nothing was written."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _hf_cache(root: Path, real_model: Path) -> None:
    repo = root / "models--HuggingFaceTB--SmolLM2-135M-Instruct-GGUF"
    (repo / "blobs").mkdir(parents=True)
    os.link(real_model, repo / "blobs" / "3f1e9c0")  # hard link: same bytes, no copy
    (repo / "blobs" / "77aa").write_bytes(b'{"model_type": "llama"}')
    for rev in ("1111", "2222"):  # two revisions of the same file: listed once
        snap = repo / "snapshots" / rev
        snap.mkdir(parents=True)
        (snap / "smollm2-135m-instruct-q4_1.gguf").symlink_to("../../blobs/3f1e9c0")
        (snap / "config.json").symlink_to("../../blobs/77aa")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("2222")
    broken = root / "models--x--broken" / "snapshots" / "r"
    broken.mkdir(parents=True)
    (broken / "gone.gguf").symlink_to("../../blobs/missing")  # a half-deleted download


def _lmstudio(root: Path) -> None:
    d = root / "lmstudio-community" / "Tiny-GGUF"
    d.mkdir(parents=True)
    (d / "Tiny-Q8_0.gguf").write_bytes(make_gguf({"general.architecture": "qwen2"}))
    (d / "mmproj-broken.gguf").write_bytes(b"GGUF")  # truncated: never offered


def _ollama(root: Path) -> None:
    blobs = root / "blobs"
    blobs.mkdir(parents=True)
    (blobs / f"sha256-{OLLAMA_DIGEST}").write_bytes(make_gguf({"general.architecture": "gemma3"}))
    (blobs / f"sha256-{'b' * 64}").write_text("{{ .Prompt }}")
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": "sha256:" + "c" * 64, "size": 10},
        "layers": [
            {"mediaType": "application/vnd.ollama.image.model",
             "digest": f"sha256:{OLLAMA_DIGEST}", "size": 100},
            {"mediaType": "application/vnd.ollama.image.template",
             "digest": "sha256:" + "b" * 64, "size": 13},
        ],
    }
    tag = root / "manifests" / "registry.ollama.ai" / "library" / "gemma3" / "270m"
    tag.parent.mkdir(parents=True)
    tag.write_text(json.dumps(manifest))
    other = root / "manifests" / "registry.ollama.ai" / "someone" / "custom" / "latest"
    other.parent.mkdir(parents=True)
    other.write_text(json.dumps({"layers": [{"mediaType": "application/vnd.ollama.image.model",
                                             "digest": "sha256:" + "d" * 64}]}))  # blob missing
    (root / "manifests" / "registry.ollama.ai" / "library" / "gemma3" / "bad").write_text("{")
    hf = root / "manifests" / "hf.co" / "bartowski" / "SmolLM2-GGUF" / "Q4_K_M"
    hf.parent.mkdir(parents=True)
    hf.write_text(tag.read_text().replace(OLLAMA_DIGEST, "e" * 64))
    (blobs / f"sha256-{'e' * 64}").write_bytes(make_gguf({"general.architecture": "llama"}))


def test_finds_each_store_in_its_default_place_without_writing(tmp_path, smollm2_path):
    home = tmp_path / "home"
    _hf_cache(home / ".cache" / "huggingface" / "hub", smollm2_path)
    _lmstudio(home / ".lmstudio" / "models")
    _lmstudio(home / ".cache" / "lm-studio" / "models")  # the older folder, same layout
    _ollama(home / ".ollama" / "models")
    before = _tree(home)
    found = discover_models({}, home)
    assert _tree(home) == before
    summary = sorted((f.source, f.label) for f in found)
    assert summary == [
        ("Hugging Face cache",
         "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/smollm2-135m-instruct-q4_1.gguf"),
        ("LM Studio", "lmstudio-community/Tiny-GGUF/Tiny-Q8_0.gguf"),
        ("LM Studio", "lmstudio-community/Tiny-GGUF/Tiny-Q8_0.gguf"),
        ("Ollama", "gemma3:270m"),
        ("Ollama", "hf.co/bartowski/SmolLM2-GGUF:Q4_K_M"),
    ]
    hf = next(f for f in found if f.source == "Hugging Face cache")
    assert hf.path.is_symlink() and hf.path.resolve().samefile(smollm2_path)
    assert hf.info.architecture == "llama"
    ollama = next(f for f in found if f.label == "gemma3:270m")
    assert ollama.path.name == f"sha256-{OLLAMA_DIGEST}" and ollama.info.architecture == "gemma3"


def test_environment_variables_move_the_stores(tmp_path):
    home = tmp_path / "empty-home"
    home.mkdir()
    hub = tmp_path / "hub-cache"
    _hf_cache(hub, _tiny(tmp_path))
    ollama = tmp_path / "ollama-models"
    _ollama(ollama)
    found = discover_models({"HF_HUB_CACHE": str(hub), "OLLAMA_MODELS": str(ollama)}, home)
    assert sorted(f.source for f in found) == ["Hugging Face cache", "Ollama", "Ollama"]
    hf_home = tmp_path / "hf-home"
    _hf_cache(hf_home / "hub", _tiny(tmp_path / "again"))
    found = discover_models({"HF_HOME": str(hf_home)}, home)
    assert [f.source for f in found] == ["Hugging Face cache"]
    assert discover_models({}, home) == []


def _tiny(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "tiny.bin"
    p.write_bytes(make_gguf())
    return p


def test_library_lists_them_with_source_and_remove_only_forgets(app_paths, tmp_path):
    home = tmp_path / "home"
    _lmstudio(home / ".lmstudio" / "models")
    _ollama(home / ".ollama" / "models")
    before = _tree(home)
    lib = ModelLibrary(app_paths, env={}, home=home)
    listed = [m for m in lib.list_models() if not m.owned and m.source != "Starter model"]
    assert sorted(m.name for m in listed if m.source == "Ollama") == [
        "gemma3:270m", "hf.co/bartowski/SmolLM2-GGUF:Q4_K_M"]
    found = {m.source: m for m in listed}
    assert found["LM Studio"].name == "Tiny-Q8_0"
    assert lib.remove(found["Ollama"].model_id).endswith("because it belongs to Ollama.")
    assert lib.remove(found["LM Studio"].model_id).endswith("because it belongs to LM Studio.")
    assert _tree(home) == before
    assert list(app_paths.models_dir.iterdir()) == []
