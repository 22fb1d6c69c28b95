"""One window per data dir: a second launch raises the first one and exits; crashes don't block."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.app import DesktopChatApp
from desktopchat.single_instance import SingleInstance, activate_running_instance, server_name


def _launch_second(data_dir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


@pytest.mark.realmodel
def test_second_launch_raises_the_running_window_and_exits(qtbot, app_paths, caplog):
    """The first app runs in-process exactly as run_gui wires it; the second is a real process."""
    instance = SingleInstance(app_paths.data_dir)
    assert instance.claim()
    app = DesktopChatApp(app_paths)
    qtbot.addWidget(app.window)
    instance.activation_requested.connect(app.bring_to_front)
    try:
        with qtbot.wait_signal(app.session.model_state, timeout=60_000,
                               check_params_cb=lambda state, _d: state == "ready"):
            app.start()
            qtbot.wait_exposed(app.window)
        app.window.showMinimized()
        caplog.set_level("INFO", logger="desktopchat.app")
        with qtbot.wait_signal(instance.activation_requested, timeout=60_000):
            second = _launch_second(app_paths.data_dir)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, out + err
        assert "already running" in out
        assert not app.window.isMinimized() and app.window.isVisible()
        assert "window brought to the front for a second launch" in caplog.text
        # the second launch loaded nothing: its own log says so and nothing else was started
        log_text = app_paths.log_file.read_text(encoding="utf-8")
        assert "asked it to show its window" in log_text
    finally:
        app.window.close()
        app.shutdown()
        instance.release()


def test_a_crashed_instance_does_not_block_start_up(qtbot, tmp_path):
    """A dead process's lock file and socket file are stale: the next start claims both."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    crash = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from desktopchat.single_instance import SingleInstance\n"
        "app = QCoreApplication([])\n"
        "inst = SingleInstance(Path(sys.argv[1]))\n"
        "assert inst.claim()\n"
        "os._exit(0)  # like a crash: no unlock, no server close\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(data_dir)], check=True, timeout=60,
                   env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert (data_dir / "desktopchat.lock").exists()
    instance = SingleInstance(data_dir)
    try:
        assert instance.claim()
        with qtbot.wait_signal(instance.activation_requested, timeout=10_000):
            assert activate_running_instance(data_dir)
    finally:
        instance.release()


def test_no_running_instance_means_nothing_to_activate(tmp_path):
    assert not activate_running_instance(tmp_path, timeout_ms=300)


def test_server_names_differ_per_data_dir(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
    assert len(server_name(tmp_path)) < 40  # fits a Unix socket path in any temp dir


def test_self_test_ignores_a_running_window(qtbot, app_paths, smollm2_path):
    """CLI modes are not single-instance: --self-test runs while a window holds the data dir."""
    instance = SingleInstance(app_paths.data_dir)
    assert instance.claim()
    try:
        r = subprocess.run(
            [sys.executable, "-m", "desktopchat", "--data-dir", str(app_paths.data_dir),
             "--self-test"],
            capture_output=True, text=True, timeout=180,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
        assert r.returncode == 0, r.stdout + r.stderr
        assert "self-test passed" in r.stdout
    finally:
        instance.release()
