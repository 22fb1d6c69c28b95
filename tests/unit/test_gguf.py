import struct

import pytest

from desktopchat.models.gguf import GGUFError, read_gguf, validate_model_file
from tests.support.models import make_gguf


def test_valid_synthetic_file(tmp_path):
    p = tmp_path / "m.gguf"
    p.write_bytes(make_gguf())
    info = validate_model_file(p)
    assert info.architecture == "llama" and info.tensors[0].nbytes == 32 * 2 * 4


@pytest.mark.parametrize(
    "blob, message",
    [
        (b"not a model at all, just text" * 3, "not a GGUF"),
        (make_gguf(version=99), "version 99"),
        (make_gguf(with_data=False), "outside the file"),
        (make_gguf()[:40], "truncated"),
        (make_gguf(n_kv=10**12), "impossible"),
        (make_gguf(metadata={"general.architecture": "llama"}, n_kv=5), "truncated|string of"),
        (make_gguf(tensors=(("w", (32, 2), 77),)), "unknown"),
        (make_gguf(tensors=(("w", (1, 1, 1, 1, 1, 1), 0),)), "dimensions"),
    ],
)
def test_hostile_or_broken_files_get_one_sentence(tmp_path, blob, message):
    p = tmp_path / "bad.gguf"
    p.write_bytes(blob)
    with pytest.raises(GGUFError, match=message):
        validate_model_file(p)


def test_huge_string_length_is_refused_without_allocating(tmp_path):
    blob = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**62)
    p = tmp_path / "bad.gguf"
    p.write_bytes(blob + b"\0" * 64)
    with pytest.raises(GGUFError):
        read_gguf(p)


def test_unknown_architecture_refused(tmp_path):
    p = tmp_path / "m.gguf"
    p.write_bytes(make_gguf(metadata={"general.architecture": "hal9000"}))
    with pytest.raises(GGUFError, match="hal9000"):
        validate_model_file(p)


def test_missing_file(tmp_path):
    with pytest.raises(GGUFError, match="cannot be read"):
        validate_model_file(tmp_path / "nope.gguf")


def test_real_starter_model(smollm2_path):
    info = validate_model_file(smollm2_path)
    assert info.architecture == "llama"
    assert info.chat_template and "im_start" in info.chat_template
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert 0.9 * info.file_size < info.tensor_bytes < info.file_size


def test_real_truncated_copy_is_rejected(tmp_path, smollm2_path):
    p = tmp_path / "cut.gguf"
    with smollm2_path.open("rb") as f:
        p.write_bytes(f.read(smollm2_path.stat().st_size // 2))
    with pytest.raises(GGUFError, match="outside the file"):
        validate_model_file(p)
