"""The curated catalog of recommended models, shipped as package data (``catalog.json``).

It is shown before any search, with no network: repo id, revision, one file per quantization
with its approximate size, licence and a plain-language description. Every number is type-checked
on load and the schema version must match, so a bad edit fails loudly in the tests, not in the UI.
Where a commit sha could not be looked up, an entry pins ``main`` and says so (``pinned: false``);
a download still pins the commit the Hub reports when the repo's files are listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

SCHEMA_VERSION = 1
KINDS = frozenset({"instruct", "reasoning"})


class CatalogError(ValueError):
    """The catalog file does not match its schema."""


@dataclass(frozen=True)
class CatalogFile:
    filename: str
    quantization: str
    approx_size: int


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo_id: str
    revision: str
    pinned: bool
    kind: str
    parameters_b: float
    licence: str
    description: str
    files: tuple[CatalogFile, ...]


def _get(d: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = d.get(key)
    if isinstance(value, bool) and kind is not bool:
        raise CatalogError(f"{where}: '{key}' must be a {kind}, not a boolean")
    if not isinstance(value, kind):
        raise CatalogError(f"{where}: '{key}' must be of type {kind}, got {value!r}")
    return value


def parse_catalog(data: Any) -> tuple[CatalogEntry, ...]:
    if not isinstance(data, dict):
        raise CatalogError("the catalog must be a JSON object")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CatalogError(f"unsupported catalog schema {data.get('schema_version')!r}")
    entries, seen = [], set()
    for i, m in enumerate(_get(data, "models", list, "catalog")):
        where = f"models[{i}]"
        if not isinstance(m, dict):
            raise CatalogError(f"{where} must be an object")
        files = []
        for j, f in enumerate(_get(m, "files", list, where)):
            fw = f"{where}.files[{j}]"
            if not isinstance(f, dict):
                raise CatalogError(f"{fw} must be an object")
            size = _get(f, "approx_size", int, fw)
            name = _get(f, "filename", str, fw)
            if size <= 0 or not name.endswith(".gguf"):
                raise CatalogError(f"{fw}: needs a .gguf filename and a positive size")
            files.append(CatalogFile(name, _get(f, "quantization", str, fw), size))
        entry = CatalogEntry(
            id=_get(m, "id", str, where),
            name=_get(m, "name", str, where),
            repo_id=_get(m, "repo_id", str, where),
            revision=_get(m, "revision", str, where),
            pinned=_get(m, "pinned", bool, where),
            kind=_get(m, "kind", str, where),
            parameters_b=float(_get(m, "parameters_b", (int, float), where)),
            licence=_get(m, "licence", str, where),
            description=_get(m, "description", str, where),
            files=tuple(files),
        )
        if entry.kind not in KINDS or "/" not in entry.repo_id or not files or entry.id in seen:
            raise CatalogError(f"{where}: bad kind, repo id, empty files or duplicate id")
        if entry.pinned and len(entry.revision) != 40:
            raise CatalogError(f"{where}: a pinned revision must be a 40-character commit sha")
        seen.add(entry.id)
        entries.append(entry)
    return tuple(entries)


def load_catalog() -> tuple[CatalogEntry, ...]:
    text = resources.files("desktopchat.models").joinpath("catalog.json").read_text("utf-8")
    return parse_catalog(json.loads(text))
