"""Validated GGUF headers kept on disk, so a second start reads no header it has read before.

Walking a model's header means walking its vocabulary (50k-260k strings): tens to hundreds of
milliseconds per file, for every file in the models folder, the Hugging Face cache, LM Studio and
Ollama, at every start. The verdict of ``validate_model_file`` (the parsed header, or the sentence
saying why the file is refused) is stored per resolved path with the file's size and mtime; a
changed file is read again. The cache is also keyed on the app's version, so a newer validator
never trusts an older one's verdict.

The file is one JSON document written atomically. A damaged or foreign cache is ignored (and
rewritten), never trusted: it only ever saves time.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktopchat import __version__
from desktopchat.models.gguf import GGUFInfo, Skipped, TensorInfo

log = logging.getLogger(__name__)

FORMAT = 1
MAX_CACHE_BYTES = 64 << 20  # a cache larger than this is not read (it is rebuilt)


@dataclass(frozen=True)
class CachedVerdict:
    """A header (valid file) or the reason it was refused."""

    info: GGUFInfo | None
    error: str = ""


def _encode(value: Any) -> Any:
    if isinstance(value, Skipped):
        return {"$skipped": value.length}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {"$float": repr(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$skipped" in value:
            return Skipped(int(value["$skipped"]))
        if "$float" in value:
            return float(value["$float"])
        raise ValueError("unexpected object in a cached header")
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def encode_info(info: GGUFInfo) -> dict[str, Any]:
    return {
        "version": info.version,
        "file_size": info.file_size,
        "data_offset": info.data_offset,
        "metadata": {k: _encode(v) for k, v in info.metadata.items()},
        "tensors": [[t.name, list(t.shape), t.ggml_type, t.offset, t.nbytes]
                    for t in info.tensors],
    }


def decode_info(path: Path, data: dict[str, Any]) -> GGUFInfo:
    info = GGUFInfo(path, int(data["version"]), int(data["file_size"]),
                    {str(k): _decode(v) for k, v in dict(data["metadata"]).items()})
    info.tensors = [TensorInfo(str(n), tuple(int(d) for d in shape), int(t), int(o), int(b))
                    for n, shape, t, o, b in data["tensors"]]
    info.data_offset = int(data["data_offset"])
    return info


class HeaderCache:
    """``get``/``put`` by path; ``save()`` writes the file when something changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            if self.path.stat().st_size > MAX_CACHE_BYTES:
                raise ValueError("too large")
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT or doc.get("app") != __version__:
                raise ValueError("written by another version")
            entries = doc["entries"]
            if not isinstance(entries, dict):
                raise ValueError("no entries")
            self._entries = entries
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            log.info("not using the header cache %s: %s", self.path, exc)
            self._entries = {}
            self._dirty = True

    @staticmethod
    def _key(path: Path) -> tuple[str, int, int]:
        st = path.stat()
        return str(path.resolve()), st.st_size, st.st_mtime_ns

    def get(self, path: Path) -> CachedVerdict | None:
        """The cached verdict for ``path`` as it is on disk now, or None (raises OSError)."""
        real, size, mtime = self._key(path)
        entry = self._entries.get(real)
        if not isinstance(entry, dict) or entry.get("size") != size or entry.get("mtime") != mtime:
            return None
        try:
            if "error" in entry:
                return CachedVerdict(None, str(entry["error"]))
            return CachedVerdict(decode_info(path, entry["header"]))
        except (ValueError, KeyError, TypeError) as exc:
            log.info("dropping a damaged header cache entry for %s: %s", path, exc)
            self._entries.pop(real, None)
            self._dirty = True
            return None

    def put(self, path: Path, info: GGUFInfo | None, error: str = "") -> None:
        try:
            real, size, mtime = self._key(path)
        except OSError:
            return
        entry: dict[str, Any] = {"size": size, "mtime": mtime}
        if info is not None:
            entry["header"] = encode_info(info)
        else:
            entry["error"] = error
        self._entries[real] = entry
        self._dirty = True

    def forget(self, path: Path) -> None:
        try:
            real = str(path.resolve())
        except OSError:
            return
        if self._entries.pop(real, None) is not None:
            self._dirty = True

    def save(self) -> None:
        """Write the cache if it changed (atomically: a crash leaves the old one)."""
        if not self._dirty:
            return
        doc = {"format": FORMAT, "app": __version__, "entries": self._entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".headers-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(doc, f, separators=(",", ":"))
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._dirty = False
        except OSError:
            log.warning("could not write the header cache %s", self.path, exc_info=True)
