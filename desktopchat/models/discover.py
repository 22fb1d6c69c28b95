"""Find GGUF models other apps already downloaded, so the user never downloads them twice.

Read-only by design: nothing here writes, renames or copies anything in another app's folder.
Each store has its own layout:

- Hugging Face cache (``HF_HUB_CACHE``, else ``HF_HOME/hub``, else ``~/.cache/huggingface/hub``):
  ``models--<owner>--<repo>/snapshots/<revision>/<file>.gguf``, usually symlinks into ``blobs/``.
- LM Studio: ``~/.lmstudio/models/<publisher>/<repo>/<file>.gguf`` (older versions:
  ``~/.cache/lm-studio/models``).
- Ollama (``OLLAMA_MODELS``, else ``~/.ollama/models``): a manifest per tag at
  ``manifests/<registry>/<namespace>/<model>/<tag>`` lists layers; the layer with media type
  ``application/vnd.ollama.image.model`` is a GGUF stored as ``blobs/sha256-<hex>``.

Every candidate is validated with ``validate_model_file`` before it is offered.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from desktopchat.models.gguf import GGUFError, GGUFInfo, validate_model_file
from desktopchat.models.local import (
    SOURCE_HF,
    SOURCE_LMSTUDIO,
    SOURCE_OLLAMA,
    is_split_tail,
)

log = logging.getLogger(__name__)

OLLAMA_MODEL_MEDIA = "application/vnd.ollama.image.model"
MAX_MANIFEST = 1024 * 1024  # a manifest is a few hundred bytes; never read a huge file


@dataclass(frozen=True)
class FoundModel:
    """A valid GGUF in another app's store. ``label`` is how that app names it
    (``owner/repo/file.gguf``, ``publisher/repo/file.gguf``, ``model:tag``)."""

    path: Path
    source: str
    label: str
    info: GGUFInfo


def hf_cache_dir(env: Mapping[str, str], home: Path) -> Path:
    """The Hub cache folder the way huggingface_hub resolves it (without importing it)."""
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else home / ".cache"
    return base / "huggingface" / "hub"


def lmstudio_dirs(env: Mapping[str, str], home: Path) -> list[Path]:
    return [home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models"]


def ollama_dir(env: Mapping[str, str], home: Path) -> Path:
    if env.get("OLLAMA_MODELS"):
        return Path(env["OLLAMA_MODELS"]).expanduser()
    return home / ".ollama" / "models"


def _hf_candidates(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for repo in sorted(root.glob("models--*")):
        parts = repo.name.split("--")
        repo_id = "/".join(parts[1:]) if len(parts) > 2 else repo.name
        snapshots = repo / "snapshots"
        if not snapshots.is_dir():
            continue
        # Newest revision first; an older revision of the same file is the same model.
        revs = sorted(snapshots.iterdir(), key=_mtime, reverse=True)
        seen: set[str] = set()
        for rev in revs:
            for f in sorted(rev.rglob("*.gguf")):
                rel = str(f.relative_to(rev))
                if rel in seen:
                    continue
                seen.add(rel)
                yield f, f"{repo_id}/{rel}"


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _lmstudio_candidates(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for f in sorted(root.rglob("*.gguf")):
        yield f, str(f.relative_to(root))


def _ollama_candidates(root: Path) -> Iterator[tuple[Path, str]]:
    manifests = root / "manifests"
    if not manifests.is_dir():
        return
    for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
        rel = manifest.relative_to(manifests).parts  # registry, namespace, model, tag
        if len(rel) < 3:
            continue
        blob = _ollama_model_blob(root, manifest)
        if blob is None:
            continue
        registry, namespace, model, tag = rel[0], rel[-3], rel[-2], rel[-1]
        name = model if namespace == "library" else f"{namespace}/{model}"
        if registry != "registry.ollama.ai" and len(rel) >= 4:  # e.g. pulled from hf.co
            name = f"{registry}/{namespace}/{model}"
        yield blob, f"{name}:{tag}"


def _ollama_model_blob(root: Path, manifest: Path) -> Path | None:
    try:
        if manifest.stat().st_size > MAX_MANIFEST:
            return None
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.info("skipping unreadable Ollama manifest %s: %s", manifest, exc)
        return None
    layers = data.get("layers") if isinstance(data, dict) else None
    for layer in layers if isinstance(layers, list) else []:
        if not isinstance(layer, dict) or layer.get("mediaType") != OLLAMA_MODEL_MEDIA:
            continue
        digest = str(layer.get("digest", ""))
        algo, _, hexdigest = digest.partition(":")
        if algo != "sha256" or not hexdigest.isalnum():
            return None
        blob = root / "blobs" / f"sha256-{hexdigest}"
        return blob if blob.is_file() else None
    return None


def discover_models(
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
    validate: Callable[[Path], GGUFInfo] = validate_model_file,
) -> list[FoundModel]:
    """Valid GGUFs in the Hugging Face cache, LM Studio and Ollama, each file once.
    ``validate`` lets the library pass its cached validator."""
    home = home or Path(env.get("HOME") or Path.home())
    stores: list[tuple[str, Iterator[tuple[Path, str]]]] = [
        (SOURCE_HF, _hf_candidates(hf_cache_dir(env, home)))
    ]
    stores += [(SOURCE_LMSTUDIO, _lmstudio_candidates(d)) for d in lmstudio_dirs(env, home)]
    stores.append((SOURCE_OLLAMA, _ollama_candidates(ollama_dir(env, home))))
    found: list[FoundModel] = []
    seen: set[Path] = set()
    for source, candidates in stores:
        try:
            for path, label in candidates:
                if is_split_tail(path):
                    continue
                try:
                    real = path.resolve()
                except OSError:
                    continue
                if real in seen:
                    continue
                try:
                    info = validate(path)
                except (GGUFError, OSError) as exc:
                    log.info("not offering %s from %s: %s", path, source, exc)
                    continue
                seen.add(real)
                found.append(FoundModel(path, source, label, info))
        except OSError:
            log.warning("could not read the %s folder", source, exc_info=True)
    return found
