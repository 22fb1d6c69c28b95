"""The model library: every model the user can load, where it came from, and what removing it
means.

Listed, in this order (each file once, by its real location):
1. the starter model shipped with the install;
2. every valid GGUF below the app's models folder (downloads in ``<owner>__<repo>/``, copies made
   by Import in ``imported/``, files the user put there) — the app owns these and may delete them;
3. files imported in place (the app remembers their paths and never touches the files);
4. models found in other apps' stores (Hugging Face cache, LM Studio, Ollama; see ``discover``).

``remove`` deletes only files the app owns; everything else is only forgotten. The library's own
state (imported paths, last-used times, forgotten ids) is a small versioned JSON file, written
atomically; a damaged file is kept aside and the library starts fresh rather than failing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktopchat.models.discover import discover_models
from desktopchat.models.gguf import GGUFError, GGUFInfo, validate_model_file
from desktopchat.models.header_cache import HeaderCache
from desktopchat.models.local import (
    SOURCE_COPY,
    SOURCE_HF,
    SOURCE_IMPORTED,
    SOURCE_LMSTUDIO,
    SOURCE_OLLAMA,
    SOURCE_STARTER,
    LocalModel,
    folder_models,
    from_info,
    split_shards,
    starter_model,
)
from desktopchat.models.names import human_size

log = logging.getLogger(__name__)

_SHARD_TAIL = re.compile(r"-\d{5}-of-\d{5}$")
STATE_FILE = "library.json"
STATE_VERSION = 1
HEADER_CACHE_FILE = "gguf-headers.json"
COPY_BLOCK = 8 << 20  # bytes copied between two checks of the cancel flag


class ModelLibraryError(GGUFError):
    """Import or remove failed for a reason the user can act on; ``str()`` is one sentence."""


@dataclass
class _State:
    imported: list[str] = field(default_factory=list)
    last_used: dict[str, float] = field(default_factory=dict)
    forgotten: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"version": STATE_VERSION, "imported": self.imported,
                "last_used": self.last_used, "forgotten": self.forgotten}

    @classmethod
    def from_json(cls, data: Any) -> _State:
        if not isinstance(data, dict) or not isinstance(data.get("version"), int):
            raise ValueError("not a library state file")
        if data["version"] > STATE_VERSION:
            raise ValueError(f"written by a newer version (format {data['version']})")
        imported = [str(p) for p in data.get("imported", []) if isinstance(p, str)]
        last_used = {str(k): float(v) for k, v in dict(data.get("last_used", {})).items()
                     if isinstance(v, (int, float))}
        forgotten = [str(i) for i in data.get("forgotten", []) if isinstance(i, str)]
        return cls(imported, last_used, forgotten)


# Why a file is only forgotten, never deleted (completes "the file stays on disk because …").
_OWNER = {
    SOURCE_IMPORTED: "it was imported in place",
    SOURCE_STARTER: "it came with the app",
    SOURCE_HF: "it is in the Hugging Face cache",
    SOURCE_LMSTUDIO: "it belongs to LM Studio",
    SOURCE_OLLAMA: "it belongs to Ollama",
}


def _free_names(folder: Path, names: list[str]) -> dict[str, str]:
    """New names in ``folder`` for a model's files that overwrite nothing there: the names
    themselves, or all of them with the same ``-N`` suffix (split shards stay one set)."""
    for n in range(1, 10_000):
        suffix = "" if n == 1 else f"-{n}"
        renamed = {}
        for name in names:
            stem, dot, ext = name.rpartition(".")
            m = _SHARD_TAIL.search(stem)
            if m:  # keep the -00001-of-00003 tail last, so the shards still belong together
                stem = stem[: m.start()] + suffix + m.group(0)
            else:
                stem += suffix
            renamed[name] = f"{stem}{dot}{ext}" if dot else stem
        if not any((folder / new).exists() for new in renamed.values()):
            return renamed
    raise ModelLibraryError("The models folder already holds too many copies of that file.")


class ModelLibrary:
    """Lists, imports, removes and remembers models. Qt-free; the window and the CLI share it.

    ``env`` and ``home`` say where other apps' stores are (tests point them at temporary trees);
    ``discover=False`` leaves other apps' stores out entirely.
    """

    def __init__(
        self,
        paths: Any,  # AppPaths (not imported: models/ does not depend on the app's layout)
        *,
        env: Mapping[str, str] | None = None,
        home: Path | None = None,
        discover: bool = True,
    ) -> None:
        self.paths = paths
        self.models_dir: Path = paths.models_dir
        self.state_path: Path = paths.data_dir / STATE_FILE
        self._env = env
        self._home = home
        self._discover = discover
        self._headers: dict[Path, tuple[tuple[int, int], GGUFInfo]] = {}
        cache_dir = getattr(paths, "cache_dir", None)
        self._disk_cache = HeaderCache(Path(cache_dir) / HEADER_CACHE_FILE) if cache_dir else None
        self._listing: list[LocalModel] = []
        self._state = self._load_state()

    # -- state -------------------------------------------------------------------------------

    def _load_state(self) -> _State:
        try:
            raw = self.state_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _State()
        except OSError:
            log.exception("cannot read %s; starting with an empty model library", self.state_path)
            return _State()
        try:
            return _State.from_json(json.loads(raw))
        except (ValueError, TypeError) as exc:
            aside = self.state_path.with_name(f"{STATE_FILE}.damaged-{int(time.time())}")
            log.error("%s is damaged (%s); kept as %s, starting fresh", self.state_path, exc,
                      aside.name)
            try:
                os.replace(self.state_path, aside)
            except OSError:
                log.exception("could not move the damaged library file aside")
            return _State()

    def _save_state(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self._state.to_json(), indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".library-", suffix=".tmp", dir=self.state_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.state_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- listing -----------------------------------------------------------------------------

    def _validated(self, path: Path) -> GGUFInfo:
        """``validate_model_file`` with two caches keyed on size and mtime: in memory, and on
        disk (``HeaderCache``), so a second start reads no header it has read before."""
        st = path.stat()  # a FIFO or device is refused by the reader itself (never opened)
        key = (st.st_size, st.st_mtime_ns)
        real = path.resolve()
        hit = self._headers.get(real)
        if hit is not None and hit[0] == key:
            return hit[1]
        cached = self._disk_cache.get(path) if self._disk_cache is not None else None
        if cached is not None:
            if cached.info is None:
                raise GGUFError(cached.error)
            self._headers[real] = (key, cached.info)
            return cached.info
        try:
            info = validate_model_file(path)
        except GGUFError as exc:
            if self._disk_cache is not None:
                self._disk_cache.put(path, None, str(exc))
            raise
        self._headers[real] = (key, info)
        if self._disk_cache is not None:
            self._disk_cache.put(path, info)
        return info

    def save_header_cache(self) -> None:
        if self._disk_cache is not None:
            self._disk_cache.save()

    def remember_header(self, path: Path, info: GGUFInfo) -> None:
        """Take a header another thread already validated (a finished download) into the
        cache, so listing the file does not walk it again on this thread."""
        try:
            st = path.stat()
        except OSError:
            return
        self._headers[path.resolve()] = ((st.st_size, st.st_mtime_ns), info)
        if self._disk_cache is not None:
            self._disk_cache.put(path, info)

    def header(self, model: LocalModel) -> GGUFInfo:
        """The model's validated GGUF header (for the fit estimate); raises GGUFError."""
        try:
            return self._validated(Path(model.path))
        except OSError as exc:
            raise GGUFError(f"the file cannot be read ({exc.strerror or exc})") from exc

    def list_models(self) -> list[LocalModel]:
        """Every model that can be loaded now, each file once, with its last-used time."""
        listing: list[LocalModel] = []
        for batch in self.iter_models():
            listing.extend(batch)
        return listing

    def iter_models(self) -> Iterator[list[LocalModel]]:
        """The listing in batches, as the models are found (the starter and the models folder
        first, then files imported in place, then each other app's store), each file once."""
        seen: set[Path] = set()
        forgotten = set(self._state.forgotten)
        listing: list[LocalModel] = []

        def fresh(models: list[LocalModel]) -> list[LocalModel]:
            out = []
            for m in models:
                try:
                    real = Path(m.path).resolve()
                except OSError:
                    continue
                if real in seen or m.model_id in forgotten:
                    continue
                seen.add(real)
                out.append(m.with_last_used(self._state.last_used.get(m.model_id)))
            listing.extend(out)
            return out

        starter = starter_model(self._validated)
        yield fresh(([starter] if starter is not None else [])
                    + folder_models(self.models_dir, self._validated))
        imported: list[LocalModel] = []
        for p in self._state.imported:
            path = Path(p)
            try:
                info = self._validated(path)
            except FileNotFoundError:
                log.info("imported model %s is not there now (unplugged drive?)", path)
                continue
            except (OSError, GGUFError) as exc:
                log.warning("not offering imported %s: %s", path, exc)
                continue
            imported.append(from_info(info, path, SOURCE_IMPORTED))
        yield fresh(imported)
        if self._discover:
            env = self._env if self._env is not None else os.environ
            for found in discover_models(env, self._home, self._validated):
                name = found.label if found.source == SOURCE_OLLAMA else None
                yield fresh([from_info(found.info, found.path, found.source, detail=found.label,
                                       name=name)])
        self._listing = listing
        self.save_header_cache()

    def find(self, model_id: str) -> LocalModel | None:
        for listing in (self._listing, None):
            for m in listing if listing is not None else self.list_models():
                if m.model_id == model_id:
                    return m
        return None

    def mark_used(self, model_id: str) -> None:
        self._state.last_used[model_id] = time.time()
        self._listing = [m.with_last_used(self._state.last_used[model_id])
                         if m.model_id == model_id else m for m in self._listing]
        self._save_state()

    # -- import ------------------------------------------------------------------------------

    def import_file(self, path: Path, copy: bool = False,
                    cancel: threading.Event | None = None) -> LocalModel:
        """Validate a GGUF, then list it in place (default) or as a copy in the models folder.

        Raises ``GGUFError`` (one sentence naming the file) when the file is not a usable model
        or the copy fails; nothing is listed or copied then.
        """
        path = Path(path).expanduser().absolute()
        try:
            info = self._validated(path)
        except GGUFError as exc:
            raise ModelLibraryError(f"{path.name} cannot be used: {exc}.") from exc
        except OSError as exc:
            raise ModelLibraryError(
                f"{path.name} cannot be read ({exc.strerror or exc})."
            ) from exc
        if copy and not self._inside_models_dir(path):
            path = self._copy_in(path, cancel or threading.Event())
            info = self._validated(path)
        elif not self._inside_models_dir(path) and str(path) not in self._state.imported:
            self._state.imported.append(str(path))
        model = from_info(info, path, SOURCE_COPY if copy else SOURCE_IMPORTED, owned=copy)
        listed = next((m for m in self.list_models_unforgetting(model.model_id)
                       if Path(m.path).resolve() == path.resolve()), model)
        return listed

    def list_models_unforgetting(self, model_id: str) -> list[LocalModel]:
        """Un-forget ``model_id`` (importing a forgotten file brings it back), save, list."""
        if model_id in self._state.forgotten:
            self._state.forgotten.remove(model_id)
        self._save_state()
        return self.list_models()

    def _inside_models_dir(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.models_dir.resolve())

    def _copy_in(self, source: Path, cancel: threading.Event) -> Path:
        """Copy a model (every shard) into ``models/imported``, under names no earlier copy
        has (``name-2.gguf`` …); each file is written to a temporary name and renamed."""
        shards = split_shards(source)
        need = sum(p.stat().st_size for p in shards)
        dest_dir = self.models_dir / "imported"
        dest_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(dest_dir).free
        if need > free:
            raise ModelLibraryError(
                f"{source.name} needs {human_size(need)} but only {human_size(free)} is free on "
                "the disk that holds the models folder."
            )
        rename = _free_names(dest_dir, [p.name for p in shards])
        copied: list[Path] = []
        try:
            for shard in shards:
                dest = dest_dir / rename[shard.name]
                fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".part", dir=dest_dir)
                try:
                    with open(shard, "rb") as src, os.fdopen(fd, "wb") as out:
                        while block := src.read(COPY_BLOCK):
                            if cancel.is_set():
                                raise ModelLibraryError(f"Copying {source.name} was cancelled.")
                            out.write(block)
                    os.replace(tmp, dest)
                finally:
                    Path(tmp).unlink(missing_ok=True)
                copied.append(dest)
        except (OSError, ModelLibraryError) as exc:
            for p in copied:
                p.unlink(missing_ok=True)
            if isinstance(exc, ModelLibraryError):
                raise
            log.exception("copying %s into %s failed", source, dest_dir)
            raise ModelLibraryError(
                f"{source.name} could not be copied into the models folder "
                f"({exc.strerror or exc})."
            ) from exc
        return dest_dir / rename[source.name]

    # -- remove ------------------------------------------------------------------------------

    def remove(self, model_id: str) -> str:
        """Delete the file if the app owns it (freeing the space), else only forget it.

        Returns one sentence saying which happened; raises ``ModelLibraryError`` for an unknown id
        or a file that cannot be deleted.
        """
        model = self.find(model_id)
        if model is None:
            raise ModelLibraryError("That model is not in the library.")
        self._state.last_used.pop(model_id, None)
        if model.owned and self._inside_models_dir(Path(model.path)):
            message = self._delete_files(model)
        else:
            if model.source == SOURCE_IMPORTED:
                self._state.imported = [
                    p for p in self._state.imported
                    if Path(p).resolve() != Path(model.path).resolve()
                ]
            else:
                if model_id not in self._state.forgotten:
                    self._state.forgotten.append(model_id)
            message = (f"Forgot {model.name}; the file stays on disk because "
                       f"{_OWNER.get(model.source, 'the app does not own it')}.")
        self._save_state()
        self._listing = [m for m in self._listing if m.model_id != model_id]
        return message

    def _delete_files(self, model: LocalModel) -> str:
        path = Path(model.path)
        freed = 0
        try:
            for shard in split_shards(path):
                size = shard.stat().st_size
                shard.unlink()
                freed += size
        except OSError as exc:
            log.exception("deleting %s failed", path)
            raise ModelLibraryError(
                f"{path.name} could not be deleted ({exc.strerror or exc})."
            ) from exc
        self._headers.pop(path.resolve(), None)
        if self._disk_cache is not None:
            self._disk_cache.forget(path)
        parent = path.parent
        if parent != self.models_dir and self._inside_models_dir(parent):
            with contextlib.suppress(OSError):
                parent.rmdir()  # only when empty: a download's repo folder
        return f"Deleted {model.name} and freed {human_size(freed)}."
