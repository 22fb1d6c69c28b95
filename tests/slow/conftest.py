"""The installer tier installs a .deb with dpkg: it needs root or password-less sudo. On a normal
account without either it is skipped, and pytest prints why (``-ra``); CI runs as root."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def _can_install() -> str:
    """'' when dpkg -i can run here, else the reason it cannot."""
    if os.geteuid() == 0:
        return ""
    if shutil.which("sudo") is None:
        return "the installer tier needs root (no sudo here): run the tests as root, as CI does"
    try:
        ok = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return "" if ok else ("the installer tier needs root or password-less sudo to run dpkg -i; "
                          "run the tests as root (as CI does) or allow 'sudo -n'")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if not slow:
        return
    reason = _can_install()
    if reason:
        for item in slow:
            item.add_marker(pytest.mark.skip(reason=reason))
