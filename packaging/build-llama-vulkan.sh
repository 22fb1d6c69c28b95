#!/usr/bin/env bash
# Builds llama.cpp's Vulkan backend module (libggml-vulkan) for the portable bundle, once per
# version + flags, and prints the folder holding it. It is one more run-time-loaded ggml backend
# (GGML_BACKEND_DL=ON) that the bundle puts beside the CPU variants of the portable wheel
# (packaging/build-llama-portable.sh): it serves NVIDIA, AMD and Intel GPUs with one build, and
# without a usable Vulkan device (or without the Vulkan loader) ggml skips it and the CPU
# variants run. Both come from the same llama-cpp-python version (the same ggml), so the module
# fits the CPU build's libggml-base: ggml checks the backend API version when it loads a module.
#
# Built apart from the CPU variants so that each is cached on its own: this build needs only the
# generic CPU code (no GGML_CPU_ALL_VARIANTS) and is kept for the Vulkan module alone. Building it
# needs the shader compiler glslc and Vulkan headers new enough for llama.cpp: on Debian
# packaging/linux/system-deps.sh --vulkan-build and packaging/linux/vulkan-headers.sh provide them
# (only on a cache miss); on Windows the Vulkan SDK (VULKAN_SDK, the CI workflow installs it).
# macOS uses Metal (llama-cpp-python's default there): nothing to build.
#
# usage: packaging/build-llama-vulkan.sh VERSION   (prints the module's folder on stdout)
set -euo pipefail
version="${1:?usage: build-llama-vulkan.sh LLAMA_CPP_PYTHON_VERSION}"
python="${PYTHON:-python3}"
flags="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_VULKAN=ON -DLLAVA_BUILD=OFF"
if command -v sha256sum >/dev/null; then sha="sha256sum"; else sha="shasum -a 256"; fi
flags_hash="$(printf '%s' "$flags" | $sha | cut -c1-12)"
cache_root="${DESKTOPCHAT_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desktopchat-build}"
cache_dir="$cache_root/llama-vulkan-$version-$flags_hash"
if ls "$cache_dir"/*ggml-vulkan* >/dev/null 2>&1; then
  echo "reusing $cache_dir" >&2
  echo "$cache_dir"
  exit 0
fi
mkdir -p "$cache_root"
build_args="$flags"
if [ "$(uname -s)" = Linux ]; then
  here="$(cd "$(dirname "$0")" && pwd)"
  "$here/linux/system-deps.sh" --vulkan-build >&2
  vk_include="$("$here/linux/vulkan-headers.sh" "$cache_root")"
  build_args="$build_args -DVulkan_INCLUDE_DIR=$vk_include"
fi
tmp="$(mktemp -d "$cache_root/.building-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building llama.cpp's Vulkan backend ($version) with CMAKE_ARGS=\"$build_args\"" >&2
started="$(date +%s)"
CMAKE_ARGS="$build_args" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)}" \
  "$python" -m pip wheel --no-cache-dir --no-deps --no-binary llama-cpp-python \
  "llama-cpp-python==$version" -w "$tmp/wheel" >&2
echo "built in $(( $(date +%s) - started )) s" >&2
mkdir -p "$tmp/module"
"$python" - "$tmp/wheel" "$tmp/module" <<'PY'
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("llama_cpp_python-*.whl"))
out = pathlib.Path(sys.argv[2])
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if "ggml-vulkan" in n.rsplit("/", 1)[-1]]
    # ggml's CMake install puts the module in bin/ (llama-cpp-python copies it to lib/ too):
    # one copy, preferring bin/, where the portable wheel keeps its CPU variants.
    names.sort(key=lambda n: (not n.split("/")[-2:-1] == ["bin"], n))
    assert names, "the Vulkan build produced no ggml-vulkan module"
    (out / names[0].rsplit("/", 1)[-1]).write_bytes(z.read(names[0]))
PY
printf '%s\n' "$flags" > "$tmp/module/CMAKE_ARGS.txt"
rm -rf "$cache_dir"
mv "$tmp/module" "$cache_dir"  # renamed into place only when complete
echo "$cache_dir"
