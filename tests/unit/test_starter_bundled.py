"""A frozen (installed) app finds the starter model it carries, before any pip package."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktopchat.models import starter
from desktopchat.models.starter import STARTER_ENV, STARTER_FILE, starter_model_path


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to be a PyInstaller onedir app in tmp_path (exe + _internal)."""
    internal = tmp_path / "_internal"
    internal.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "desktopchat"))
    monkeypatch.delenv(STARTER_ENV, raising=False)
    return tmp_path


def _put_model(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STARTER_FILE
    path.write_bytes(b"GGUF")
    return path


def test_not_frozen_means_no_bundled_candidates():
    assert starter.bundled_candidates() == []


def test_frozen_app_uses_the_model_inside_its_bundle(frozen):
    bundled = _put_model(frozen / "_internal" / "models")
    assert starter_model_path() == bundled


def test_frozen_app_also_looks_beside_its_executable(frozen):
    beside = _put_model(frozen / "models")
    assert starter_model_path() == beside


def test_macos_bundle_resources_folder(monkeypatch, tmp_path):
    contents = tmp_path / "desktopchat.app" / "Contents"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(contents / "Frameworks"), raising=False)
    monkeypatch.setattr(sys, "executable", str(contents / "MacOS" / "desktopchat"))
    monkeypatch.delenv(STARTER_ENV, raising=False)
    (contents / "MacOS").mkdir(parents=True)
    resources = _put_model(contents / "Resources" / "models")
    assert starter_model_path() == resources


def test_the_environment_override_still_wins(frozen, monkeypatch, tmp_path):
    _put_model(frozen / "_internal" / "models")
    chosen = _put_model(tmp_path / "elsewhere")
    monkeypatch.setenv(STARTER_ENV, str(chosen))
    assert starter_model_path() == chosen
