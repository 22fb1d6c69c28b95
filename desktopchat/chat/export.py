"""Exporting conversations: Markdown and HTML of what is on screen, JSON of everything (Qt-free).

- **Markdown** (``export_markdown``): the active path, each message under a heading that names
  who wrote it; reasoning only when asked, as a quote above the answer.
- **HTML** (``export_html``): the same, as one self-contained file: every message rendered from
  Markdown with raw HTML escaped, no images, only http(s)/mailto links, no scripts, inline
  styles, and a Content-Security-Policy that forbids loading anything at all.
- **JSON** (``export_json``): complete — every branch, reasoning, status, model, engine,
  per-chat options, the model settings those models were used with, stats and timestamps — in
  the versioned format below, which ``desktopchat.chat.importer`` reads back.

JSON format ``desktopchat.conversations``, version 1::

    {"format": "desktopchat.conversations", "version": 1, "exported_at": ISO-8601 UTC,
     "app": {"name": "desktopchat", "version": "…"}, "schema": history schema version,
     "conversations": [{
        "title": str, "title_auto": bool, "created_at": unix s, "updated_at": unix s,
        "options": {…per-chat options…}, "model_settings": {model: {…settings…}},
        "active_leaf": message id | null,
        "messages": [{                      # parents before children
            "id": int (unique in this file), "parent": id | null,
            "role": "system" | "user" | "assistant", "content": str, "reasoning": str,
            "status": "complete" | "stopped" | "length" | "error" | "interrupted" | "generating",
            "created_at": unix s, "model": str | null, "engine": str,
            "thinking_seconds": float | null, "reasoning_expanded": bool,
            "stats": {…} | null}]}]}
"""

from __future__ import annotations

import datetime
import html
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from markdown_it import MarkdownIt

from desktopchat import APP_NAME, __version__
from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import StoredMessage

FORMAT = "desktopchat.conversations"
FORMAT_VERSION = 1
ROLE_LABELS = {"user": "You", "assistant": "Assistant", "system": "System prompt"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Store(Protocol):
    def reader(self) -> sqlite3.Connection: ...


def _iso(ts: float | None) -> str:
    if not ts:
        return ""
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).isoformat(timespec="seconds")


def _thought_label(m: StoredMessage) -> str:
    if m.thinking_seconds is None:
        return "Reasoning"
    return f"Thought for {max(1, round(m.thinking_seconds))} s"


def _who(m: StoredMessage) -> str:
    label = ROLE_LABELS.get(m.role, m.role)
    if m.role == "assistant" and m.model:
        label += f" ({m.model})"
    if m.sibling_count > 1:
        label += f" · version {m.sibling_index} of {m.sibling_count}"
    return label


def _path(store: ChatStore, conversation_id: int) -> tuple[str, list[StoredMessage]]:
    conv = store.conversation(conversation_id)
    if conv is None:
        raise ValueError(f"There is no conversation {conversation_id} to export.")
    return conv.title, store.messages(conversation_id)


# -- Markdown ---------------------------------------------------------------------------------

