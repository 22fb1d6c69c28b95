#!/usr/bin/env bash
# Installs the Debian packages desktopchat needs to build and run (only those missing, so a
# machine that has them all runs no apt-get at all): a C/C++ toolchain for llama-cpp-python, the
# venv module, the shared libraries Qt's xcb/offscreen platforms load, and what the installer
# tier (tests/slow) uses: git (clean-checkout builds), desktop-file-validate and appstreamcli.
#
#   packaging/linux/system-deps.sh                 what a source install and the test suite need
#   packaging/linux/system-deps.sh --vulkan-build  + the Vulkan shader compiler, loader and SPIR-V
#                                                  headers (glslc, libvulkan-dev, spirv-headers),
#                                                  for the installers' portable build only
#   packaging/linux/system-deps.sh --vulkan-test   + Mesa's software Vulkan device (lavapipe) and
#                                                  the loader, for the GPU test tier only
#
# A plain `pip install` needs no GPU toolchain, so the default set has none.
set -euo pipefail
pkgs=(python3-venv python3-dev build-essential cmake libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0
      libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4
      libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0
      libwayland-client0 libwayland-cursor0 libwayland-egl1
      git desktop-file-utils appstream)
for arg in "$@"; do
  case "$arg" in
    --vulkan-build) pkgs+=(glslc libvulkan-dev spirv-headers) ;;
    --vulkan-test) pkgs+=(libvulkan1 mesa-vulkan-drivers) ;;
    *) echo "usage: $0 [--vulkan-build] [--vulkan-test]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
