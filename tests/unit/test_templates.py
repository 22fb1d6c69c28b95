"""Chat templates render in a sandbox bounded in time, size and output: real templates byte for
byte as llama-cpp-python's Jinja2ChatFormatter renders them, bombs refused with one sentence and
bounded memory, code-execution payloads still stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from desktopchat.engine.formats import FALLBACKS
from desktopchat.engine.templates import (
    MAX_TEMPLATE_CHARS,
    ChatTemplate,
    OutputTooLong,
    RenderStopped,
    TemplateLimitError,
    TemplateRejected,
)
from desktopchat.models.gguf import read_gguf
from tests.support.peak import PEAK_KB

FIXTURES = Path(__file__).resolve().parent.parent / "support" / "templates"

CHAT = [
    {"role": "system", "content": "You are a helpful assistant. Ünïcødé ✓ 你好"},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "<think>\nThe user asks about France.\n</think>\n\nParis."},
    {"role": "user", "content": "  And of Italy?  \n"},
]
NO_SYSTEM = CHAT[1:]

# A template with Hugging Face's {% generation %} tag (Qwen3's training variant uses it).
GENERATION_TAGS = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.role == 'assistant' %}"
    "{% generation %}{{ m.content }}<|im_end|>{% endgeneration %}{% else %}{{ m.content }}"
    "<|im_end|>{% endif %}\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% endif %}"
)
# Mistral-style: roles must alternate, or the template raises.
ALTERNATING = (
    "{{ bos_token }}{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant') }}"
    "{% endif %}{% if m.role == 'user' %}[INST] {{ m.content }} [/INST]{% else %}"
    "{{ m.content }}{{ eos_token }}{% endif %}{% endfor %}"
)


def _templates() -> dict[str, str]:
    found = {p.stem: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.jinja"))}
    found.update({f"fallback-{k}": f.template for k, f in FALLBACKS.items()})
    found["generation-tags"] = GENERATION_TAGS
    return found


def _both(source: str, messages, bos: str = "<s>", eos: str = "</s>", **extra):  # type: ignore[no-untyped-def]
    ours = ChatTemplate(source, bos_token=bos, eos_token=eos).render(
        messages, max_output=1 << 20, **extra)
    theirs = Jinja2ChatFormatter(template=source, eos_token=eos, bos_token=bos)(
        messages=messages, **extra).prompt
    return ours, theirs


@pytest.mark.parametrize("name", sorted(_templates()))
@pytest.mark.parametrize("messages", [CHAT, NO_SYSTEM], ids=["system", "no-system"])
def test_real_templates_render_exactly_as_before(name, messages):
    ours, theirs = _both(_templates()[name], messages)
    assert ours == theirs
    assert "France" in ours


@pytest.mark.parametrize("extra", [{"enable_thinking": False}, {"enable_thinking": True}, {}])
def test_qwen3_thinking_switch_renders_as_before(extra):
    ours, theirs = _both((FIXTURES / "qwen3.jinja").read_text(encoding="utf-8"), CHAT, **extra)
    assert ours == theirs
    assert ours.endswith("<think>\n\n</think>\n\n") == (extra.get("enable_thinking") is False)
    # Earlier turns' reasoning is dropped, as Qwen3's template does.
    assert "The user asks about France" not in ours


def test_llama3_date_and_tools_render_as_before():
    source = (FIXTURES / "llama3.jinja").read_text(encoding="utf-8")
    ours, theirs = _both(source, CHAT, bos="<|begin_of_text|>", eos="<|eot_id|>",
                         date_string="26 Jul 2024")
    assert ours == theirs and "Today Date: 26 Jul 2024" in ours
    tools = [{"type": "function", "function": {"name": "weather", "parameters": {}}}]
    ours, theirs = _both(source, CHAT, tools=tools, date_string="1 Jan 2025")
    assert ours == theirs and '"name": "weather"' in ours


def test_smollm2_template_from_its_gguf_renders_as_before(smollm2_path):
    source = read_gguf(smollm2_path).chat_template
    assert source
    ours, theirs = _both(source, CHAT, bos="<|im_start|>", eos="<|im_end|>")
    assert ours == theirs and ours.endswith("<|im_start|>assistant\n")


def test_raise_exception_is_the_templates_own_sentence():
    with pytest.raises(TemplateRejected, match="roles must alternate"):
        ChatTemplate(ALTERNATING, bos_token="<s>", eos_token="</s>").render(
            [{"role": "assistant", "content": "hi"}], max_output=10_000)


def test_output_past_the_limit_stops_the_render():
    t = ChatTemplate("{% for m in messages %}{{ m.content }}{% endfor %}", bos_token="",
                     eos_token="")
    with pytest.raises(OutputTooLong):
        t.render([{"role": "user", "content": "x" * 5000}] * 3, max_output=12_000)
    assert t.render([{"role": "user", "content": "x" * 5000}], max_output=12_000) == "x" * 5000


def test_a_set_stop_flag_ends_a_long_render():
    stop = threading.Event()
    stop.set()
    t = ChatTemplate("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                     "{% endfor %}", bos_token="", eos_token="")
    with pytest.raises(RenderStopped):
        t.render(CHAT, max_output=10_000, stop=stop)


def test_an_oversized_template_is_refused_before_compiling():
    with pytest.raises(TemplateLimitError, match="chat template may have"):
        ChatTemplate("x" * (MAX_TEMPLATE_CHARS + 1), bos_token="", eos_token="")


# -- bombs: each refused with one sentence, quickly, in bounded memory --------------------------

BOMBS = {
    "string 3e8": "{{ 'a' * 300000000 }}",
    "string 1e10": "{{ 'a' * 10**10 }}",
    "list 1e10": "{{ (['a'] * 10**10)|length }}",
    "nested range loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                          "{% endfor %}",
    "nested loops over a string": "{% set a = 'x' * 100000 %}{% for i in a %}{% for j in a %}"
                                  "{% endfor %}{% endfor %}",
    "doubling with ~": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                       "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "doubling with +": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                       "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "many large strings kept": "{% set ns = namespace(l=[]) %}{% for i in range(10000) %}"
                               "{% set ns.l = ns.l + ['y' * 1000000] %}{% endfor %}",
    "captured block": "{% set x %}{% for i in range(100000) %}{{ 'y' * 1000000 }}{% endfor %}"
                      "{% endset %}{{ x }}",
    "macro output": "{% macro m() %}{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}"
                    "{% endmacro %}{{ m() }}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "squaring": "{% set ns = namespace(n=3) %}{% for i in range(64) %}"
                "{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "center": "{{ 'a'|center(10**9) }}",
    "indent": "{{ ('x\n' * 1000)|indent(10**7) }}",
    "replace": "{{ ('x' * 1000000)|replace('x', 'yyyyyyyyyy') }}",
    "join": "{{ (['x' * 1000000] * 100000)|join(',') }}",
    "str.join": "{{ ','.join(['x' * 1000000] * 100000) }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "printf width": "{{ '%999999999d' % 1 }}",
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "format filter": "{{ '%999999999s'|format('x') }}",
    "print a huge list": "{{ ['x' * 1000000] * 100000 }}",
    "tojson indent": "{{ [1]|tojson(indent=10**9) }}",
    "batch padding": "{{ [1]|batch(10**9, 0)|list }}",
    "slice": "{{ [1]|slice(10**9)|list }}",
    "lipsum": "{{ lipsum(10**6) }}",
    "striptags on a long text": "{{ ('<' * 1000000)|striptags }}",
    "macro recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "output of a huge prompt": "{% for i in range(100000) %}{{ 'tok ' * 100 }}{% endfor %}",
}

_PROBE = PEAK_KB + textwrap.dedent("""
    import json, sys
    from desktopchat.engine.templates import ChatTemplate, OutputTooLong, TemplateLimitError
    source = sys.stdin.read()
    msgs = [{"role": "user", "content": "hi"}]
    ChatTemplate("{{ messages }}", bos_token="", eos_token="").render(msgs, max_output=64)
    t = ChatTemplate(source, bos_token="", eos_token="")
    before = peak_kb()
    try:
        t.render(msgs, max_output=256 * 1024)
        outcome = "rendered"
    except TemplateLimitError as exc:
        outcome = str(exc)
    except OutputTooLong:
        outcome = "too long"
    grew = peak_kb() - before
    print(json.dumps({"outcome": outcome, "grew_kb": grew}))
