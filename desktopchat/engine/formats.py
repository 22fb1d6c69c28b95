"""Prompt formats: the GGUF's own chat template, or a fallback chosen from its architecture.

A GGUF without ``tokenizer.chat_template`` (base models, old conversions) makes llama-cpp-python
silently use the ``llama-2`` format, and a model that never saw ``[INST]`` replies with nothing.
We pick the format the architecture was trained with instead and tell the user which one.
All templates, ours too, render in the bounded sandbox of ``desktopchat.engine.templates``.
"""

from __future__ import annotations

from dataclasses import dataclass

_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Gemma has no system role: the official template prepends it to the first user turn.
_GEMMA = (
    "{{ bos_token }}{% set ns = namespace(sys='') %}"
    "{% for m in messages %}{% if m.role == 'system' %}"
    "{% set ns.sys = ns.sys + m.content + '\n\n' %}"
    "{% else %}<start_of_turn>{{ 'model' if m.role == 'assistant' else 'user' }}\n"
    "{% if m.role == 'user' and ns.sys %}{{ ns.sys }}{% set ns.sys = '' %}{% endif %}"
    "{{ m.content | trim }}<end_of_turn>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
_LLAMA3 = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n"
    "{{ m.content | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
_LLAMA2 = (
    "{% set ns = namespace(sys='') %}{% for m in messages %}"
    "{% if m.role == 'system' %}{% set ns.sys = '<<SYS>>\n' + m.content + '\n<</SYS>>\n\n' %}"
    "{% elif m.role == 'user' %}{{ bos_token }}[INST] {{ ns.sys }}{{ m.content | trim }} [/INST]"
    "{% set ns.sys = '' %}{% else %} {{ m.content | trim }} {{ eos_token }}{% endif %}{% endfor %}"
)
_PHI3 = (
    "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@dataclass(frozen=True)
class PromptFormat:
    name: str
    template: str
    stops: tuple[str, ...]
    from_gguf: bool = False


FALLBACKS: dict[str, PromptFormat] = {
    "chatml": PromptFormat("chatml", _CHATML, ("<|im_end|>", "<|im_start|>")),
    "gemma": PromptFormat("gemma", _GEMMA, ("<end_of_turn>", "<start_of_turn>")),
    "llama-3": PromptFormat("llama-3", _LLAMA3, ("<|eot_id|>", "<|start_header_id|>")),
    "llama-2": PromptFormat("llama-2", _LLAMA2, ("[INST]",)),
    "phi-3": PromptFormat("phi-3", _PHI3, ("<|end|>", "<|user|>")),
}

_ARCH_TO_FORMAT = {
    "gemma": "gemma",
    "gemma2": "gemma",
    "gemma3": "gemma",
    "gemma3n": "gemma",
    "qwen": "chatml",
    "qwen2": "chatml",
    "qwen2moe": "chatml",
    "qwen3": "chatml",
    "qwen3moe": "chatml",
    "phi3": "phi-3",
    "phi4": "chatml",
    "smollm": "chatml",
    "smollm3": "chatml",
    "olmo": "chatml",
    "olmo2": "chatml",
    "mistral": "llama-2",
}


def fallback_format(architecture: str, tokenizer_model: str = "") -> PromptFormat:
    """The format an architecture is usually chat-tuned with; ChatML when unknown."""
    arch = architecture.lower()
    if arch == "llama":
        # Llama 3 uses a GPT-2 style BPE vocabulary; Llama 2 (and Mistral) use SentencePiece.
        return FALLBACKS["llama-3" if tokenizer_model == "gpt2" else "llama-2"]
    return FALLBACKS[_ARCH_TO_FORMAT.get(arch, "chatml")]


def gguf_format(template: str, eos_token: str) -> PromptFormat:
    stops = (eos_token,) if eos_token else ()
    return PromptFormat("gguf template", template, stops, from_gguf=True)
