"""What the app knows about one model file it can load, and how a file becomes one.

A ``LocalModel`` is a frozen value (it crosses into the UI and the CLI); the library
(``desktopchat.models.library``) decides which files are listed and which the app may delete.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from desktopchat.models.gguf import GGUFError, GGUFInfo, validate_model_file
from desktopchat.models.names import SPLIT_PATTERN
from desktopchat.models.starter import STARTER_ID, STARTER_NAME, starter_model_path

log = logging.getLogger(__name__)

# Where a model came from, as the Models page and `models list` show it.
SOURCE_STARTER = "Starter model"
SOURCE_FOLDER = "Models folder"
SOURCE_DOWNLOAD = "Downloaded"
SOURCE_IMPORTED = "Imported (in place)"
SOURCE_COPY = "Imported (copy)"
SOURCE_HF = "Hugging Face cache"
SOURCE_LMSTUDIO = "LM Studio"
SOURCE_OLLAMA = "Ollama"

_SPLIT = SPLIT_PATTERN  # one split-file pattern, shared with the Hub listing


@dataclass(frozen=True)
class LocalModel:
    """One loadable model.

    ``owned`` is True only for files inside the app's models folder (downloads and copies): the
    app may delete those. Everything else (the starter, files imported in place, other apps'
    stores) is only ever forgotten. ``size`` counts every shard of a split model.
    """

    model_id: str
    name: str
    path: str
    size: int
    source: str
    architecture: str = ""
    has_chat_template: bool = True
    quantization: str = ""
    owned: bool = False
    last_used: float | None = None
    context_length: int = 0  # the context the model was trained with (0: unknown)
    parameters: int = 0  # weight count from the tensor table
    detail: str = ""  # e.g. the repo or Ollama tag it came from

    def with_last_used(self, when: float | None) -> LocalModel:
        return replace(self, last_used=when)


def model_id_for(path: Path) -> str:
    """A stable id for a file: its name plus a short hash of its resolved location."""
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"file:{path.name}:{digest}"


def split_shards(path: Path) -> list[Path]:
    """All files of a split model (``x-00001-of-00003.gguf`` …) given its first shard, or
    ``[path]`` for an ordinary file. Missing shards are left out (the loader then says so)."""
    m = _SPLIT.match(path.stem)
    if not m:
        return [path]
    total = int(m.group("total"))
    shards = [path.with_name(f"{m.group('base')}-{i:05d}-of-{total:05d}.gguf")
              for i in range(1, total + 1)]
    return [p for p in shards if p.exists()]


def is_split_tail(path: Path) -> bool:
    """Shards 2..N of a split model are loaded through shard 1, never listed on their own."""
    m = _SPLIT.match(path.stem)
    return m is not None and int(m.group("idx")) != 1


def from_info(
    info: GGUFInfo,
    path: Path,
    source: str,
    *,
    owned: bool = False,
    model_id: str | None = None,
    name: str | None = None,
    detail: str = "",
) -> LocalModel:
    """Describe an already validated file."""
    params = 0
    for t in info.tensors:
        n = 1
        for d in t.shape:
            n *= d
        params += n
    quant = file_type_label(info) or info.quantization
    size = sum(p.stat().st_size for p in split_shards(path)) if path.exists() else info.file_size
    return LocalModel(
        model_id=model_id or model_id_for(path),
        name=name or display_name(info, path),
        path=str(path),
        size=size,
        source=source,
        architecture=info.architecture,
        has_chat_template=info.chat_template is not None,
        quantization=quant,
        owned=owned,
        context_length=info.context_length,
        parameters=params,
        detail=detail,
    )


MAX_NAME = 80  # characters of a model's name shown in lists


def display_name(info: GGUFInfo, path: Path) -> str:
    """The model's own name (``general.name``, "Gemma 3 270m"), else its file name; control
    characters removed and the length bounded (it is shown in lists and the status bar)."""
    raw = info.metadata.get("general.name")
    name = raw if isinstance(raw, str) else ""
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if not name:
        name = path.stem
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def file_type_label(info: GGUFInfo) -> str:
    """The quantization the file says it was made with (``general.file_type`` 15 is Q4_K_M),
    in llama.cpp's own names; '' when the file does not say."""
    ftype = info.metadata.get("general.file_type")
    if not isinstance(ftype, int) or isinstance(ftype, bool):
        return ""
    from gguf import LlamaFileType  # llama.cpp's own table

    try:
        name = LlamaFileType(ftype).name
    except ValueError:
        return ""
    if name == "GUESSED":
        return ""
    return name.removeprefix("MOSTLY_").removeprefix("ALL_")


def describe(
    path: Path,
    source: str,
    model_id: str | None = None,
    name: str | None = None,
    *,
    owned: bool = False,
    detail: str = "",
    validate: Callable[[Path], GGUFInfo] = validate_model_file,
) -> LocalModel:
    """Validate a file and describe it; raises GGUFError."""
    info = validate(path)
    return from_info(info, path, source, owned=owned, model_id=model_id, name=name, detail=detail)


def starter_model(validate: Callable[[Path], GGUFInfo] = validate_model_file) -> LocalModel | None:
    """The bundled starter model, or None when it is not installed (or damaged: logged)."""
    starter = starter_model_path()
    if starter is None:
        return None
    try:
        return describe(starter, SOURCE_STARTER, STARTER_ID, STARTER_NAME, validate=validate)
    except GGUFError:
        log.exception("the starter model at %s is damaged", starter)
        return None


def folder_models(
    models_dir: Path, validate: Callable[[Path], GGUFInfo] = validate_model_file
) -> list[LocalModel]:
    """Every valid GGUF below the app's models folder; the app owns (and may delete) them.

    Downloads land in ``<owner>__<repo>/`` subfolders and are labelled with their repo; copies
    made by Import land in ``imported/``; anything else was put there by the user.
    """
    found: list[LocalModel] = []
    if not models_dir.is_dir():
        return found
    for path in sorted(models_dir.rglob("*.gguf")):
        if is_split_tail(path) or not path.is_file():
            continue
        source, detail = SOURCE_FOLDER, ""
        rel = path.relative_to(models_dir).parts
        if len(rel) > 1 and "__" in rel[0]:
            source, detail = SOURCE_DOWNLOAD, rel[0].replace("__", "/", 1)
        elif len(rel) > 1 and rel[0] == "imported":
            source = SOURCE_COPY
        try:
            found.append(describe(path, source, owned=True, detail=detail, validate=validate))
        except (GGUFError, OSError) as exc:
            log.warning("not offering %s: %s", path, exc)
    return found


def list_local_models(models_dir: Path) -> list[LocalModel]:
    """The starter model and the models folder (no library state: imports, discovery)."""
    starter = starter_model()
    return ([starter] if starter else []) + folder_models(models_dir)
