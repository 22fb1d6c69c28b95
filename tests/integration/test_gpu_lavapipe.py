"""The GPU tier: the portable llama.cpp build's Vulkan backend, on Mesa's software Vulkan device
(lavapipe, ``mesa-vulkan-drivers``), through the app's real engine on SmolLM2.

lavapipe is a real Vulkan implementation that runs on the CPU; llama.cpp's own CI tests its
Vulkan backend on it. ggml-vulkan skips CPU-type devices unless ``GGML_VK_VISIBLE_DEVICES``
names one, so only these tests see it, and the app's Auto choice must still never pick it.

The Vulkan build is what the installers bundle: the portable CPU wheel
(packaging/build-llama-portable.sh) with the Vulkan module built apart
(packaging/build-llama-vulkan.sh), both cached by version and flags, so CI compiles each once for
this tier and the installer tier together. It is unpacked beside the test venv and put first on
``PYTHONPATH`` of a child process that runs the
engine (tests/support/gpu_probe.py): ggml reads its Vulkan settings once per process.

Needs root or password-less sudo the first time (glslc, Vulkan headers and lavapipe from the
Debian archive); without them the tier is skipped with that reason printed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.models.gguf import read_gguf
from desktopchat.models.offload import layer_costs

pytestmark = [pytest.mark.slow, pytest.mark.realmodel, pytest.mark.timeout(5400)]

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "tests" / "support" / "gpu_probe.py"
LAVAPIPE = {"GGML_VK_VISIBLE_DEVICES": "0"}
NEEDED = ("glslc", "libvulkan-dev", "spirv-headers", "mesa-vulkan-drivers", "libvulkan1")


def _installed(pkg: str) -> bool:
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
    return "install ok installed" in r.stdout


def _can_install() -> bool:
    if os.geteuid() == 0:
        return True
    return shutil.which("sudo") is not None and subprocess.run(
        ["sudo", "-n", "true"], capture_output=True).returncode == 0


def _cache_root() -> Path:
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)  # tests run with a temporary HOME
    return Path(os.environ.get("DESKTOPCHAT_BUILD_CACHE", home / ".cache" / "desktopchat-build"))


@pytest.fixture(scope="session")
def vulkan_site() -> Path:
    """A folder holding the portable llama-cpp-python with the Vulkan backend (built or cached)."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        pytest.skip("the lavapipe tier runs on Debian/Ubuntu")
    missing = [p for p in NEEDED if not _installed(p)]
    if missing and not _can_install():
        pytest.skip(f"needs root or password-less sudo to install {', '.join(missing)}")
    r = subprocess.run([str(REPO / "packaging/linux/system-deps.sh"), "--vulkan-build",
                        "--vulkan-test"], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    env = dict(os.environ, PYTHON=sys.executable, DESKTOPCHAT_BUILD_CACHE=str(_cache_root()))
    version = importlib.metadata.version("llama_cpp_python")
    built = []
    for script in ("build-llama-portable.sh", "build-llama-vulkan.sh"):
        r = subprocess.run([str(REPO / "packaging" / script), version], env=env,
                           capture_output=True, text=True, timeout=5000)
        assert r.returncode == 0, r.stderr[-5000:]
        built.append(Path(r.stdout.strip().splitlines()[-1]))
    wheel, module_dir = built
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
    site = _cache_root() / f"site-{digest}-vulkan"
    if not (site / "llama_cpp").is_dir():
        # What the bundle does: the portable CPU wheel, and the Vulkan module beside its CPU
        # variants (packaging/build-bundle.sh).
        tmp = site.with_name(site.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                        "--disable-pip-version-check", "--target", str(tmp), str(wheel)],
                       check=True, timeout=600)
        variants = next((tmp / "bin").glob("libggml-cpu-*")).parent
        for module in module_dir.glob("*ggml-vulkan*"):
            shutil.copy2(module, variants / module.name)
        tmp.rename(site)
    assert list((site / "bin").glob("libggml-vulkan*")), "the portable build has no Vulkan module"
    return site


