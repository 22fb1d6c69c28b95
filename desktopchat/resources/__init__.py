"""Package data (icons), located with importlib.resources so it works installed and bundled."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def icon_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("desktopchat.png")))