def export_markdown(store: ChatStore, conversation_id: int, *,
                    include_reasoning: bool = False) -> str:
    """The conversation as shown (its active path) as Markdown."""
    title, messages = _path(store, conversation_id)
    lines = [f"# {_one_line(title)}", "",
             f"*Exported from {APP_NAME} {__version__} on {_iso(_now())}*", ""]
    for m in messages:
        lines += [f"## {_who(m)}", ""]
        if include_reasoning and m.reasoning:
            lines.append(f"> **{_thought_label(m)}**")
            lines.append(">")
            lines += [f"> {line}".rstrip() for line in m.reasoning.splitlines()]
            lines.append("")
        lines += [m.content, ""]
        if m.status.note:
            lines += [f"*({m.status.note})*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "Untitled chat"


def _now() -> float:
    return datetime.datetime.now(datetime.UTC).timestamp()


# -- HTML -------------------------------------------------------------------------------------

def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.disable("image")  # an image would be fetched when the file is opened
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_MD = _parser()
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; } .meta { color: #656d76; font-size: .9rem; }
.msg { border-top: 1px solid #d0d7de; padding: .6rem 0 1rem; }
.who { font-weight: 600; margin: .4rem 0; } .user .who { color: #0969da; }
.note { color: #9a6700; font-style: italic; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; border-radius: 6px; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
:not(pre) > code { background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
details { color: #656d76; border-left: 3px solid #d0d7de; padding-left: .8rem; margin: .4rem 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .2rem .5rem; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; } .msg { border-color: #30363d; }
  pre, :not(pre) > code { background: #161b22; } .user .who { color: #4493f8; } }
"""


def export_html(store: ChatStore, conversation_id: int, *,
                include_reasoning: bool = False) -> str:
    """The conversation as shown, as one self-contained, script-free HTML page."""
    title, messages = _path(store, conversation_id)
    title = _one_line(title)
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Exported from {APP_NAME} {__version__} on '
        f"{html.escape(_iso(_now()))}</p>",
    ]
    for m in messages:
        parts.append(f'<section class="msg {html.escape(m.role)}">')
        when = html.escape(_iso(m.created_at))
        parts.append(f'<div class="who">{html.escape(_who(m))} '
                     f'<span class="meta">{when}</span></div>')
        if include_reasoning and m.reasoning:
            parts.append(f"<details><summary>{html.escape(_thought_label(m))}</summary>"
                         f"{_MD.render(m.reasoning)}</details>")
        if m.role == "user":  # what the user typed, exactly
            parts.append(f'<div class="body"><p style="white-space: pre-wrap">'
                         f"{html.escape(m.content)}</p></div>")
        else:
            parts.append(f'<div class="body">{_MD.render(m.content)}</div>')
        if m.status.note:
            parts.append(f'<p class="note">({html.escape(m.status.note)})</p>')
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# -- JSON -------------------------------------------------------------------------------------

_COLS = ("id, parent_id, role, content, reasoning, status, created_at, model, engine, "
         "thinking_seconds, reasoning_expanded, stats")


def _conversation_json(db: sqlite3.Connection, row: tuple[Any, ...],
                       settings: dict[str, Any]) -> dict[str, Any]:
    cid, title, created, updated, leaf, options, title_auto = row
    messages = []
    models: set[str] = set()
    for r in db.execute(f"SELECT {_COLS} FROM messages WHERE conversation_id = ? "
                        "ORDER BY seq, id", (cid,)):
        stats = _loads(r[11])
        messages.append({
            "id": r[0], "parent": r[1], "role": r[2], "content": r[3], "reasoning": r[4] or "",
            "status": r[5], "created_at": r[6], "model": r[7], "engine": r[8] or "",
            "thinking_seconds": r[9], "reasoning_expanded": bool(r[10]),
            "stats": stats if isinstance(stats, dict) else None,
        })
        if r[7]:
            models.add(r[7])
    opts = _loads(options)
    return {
        "title": title, "title_auto": bool(title_auto), "created_at": created,
        "updated_at": updated, "options": opts if isinstance(opts, dict) else {},
        "model_settings": {m: settings[m] for m in sorted(models) if m in settings},
        "active_leaf": leaf, "messages": messages,
    }


def _loads(text: Any) -> Any:
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def export_json(store: _Store, conversation_ids: Sequence[int] | None = None, *,
                model_settings: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every branch of the given conversations (all of them when None) as a JSON document.

    ``model_settings`` maps the model names stored on messages to the settings they were used
    with; by default the saved per-model settings whose key is that name are included."""
    db = store.reader()
    rows = db.execute("SELECT id, title, created_at, updated_at, active_leaf_id, options, "
                      "title_auto FROM conversations ORDER BY created_at, id").fetchall()
    if conversation_ids is not None:
        wanted = set(conversation_ids)
        rows = [r for r in rows if r[0] in wanted]
    settings: dict[str, Any] = dict(model_settings or {})
    if model_settings is None:
        for key, value in db.execute("SELECT key, value FROM settings "
                                     "WHERE key LIKE 'model:%'"):
            parsed = _loads(value)
            if isinstance(parsed, dict):
                settings[key[len("model:"):]] = parsed
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "exported_at": _iso(_now()),
        "app": {"name": APP_NAME, "version": __version__},
        "schema": int(db.execute("PRAGMA user_version").fetchone()[0]),
        "conversations": [_conversation_json(db, r, settings) for r in rows],
    }


def export_json_text(store: _Store, conversation_ids: Sequence[int] | None = None, *,
                     model_settings: Mapping[str, dict[str, Any]] | None = None) -> str:
    doc = export_json(store, conversation_ids, model_settings=model_settings)
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
