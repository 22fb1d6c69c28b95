#!/usr/bin/env bash
# Builds the portable llama-cpp-python wheel the installers bundle, once per version + flags, and
# prints its path. Portable means: no -march=native (GGML_NATIVE=OFF), and every x86-64 CPU
# variant of ggml's CPU backend built as its own library, chosen at run time by the CPU's features
# (GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON), so the app runs on CPUs older than the builder's.
#
# pip's wheel cache does not key on CMAKE_ARGS, so this build must never land in it (nor be served
# from it): --no-cache-dir, and the wheel goes into its own directory named after version + flags.
#
# The GPU backend (Vulkan) is built apart, by packaging/build-llama-vulkan.sh, and its module is
# put beside these CPU variants when the bundle is made: this wheel's flags (and so its cache)
# stay as they are, and a build machine pays the long Vulkan build once, on its own.
#
# usage: packaging/build-llama-portable.sh VERSION   (prints the wheel's path on stdout)
set -euo pipefail
version="${1:?usage: build-llama-portable.sh LLAMA_CPP_PYTHON_VERSION}"
python="${PYTHON:-python3}"
# LLAVA_BUILD=OFF: the multimodal library (mtmd) is not used by the app nor bundled; skipping it
# shortens the (long) portable build.
flags="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DLLAVA_BUILD=OFF"
if command -v sha256sum >/dev/null; then sha="sha256sum"; else sha="shasum -a 256"; fi  # macOS
flags_hash="$(printf '%s' "$flags" | $sha | cut -c1-12)"
cache_root="${DESKTOPCHAT_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desktopchat-build}"
cache_dir="$cache_root/llama-portable-$version-$flags_hash"
wheel="$(ls "$cache_dir"/llama_cpp_python-"$version"-*.whl 2>/dev/null | head -n1 || true)"
if [ -n "$wheel" ]; then
  echo "reusing $wheel" >&2
  echo "$wheel"
  exit 0
fi
mkdir -p "$cache_dir"
tmp="$(mktemp -d "$cache_root/.building-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building llama-cpp-python $version with CMAKE_ARGS=\"$flags\" (takes a while)" >&2
CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)}" \
  "$python" -m pip wheel --no-cache-dir --no-deps --no-binary llama-cpp-python \
  "llama-cpp-python==$version" -w "$tmp" >&2
printf '%s\n' "$flags" > "$tmp/CMAKE_ARGS.txt"
built="$(ls "$tmp"/llama_cpp_python-"$version"-*.whl)"
# Rename into place only when complete, so an interrupted build is never reused.
mv "$tmp/CMAKE_ARGS.txt" "$cache_dir/"
mv "$built" "$cache_dir/"
echo "$cache_dir/$(basename "$built")"
