#!/usr/bin/env bash
# Builds the portable llama-cpp-python wheel the installers bundle, once per version + flags, and
# prints its path. Portable means: no -march=native (GGML_NATIVE=OFF), and every x86-64 CPU
# variant of ggml's CPU backend built as its own library, chosen at run time by the CPU's features
# (GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON), so the app runs on CPUs older than the builder's.
#
# pip's wheel cache does not key on CMAKE_ARGS, so this build must never land in it (nor be served
# from it): --no-cache-dir, and the wheel goes into its own directory named after version + flags.
#
# Vulkan (Linux and Windows): one more run-time-loaded ggml backend, libggml-vulkan, beside the CPU
# variants (GGML_VULKAN=ON). It serves NVIDIA, AMD and Intel GPUs with one build; without a usable
# Vulkan device (or without the Vulkan loader) ggml skips it and the CPU variants run. Building it
# needs the shader compiler glslc and Vulkan headers new enough for llama.cpp: on Debian
# packaging/linux/system-deps.sh --vulkan-build and packaging/linux/vulkan-headers.sh provide them
# (only on a cache miss); on Windows the Vulkan SDK (VULKAN_SDK, the CI workflow installs it).
# macOS gets Metal instead (llama-cpp-python's default there). DESKTOPCHAT_VULKAN=0 leaves it out.
#
# usage: packaging/build-llama-portable.sh VERSION   (prints the wheel's path on stdout)
set -euo pipefail
version="${1:?usage: build-llama-portable.sh LLAMA_CPP_PYTHON_VERSION}"
python="${PYTHON:-python3}"
# LLAVA_BUILD=OFF: the multimodal library (mtmd) is not used by the app nor bundled; skipping it
# shortens the (long) portable build.
flags="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DLLAVA_BUILD=OFF"
case "$(uname -s)" in
  Darwin) vulkan=0 ;;
  *) vulkan="${DESKTOPCHAT_VULKAN:-1}" ;;
esac
[ "$vulkan" = 1 ] && flags="$flags -DGGML_VULKAN=ON"
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
# Machine-specific arguments (where the headers are) stay out of the cache key.
build_args="$flags"
if [ "$vulkan" = 1 ] && [ "$(uname -s)" = Linux ]; then
  here="$(cd "$(dirname "$0")" && pwd)"
  "$here/linux/system-deps.sh" --vulkan-build >&2
  vk_include="$("$here/linux/vulkan-headers.sh" "$cache_root")"
  build_args="$build_args -DVulkan_INCLUDE_DIR=$vk_include"
fi
tmp="$(mktemp -d "$cache_root/.building-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building llama-cpp-python $version with CMAKE_ARGS=\"$build_args\" (takes a while)" >&2
started="$(date +%s)"
CMAKE_ARGS="$build_args" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN)}" \
  "$python" -m pip wheel --no-cache-dir --no-deps --no-binary llama-cpp-python \
  "llama-cpp-python==$version" -w "$tmp" >&2
printf '%s\n' "$flags" > "$tmp/CMAKE_ARGS.txt"
echo "built in $(( $(date +%s) - started )) s" >&2
built="$(ls "$tmp"/llama_cpp_python-"$version"-*.whl)"
# Rename into place only when complete, so an interrupted build is never reused.
mv "$tmp/CMAKE_ARGS.txt" "$cache_dir/"
mv "$built" "$cache_dir/"
echo "$cache_dir/$(basename "$built")"
