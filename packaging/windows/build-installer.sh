#!/usr/bin/env bash
# Windows: the bundle (PyInstaller onedir) and a per-user Inno Setup installer in dist/.
# Runs in Git Bash on a Windows machine with Python 3.11, Visual Studio's C++ tools, CMake and
# Inno Setup 6 (all present on GitHub's windows-latest runners). NOT runnable on Linux.
#   packaging/windows/build-installer.sh [--with-starter-model]
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=""
[ "${1:-}" = "--with-starter-model" ] && variant="-offline"
packaging/build-bundle.sh "$@"
read -r version app_id < <(python -c 'import desktopchat as d; print(d.__version__, d.APP_ID)')
iscc="${ISCC:-iscc}"
command -v "$iscc" >/dev/null || iscc="/c/Program Files (x86)/Inno Setup 6/ISCC.exe"
"$iscc" "/DAppVersion=$version" "/DAppId=$app_id" "/DVariant=$variant" packaging/windows/desktopchat.iss
ls -l dist/
