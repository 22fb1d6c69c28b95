"""The layering rules: Qt stays out of the core; llama_cpp and huggingface_hub stay in their
packages. Checked on the source (every import statement), so a lazy import counts too."""

import ast
from pathlib import Path

import desktopchat

PKG = Path(desktopchat.__file__).parent
QT_FREE = ["chat", "engine", "models", "settings.py", "paths.py", "logsetup.py"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(part: str) -> list[Path]:
    p = PKG / part
    return sorted(p.rglob("*.py")) if p.is_dir() else [p]


def test_core_is_qt_free():
    for part in QT_FREE:
        for f in _files(part):
            assert "PySide6" not in _imports(f), f"{f} imports PySide6"


def test_only_engine_imports_llama_cpp():
    for f in PKG.rglob("*.py"):
        if "llama_cpp" in _imports(f):
            assert f.parent.name == "engine", f"{f} imports llama_cpp"


def test_only_models_imports_huggingface_hub():
    for f in PKG.rglob("*.py"):
        if "huggingface_hub" in _imports(f):
            assert f.parent.name == "models", f"{f} imports huggingface_hub"


def test_modules_stay_small():
    for f in PKG.rglob("*.py"):
        n = len(f.read_text(encoding="utf-8").splitlines())
        assert n < 500, f"{f} has {n} lines; split it"
