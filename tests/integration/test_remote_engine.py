"""The remote engine against real servers on loopback, started here: llama-cpp-python's own
OpenAI server on SmolLM2, and a scripted Starlette server for the failures a real one will not
produce on demand (stalls, 429, 500, dropped streams, reasoning fields, Ollama's shapes)."""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.remote import RemoteEngine, list_models
from desktopchat.engine.remote_config import (
    RemoteEndpoint,
    RemoteLoadRequest,
    RemoteTarget,
    normalize_base_url,
    remote_model_id,
)
from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
)
from tests.support.servers import LlamaPyServer, ScriptedServer, free_port

KEY = "sk-test-4f1c9a7e"


def target(url: str, model: str, key: str = "", name: str = "GPU box") -> RemoteTarget:
    return RemoteTarget(RemoteEndpoint("rtest", name, normalize_base_url(url), bool(key)),
                        model, key)


def load_req(t: RemoteTarget) -> RemoteLoadRequest:
    return RemoteLoadRequest(remote_model_id("rtest", t.model), f"{t.endpoint.base_url} {t.model}",
                             target=t)


def ask(text: str = "Name three colours.", max_tokens: int = 48, rid: int = 1,
        temperature: float = 0.0) -> GenerationRequest:
    return GenerationRequest(rid, (ChatMessage("system", "You are a helpful assistant."),
                                   ChatMessage("user", text)),
                             GenerationParams(temperature=temperature, max_tokens=max_tokens,
                                              seed=7))


def run(engine: RemoteEngine, req: GenerationRequest, stop: threading.Event | None = None,
        on_text: object = None) -> tuple[GenerationResult, list[str]]:
    seen: list[str] = []

    def emit(text: str) -> None:
        seen.append(text)
        if callable(on_text):
            on_text(text)

    return engine.generate(req, stop or threading.Event(), emit), seen


@pytest.fixture(scope="module")
def llama_server(smollm2_path: Path) -> Iterator[LlamaPyServer]:
    with LlamaPyServer(smollm2_path) as server:
        yield server


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


# -- a real server: llama-cpp-python's own, on SmolLM2 -----------------------------------------


@pytest.mark.realmodel
def test_lists_models_of_a_real_server(llama_server: LlamaPyServer) -> None:
    models = list_models(target(llama_server.url, ""))
    assert [m.model for m in models] == ["smollm2"]
    assert models[0].label == "smollm2 (GPU box)"


@pytest.mark.realmodel
def test_chat_and_stream_from_a_real_server(llama_server: LlamaPyServer) -> None:
    engine = RemoteEngine()
    info = engine.load(load_req(target(llama_server.url.removesuffix("/v1"), "smollm2")))
    assert info.name == "smollm2 (GPU box)" and info.format_notice == ""
    result, seen = run(engine, ask())
    engine.close()
    assert result.error == ""
    assert result.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert result.text.strip() and "".join(seen) == result.text
    assert result.completion_tokens > 1  # this server sends no usage: counted from the chunks
    assert result.tokens_per_second > 0 and result.time_to_first_token > 0


@pytest.mark.realmodel
def test_stop_mid_stream_from_a_real_server(llama_server: LlamaPyServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(llama_server.url, "smollm2")))
    stop = threading.Event()
    result, seen = run(engine, ask("Count from 1 to 300, one number per line.", 600), stop,
                       on_text=lambda _t: stop.set())
    engine.close()
    assert result.finish_reason is FinishReason.STOPPED
    assert result.text == "".join(seen) and result.text  # the partial reply is kept
    assert result.completion_tokens < 600
    # The server is free again at once: the next reply is not queued behind the stopped one.
    engine = RemoteEngine()
    engine.load(load_req(target(llama_server.url, "smollm2")))
    again, _ = run(engine, ask(max_tokens=8, rid=2))
    engine.close()
    assert again.error == "" and again.text


