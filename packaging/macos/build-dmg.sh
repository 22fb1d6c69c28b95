#!/usr/bin/env bash
# macOS: build/dist/desktopchat.app (the same PyInstaller spec, with BUNDLE) and a .dmg made with
# dmgbuild in dist/. Runs on a Mac with Python 3.11 and the Xcode command-line tools (GitHub's
# macos-latest runners). NOT runnable on Linux. The app is ad-hoc signed only; notarisation
# needs a Developer ID and is left to the release job.
#   packaging/macos/build-dmg.sh [--with-starter-model]
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=""
[ "${1:-}" = "--with-starter-model" ] && variant="-offline"
packaging/build-bundle.sh "$@"
# shellcheck disable=SC1091
source packaging/versions.env
vpy=build/bundle-venv/bin/python
"$vpy" -m pip install -q "dmgbuild==$DMGBUILD_VERSION"
version="$("$vpy" -c 'import desktopchat as d; print(d.__version__)')"
mkdir -p dist
"$vpy" -m dmgbuild -s packaging/macos/dmg_settings.py -D app=build/dist/desktopchat.app \
  "desktopchat" "dist/desktopchat${variant}-${version}.dmg"
ls -l dist/
