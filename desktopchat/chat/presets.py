"""Presets: a named system prompt plus sampling settings, chosen per conversation (Qt-free).

A preset overrides only what it names; everything else comes from the model's own settings
(``desktopchat.settings.ModelSettings``), so a preset never sets a context length or thread
count that does not suit the model. What a reply is asked with, lowest to highest priority:

    the model's settings  <  the conversation's preset  <  the conversation's own system prompt
                                                            (an imported chat's, for example)

Four presets come with the app (Concise, Coding, Translate zh↔en, Creative); users make their
own, stored in the settings table under ``presets``. A conversation's choice lives in its
``options`` (``preset``), beside the thinking switch (``thinking``). Every value is checked
against ``ModelSettings.LIMITS``; a problem is ``PresetProblem`` with one sentence.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

from desktopchat.settings import KeyValueStore, ModelSettings

SAMPLING_FIELDS = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens")
INT_FIELDS = ("top_k", "max_tokens")
OPTION_PRESET = "preset"
OPTION_THINKING = "thinking"
OPTION_SYSTEM_PROMPT = "system_prompt"
SETTINGS_KEY = "presets"
MAX_NAME_CHARS = 60
MAX_PROMPT_CHARS = 20_000
MAX_USER_PRESETS = 200
USER_PREFIX = "user:"


class PresetProblem(Exception):
    """Why a preset cannot be saved, in one sentence."""


@dataclass(frozen=True)
class Preset:
    """``None`` for a setting means: the model's own."""

    id: str
    name: str
    system_prompt: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    max_tokens: int | None = None
    builtin: bool = False

    def sampling(self) -> dict[str, float | int]:
        return {f: v for f in SAMPLING_FIELDS if (v := getattr(self, f)) is not None}

    def apply(self, settings: ModelSettings) -> ModelSettings:
        changes: dict[str, Any] = dict(self.sampling())
        if self.system_prompt is not None:
            changes["system_prompt"] = self.system_prompt
        return dataclasses.replace(settings, **changes)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name,
                             "system_prompt": self.system_prompt}
        d.update(self.sampling())
        return d


BUILTIN: tuple[Preset, ...] = (
    Preset("concise", "Concise",
           "Answer briefly and directly: a few short sentences or a short list, no preamble, "
           "no repetition and no closing summary. If the question is unclear, ask one short "
           "question instead of guessing.",
           temperature=0.5, top_p=0.9, max_tokens=512, builtin=True),
    Preset("coding", "Coding",
           "You are an expert programmer. Give correct, idiomatic, runnable code in fenced "
           "code blocks that name the language, then explain briefly what it does. Point out "
           "bugs, edge cases and security problems. Never invent functions or APIs; say so "
           "when you are not sure.",
           # Low temperature for exact code; a light repeat penalty, since code repeats
           # names and brackets legitimately.
           temperature=0.2, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.05,
           max_tokens=2048, builtin=True),
    Preset("translate-zh-en", "Translate zh↔en",
           "You are a translator between Chinese and English. When the user writes Chinese, "
           "translate it into natural English; when the user writes English, translate it into "
           "natural Simplified Chinese. Reply with the translation only: keep the meaning, "
           "tone, formatting, names and numbers, and add no notes or explanations.",
           # No repeat penalty: a faithful translation repeats what the source repeats.
           temperature=0.2, top_p=0.9, repeat_penalty=1.0, max_tokens=2048, builtin=True),
    Preset("creative", "Creative",
           "You are a creative writing partner. Write vivid, original prose or verse with "
           "concrete detail and varied rhythm, and follow the form, length and tone the user "
           "asks for.",
           temperature=1.0, top_p=0.95, min_p=0.05, repeat_penalty=1.1, max_tokens=2048,
           builtin=True),
)


def _number(name: str, value: Any) -> float | int:
    lo, hi = ModelSettings.LIMITS[name]
    label = name.replace("_", " ")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PresetProblem(f"The {label} must be a number.")
    number: float | int
    if name in INT_FIELDS:
        if value != int(value):
            raise PresetProblem(f"The {label} must be a whole number.")
        number = int(value)
    else:
        number = float(value)
    if not lo <= number <= hi:
        raise PresetProblem(f"The {label} must be between {lo:g} and {hi:g}.")
    return number