@pytest.mark.realmodel
def test_server_killed_mid_stream_keeps_the_partial_reply(smollm2_path: Path) -> None:
    server = LlamaPyServer(smollm2_path).start()
    try:
        engine = RemoteEngine()
        engine.load(load_req(target(server.url, "smollm2")))
        result, seen = run(engine, ask("Count from 1 to 300, one number per line.", 600),
                           on_text=lambda _t: server.kill())
        engine.close()
    finally:
        server.stop()
    assert result.finish_reason is FinishReason.ERROR
    assert result.text and result.text == "".join(seen)
    assert result.error == ("The connection to GPU box dropped in the middle of the reply; the "
                            "partial reply was kept.")


@pytest.mark.realmodel
def test_wrong_key_is_refused_with_one_sentence(smollm2_path: Path) -> None:
    with LlamaPyServer(smollm2_path, api_key=KEY) as server:
        with pytest.raises(EngineError) as err:
            RemoteEngine().load(load_req(target(server.url, "smollm2", "sk-wrong")))
        assert str(err.value) == ("GPU box refused the API key (HTTP 401); check the key in "
                                  "Remote engines.")
        engine = RemoteEngine()
        engine.load(load_req(target(server.url, "smollm2", KEY)))
        result, _ = run(engine, ask(max_tokens=8))
        engine.close()
    assert result.error == "" and result.text


# -- failures on demand: a scripted server ----------------------------------------------------


def test_stop_returns_while_the_server_is_stalled(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "stall")))
    stop = threading.Event()
    texts: list[str] = []

    def on_text(text: str) -> None:
        texts.append(text)
        if "world" in "".join(texts):
            stop.set()  # the server sends nothing more after " world": it is stalled

    result, _ = run(engine, ask(), stop, on_text)
    engine.close()
    assert not scripted.release.is_set()  # generate returned while the server still stalls
    assert result.finish_reason is FinishReason.STOPPED
    assert result.text == "Hello world"
    assert scripted.disconnected.wait(10)  # and the stream was closed, so the server knows


def test_stop_while_the_server_has_not_answered_at_all(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "stall-headers")))
    stop = threading.Event()
    timer = threading.Timer(0.3, stop.set)
    timer.start()
    result, _ = run(engine, ask(), stop)
    timer.join()
    engine.close()
    assert not scripted.release.is_set()
    assert result.finish_reason is FinishReason.STOPPED and result.text == ""


def test_a_stalled_stream_times_out_with_the_partial_reply(scripted: ScriptedServer) -> None:
    engine = RemoteEngine(read_timeout=0.5)
    engine.load(load_req(target(scripted.url, "stall")))
    result, _ = run(engine, ask())
    engine.close()
    assert result.finish_reason is FinishReason.ERROR and result.text == "Hello world"
    assert result.error == ("GPU box stopped sending the reply (nothing arrived for too long); "
                            "the partial reply was kept.")


def test_a_dropped_stream_keeps_the_partial_reply(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "drop")))
    result, _ = run(engine, ask())
    engine.close()
    assert result.text == "Hello world"
    assert result.error.startswith("The connection to GPU box dropped in the middle")


@pytest.mark.parametrize(("model", "sentence"), [
    ("rate", "GPU box is limiting requests (HTTP 429); try again in 7 s."),
    ("boom", "GPU box failed with a server error (HTTP 500): CUDA out of memory."),
    ("gone", "GPU box has no model named gone, or its address is not an OpenAI-compatible API "
             "(HTTP 404)."),
])
def test_http_errors_get_one_sentence(scripted: ScriptedServer, model: str, sentence: str) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "echo")))
    engine._target = target(scripted.url, model)  # the model vanished after it was listed
    result, _ = run(engine, ask())
    engine.close()
    assert result.finish_reason is FinishReason.ERROR and result.error == sentence


def test_loading_a_model_the_server_lacks(scripted: ScriptedServer) -> None:
    with pytest.raises(EngineError, match="GPU box has no model named nope; refresh the list."):
        RemoteEngine().load(load_req(target(scripted.url, "nope")))


