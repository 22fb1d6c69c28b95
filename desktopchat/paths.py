"""Every location the app writes to, from platformdirs or one ``--data-dir`` override.

Nothing else in the app builds a path to user data: a test (or a portable install) passes one
directory and everything the app writes lands below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktopchat import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    """The app's folders; ``ensure()`` creates them."""

    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """All locations below one directory (``--data-dir``)."""
        root = root.expanduser().resolve()
        return cls(data_dir=root, log_dir=root / "logs", cache_dir=root / "cache")

    @property
    def db_path(self) -> Path:
        return self.data_dir / "desktopchat.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def downloads_dir(self) -> Path:
        """Partial downloads live here until verified, never in ``models_dir``."""
        return self.data_dir / "downloads"

    @property
    def kv_state_dir(self) -> Path:
        return self.cache_dir / "kv-state"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "desktopchat.log"

    def ensure(self) -> AppPaths:
        for d in (self.data_dir, self.log_dir, self.cache_dir, self.models_dir, self.downloads_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
