"""Reasoning models in the real window with the real engine: SmolLM2 rewritten to carry a
DeepSeek-R1-style template (the prompt opens ``<think>``, so the reply starts mid-thought) and a
Qwen3-style one (``enable_thinking``). What is checked is what the app renders, how the output
is split, stored and shown, the thinking switch, titles, and the guard on oversized pastes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData

from desktopchat.chat.types import MessageStatus
from desktopchat.settings import ModelSettings
from tests.support.reasoning_models import QWEN3_STYLE, R1_STYLE, with_template
from tests.support.window import launch_fixture  # noqa: F401 - the fixture

pytestmark = pytest.mark.realmodel

SETTINGS = ModelSettings(temperature=0.0, max_tokens=24, context_length=2048, threads=2, seed=1)


@pytest.fixture(scope="module")
def reasoning_models(smollm2_path: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("reasoning")
    return {"r1": with_template(smollm2_path, folder / "r1-style.gguf", R1_STYLE),
            "qwen3": with_template(smollm2_path, folder / "qwen3-style.gguf", QWEN3_STYLE)}


def _load(qtbot, app, path: Path) -> str:
    qtbot.wait_until(lambda: any(m.path == str(path) for m in app.library.models), timeout=60_000)
    model_id = next(m.model_id for m in app.library.models if m.path == str(path))
    app.settings.save_model(model_id, SETTINGS)
    with qtbot.wait_signal(app.session.model_state, timeout=120_000,
                           check_params_cb=lambda s, _d: s == "ready"):
        app.session.select_model(model_id)
    return model_id


def _ask(qtbot, app, text: str) -> None:
    with qtbot.wait_signal(app.generation.reply_finished, timeout=120_000):
        assert app.generation.send(text)


def test_a_reply_that_starts_mid_thought_is_split_stored_and_shown(qtbot, launch, app_paths,
                                                                   reasoning_models):
    shutil.copy(reasoning_models["r1"], app_paths.models_dir / "r1-style.gguf")
    app = launch()
    _load(qtbot, app, app_paths.models_dir / "r1-style.gguf")
    model = app.session.model
    assert model.reasoning is not None and model.reasoning.starts_in_reasoning
    live: list[tuple[bool, float]] = []
    streamed: list[str] = []
    app.generation.reasoning_state.connect(lambda _m, on, s: live.append((on, s)))
    app.generation.reasoning_text.connect(streamed.append)
    _ask(qtbot, app, "What is the capital of France?")
    conv = app.conversations.current
    reply = app.store.messages(conv)[-1]
    # SmolLM2 never writes </think>: the whole reply is reasoning, kept apart, marked so.
    assert reply.reasoning.strip() and "<think>" not in reply.reasoning
    assert reply.content == "" and reply.status in (MessageStatus.LENGTH, MessageStatus.COMPLETE)
    assert live and live[0][0] is True  # the section went live with its timer
    assert "".join(streamed).strip() == reply.reasoning.strip()
    shown = app.window.view.transcript_text()
    assert "Thought for" in shown  # collapsed, as it is by default
    app.generation.set_reasoning_expanded(reply.id, True)  # what a click on it saves
    app.conversations.reopen()
    assert reply.reasoning.split()[0] in app.window.view.transcript_text()
    # The next request never carries the reasoning back to the model.
    history, _params, _vars = app.generation._request_parts(conv)
    assert all("<think>" not in m.content and reply.reasoning.strip()[:20] not in m.content
               for m in history)
    # Hidden by the preference: kept in the store, not shown.
    app.settings.update_app(hide_reasoning=True)
    app.conversations.reopen()
    assert reply.reasoning.split()[0] not in app.window.view.transcript_text()
    assert "Thought for" not in app.window.view.transcript_text()


def test_the_thinking_switch_is_shown_for_qwen3_style_templates_and_kept_per_chat(
        qtbot, launch, app_paths, reasoning_models):
    shutil.copy(reasoning_models["qwen3"], app_paths.models_dir / "qwen3-style.gguf")
    app = launch()
    button = app.window.extras.think_button
    assert not button.isVisible()  # SmolLM2's own template has no switch
    _load(qtbot, app, app_paths.models_dir / "qwen3-style.gguf")
    assert button.isVisible() and button.isChecked()
    button.click()  # off for this chat
    conv = app.conversations.current
    assert not app.generation.thinking_on(conv)
    _history, _params, template_vars = app.generation._request_parts(conv)
    assert dict(template_vars) == {"enable_thinking": False}
    _ask(qtbot, app, "Say hi.")
    reply = app.store.messages(conv)[-1]
    assert reply.content.strip() and not reply.reasoning  # the empty think block is not shown
    app.conversations.new()
    assert button.isChecked()  # a new chat thinks again
    app.conversations.open(conv)
    assert not button.isChecked()


def test_a_new_chat_is_titled_by_the_model_unless_renamed(qtbot, launch):
    app = launch()
    app.conversations.new()
    conv = app.conversations.current
    with qtbot.wait_signal(app.conversations.conversations_changed, timeout=120_000,
                           check_params_cb=lambda: not app.store.conversation(conv).title
                           .startswith("Tell me")):
        _ask(qtbot, app, "Tell me about the planet Mars and its two moons, please.")
    title = app.store.conversation(conv).title
    assert title and len(title) <= 48 and "\n" not in title and "<think>" not in title
    renamed = app.conversations.new()
    app.conversations.rename(renamed, "My own name")
    _ask(qtbot, app, "Tell me about Jupiter.")
    qtbot.wait_until(lambda: not app.generation.generating)
    assert app.store.conversation(renamed).title == "My own name"


def test_an_oversized_paste_is_never_inserted_whole(qtbot, launch):
    app = launch()
    composer = app.window.composer
    limit = composer.max_bytes
    asked: list[tuple[int, int]] = []
    app.window.extras.ask_first_part = lambda size, room: asked.append((size, room)) or True
    huge = QMimeData()
    huge.setText("é" + "x" * (10 * 2**20))  # 10 MB
    composer.insertFromMimeData(huge)
    assert asked and asked[0][0] > limit
    text = composer.toPlainText()
    assert 0 < len(text.encode()) <= limit and text.startswith("é")
    app.window.extras.ask_first_part = lambda size, room: False  # now: cancel
    composer.insertFromMimeData(huge)
    assert composer.toPlainText() == text
