"""A chat template's constant expressions are never evaluated while a model loads.

llama-cpp-python compiles every chat template a file carries when ``Llama`` is constructed, and
jinja2 folds constant expressions at compile time, outside any sandbox check: a template holding
``{{ 'x' * 10**10 }}`` took the app's process to gigabytes before a single prompt was rendered.
The engine loads with that compilation switched off; the bomb is then refused by the bounded
renderer with its own sentence."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.models import write_llama
from tests.support.peak import PEAK_KB

pytestmark = pytest.mark.realmodel


@pytest.mark.parametrize("bomb", ["{{ 'x' * 400000000 }}", "{{ 'x' * 10**10 }}",
                                  "{{ ['x'] * 10**9 }}"])
def test_a_constant_template_bomb_costs_nothing_at_load(tmp_path: Path, bomb: str):
    model = write_llama(tmp_path / "bomb.gguf", chat_template=bomb)
    script = PEAK_KB + textwrap.dedent(f"""
        import threading
        from desktopchat.chat.types import ChatMessage
        from desktopchat.engine.engine import Engine
        from desktopchat.engine.types import GenerationRequest, LoadRequest
        e = Engine()
        e.load(LoadRequest("m", {str(model)!r}, n_ctx=256, n_threads=1))
        print("load-rss-mb", peak_kb() // 1024)
        from desktopchat.engine.types import EngineError
        try:
            r = e.generate(GenerationRequest(1, (ChatMessage("user", "hi"),)),
                           threading.Event(), lambda _t: None)
            print("error", r.error)
        except EngineError as exc:  # the worker turns it into the reply's error sentence
            print("error", exc)
        print("rss-mb", peak_kb() // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert int(lines["rss-mb"]) < 400, out.stdout
    assert "chat template tried to" in lines["error"] and "stopped" in lines["error"]