def validate(data: Any, *, builtin: bool = False) -> Preset:
    """A preset from untrusted data (a dialog, the settings table), every value checked."""
    if not isinstance(data, dict):
        raise PresetProblem("A preset must be a set of named values.")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PresetProblem("A preset needs a name.")
    name = " ".join(name.split())
    if len(name) > MAX_NAME_CHARS:
        raise PresetProblem(f"A preset's name can be at most {MAX_NAME_CHARS} characters.")
    prompt = data.get("system_prompt")
    if prompt is not None and not isinstance(prompt, str):
        raise PresetProblem("The system prompt must be text.")
    if prompt is not None and len(prompt) > MAX_PROMPT_CHARS:
        raise PresetProblem(f"The system prompt can be at most {MAX_PROMPT_CHARS:,} "
                            "characters.")
    values: dict[str, Any] = {f: _number(f, data[f]) for f in SAMPLING_FIELDS
                              if data.get(f) is not None}
    pid = data.get("id")
    if not isinstance(pid, str) or not pid:
        pid = USER_PREFIX + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "preset")
    return Preset(pid, name, prompt, builtin=builtin, **values)


class _Options(Protocol):
    def conversation_options(self, conversation_id: int) -> dict[str, Any]: ...

    def set_conversation_options(self, conversation_id: int, options: dict[str, Any]) -> None: ...


class Presets:
    """The built-in presets and the user's, read and written through the settings table."""

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store

    def user_presets(self) -> list[Preset]:
        raw = self._store.get_setting(SETTINGS_KEY, {})
        items = raw.get("presets") if isinstance(raw, dict) else None
        out: list[Preset] = []
        for item in items if isinstance(items, list) else []:
            try:
                p = validate(item)
            except PresetProblem:
                continue  # a hand-edited, broken entry is skipped, not fatal
            if p.id.startswith(USER_PREFIX) and all(p.id != q.id for q in out):
                out.append(p)
        return out[:MAX_USER_PRESETS]

    def all(self) -> list[Preset]:
        return [*BUILTIN, *self.user_presets()]

    def get(self, preset_id: Any) -> Preset | None:
        return next((p for p in self.all() if p.id == preset_id), None)

    def save(self, data: dict[str, Any]) -> Preset:
        """Add or replace a user preset (``id`` from ``user_presets``, or a new one from the
        name); the built-in ones cannot be overwritten."""
        preset = validate(data)
        if not preset.id.startswith(USER_PREFIX):
            raise PresetProblem("The presets that come with the app cannot be changed; save "
                                "a copy under a new name.")
        mine = self.user_presets()
        if any(p.name.casefold() == preset.name.casefold() and p.id != preset.id
               for p in [*BUILTIN, *mine]):
            raise PresetProblem(f"There is already a preset called {preset.name}.")
        if all(p.id != preset.id for p in mine) and len(mine) >= MAX_USER_PRESETS:
            raise PresetProblem(f"There can be at most {MAX_USER_PRESETS} presets.")
        mine = [preset if p.id == preset.id else p for p in mine]
        if preset not in mine:
            mine.append(preset)
        self._write(mine)
        return preset

    def delete(self, preset_id: str) -> None:
        self._write([p for p in self.user_presets() if p.id != preset_id])

    def _write(self, presets: list[Preset]) -> None:
        self._store.set_setting(SETTINGS_KEY, {"version": 1,
                                               "presets": [p.to_dict() for p in presets]})

    # -- per conversation -----------------------------------------------------------------------

    def for_conversation(self, options_store: _Options, conversation_id: int) -> Preset | None:
        return self.get(options_store.conversation_options(conversation_id).get(OPTION_PRESET))

    def choose(self, options_store: _Options, conversation_id: int,
               preset_id: str | None) -> None:
        """Use ``preset_id`` in this conversation (None: the model's own settings)."""
        if preset_id is not None and self.get(preset_id) is None:
            raise PresetProblem("That preset no longer exists.")
        options = dict(options_store.conversation_options(conversation_id))
        if preset_id is None:
            options.pop(OPTION_PRESET, None)
        else:
            options[OPTION_PRESET] = preset_id
        options_store.set_conversation_options(conversation_id, options)

    def effective(self, model_settings: ModelSettings, options: dict[str, Any]) -> ModelSettings:
        """The settings a reply in a conversation with these ``options`` is asked with."""
        preset = self.get(options.get(OPTION_PRESET))
        value = preset.apply(model_settings) if preset else model_settings
        own = options.get(OPTION_SYSTEM_PROMPT)
        if isinstance(own, str) and own.strip():
            value = dataclasses.replace(value, system_prompt=own[:MAX_PROMPT_CHARS])
        return value


def thinking_enabled(options: dict[str, Any], default: bool = True) -> bool:
    """The conversation's thinking switch (see ``desktopchat.chat.thinking``)."""
    value = options.get(OPTION_THINKING)
    return value if isinstance(value, bool) else default


def set_thinking(options_store: _Options, conversation_id: int, on: bool) -> None:
    options = dict(options_store.conversation_options(conversation_id))
    options[OPTION_THINKING] = bool(on)
    options_store.set_conversation_options(conversation_id, options)
