"""Presets: good built-in ones, user-made ones in the settings table, values checked against
the model settings' limits, chosen per conversation, and what a reply is asked with."""

from __future__ import annotations

import pytest

from desktopchat.chat.presets import (
    BUILTIN,
    OPTION_PRESET,
    OPTION_SYSTEM_PROMPT,
    SETTINGS_KEY,
    PresetProblem,
    Presets,
    set_thinking,
    thinking_enabled,
    validate,
)
from desktopchat.chat.store import ChatStore
from desktopchat.settings import ModelSettings


@pytest.fixture
def store(app_paths):
    s = ChatStore(app_paths.db_path)
    yield s
    s.close()


def test_the_builtin_presets_are_sound():
    assert [p.name for p in BUILTIN] == ["Concise", "Coding", "Translate zh↔en", "Creative"]
    for p in BUILTIN:
        assert validate(p.to_dict(), builtin=True) == p  # within every limit
        assert p.system_prompt and len(p.system_prompt) < 600
    coding, creative = BUILTIN[1], BUILTIN[3]
    assert coding.temperature < creative.temperature


def test_a_preset_overrides_only_what_it_names():
    model = ModelSettings(system_prompt="Model prompt", temperature=0.7, top_k=40,
                          context_length=8192, threads=4)
    out = BUILTIN[0].apply(model)
    assert (out.system_prompt, out.temperature, out.max_tokens) == (BUILTIN[0].system_prompt,
                                                                     0.5, 512)
    assert (out.top_k, out.context_length, out.threads) == (40, 8192, 4)


def test_user_presets_are_saved_in_the_settings_table(store):
    presets = Presets(store)
    p = presets.save({"name": "  Pirate  talk ", "system_prompt": "Arr.", "temperature": 1.2,
                      "max_tokens": 300.0})
    assert (p.id, p.name, p.max_tokens) == ("user:pirate-talk", "Pirate talk", 300)
    assert [q.name for q in Presets(store).all()][-1] == "Pirate talk"
    assert store.get_setting(SETTINGS_KEY)["presets"][0]["temperature"] == 1.2
    presets.save({**p.to_dict(), "temperature": 0.9})  # edit in place
    assert [q.temperature for q in presets.user_presets()] == [0.9]
    presets.delete(p.id)
    assert presets.user_presets() == []


@pytest.mark.parametrize("data, phrase", [
    ({"name": ""}, "needs a name"),
    ({"name": "x" * 61}, "at most 60"),
    ({"name": "x", "temperature": 9}, "temperature must be between 0 and 5"),
    ({"name": "x", "top_p": -0.1}, "top p must be between 0 and 1"),
    ({"name": "x", "top_k": 2.5}, "whole number"),
    ({"name": "x", "max_tokens": 0}, "between 1 and 131072"),
    ({"name": "x", "min_p": "0.1"}, "must be a number"),
    ({"name": "x", "repeat_penalty": float("nan")}, "must be a number"),
    ({"name": "x", "temperature": True}, "must be a number"),
    ({"name": "x", "system_prompt": 5}, "must be text"),
    ({"name": "x", "system_prompt": "y" * 20_001}, "at most 20,000"),
    ("nope", "named values"),
])
def test_values_are_checked(data, phrase):
    with pytest.raises(PresetProblem, match=phrase):
        validate(data)


def test_builtins_cannot_be_overwritten_and_names_are_unique(store):
    presets = Presets(store)
    with pytest.raises(PresetProblem, match="cannot be changed"):
        presets.save({"id": "coding", "name": "Coding", "temperature": 2})
    with pytest.raises(PresetProblem, match="already a preset called"):
        presets.save({"name": "coding"})
    presets.save({"name": "Mine"})
    with pytest.raises(PresetProblem, match="already a preset called"):
        presets.save({"id": "user:other", "name": "MINE"})


def test_a_damaged_settings_entry_is_skipped(store):
    store.set_setting(SETTINGS_KEY, {"presets": [{"name": "ok", "id": "user:ok"},
                                                 {"name": "bad", "temperature": 99},
                                                 "junk", {"name": "builtin?", "id": "coding"}]})
    assert [p.name for p in Presets(store).user_presets()] == ["ok"]
    store.set_setting(SETTINGS_KEY, "not even a dict")
    assert Presets(store).user_presets() == []


def test_chosen_per_conversation_with_the_conversations_own_prompt_on_top(store):
    presets = Presets(store)
    a = store.create_conversation("a").id
    b = store.create_conversation("b").id
    presets.choose(store, a, "translate-zh-en")
    assert presets.for_conversation(store, a).name == "Translate zh↔en"
    assert presets.for_conversation(store, b) is None
    model = ModelSettings(system_prompt="Model prompt")
    eff = presets.effective(model, store.conversation_options(a))
    assert eff.repeat_penalty == 1.0 and eff.system_prompt.startswith("You are a translator")
    assert presets.effective(model, store.conversation_options(b)) == model
    opts = {**store.conversation_options(a), OPTION_SYSTEM_PROMPT: "Imported prompt"}
    store.set_conversation_options(a, opts)
    assert presets.effective(model, opts).system_prompt == "Imported prompt"
    presets.choose(store, a, None)
    assert OPTION_PRESET not in store.conversation_options(a)
    assert store.conversation_options(a)[OPTION_SYSTEM_PROMPT] == "Imported prompt"
    with pytest.raises(PresetProblem, match="no longer exists"):
        presets.choose(store, a, "user:gone")


def test_the_thinking_switch_lives_beside_the_preset(store):
    presets = Presets(store)
    c = store.create_conversation("t").id
    presets.choose(store, c, "coding")
    assert thinking_enabled(store.conversation_options(c))
    set_thinking(store, c, False)
    opts = store.conversation_options(c)
    assert not thinking_enabled(opts) and opts[OPTION_PRESET] == "coding"
    assert thinking_enabled({}, default=False) is False
