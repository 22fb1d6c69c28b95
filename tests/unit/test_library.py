"""The model library on real files: what is listed, import in place and by copy, delete versus
forget, last used, and the state file surviving damage."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest

from desktopchat.models.gguf import GGUFError
from desktopchat.models.library import STATE_FILE, ModelLibrary
from desktopchat.models.local import (
    SOURCE_COPY,
    SOURCE_DOWNLOAD,
    SOURCE_FOLDER,
    SOURCE_HF,
    SOURCE_IMPORTED,
    SOURCE_STARTER,
)
from desktopchat.models.starter import STARTER_ID
from tests.support.models import make_gguf


def _lib(app_paths, home: Path | None = None) -> ModelLibrary:
    return ModelLibrary(app_paths, env={}, home=home or app_paths.data_dir / "no-home")


def _small(path: Path, **meta: str | int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_gguf({"general.architecture": "llama", **meta}))
    return path


def test_lists_starter_folder_and_downloads(app_paths, smollm2_path):
    shutil.copy(smollm2_path, app_paths.models_dir / "mine.gguf")
    _small(app_paths.models_dir / "HuggingFaceTB__SmolLM2-GGUF" / "smol-q8.gguf")
    (app_paths.models_dir / "notes.gguf").write_text("not a model")
    listing = _lib(app_paths).list_models()
    starter = next(m for m in listing if m.model_id == STARTER_ID)
    assert (starter.source, starter.owned) == (SOURCE_STARTER, False)
    models = {Path(m.path).stem: m for m in listing if m.model_id != STARTER_ID}
    mine = models["mine"]
    # The model's own name (general.name), not the file's; the quantization the file declares.
    assert mine.name == "Smollm2 135M 8k Lc100K Mix1 Ep2"  # what the file calls itself
    assert (mine.source, mine.owned, mine.quantization) == (SOURCE_FOLDER, True, "Q4_1")
    assert mine.size == smollm2_path.stat().st_size and mine.parameters > 100_000_000
    dl = models["smol-q8"]
    assert (dl.source, dl.detail, dl.owned) == (SOURCE_DOWNLOAD, "HuggingFaceTB/SmolLM2-GGUF", True)
    assert "notes" not in models


def test_import_in_place_lists_without_copying_and_forget_keeps_the_file(app_paths, tmp_path):
    outside = _small(tmp_path / "elsewhere" / "tiny.gguf")
    lib = _lib(app_paths)
    model = lib.import_file(outside)
    assert (model.source, model.owned, model.path) == (SOURCE_IMPORTED, False, str(outside))
    assert list(app_paths.models_dir.rglob("*")) == []
    assert any(m.model_id == model.model_id for m in _lib(app_paths).list_models())  # persisted
    message = lib.remove(model.model_id)
    assert message.startswith("Forgot tiny") and "stays on disk" in message
    assert outside.is_file()
    assert all(m.model_id != model.model_id for m in _lib(app_paths).list_models())


def test_import_copy_is_atomic_owned_and_delete_frees_it(app_paths, tmp_path, smollm2_path):
    outside = tmp_path / "elsewhere" / "SmolLM2-copy.gguf"
    outside.parent.mkdir()
    shutil.copy(smollm2_path, outside)
    lib = _lib(app_paths)
    model = lib.import_file(outside, copy=True)
    dest = app_paths.models_dir / "imported" / outside.name
    assert (model.source, model.owned, Path(model.path)) == (SOURCE_COPY, True, dest)
    assert dest.read_bytes() == outside.read_bytes()
    assert [p.name for p in dest.parent.iterdir()] == [outside.name]  # no temp file left
    message = lib.remove(model.model_id)
    assert message.startswith("Deleted Smollm2 135M") and "freed 98.4 MB" in message
    assert not dest.exists() and outside.is_file()


def test_bad_file_is_refused_with_one_sentence_and_nothing_changes(app_paths, tmp_path):
    bad = tmp_path / "fake.gguf"
    bad.write_text("definitely not a model")
    lib = _lib(app_paths)
    before = [m.model_id for m in lib.list_models()]
    for copy in (False, True):
        with pytest.raises(GGUFError) as err:
            lib.import_file(bad, copy=copy)
        text = str(err.value)
        assert text == "fake.gguf cannot be used: it is not a GGUF model file."
    truncated = tmp_path / "cut.gguf"
    truncated.write_bytes(make_gguf()[:-40])
    with pytest.raises(GGUFError, match=r"^cut.gguf cannot be used: .*truncated"):
        lib.import_file(truncated)
    assert [m.model_id for m in lib.list_models()] == before
    assert not (app_paths.models_dir / "imported").exists()


def test_split_model_is_listed_once_with_all_shards_and_deleted_whole(app_paths):
    folder = app_paths.models_dir / "someone__big-GGUF"
    first = _small(folder / "big-00001-of-00002.gguf")
    second = _small(folder / "big-00002-of-00002.gguf")
    lib = _lib(app_paths)
    [model] = [m for m in lib.list_models() if m.source == SOURCE_DOWNLOAD]
    assert model.path == str(first)
    assert model.size == first.stat().st_size + second.stat().st_size
    assert lib.remove(model.model_id).startswith("Deleted")
    assert not folder.exists()  # both shards gone, and the empty repo folder


def test_last_used_and_forgotten_persist(app_paths, tmp_path):
    home = tmp_path / "home2"
    snap = home / ".cache/huggingface/hub/models--a--b/snapshots/rev1"
    hf_file = _small(snap / "b-Q4.gguf")
    lib = _lib(app_paths, home)
    found = [m for m in lib.list_models() if m.source == SOURCE_HF]
    assert [m.name for m in found] == ["b-Q4"]
    lib.mark_used(STARTER_ID)
    again = _lib(app_paths, home)
    starter = again.find(STARTER_ID)
    assert starter is not None and starter.last_used is not None
    assert again.remove(found[0].model_id).endswith("because it is in the Hugging Face cache.")
    assert hf_file.is_file()
    assert all(m.source != SOURCE_HF for m in _lib(app_paths, home).list_models())
    # Importing a forgotten file explicitly brings it back.
    back = _lib(app_paths, home).import_file(hf_file)
    assert any(m.model_id == back.model_id for m in _lib(app_paths, home).list_models())


@pytest.mark.parametrize("content", ["{not json", json.dumps({"version": 99}), "[]"])
def test_damaged_state_file_is_kept_aside_and_the_library_starts_fresh(app_paths, caplog,
                                                                        content):
    state = app_paths.data_dir / STATE_FILE
    state.write_text(content)
    with caplog.at_level(logging.ERROR, logger="desktopchat.models.library"):
        lib = _lib(app_paths)
    assert any("damaged" in r.getMessage() for r in caplog.records)
    aside = [p for p in app_paths.data_dir.iterdir() if p.name.startswith(f"{STATE_FILE}.damaged")]
    assert len(aside) == 1 and aside[0].read_text() == content
    lib.mark_used(STARTER_ID)
    data = json.loads(state.read_text())
    assert data["version"] == 1 and STARTER_ID in data["last_used"]
    assert not [p for p in app_paths.data_dir.iterdir() if p.suffix == ".tmp"]


def test_remove_unknown_and_never_deletes_outside_models_dir(app_paths, tmp_path):
    lib = _lib(app_paths)
    with pytest.raises(GGUFError, match="not in the library"):
        lib.remove("file:nope:123")
    starter = lib.find(STARTER_ID)
    assert starter is not None
    assert "came with the app" in lib.remove(STARTER_ID)
    assert Path(starter.path).is_file()
    assert os.path.exists(starter.path)
