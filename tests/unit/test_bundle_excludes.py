"""The installer bundle leaves out modules by name (packaging/pyinstaller/desktopchat.spec,
EXCLUDES). A module the app imports must never be on that list: the bundle would start and then
fail where it is first used (PyYAML, which the gguf package imports, failed every installed
start; uvicorn and starlette would have failed the local API). This checks the list against what
the app really imports, in a fresh interpreter, without building a bundle (the installer tier
builds one)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "pyinstaller" / "desktopchat.spec"

# Everything the app can reach at run time: the window, both servers, the engines, the gguf
# tables (first used on a worker thread) and uvicorn's protocol classes (imported by name when
# a server starts).
IMPORT_ALL = r"""
import importlib, json, pkgutil, sys
import desktopchat
for m in pkgutil.walk_packages(desktopchat.__path__, "desktopchat."):
    if m.name != "desktopchat.__main__":
        importlib.import_module(m.name)
from desktopchat.models.gguf import _tables
_tables()
from desktopchat.api.server import uvicorn_config
async def asgi(scope, receive, send):
    pass
uvicorn_config(asgi).load()
print(json.dumps(sorted(sys.modules)))
"""


def spec_list(name: str) -> list[str]:
    """A list literal assigned in the spec (for EXCLUDES: the literal part after ``+``)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value.right if isinstance(node.value, ast.BinOp) else node.value
            return list(ast.literal_eval(value))
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def excluded() -> set[str]:
    used = set(spec_list("QT_USED"))
    qt = {f"PySide6.{m}" for m in spec_list("QT_ALL") if m not in used}
    return qt | set(spec_list("EXCLUDES"))


def test_the_spec_lists_what_it_leaves_out():
    names = excluded()
    assert {"pytest", "PySide6.QtQml", "llama_cpp.server"} <= names
    assert "PySide6.QtWidgets" not in names


def test_no_module_the_app_imports_is_left_out_of_the_bundle():
    out = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-3000:]
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    names = excluded()
    missing = sorted(m for m in loaded
                     if any(m == x or m.startswith(x + ".") for x in names))
    assert missing == [], f"the bundle leaves out modules the app imports: {missing}"
