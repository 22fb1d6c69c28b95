"""The window's translations: extract the marked strings into the ``.ts`` sources, and compile
those into the ``.qm`` files the app loads.

    python tools/translations.py update          # after changing user-visible strings
    python tools/translations.py check           # what the tests check: fails if stale or
                                                 # unfinished
    python tools/translations.py compile OUT_DIR # what the package build does (lrelease)

Strings are marked in ``desktopchat/ui`` with ``translate("Context", "text")``,
``QT_TRANSLATE_NOOP("Context", "text")``, ``QCoreApplication.translate(...)``, ``self.tr(...)``
(the class is the context) or a module helper that passes its argument to
``QCoreApplication.translate("Context", ...)``. Qt's ``lupdate`` misreads some of these forms in
Python, so extraction reads the code's syntax tree here; ``lrelease`` (shipped with
PySide6-Essentials) compiles. ``update`` keeps every translation whose source is unchanged, adds
new strings (the English file translates each to itself; other languages get them unfinished,
to translate) and drops strings no longer in the code.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "desktopchat" / "ui"
TS_DIR = ROOT / "desktopchat" / "resources" / "translations"
LANGUAGES = ("en", "zh_CN")
SOURCE_LANGUAGE = "en"
PAIR_CALLS = {"translate", "QT_TRANSLATE_NOOP"}  # f(context, text)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    filename: str  # relative to the .ts file's folder, as Qt Linguist expects


@dataclass
class Entry:
    translation: str
    finished: bool


def _literal(node: ast.AST | None) -> str | None:
    """A plain string literal (implicit concatenation included); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def _aliases(tree: ast.Module) -> set[str]:
    """Module-level names for the pair calls: ``N = QT_TRANSLATE_NOOP``."""
    return {t.id for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name) and node.value.id in PAIR_CALLS
            for t in node.targets if isinstance(t, ast.Name)}


