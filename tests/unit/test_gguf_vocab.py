"""Long string arrays (vocabularies) are walked without decoding, with the same bounds checks."""

from __future__ import annotations

import struct

import pytest

from desktopchat.models.gguf import GGUFError, read_gguf


def _s(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def _header_with_vocab(tokens: list[bytes]) -> bytes:
    out = b"GGUF" + struct.pack("<IQQ", 3, 1, 3)
    out += _s(b"general.architecture") + struct.pack("<I", 8) + _s(b"llama")
    out += _s(b"tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, len(tokens))
    out += b"".join(_s(t) for t in tokens)
    out += _s(b"general.name") + struct.pack("<I", 8) + _s(b"after the vocab")
    out += _s(b"w") + struct.pack("<I", 1) + struct.pack("<Q", 32) + struct.pack("<IQ", 0, 0)
    out += b"\0" * ((-len(out)) % 32)
    return out + b"\0" * 128


def test_vocabulary_with_a_string_longer_than_the_read_buffer(tmp_path):
    tokens = [f"tok{i}".encode() for i in range(5000)]
    tokens[2500] = b"x" * (1 << 21)  # 2 MiB: crosses the 1 MiB read buffer
    p = tmp_path / "vocab.gguf"
    p.write_bytes(_header_with_vocab(tokens))
    info = read_gguf(p)
    assert info.metadata["tokenizer.ggml.tokens"].length == 5000
    assert info.name == "after the vocab"  # the reader resumed exactly after the array
    assert info.tensors[0].nbytes == 128


@pytest.mark.parametrize("cut", [200, 30_000, 1_000_000])
def test_truncated_vocabulary_is_a_sentence(tmp_path, cut):
    data = _header_with_vocab([b"t" * 300 for _ in range(4000)])
    p = tmp_path / "cut.gguf"
    p.write_bytes(data[:cut])
    with pytest.raises(GGUFError):
        read_gguf(p)


def test_absurd_string_length_in_a_vocabulary(tmp_path):
    data = bytearray(_header_with_vocab([b"ok"] * 100))
    first = data.index(struct.pack("<Q", 2) + b"ok")
    data[first:first + 8] = struct.pack("<Q", 2**40)
    p = tmp_path / "bad.gguf"
    p.write_bytes(bytes(data))
    with pytest.raises(GGUFError, match="string of"):
        read_gguf(p)