def test_reasoning_content_is_folded_or_given_apart(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "think")))
    result, _ = run(engine, ask())
    assert result.text == "<think>Let me think. Two plus two.</think>It is 4."
    thoughts: list[str] = []
    apart = engine.generate(ask(), threading.Event(), lambda _t: None, thoughts.append)
    engine.close()
    assert apart.text == "It is 4." and "".join(thoughts) == "Let me think. Two plus two."
    assert apart.completion_tokens == 3 and apart.prompt_tokens_evaluated == 2  # usage read


def test_think_tags_in_content_pass_through(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "think-inline")))
    result, _ = run(engine, ask())
    engine.close()
    assert result.text == "<think>hmm</think>Answer."


def test_a_strict_api_gets_only_standard_sampling_fields(scripted: ScriptedServer) -> None:
    engine = RemoteEngine()
    engine.load(load_req(target(scripted.url, "strict")))
    first, _ = run(engine, ask())
    second, _ = run(engine, ask(rid=2))
    engine.close()
    assert first.text == second.text == "Hello world"
    bodies = [b for p, _h, b in scripted.requests if p.endswith("/chat/completions")]
    assert "top_k" in bodies[0] and "top_k" not in bodies[1] and "top_k" not in bodies[2]


def test_ollama_models_come_with_their_details() -> None:
    with ScriptedServer(ollama=True) as server:
        models = list_models(target(server.url.removesuffix("/v1"), "", name="Ollama"))
        assert [(m.model, m.details, m.size_bytes) for m in models] == [
            ("deepseek-r1:latest", "7.6B Q4_K_M", 4683075271)]
        engine = RemoteEngine()
        engine.load(load_req(target(server.url, "deepseek-r1:latest", name="Ollama")))
        result, _ = run(engine, ask())
        engine.close()
    assert result.text == "<think>Let me think. Two plus two.</think>It is 4."  # "reasoning"


def test_offline_refuses_before_any_connection(scripted: ScriptedServer) -> None:
    offline = threading.Event()
    engine = RemoteEngine(offline)
    engine.load(load_req(target(scripted.url, "echo")))
    before = len(scripted.requests)
    offline.set()
    result, _ = run(engine, ask())
    with pytest.raises(EngineError, match="Offline mode is on"):
        list_models(target(scripted.url, ""), offline)
    with pytest.raises(EngineError, match="Offline mode is on"):
        engine.load(load_req(target(scripted.url, "echo")))
    engine.close()
    assert result.error.startswith("Offline mode is on") and len(scripted.requests) == before


def test_unreachable_server() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(EngineError) as err:
        RemoteEngine().load(load_req(target(f"http://127.0.0.1:{port}", "m")))
    assert str(err.value) == ("GPU box at 127.0.0.1 cannot be reached; check the address and "
                              "that it is running.")


def test_tls_failure_is_named(tmp_path: Path) -> None:
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    port = free_port()
    listener = __import__("socket").create_server(("127.0.0.1", port))

    def serve_one() -> None:
        conn, _ = listener.accept()
        try:
            ctx.wrap_socket(conn, server_side=True).close()
        except (ssl.SSLError, OSError):
            conn.close()

    t = threading.Thread(target=serve_one)
    t.start()
    try:
        with pytest.raises(EngineError) as err:
            RemoteEngine().load(load_req(target(f"https://127.0.0.1:{port}", "m")))
    finally:
        t.join(10)
        listener.close()
    assert str(err.value).startswith("The secure (TLS) connection to GPU box failed:")
    assert "CERTIFICATE_VERIFY_FAILED" in str(err.value)


def test_the_key_is_sent_but_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    with ScriptedServer(api_key=KEY) as server, caplog.at_level(logging.DEBUG):
        t = target(server.url, "echo", KEY)
        engine = RemoteEngine()
        engine.load(load_req(t))
        result, _ = run(engine, ask())
        engine.close()
        with pytest.raises(EngineError, match="refused the API key"):
            RemoteEngine().load(load_req(target(server.url, "echo", "sk-wrong")))
    assert result.text == "Hello world"
    assert server.requests[-2][1]["authorization"] == f"Bearer {KEY}"
    assert KEY not in repr(t) and KEY not in repr(load_req(t))
    assert caplog.records and not any(KEY in r.getMessage() for r in caplog.records)
