"""The local API's request validation and layering (Qt-free)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

import desktopchat
from desktopchat.api.protocol import MAX_TOKENS, ApiError, parse_body, parse_chat
from desktopchat.engine.types import GenerationParams

DEFAULTS = GenerationParams(temperature=0.3, top_k=20, max_tokens=512)


def chat(**extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}


def test_fields_map_onto_the_engine_and_defaults_fill_the_rest() -> None:
    call = parse_chat(chat(top_p=0.5, min_p=0.1, repeat_penalty=1.3, max_tokens=77, seed=2**40,
                           stop="END", stream=True, stream_options={"include_usage": True}),
                      DEFAULTS)
    p = call.params
    assert (p.temperature, p.top_k, p.top_p, p.min_p, p.repeat_penalty, p.max_tokens) == \
        (0.3, 20, 0.5, 0.1, 1.3, 77)
    assert 0 <= p.seed < 2**31 and call.stops == ("END",) and call.stream and call.include_usage
    assert parse_chat(chat(), DEFAULTS).params.max_tokens == 512


def test_content_parts_and_roles() -> None:
    call = parse_chat({"messages": [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
    ]}, DEFAULTS)
    assert [(m.role, m.content) for m in call.messages] == [("system", "Be brief."),
                                                            ("user", "ab")]


@pytest.mark.parametrize(("body", "param"), [
    ({"messages": []}, "messages"),
    ({"messages": "hi"}, "messages"),
    ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]},
     "messages[0].content"),
    ({"messages": [{"role": "assistant", "content": "x"}]}, "messages"),
    (chat(max_tokens=MAX_TOKENS + 1), "max_tokens"),
    (chat(max_tokens=0), "max_tokens"),
    (chat(max_tokens=1.5), "max_tokens"),
    (chat(temperature="hot"), "temperature"),
    (chat(temperature=9), "temperature"),
    (chat(top_p=float("nan")), "top_p"),
    (chat(top_k=True), "top_k"),
    (chat(frequency_penalty=3), "frequency_penalty"),
    (chat(n=2), "n"),
    (chat(stream="yes"), "stream"),
    (chat(stop=["a", "b", "c", "d", "e"]), "stop"),
    (chat(stop=""), "stop"),
])
def test_bad_fields_are_400_with_the_parameter(body: dict[str, Any], param: str) -> None:
    with pytest.raises(ApiError) as err:
        parse_chat(body, DEFAULTS)
    assert err.value.status == 400 and err.value.param == param
    assert err.value.body()["error"]["type"] == "invalid_request_error"


def test_bodies_must_be_bounded_json_objects() -> None:
    for raw, status in ((b"{nope", 400), (b"[1]", 400), (b"\xff\xfe", 400),
                        (b" " * (3 << 20), 413)):
        with pytest.raises(ApiError) as err:
            parse_body(raw)
        assert err.value.status == status


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_api_and_remote_engine_layering() -> None:
    pkg = Path(desktopchat.__file__).parent
    for f in (pkg / "api").glob("*.py"):
        if f.name != "serve.py":  # the headless runner builds the Qt worker like the window
            assert "PySide6" not in _imports(f), f
    for f in (pkg / "engine").glob("remote*.py"):
        assert not {"PySide6", "llama_cpp"} & _imports(f), f
