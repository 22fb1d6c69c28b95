"""Build step: the Qt translations (``desktopchat/resources/translations/*.ts``) are compiled
into the ``.qm`` files the app loads, with ``lrelease`` from PySide6-Essentials (a build
requirement in pyproject.toml). Everything else is in pyproject.toml."""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tools.translations import TS_DIR, compile_all  # noqa: E402


class BuildWithTranslations(build_py):
    """build_py, then lrelease: the .qm files go into the built package (beside the sources
    of an editable install, where the package is the source folder)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            compile_all(TS_DIR)
        else:
            compile_all(Path(self.build_lib) / TS_DIR.relative_to(ROOT))


setup(cmdclass={"build_py": BuildWithTranslations})
