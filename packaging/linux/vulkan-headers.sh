#!/usr/bin/env bash
# Prints a folder of Vulkan headers new enough for llama.cpp's Vulkan backend, for the build only.
#
# llama.cpp's ggml-vulkan uses vk::LayerSettingEXT (Vulkan 1.3.268+). Debian 12 ships
# libvulkan-dev 1.3.239, which lacks it. When the system's headers are too old, this fetches the
# next Debian release's libvulkan-dev (pinned in packaging/versions.env) with `apt-get download`
# through a private apt state (the system's sources, lists and cache are not touched), unpacks it
# with `dpkg -x` into the build cache, and prints its include folder; nothing is installed over
# the system. The Vulkan loader the backend links against stays the system's libvulkan.so.1: the
# loader's ABI is stable across 1.3/1.4.
#
#   packaging/linux/vulkan-headers.sh CACHE_ROOT   (prints the include folder on stdout)
set -euo pipefail
cache_root="${1:?usage: vulkan-headers.sh CACHE_ROOT}"
cd "$(dirname "$0")/../.."
# shellcheck disable=SC1091
source packaging/versions.env
if grep -qs 'VkLayerSettingEXT' /usr/include/vulkan/vulkan_core.h; then
  echo /usr/include
  exit 0
fi
dest="$cache_root/vulkan-headers-$VULKAN_HEADERS_DEB_VERSION"
if [ -f "$dest/usr/include/vulkan/vulkan.hpp" ]; then
  echo "$dest/usr/include"
  exit 0
fi
mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.vulkan-headers-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
# The same Debian mirror the system uses, for the pinned suite.
mirror="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Created-By: Packages' \
  | awk '$2 !~ /-(security|updates|backports)$/ {print $1; exit}')"
[ -n "$mirror" ] || { echo "no Debian mirror found in apt's sources" >&2; exit 1; }
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $VULKAN_HEADERS_DEB_SUITE main" \
  > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
          -o APT::Sandbox::User=root -qq)
echo "fetching libvulkan-dev $VULKAN_HEADERS_DEB_VERSION ($VULKAN_HEADERS_DEB_SUITE) for its headers" >&2
apt-get "${apt_opts[@]}" update >&2
(cd "$work" && apt-get "${apt_opts[@]}" download "libvulkan-dev=$VULKAN_HEADERS_DEB_VERSION" >&2)
mkdir -p "$work/root"
dpkg -x "$work"/libvulkan-dev_*.deb "$work/root"
grep -qs 'VkLayerSettingEXT' "$work/root/usr/include/vulkan/vulkan_core.h" \
  || { echo "libvulkan-dev $VULKAN_HEADERS_DEB_VERSION lacks VkLayerSettingEXT" >&2; exit 1; }
rm -rf "$dest"
mv "$work/root" "$dest"  # into place only when complete
echo "$dest/usr/include"