def probe(site: Path, extra_env: dict[str, str], **args: object) -> dict:  # type: ignore[type-arg]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GGML_VK", "VK_"))}
    env.update(extra_env)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(REPO)])
    r = subprocess.run([sys.executable, str(PROBE), json.dumps(args)], capture_output=True,
                       text=True, timeout=1200, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    return json.loads(r.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _offloaded(out: dict) -> str:  # type: ignore[type-arg]
    return next((line for line in out["log"] if "offloaded" in line), "")


def test_lavapipe_is_seen_only_when_named_and_never_chosen_by_auto(vulkan_site, smollm2_path):
    hidden = probe(vulkan_site, {}, devices_only=True)
    assert [d["backend"] for d in hidden["devices"] if d["kind"] != "cpu"] == []
    shown = probe(vulkan_site, LAVAPIPE, model=str(smollm2_path), device="auto")
    lava = [d for d in shown["devices"] if d["backend"] == "Vulkan"]
    assert len(lava) == 1 and lava[0]["software"] and lava[0]["total_bytes"] > 0, shown
    assert any("software device" in line for line in shown["device_lines"])
    print("\n" + "\n".join(shown["device_lines"]))
    assert shown["plan"]["n_gpu_layers"] == 0 and shown["info"]["placement"] == "CPU"
    assert "Paris" in shown["reply"]


def test_fully_offloaded_to_lavapipe_it_answers_the_self_test(vulkan_site, smollm2_path):
    out = probe(vulkan_site, LAVAPIPE, model=str(smollm2_path), device="Vulkan0")
    print(f"\n{out['plan']['reason']}\n" + "\n".join(out["log"]))
    assert out["info"] == {"placement": "GPU (Vulkan0)", "fallback_notice": "",
                           "n_gpu_layers": 31}, out
    assert "offloaded 31/31 layers to GPU" in _offloaded(out)
    assert "Paris" in out["reply"], out
    # the planner's estimate of what the device holds, against llama.cpp's own buffers
    held = sum(float(line.split("=")[1].split()[0]) for line in out["log"]
               if line.lstrip().startswith(("load_tensors:", "llama_kv_cache:", "sched_reserve:"))
               and "Vulkan0" in line and "buffer size" in line) * 2**20
    assert held > 0, out["log"]
    assert held <= out["plan"]["device_bytes"] <= 2 * held, (held, out["plan"])


def test_the_automatic_choice_sizes_the_offload_to_a_memory_cap(vulkan_site, smollm2_path):
    costs = layer_costs(read_gguf(smollm2_path), 2048)
    cap = costs.device_bytes(16)  # room for 16 of 31 layers
    out = probe(vulkan_site, LAVAPIPE, model=str(smollm2_path), device="Vulkan0", cap=cap)
    print(f"\n{out['plan']['reason']}\n{_offloaded(out)}")
    assert out["plan"]["n_gpu_layers"] == 16 and out["plan"]["budget_bytes"] == cap
    assert out["info"]["placement"] == "GPU + CPU 16/31 layers (Vulkan0)"
    assert "offloaded 16/31 layers to GPU" in _offloaded(out)
    assert "Paris" in out["reply"], out


def test_a_device_that_refuses_the_load_falls_back(vulkan_site, smollm2_path):
    # ggml-vulkan's limit on one buffer, set below what the model's buffers need: every
    # allocation then fails with vk::OutOfDeviceMemoryError, the path a full device takes
    refusing = dict(LAVAPIPE, GGML_VK_FORCE_MAX_BUFFER_SIZE=str(2**20))
    out = probe(vulkan_site, refusing, model=str(smollm2_path), device="Vulkan0")
    print(f"\n{out['info']}\n" + "\n".join(out["log"][-8:]))
    assert any("ErrorOutOfDeviceMemory" in line or "failed to allocate Vulkan0" in line
               for line in out["log"]), out["log"]
    assert "offloaded 31/31 layers to GPU" in "\n".join(out["log"])  # the plan was tried first
    assert out["info"] == {"placement": "CPU", "n_gpu_layers": 0, "fallback_notice": (
        "Vulkan0 could not load this model (not enough GPU memory, or a driver error), so it "
        "runs on the CPU; it may be slower.")}, out["info"]
    assert "Paris" in out["reply"], out


def test_without_the_vulkan_library_the_cpu_variants_run(vulkan_site, smollm2_path):
    loader = next(p for p in (Path("/usr/lib/x86_64-linux-gnu/libvulkan.so.1"),
                              Path("/usr/lib64/libvulkan.so.1"), Path("/usr/lib/libvulkan.so.1"))
                  if p.exists())
    hide = ["unshare", "-m", "--propagation", "private"] if os.geteuid() == 0 else \
        ["unshare", "-rm", "--propagation", "private"]
    if subprocess.run([*hide, "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a private mount namespace here (unshare -m)")
    args = json.dumps({"model": str(smollm2_path), "device": "Vulkan0"})
    script = (f"mount --bind /dev/null {loader.resolve()} && "
              f"exec {sys.executable} {PROBE} '{args}'")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(vulkan_site), str(REPO)]), **LAVAPIPE)
    r = subprocess.run([*hide, "sh", "-c", script], capture_output=True, text=True, timeout=1200,
                       env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    print("\n" + "\n".join(out["device_lines"]) + f"\n{out['plan']['reason']}")
    assert [d["kind"] for d in out["devices"]] == ["cpu"]
    log = "\n".join(out["log"])
    assert "loaded CPU backend" in log and "loaded Vulkan backend" not in log, log
    assert out["plan"]["reason"].startswith("Vulkan0 is not available here. Runs on the CPU")
    assert out["info"]["placement"] == "CPU" and "Paris" in out["reply"]
