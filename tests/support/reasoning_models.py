"""SmolLM2 rewritten (with the gguf package) to carry a reasoning model's template: a
DeepSeek-R1-style one that opens ``<think>`` in the prompt, and a Qwen3-style one with
``enable_thinking``. SmolLM2 does not really reason; tests check what is rendered and how the
output is split, stored and shown."""

from __future__ import annotations

import logging
from pathlib import Path

# Written for these tests in the shape of the real templates (see desktopchat/chat/thinking.py).
R1_STYLE = (
    "{% for m in messages %}{% set c = m.content %}{% if m.role == 'assistant' and "
    "'</think>' in c %}{% set c = c.split('</think>')[-1] %}{% endif %}"
    "<|im_start|>{{ m.role }}\n{{ c }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n<think>\n{% endif %}"
)
QWEN3_STYLE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}"
    "<think>\n\n</think>\n\n{% endif %}{% endif %}"
)


def with_template(src: Path, dst: Path, template: str) -> Path:
    import gguf
    from gguf.scripts.gguf_new_metadata import MetadataDetails, copy_with_new_metadata

    logging.getLogger("gguf-new-metadata").setLevel(logging.WARNING)
    reader = gguf.GGUFReader(src, "r")
    arch = reader.get_field(gguf.Keys.General.ARCHITECTURE).contents()
    writer = gguf.GGUFWriter(dst, arch=arch, endianess=reader.endianess)
    meta = {gguf.Keys.Tokenizer.CHAT_TEMPLATE: MetadataDetails(gguf.GGUFValueType.STRING,
                                                               template)}
    copy_with_new_metadata(reader, writer, meta, [])
    return dst


