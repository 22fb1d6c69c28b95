"""The models the user can load right now: the starter model and every valid GGUF in the
app's models folder (subfolders included). Invalid or partial files are never offered.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from desktopchat.models.gguf import GGUFError, validate_model_file
from desktopchat.models.starter import STARTER_ID, STARTER_NAME, starter_model_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalModel:
    model_id: str
    name: str
    path: str
    size: int
    source: str  # "starter", "models folder", "imported", "download", ...
    architecture: str = ""
    has_chat_template: bool = True


def model_id_for(path: Path) -> str:
    """A stable id for a file: its name plus a short hash of its resolved location."""
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"file:{path.name}:{digest}"


def describe(path: Path, source: str, model_id: str | None = None, name: str | None = None) -> LocalModel:
    """Validate a file and describe it; raises GGUFError."""
    info = validate_model_file(path)
    return LocalModel(
        model_id=model_id or model_id_for(path),
        name=name or f"{info.name} ({info.quantization})",
        path=str(path),
        size=info.file_size,
        source=source,
        architecture=info.architecture,
        has_chat_template=info.chat_template is not None,
    )


def _is_split_tail(path: Path) -> bool:
    """Shards 2..N of a split model are loaded through shard 1, never listed on their own."""
    stem = path.stem
    return "-of-" in stem and not stem.rsplit("-of-", 1)[0].endswith("-00001")


def list_local_models(models_dir: Path) -> list[LocalModel]:
    found: list[LocalModel] = []
    starter = starter_model_path()
    if starter is not None:
        try:
            found.append(describe(starter, "starter", STARTER_ID, STARTER_NAME))
        except GGUFError:
            log.exception("the starter model at %s is damaged", starter)
    if models_dir.is_dir():
        for path in sorted(models_dir.rglob("*.gguf")):
            if _is_split_tail(path) or not path.is_file():
                continue
            try:
                found.append(describe(path, "models folder"))
            except GGUFError as exc:
                log.warning("not offering %s: %s", path, exc)
    return found
