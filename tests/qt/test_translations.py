"""Languages (issue 11): every user-visible string of the window is marked for translation, the
.ts sources are complete and current, lrelease compiles them, and the window shows Chinese when
Chinese is chosen (and the system's language when nothing is)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktopchat.ui import i18n
from tools import translations

UI = Path(translations.SOURCES)
# Widgets another branch is changing now: their strings are marked when that work is merged
# (each entry says whose work it waits for; remove it then, and the test covers the file).
PENDING: dict[str, str] = {}
NOT_WORDS = {"desktopchat"}  # the app's name is the same in every language
URL = re.compile(r"https?://\S+")  # an example address reads the same in every language
LETTER = re.compile(r"[^\W\d_]")

# Where a string becomes visible: Qt setters and constructors, and the app's own helpers that
# put text on screen. Value: the argument positions holding text (None: every argument).
SINKS: dict[str, tuple[int, ...] | None] = {
    name: None for name in (
        "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setPlaceholderText",
        "setWindowTitle", "setAccessibleName", "setAccessibleDescription", "setSpecialValueText",
        "setSuffix", "setPrefix", "addAction", "addMenu", "setTabText", "setTabToolTip",
        "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels",
        "setHeaderLabel", "showMessage", "setTitle", "setLabelText", "setInformativeText",
        "setDetailedText", "addRow", "setItemText", "getOpenFileName", "getOpenFileNames",
        "getSaveFileName", "getExistingDirectory", "getText", "getMultiLineText", "getItem",
        "information", "warning", "critical", "question", "about",
        "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
        "QMessageBox", "QToolBar", "QDockWidget", "QTableWidgetItem", "QTreeWidgetItem",
        "QListWidgetItem", "label", "ask", "tooltip", "plain_label", "tooltip_html",
        "ModelCard", "notify", "show_error", "show_notice", "say",
    )
}
SINKS.update({"addItem": (0,), "insertItem": (1,), "addTab": (1,), "insertTab": (2,),
              "ActionButton": (1, 2)})


def _words(node: ast.AST) -> list[str]:
    """The literal words in an argument: a string, an f-string's text, a concatenation, or
    the items of a list or tuple (a translate() call or a variable has none)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if LETTER.search(node.value) and node.value not in NOT_WORDS \
            and not URL.fullmatch(node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)
                and isinstance(v.value, str) and LETTER.search(v.value)]
    if isinstance(node, ast.BinOp):
        return _words(node.left) + _words(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [w for elt in node.elts for w in _words(elt)]
    if isinstance(node, ast.IfExp):
        return _words(node.body) + _words(node.orelse)
    return []


def unmarked(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) \
            else ""
        if name not in SINKS or (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                                 and f.value.id in ("log", "logger", "logging")):
            continue
        positions = SINKS[name]
        args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        args += [k.value for k in node.keywords if k.arg in ("text", "title", "label")]
        for arg in args:
            for word in _words(arg):
                yield f"{path.name}:{node.lineno}: {name}({word!r})"


def test_every_user_visible_string_of_the_window_is_marked_for_translation():
    problems = [p for path in translations.source_files() if path.name not in PENDING
                for p in unmarked(path)]
    assert not problems, "not marked for translation:\n" + "\n".join(problems)


def test_the_scan_catches_what_it_should(tmp_path):
    """The check itself: literal text in a label, a tooltip, an f-string, a list of headers and
    a conditional is caught; translated, empty and formatted-only strings are not."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        'QLabel("Hello")\nw.setToolTip(f"Model {name}")\nt.setHeaderLabels(["File", x])\n'
        'b.setText("Stop" if busy else "Send")\ncombo.addItem("Most liked", "likes")\n'
        'ActionButton("copy", "", "Copy code", self)\n')
    good = tmp_path / "good.py"
    good.write_text(
        'QLabel(translate("W", "Hello"))\nw.setToolTip(f"{a} · {b}")\nb.setText("")\n'
        'combo.addItem(name, "likes")\nActionButton("copy", "", translate("W", "Copy"), self)\n'
        'w.setObjectName("sendButton")\nw.setWindowTitle("desktopchat")\n'
        'u.setPlaceholderText("http://localhost:8000/v1")\n')
    assert len(list(unmarked(bad))) == 7  # six calls, one with two strings
    assert list(unmarked(good)) == []


def test_marks_can_be_extracted():
    """translate() with a literal context and text, so the .ts can be generated from code."""
    _messages, problems = translations.extract(translations.source_files())
    assert not problems


def test_the_ts_sources_are_current_and_complete():
    """Every marked string is in each .ts, with a finished translation keeping the same
    {fields}; nothing stale is left (run ``python tools/translations.py update``)."""
    problems = translations.check()
    assert not problems, "\n".join(problems[:40])


def test_the_chinese_translation_is_chinese():
    """Not a copy of the English: every translation with words in it has Han characters."""
    entries = translations.read_ts(translations.ts_path("zh_CN"))
    han = re.compile(r"[\u4e00-\u9fff]")
    latin_only = [key for key, e in entries.items()
                  if LETTER.search(key[1]) and not han.search(e.translation)
                  and key[1] not in ("LM Studio", "Ollama")]
    assert not latin_only, latin_only[:20]


def test_the_copies_of_core_strings_match_the_core():
    """The Qt-free core's strings that the window shows are translated from i18n's copies."""
    from desktopchat.chat.types import MessageStatus
    from desktopchat.ui.markdown import PLAIN_REASONS

    assert i18n.PLAIN_REASONS == PLAIN_REASONS
    notes = {s.note for s in MessageStatus if s.note}
    assert notes == set(i18n.STATUS_NOTES)


@pytest.fixture
def compiled(tmp_path) -> Iterator[Path]:
    """The .qm files as the package build makes them (lrelease from PySide6-Essentials)."""
    out = tmp_path / "qm"
    made = translations.compile_all(out)
    assert [p.name for p in made] == ["desktopchat_en.qm", "desktopchat_zh_CN.qm"]
    yield out
    i18n.uninstall()


def test_lrelease_compiles_and_chinese_is_loaded(qapp, compiled):
    assert i18n.install("zh_CN", compiled) == "zh_CN"
    assert i18n.translate("ComposerBox", "Send") == "发送"
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own, too
    assert i18n.install("en", compiled) == "en"
    assert i18n.translate("ComposerBox", "Send") == "Send"


def test_the_language_follows_the_system(compiled):
    """With nothing chosen, a Chinese system gets Chinese and any other gets English."""
    import os
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication;"
            "from desktopchat.ui import i18n; app = QCoreApplication([]);"
            "print(i18n.install('', Path(sys.argv[1])), i18n.translate('ComposerBox', 'Send'))")
    for lang, expected in (("zh_CN.UTF-8", "zh_CN 发送"), ("de_DE.UTF-8", "en Send"),
                           ("C", "en Send")):
        env = {**os.environ, "LANG": lang, "LC_ALL": lang, "LANGUAGE": ""}
        out = subprocess.run([sys.executable, "-c", code, str(compiled)], env=env, check=True,
                             capture_output=True, text=True, timeout=120).stdout
        assert out.strip() == expected, (lang, out)
    assert i18n.known("tlh") == ""  # a language the app does not have: the system's