def _helpers(tree: ast.Module) -> dict[str, str]:
    """Module functions that translate their first argument in a fixed context:
    ``def _tr(text): return QCoreApplication.translate("Ctx", text)`` → {"_tr": "Ctx"}."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        param = node.args.args[0].arg
        for ret in ast.walk(node):
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call) \
                    and _call_name(ret.value) == "translate" and len(ret.value.args) >= 2:
                ctx = _literal(ret.value.args[0])
                arg = ret.value.args[1]
                if ctx is not None and isinstance(arg, ast.Name) and arg.id == param:
                    found[node.name] = ctx
    return found


class _Extractor(ast.NodeVisitor):
    def __init__(self, filename: str, helpers: dict[str, str], pairs: set[str]) -> None:
        self.filename = filename
        self.helpers = helpers
        self.pairs = PAIR_CALLS | pairs
        self.classes: list[str] = []
        self.found: list[Message] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        where = f"{self.filename}:{node.lineno}"
        if name in self.pairs and len(node.args) >= 2 and name not in self.helpers:
            ctx, text = _literal(node.args[0]), _literal(node.args[1])
            if ctx is not None and text is not None:
                self.found.append(Message(ctx, text, self.filename))
            elif isinstance(node.args[1], (ast.JoinedStr, ast.BinOp)) or (
                    text is not None and ctx is None):
                self.problems.append(f"{where}: {name}() needs a literal context and text "
                                     "(format the translated text afterwards)")
            # translate("Ctx", name): a string marked where it is defined (a table); both
            # names: a wrapper passing them on
        elif name == "tr" and isinstance(node.func, ast.Attribute) and node.args:
            text = _literal(node.args[0])
            if text is None or not self.classes:
                self.problems.append(f"{where}: tr() needs a literal, inside a class")
            else:
                self.found.append(Message(self.classes[-1], text, self.filename))
        elif name in self.helpers and isinstance(node.func, ast.Name) and node.args:
            text = _literal(node.args[0])
            if text is not None:
                self.found.append(Message(self.helpers[name], text, self.filename))
        self.generic_visit(node)


def source_files(folder: Path = SOURCES) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def extract(files: Iterable[Path]) -> tuple[list[Message], list[str]]:
    """Every marked string (first occurrence of each context and text), and the marks that
    cannot be extracted (a context or text that is not a literal)."""
    seen: dict[tuple[str, str], Message] = {}
    problems: list[str] = []
    for path in files:
        tree = ast.parse(path.read_text("utf-8"), str(path))
        rel = os.path.relpath(path, TS_DIR).replace(os.sep, "/")
        ex = _Extractor(rel, _helpers(tree), _aliases(tree))
        ex.visit(tree)
        problems += ex.problems
        for m in ex.found:
            seen.setdefault((m.context, m.source), m)
    return list(seen.values()), problems


def ts_path(language: str) -> Path:
    return TS_DIR / f"desktopchat_{language}.ts"


def read_ts(path: Path) -> dict[tuple[str, str], Entry]:
    """(context, source) → translation, from a .ts file (empty when there is none yet)."""
    if not path.exists():
        return {}
    out: dict[tuple[str, str], Entry] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            text = (tr.text or "") if tr is not None else ""
            finished = tr is not None and tr.get("type") is None and bool(text)
            out[(name, msg.findtext("source") or "")] = Entry(text, finished)
    return out


def render_ts(language: str, messages: list[Message],
              known: dict[tuple[str, str], Entry]) -> str:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage=SOURCE_LANGUAGE)
    by_context: dict[str, list[Message]] = {}
    for m in messages:
        by_context.setdefault(m.context, []).append(m)
    for name in sorted(by_context):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for m in by_context[name]:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "location", filename=m.filename)
            ET.SubElement(msg, "source").text = m.source
            entry = known.get((m.context, m.source))
            tr = ET.SubElement(msg, "translation")
            if language == SOURCE_LANGUAGE:
                tr.text = m.source
            elif entry is not None and entry.finished:
                tr.text = entry.translation
            else:
                tr.set("type", "unfinished")
                tr.text = entry.translation if entry is not None else ""
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n"


def update() -> list[str]:
    """Rewrite each .ts from the code; returns what stands in the way (bad marks)."""
    messages, problems = extract(source_files())
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        path = ts_path(language)
        path.write_text(render_ts(language, messages, read_ts(path)), "utf-8")
    return problems


def check() -> list[str]:
    """What is wrong with the .ts files: stale (the code has strings they lack, or they hold
    strings the code dropped), unfinished, or a translation whose {fields} differ."""
    import string

    messages, problems = extract(source_files())
    wanted = {(m.context, m.source) for m in messages}
    fmt = string.Formatter()

    def fields(text: str) -> set[str]:
        try:
            return {f for _lit, f, _spec, _conv in fmt.parse(text) if f is not None}
        except ValueError:
            return {"<unbalanced braces>"}

    for language in LANGUAGES:
        known = read_ts(ts_path(language))
        for key in sorted(wanted - known.keys()):
            problems.append(f"{language}: not in the .ts (run update): {key}")
        for key in sorted(known.keys() - wanted):
            problems.append(f"{language}: no longer in the code (run update): {key}")
        for key, entry in sorted(known.items()):
            if key not in wanted:
                continue
            if not entry.finished:
                problems.append(f"{language}: unfinished: {key}")
            elif fields(entry.translation) != fields(key[1]):
                problems.append(f"{language}: fields differ: {key} → {entry.translation!r}")
    return problems


def lrelease() -> Path:
    """Qt's lrelease as PySide6-Essentials ships it (found without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise SystemExit("PySide6-Essentials is needed to compile the translations")
    folder = Path(spec.origin).parent
    for name in ("lrelease.exe", "lrelease", "Qt/libexec/lrelease"):
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"lrelease was not found in {folder}")


def compile_all(out_dir: Path) -> list[Path]:
    """desktopchat_<lang>.qm for each .ts, into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tool = lrelease()
    made = []
    for language in LANGUAGES:
        qm = out_dir / f"desktopchat_{language}.qm"
        subprocess.run([str(tool), "-silent", str(ts_path(language)), "-qm", str(qm)],
                       check=True)
        made.append(qm)
    return made


def _main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        problems = update()
    elif command == "check":
        problems = check()
    elif command == "compile" and len(argv) == 2:
        for qm in compile_all(Path(argv[1])):
            print(qm)
        return 0
    else:
        print(__doc__)
        return 2
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
