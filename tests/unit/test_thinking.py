"""Reading reasoning markers and the thinking switch from chat templates, checked by rendering
templates written in the style of the real ones (DeepSeek-R1 distill, Qwen3, Nemotron,
Seed-OSS, DeepSeek-V3.1, plain ChatML) in jinja2's sandbox, then splitting scripted output."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from desktopchat.chat.reasoning import SEED, THINK, ReasoningParser, split_reasoning
from desktopchat.chat.thinking import (
    ThinkingToggle,
    ToggleKind,
    detect,
    opens_in_prompt,
    thinking_toggle,
)

R1_STYLE = (
    "{{ bos_token }}{% for m in messages %}{% if m.role == 'system' %}{{ m.content }}"
    "{% elif m.role == 'user' %}<｜User｜>{{ m.content }}{% elif m.role == 'assistant' %}"
    "{% set c = m.content %}{% if '</think>' in c %}{% set c = c.split('</think>')[-1] %}"
    "{% endif %}<｜Assistant｜>{{ c }}<｜end▁of▁sentence｜>{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<｜Assistant｜><think>\n{% endif %}"
)
QWEN3_STYLE = (
    "{% for m in messages %}{% set c = m.content %}{% if m.role == 'assistant' and "
    "'</think>' in c %}{% set c = c.split('</think>')[-1].lstrip('\\n') %}{% endif %}"
    "<|im_start|>{{ m.role }}\n{{ c }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}"
    "<|im_start|>assistant\n{% if enable_thinking is defined and enable_thinking is false %}"
    "<think>\n\n</think>\n\n{% endif %}{% endif %}"
)
NEMOTRON_STYLE = (
    "{%- set enable_thinking = true -%}{%- set ns = namespace(sys='') -%}"
    "{%- if messages[0].role == 'system' -%}{%- set ns.sys = messages[0].content -%}"
    "{%- if '/no_think' in ns.sys -%}{%- set ns.sys = ns.sys.replace('/no_think', '')|trim -%}"
    "{%- set enable_thinking = false -%}{%- elif '/think' in ns.sys -%}"
    "{%- set ns.sys = ns.sys.replace('/think', '')|trim -%}{%- endif -%}{%- endif -%}"
    "<|system|>{{ ns.sys }}{% for m in messages if m.role != 'system' %}<|{{ m.role }}|>"
    "{{ m.content }}{% endfor %}{% if add_generation_prompt %}<|assistant|>"
    "{% if not enable_thinking %}<think>\n\n</think>\n\n{% endif %}{% endif %}"
)
SEED_STYLE = (
    "{%- set think_begin_token = '<seed:think>' -%}{%- set think_end_token = '</seed:think>' -%}"
    "{%- if not thinking_budget is defined %}{%- set thinking_budget = -1 -%}{%- endif -%}"
    "{% for m in messages %}<seed:bos>{{ m.role }}\n{{ m.content }}<seed:eos>{% endfor %}"
    "{% if add_generation_prompt %}<seed:bos>assistant\n{% if thinking_budget == 0 %}"
    "{{ think_begin_token }}<seed:cot_budget_reflect>{% endif %}{% endif %}"
)
V31_STYLE = (
    "{%- if not thinking is defined -%}{%- if enable_thinking is defined -%}"
    "{%- set thinking = enable_thinking -%}{%- else -%}{%- set thinking = false -%}{%- endif -%}"
    "{%- endif -%}{% for m in messages %}<｜{{ m.role }}｜>{{ m.content }}{% endfor %}"
    "{% if add_generation_prompt %}<｜Assistant｜>{% if thinking %}<think>{% else %}</think>"
    "{% endif %}{% endif %}"
)
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

MESSAGES = [{"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Capital of France?"}]


def _render(template: str, messages: list[dict[str, str]] = MESSAGES, gen: bool = True,
            **kwargs: Any) -> str:
    env = ImmutableSandboxedEnvironment()
    return env.from_string(template).render(messages=messages, add_generation_prompt=gen,
                                            bos_token="<s>", eos_token="</s>", **kwargs)


def _suffix(template: str, **kwargs: Any) -> str:
    """What the template adds for the generation prompt: the tail ``detect`` wants."""
    with_prompt = _render(template, **kwargs)
    without = _render(template, gen=False, **kwargs)
    assert with_prompt.startswith(without)
    return with_prompt[len(without):]


def test_a_distill_template_opens_the_block_in_the_prompt():
    fmt = detect(R1_STYLE, _suffix(R1_STYLE))
    assert fmt is not None and fmt.name == "think" and fmt.starts_in_reasoning
    res = split_reasoning("Okay, France.\n</think>\n\nParis.", fmt)
    assert (res.reasoning, res.answer) == ("Okay, France.", "Paris.")
    # the last few hundred characters of the prompt work too
    tail = _render(R1_STYLE)[-200:]
    assert detect(R1_STYLE, tail) == fmt


def test_qwen3_thinks_by_default_and_enable_thinking_false_turns_it_off():
    toggle = thinking_toggle(QWEN3_STYLE)
    assert toggle == ThinkingToggle(ToggleKind.RENDER_KWARG, "enable_thinking")
    assert toggle.default_on
    on = detect(QWEN3_STYLE, _suffix(QWEN3_STYLE, **toggle.render_kwargs(True)))
    assert on is not None and not on.starts_in_reasoning  # the model writes <think> itself
    assert split_reasoning("<think>\nhm\n</think>\n\nParis.", on).answer == "Paris."
    off_prompt = _render(QWEN3_STYLE, **toggle.render_kwargs(False))
    assert off_prompt.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")
    off = detect(QWEN3_STYLE, _suffix(QWEN3_STYLE, **toggle.render_kwargs(False)))
    assert off is not None and not off.starts_in_reasoning
    assert toggle.system_prompt("Be brief.", False) == "Be brief."  # not a switch template


def test_past_reasoning_never_reaches_the_prompt():
    """The history we send holds answers only; and the templates drop any that slipped in."""
    history = [*MESSAGES, {"role": "assistant", "content": "Paris."},
               {"role": "user", "content": "And Spain?"}]
    for template in (R1_STYLE, QWEN3_STYLE):
        prompt = _render(template, history)
        assert "Paris." in prompt and "</think>" not in prompt.split("Paris.")[0][-20:]
        leaked = [*history[:2], {"role": "assistant", "content": "<think>secret</think>Paris."},
                  history[3]]
        assert "secret" not in _render(template, leaked)


def test_a_system_prompt_switch_template():
    toggle = thinking_toggle(NEMOTRON_STYLE)
    assert toggle is not None and toggle.kind is ToggleKind.SYSTEM_SWITCH
    assert (toggle.name, toggle.on_switch) == ("/no_think", "/think")
    off_system = toggle.system_prompt("Be brief. /think", False)
    assert off_system == "Be brief.\n/no_think"
    assert toggle.system_prompt(off_system, True) == "Be brief."
    assert toggle.render_kwargs(False) == {}
    msgs = [{"role": "system", "content": off_system}, MESSAGES[1]]
    prompt = _render(NEMOTRON_STYLE, msgs)
    assert "/no_think" not in prompt and prompt.endswith("<think>\n\n</think>\n\n")
    assert _render(NEMOTRON_STYLE, MESSAGES).endswith("<|assistant|>")


def test_seed_budget_zero_and_its_own_markers():
    toggle = thinking_toggle(SEED_STYLE)
    assert toggle is not None and toggle.render_kwargs(False) == {"thinking_budget": 0}
    fmt = detect(SEED_STYLE, _suffix(SEED_STYLE, **toggle.render_kwargs(False)))
    assert fmt == SEED.started()
    assert detect(SEED_STYLE, _suffix(SEED_STYLE)) == SEED


def test_deepseek_v31_is_off_unless_asked():
    toggle = thinking_toggle(V31_STYLE)
    assert toggle is not None and toggle.name == "thinking" and not toggle.default_on
    fmt_on = detect(V31_STYLE, _suffix(V31_STYLE, **toggle.render_kwargs(True)))
    assert fmt_on == THINK.started()
    fmt_off = detect(V31_STYLE, _suffix(V31_STYLE, **toggle.render_kwargs(False)))
    assert fmt_off == THINK


def test_a_plain_template_has_no_format_and_no_toggle_but_think_output_still_splits():
    assert detect(CHATML, _suffix(CHATML)) is None
    assert thinking_toggle(CHATML) is None
    p = ReasoningParser(detect(CHATML, _suffix(CHATML)))
    p.feed("<think>x</think>y")
    p.finish()
    assert p.result().answer == "y"


@pytest.mark.parametrize("tail, opened", [
    ("<|im_start|>assistant\n<think>\n", True),
    ("<｜Assistant｜><think>\n", True),
    ("<think>\n\n</think>\n\n", False),
    ("user wrote <think>\n<|im_end|>\n<|im_start|>assistant\n", False),  # words after it
    ("<think>something", False),
    ("", False),
])
def test_opens_in_prompt(tail, opened):
    assert opens_in_prompt(THINK, tail) is opened


def test_hostile_inputs_do_not_break_detection():
    assert detect("x" * (3 << 20), "y" * 10_000) is None
    assert thinking_toggle(None) is None  # type: ignore[arg-type]
    assert detect(None, None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("snippet, expected", [
    # GLM-4.5 style: enable_thinking read, '/nothink' appended by the template itself
    ("{{ '/nothink' if (enable_thinking is defined and not enable_thinking) else '' }}"
     "<think></think>", ("enable_thinking", ToggleKind.RENDER_KWARG)),
    # gpt-oss style: reasoning effort only, and a 'thinking' field that is not a switch
    ('{%- if "thinking" in message %}<|channel|>analysis<|message|>{{ message.thinking }}'
     "{%- endif %}Reasoning: {{ reasoning_effort }}", None),
    # Seed-OSS style: its budget, not DeepSeek-V3.1's 'thinking'
    ("{%- if not thinking_budget is defined %}{%- set thinking_budget = -1 -%}{%- endif -%}",
     ("thinking_budget", ToggleKind.RENDER_KWARG)),
])
def test_toggle_kinds_of_real_template_idioms(snippet, expected):
    toggle = thinking_toggle(snippet)
    assert (None if toggle is None else (toggle.name, toggle.kind)) == expected


def test_harmony_is_recognised_before_think():
    fmt = detect("<|start|>assistant<|channel|>analysis<|message|>{{ m.thinking }}<|end|>"
                 "<think>", "<|start|>assistant")
    assert fmt is not None and fmt.name == "harmony" and not fmt.starts_in_reasoning
