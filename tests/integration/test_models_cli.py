"""``desktopchat models ...`` as a subprocess against the loopback Hub."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from tests.conftest import TEST_FILE, TEST_REPO


def _run(*args: str, data_dir, env_extra: dict[str, str] | None = None,
         timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(data_dir), "models", *args],
        capture_output=True, text=True, timeout=timeout, env=env,
    )


def test_search_lists_gguf_repos(hub_server, tmp_path):
    r = _run("search", "smol", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert TEST_REPO in r.stdout and "5,000 downloads" in r.stdout


def test_files_lists_size_and_quantization(hub_server, tmp_path):
    r = _run("files", TEST_REPO, data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert TEST_FILE in r.stdout and "Q4_1" in r.stdout and "98.4 MB" in r.stdout


def test_get_installs_verified_and_resumes_after_a_failed_run(hub_server, tmp_path, smollm2_path):
    size = smollm2_path.stat().st_size
    hub_server.faults.drop_after = size // 2
    r = _run("get", TEST_REPO, TEST_FILE, "--retries", "0", data_dir=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1].endswith("to resume.")
    assert not list((tmp_path / "models").rglob("*.gguf"))
    r = _run("get", TEST_REPO, TEST_FILE, data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Resuming" in r.stderr and "100.0%" in r.stderr
    installed = tmp_path / "models" / "test-org__SmolLM2-135M-Instruct-GGUF" / TEST_FILE
    assert hashlib.sha256(installed.read_bytes()).hexdigest() == hashlib.sha256(
        smollm2_path.read_bytes()).hexdigest()
    assert hub_server.bytes_served <= size + (1 << 20)


def test_get_unknown_file_and_gated_say_one_sentence(hub_server, tmp_path, smollm2_path):
    r = _run("get", TEST_REPO, "nope.gguf", data_dir=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    hub_server.add_repo("gated/Model-GGUF", {"m-Q4_1.gguf": smollm2_path}, gated=True)
    r = _run("get", "gated/Model-GGUF", "m-Q4_1.gguf", data_dir=tmp_path)
    assert r.returncode == 1 and "access token" in r.stderr and "Traceback" not in r.stderr


def test_offline_refuses_without_contacting_the_hub(hub_server, tmp_path):
    for args in (("search", "smol"), ("files", TEST_REPO), ("get", TEST_REPO, TEST_FILE)):
        r = _run(*args, "--offline", data_dir=tmp_path)
        assert r.returncode == 1 and "Offline mode is on" in r.stderr
    assert hub_server.requests == []


def test_login_stores_the_token_with_the_hubs_storage_and_unlocks_gated(hub_server, tmp_path,
                                                                        smollm2_path):
    hub_server.add_repo("gated/Model-GGUF", {"m-Q4_1.gguf": smollm2_path}, gated=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(tmp_path), "models", "login"],
        input="not-a-token\n", capture_output=True, text=True, timeout=60, env=env, check=False)
    assert r.returncode == 1 and "did not accept" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "desktopchat", "--data-dir", str(tmp_path), "models", "login"],
        input=hub_server.valid_token + "\n", capture_output=True, text=True, timeout=60, env=env,
        check=False)
    assert r.returncode == 0, r.stderr
    r = _run("get", "gated/Model-GGUF", "m-Q4_1.gguf", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr


def test_files_shows_fit_from_the_remote_header(hub_server, tmp_path):
    r = _run("files", TEST_REPO, "--context", "2048", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith(TEST_FILE))
    assert any(v in line for v in ("fits", "tight", "won't fit")) and "at 2048 ctx" in line


def test_import_list_rm(tmp_path, smollm2_path):
    import shutil

    copy = tmp_path / "mine-Q4_1.gguf"
    shutil.copyfile(smollm2_path, copy)
    data = tmp_path / "data"
    r = _run("import", str(copy), data_dir=data)
    assert r.returncode == 0, r.stderr
    model_id = r.stdout.split(" as ")[1].split(" (")[0]
    r = _run("list", data_dir=data)
    assert r.returncode == 0 and model_id in r.stdout
    r = _run("rm", model_id, data_dir=data)
    assert r.returncode == 0, r.stderr
    assert copy.exists()  # imported in place: forgotten, never deleted
    assert model_id not in _run("list", data_dir=data).stdout
    r = _run("rm", "nope", data_dir=data)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model")
    r = _run("import", str(bad), data_dir=data)
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_get_a_file_with_a_300_character_name(hub_server, tmp_path, smollm2_path):
    long_name = "x" * 290 + "-Q4_1.gguf"
    hub_server.add_repo("o/Long-GGUF", {long_name: smollm2_path})
    r = _run("get", "o/Long-GGUF", long_name, data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Errno" not in r.stderr
    (installed,) = (tmp_path / "models" / "o__Long-GGUF").glob("*.gguf")
    assert len(installed.name.encode()) <= 150 and installed.name.endswith("-Q4_1.gguf")