""")
MAX_GROWTH_KB = 96 * 1024  # today's bombs took the process to 8-22 GB


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_template_bombs_are_refused_in_bounded_memory(name):
    pytest.importorskip("resource", reason="peak memory is read with the resource module")
    run = subprocess.run([sys.executable, "-c", _PROBE], input=BOMBS[name], text=True,
                         capture_output=True, timeout=120, check=True)
    result = json.loads(run.stdout)
    if name == "output of a huge prompt":
        assert result["outcome"] == "too long"
    else:
        assert result["outcome"].startswith("This model's chat template tried to ")
        assert result["outcome"].endswith("; it was stopped.")
    assert result["grew_kb"] < MAX_GROWTH_KB, result


# -- code execution (the CVE-2024-34359 class) stays stopped -------------------------------------

PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ raise_exception.__globals__ }}",
    "{{ strftime_now.__globals__ }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{% set x = messages.append(1) %}{{ messages|length }}",
    "{{ messages.pop() }}",
    "{{ (messages|first).update({'role': 'x'}) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_execution_payloads_are_still_stopped(payload, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    messages = [{"role": "user", "content": "hi"}]
    try:
        out = ChatTemplate(payload, bos_token="", eos_token="").render(
            messages, max_output=100_000)
    except (TemplateLimitError, TemplateRejected) as exc:
        out = str(exc)
    assert not (tmp_path / "MARKER").exists()
    assert "<class" not in out and "builtins" not in out and "function" not in out
    assert messages == [{"role": "user", "content": "hi"}]


def test_refusals_are_one_plain_sentence():
    with pytest.raises(TemplateLimitError) as info:
        ChatTemplate(BOMBS["string 1e10"], bos_token="", eos_token="").render(
            [], max_output=1000)
    text = str(info.value)
    assert text.count(".") <= 2 and "\n" not in text and json.dumps(text)
