"""Reading other apps' conversation exports into ``importer``'s conversations (Qt-free).

What the formats are, and where they were found (none of the three is formally specified):

- **ChatGPT** (``conversations.json`` in the data export): a list of conversations, each with
  ``title``, ``create_time``/``update_time`` (seconds), ``current_node`` and a ``mapping`` of
  node id -> ``{message, parent, children}``. A message has ``author.role``
  (system/user/assistant/tool), ``content.content_type`` (``text``, ``multimodal_text`` with
  string or asset parts, ``code``, ``thoughts``, ``reasoning_recap``, ``user_editable_context``
  …), ``recipient`` (``all`` unless it is a tool call), ``status`` and ``metadata.model_slug``.
  The tree is kept: an edit or a regenerated reply is a branch here too, and ``current_node``
  is the branch shown. Nodes with no place here (the empty root, hidden system notes, custom
  instructions, tool calls and their output) are skipped and their children hang from the
  nearest kept ancestor; ``thoughts`` and ``reasoning_recap`` become the next reply's reasoning
  and thinking time; assistant messages that follow one another on one path are joined, since
  chat templates expect roles to alternate.
- **LM Studio** (``~/.lmstudio/conversations/<id>.conversation.json``; read from the files
  the app writes, as community tools do — LM Studio does not document it): ``name``,
  ``createdAt`` (ms), ``systemPrompt``, ``messages``: each ``{versions, currentlySelected}``,
  a version ``singleStep`` (``role``, ``content`` parts) or ``multiStep`` (assistant ``steps``:
  ``contentBlock``\\ s whose ``style.type == "thinking"`` is reasoning). The versions of a
  message become sibling branches; the conversation continues from the selected one.
- **Jan** (a thread folder: ``thread.json`` + ``messages.jsonl``; types from janhq/jan's
  ``core/src/types``): one ``ThreadMessage`` per line, ``role``, ``content`` items of type
  ``text`` (``text.value``, or a plain string) or ``reasoning``, ``created_at``, ``status``.

A system prompt found in another app's export becomes the conversation's ``system_prompt``
option, not a message (templates want the system prompt first, and the app adds its own).
``<think>`` blocks left inside imported text are split off as reasoning.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from desktopchat.chat.importer import (
    MAX_CONVERSATIONS,
    MAX_MESSAGES_PER_CONVERSATION,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    Conv,
    ImportProblem,
    Msg,
    timestamp,
)
from desktopchat.chat.presets import OPTION_SYSTEM_PROMPT
from desktopchat.chat.reasoning import split_reasoning

SYSTEM_OPTION = OPTION_SYSTEM_PROMPT  # the conversation's own system prompt (chat/presets.py)
_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|second)", re.IGNORECASE)


def _clip(text: str) -> str:
    return text[:MAX_TEXT_CHARS]


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _split(text: str, reasoning: str = "") -> tuple[str, str]:
    """Answer and reasoning of imported text that may hold ``<think>`` blocks."""
    if "</think>" not in text and "<think>" not in text:
        return text, reasoning
    parsed = split_reasoning(text)
    both = "\n\n".join(r for r in (reasoning, parsed.reasoning) if r)
    return parsed.answer, both


def _title(value: Any, fallback: str = "Imported chat") -> str:
    text = " ".join(_str(value).split())
    return text[:MAX_TITLE_CHARS] or fallback


# -- ChatGPT ----------------------------------------------------------------------------------

def read_chatgpt(doc: list[Any]) -> tuple[list[Conv], int]:
    if len(doc) > MAX_CONVERSATIONS:
        raise ImportProblem(f"The file holds more than {MAX_CONVERSATIONS:,} conversations.")
    convs: list[Conv] = []
    skipped = 0
    for i, c in enumerate(doc, 1):
        if not isinstance(c, dict) or not isinstance(c.get("mapping"), dict):
            raise ImportProblem(f"Conversation {i} of the ChatGPT export has no message tree.")
        conv, n = _chatgpt_conversation(c, i)
        skipped += n
        if conv.messages:
            convs.append(conv)
    return convs, skipped


class _Node:
    __slots__ = ("children", "key", "msg", "parent")

    def __init__(self, key: str, node: dict[str, Any]) -> None:
        self.key = key
        self.msg = node.get("message") if isinstance(node.get("message"), dict) else None
        parent = node.get("parent")
        self.parent = parent if isinstance(parent, str) else None
        kids = node.get("children")
        self.children = [k for k in kids if isinstance(k, str)] if isinstance(kids, list) else []


def _chatgpt_conversation(c: dict[str, Any], index: int) -> tuple[Conv, int]:
    mapping = c["mapping"]
    if len(mapping) > 2 * MAX_MESSAGES_PER_CONVERSATION:
        raise ImportProblem(f"Conversation {index} of the ChatGPT export has too many messages.")
    now = time.time()
    created = timestamp(c.get("create_time"), now)
    conv = Conv(_title(c.get("title")), created_at=created,
                updated_at=timestamp(c.get("update_time"), created))
    nodes = {k: _Node(k, v) for k, v in mapping.items()
             if isinstance(k, str) and isinstance(v, dict)}
    roots = [n for n in nodes.values() if n.parent not in nodes]
    kept: dict[str, Msg] = {}
    anchor: dict[str, str | None] = {}  # node -> nearest kept node at or above it
    skipped = 0
    # Iterative depth-first walk from each root: (node, nearest kept ancestor, pending
    # reasoning and thinking time from skipped "thoughts" nodes above it).
    stack: list[tuple[_Node, str | None, str, float | None]] = [
        (r, None, "", None) for r in reversed(roots)]
    visited: set[str] = set()
    while stack:
        node, above, pending, seconds = stack.pop()
        if node.key in visited:
            continue
        visited.add(node.key)
        msg, note, pending, seconds = _chatgpt_message(node, above, pending, seconds, created,
                                                       conv)
        skipped += note
        if msg is not None:
            kept[node.key] = msg
            above, pending, seconds = node.key, "", None
        anchor[node.key] = above
        for child in reversed(node.children):
            kid = nodes.get(child)
            if kid is not None and kid.parent == node.key:
                stack.append((kid, above, pending, seconds))
    conv.messages, into = _join_assistant_runs(list(kept.values()))
    current = c.get("current_node")
    leaf = anchor.get(current) if isinstance(current, str) else None
    conv.active_leaf = into.get(leaf, leaf)
    return conv, skipped


def _chatgpt_message(node: _Node, above: str | None, pending: str, seconds: float | None,
                     created: float, conv: Conv) -> tuple[Msg | None, int, str, float | None]:
    """The message a node becomes (or None), how many items were left out, and the reasoning
    and thinking time carried down to the next reply."""
    m = node.msg
    if m is None:
        return None, 0, pending, seconds
    author = _dict(m.get("author"))
    role = _str(author.get("role"))
    content = _dict(m.get("content"))
    ctype = _str(content.get("content_type"))
    meta = _dict(m.get("metadata"))
    if ctype == "thoughts":
        parts = [f"{_str(t.get('summary'))}\n{_str(t.get('content'))}".strip()
                 for t in content.get("thoughts") or [] if isinstance(t, dict)]
        return None, 0, "\n\n".join(p for p in (pending, *parts) if p), seconds
    if ctype == "reasoning_recap":
        found = _SECONDS.search(_str(content.get("content")))
        return None, 0, pending, float(found.group(1)) if found else seconds
    hidden = meta.get("is_visually_hidden_from_conversation") is True
    if role == "tool" or ctype == "user_editable_context" or hidden or \
            m.get("recipient") not in (None, "all"):
        return None, 1, pending, seconds
    text, missing = _chatgpt_text(content)
    if role == "system":
        if text.strip() and SYSTEM_OPTION not in conv.options:
            conv.options[SYSTEM_OPTION] = _clip(text)
        return None, 0, pending, seconds
    if role not in ("user", "assistant") or not text.strip():
        return None, missing + (role not in ("user", "assistant", "")), pending, seconds
    status = "complete"
    finish = _dict(meta.get("finish_details"))
    if finish.get("type") == "max_tokens":
        status = "length"
    elif finish.get("type") == "interrupted":
        status = "stopped"
    elif m.get("status") == "in_progress":
        status = "interrupted"
    answer, reasoning = _split(text, pending) if role == "assistant" else (text, "")
    msg = Msg(node.key, above, role, _clip(answer), reasoning=_clip(reasoning), status=status,
              created_at=timestamp(m.get("create_time"), created),
              model=_str(meta.get("model_slug"))[:200] or None,
              engine="ChatGPT" if role == "assistant" else "",
              thinking_seconds=seconds if role == "assistant" else None)
    return msg, missing, pending if role == "user" else "", seconds if role == "user" else None


def _chatgpt_text(content: dict[str, Any]) -> tuple[str, int]:
    """The text of a message's parts, and how many non-text parts (images, files) were left
    out (each is marked in the text)."""
    ctype = _str(content.get("content_type"))
    if ctype == "code" or (ctype not in ("text", "multimodal_text") and "text" in content):
        return _str(content.get("text")), 0
    parts = content.get("parts")
    if not isinstance(parts, list):
        return "", 1 if ctype else 0
    out: list[str] = []
    missing = 0
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        else:
            missing += 1
            out.append("[an attachment that was not imported]")
    return "\n".join(out), missing


def _join_assistant_runs(msgs: list[Msg]) -> tuple[list[Msg], dict[Any, Any]]:
    """Join an assistant message into the assistant message above it when it is that one's
    only continuation (ChatGPT splits one reply around tool calls). ``msgs`` lists parents
    first; returns the messages kept and where each joined message went."""
    kids: dict[Any, int] = {}
    for m in msgs:
        kids[m.parent] = kids.get(m.parent, 0) + 1
    into: dict[Any, Any] = {}
    kept: dict[Any, Msg] = {}
    for m in msgs:
        original = m.parent
        m.parent = into.get(original, original)
        up = kept.get(m.parent)
        if m.role == "assistant" and up is not None and up.role == "assistant" \
                and kids.get(original) == 1:
            up.content = f"{up.content}\n\n{m.content}".strip()[:MAX_TEXT_CHARS]
            up.reasoning = "\n\n".join(r for r in (up.reasoning, m.reasoning) if r)
            into[m.key] = up.key
            continue
        kept[m.key] = m
    return list(kept.values()), into


# -- LM Studio --------------------------------------------------------------------------------

def read_lmstudio(doc: dict[str, Any]) -> tuple[list[Conv], int]:
    raw = doc["messages"]
    if len(raw) > MAX_MESSAGES_PER_CONVERSATION:
        raise ImportProblem("The LM Studio conversation has too many messages.")
    now = time.time()
    created = timestamp(doc.get("createdAt"), now)
    conv = Conv(_title(doc.get("name")), created_at=created, updated_at=created)
    system = _str(doc.get("systemPrompt")).strip()
    if system:
        conv.options[SYSTEM_OPTION] = _clip(system)
    last = _dict(doc.get("lastUsedModel"))
    default_model = _str(last.get("identifier"))[:200] or None
    skipped = 0
    parent: Any = None
    for i, entry in enumerate(raw):
        versions = entry.get("versions") if isinstance(entry, dict) else None
        if not isinstance(versions, list) or not versions:
            skipped += 1
            continue
        chosen = entry.get("currentlySelected", 0)
        if not isinstance(chosen, int) or not 0 <= chosen < len(versions):
            chosen = 0
        next_parent = parent
        for j, v in enumerate(versions[:1000]):
            msg, n = _lmstudio_version(v, (i, j), parent, created, default_model, conv)
            skipped += n
            if msg is not None:
                conv.messages.append(msg)
                if j == chosen:
                    next_parent = msg.key
        parent = next_parent
    conv.active_leaf = parent
    return [conv] if conv.messages else [], skipped


def _lmstudio_version(v: Any, key: tuple[int, int], parent: Any, created: float,
                      default_model: str | None, conv: Conv) -> tuple[Msg | None, int]:
    if not isinstance(v, dict):
        return None, 1
    role = _str(v.get("role"))
    texts: list[str] = []
    thoughts: list[str] = []
    skipped = 0
    blocks = v.get("steps") if v.get("type") == "multiStep" else [v]
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        if v.get("type") == "multiStep" and block.get("type") != "contentBlock":
            skipped += block.get("type") not in ("toolStatus", "debugInfoBlock")
            continue
        style = _dict(block.get("style"))
        text, n = _parts_text(block.get("content"))
        skipped += n
        (thoughts if style.get("type") == "thinking" else texts).append(text)
    text = "\n".join(t for t in texts if t)
    if role == "system":
        if text.strip() and SYSTEM_OPTION not in conv.options:
            conv.options[SYSTEM_OPTION] = _clip(text)
        return None, skipped
    if role not in ("user", "assistant"):
        return None, skipped + 1
    answer, reasoning = _split(text, "\n\n".join(t for t in thoughts if t))
    sender = _dict(v.get("senderInfo"))
    model = _str(sender.get("senderName"))[:200] or default_model
    return Msg(key, parent, role, _clip(answer), reasoning=_clip(reasoning), created_at=created,
               model=model if role == "assistant" else None,
               engine="LM Studio" if role == "assistant" else ""), skipped


def _parts_text(content: Any) -> tuple[str, int]:
    if isinstance(content, str):
        return content, 0
    if not isinstance(content, list):
        return "", 0
    out: list[str] = []
    skipped = 0
    for part in content:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict) and part.get("type") == "text":
            out.append(_str(part.get("text")))
        else:
            skipped += 1
    return "\n".join(out), skipped


# -- Jan --------------------------------------------------------------------------------------

def jsonl_objects(text: str) -> list[dict[str, Any]] | None:
    """The objects of a Jan ``messages.jsonl`` file, or None when the text is not one."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if not first.startswith("{") or not first.endswith("}"):
        return None
    try:
        head = json.loads(first)
    except (ValueError, RecursionError):
        return None
    if not isinstance(head, dict) or "role" not in head or not (
            "thread_id" in head or head.get("object") in ("thread.message", "message")):
        return None
    out: list[dict[str, Any]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(out) >= MAX_MESSAGES_PER_CONVERSATION:
            raise ImportProblem("The Jan thread has too many messages.")
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise ImportProblem(f"Line {n} of the Jan thread is not valid JSON.") from exc
        if not isinstance(obj, dict):
            raise ImportProblem(f"Line {n} of the Jan thread is not a message.")
        out.append(obj)
    return out


def read_jan(lines: list[dict[str, Any]], thread: Any) -> tuple[list[Conv], int]:
    now = time.time()
    thread = thread if isinstance(thread, dict) else {}
    created = timestamp(thread.get("created"), now)
    conv = Conv(_title(thread.get("title")), created_at=created,
                updated_at=timestamp(thread.get("updated"), created))
    assistants = thread.get("assistants")
    model = None
    if isinstance(assistants, list) and assistants and isinstance(assistants[0], dict):
        model = _str(_dict(assistants[0].get("model")).get("id"))[:200] or None
        instructions = _str(assistants[0].get("instructions")).strip()
        if instructions:
            conv.options[SYSTEM_OPTION] = _clip(instructions)
    ordered = sorted(enumerate(lines), key=lambda p: (timestamp(p[1].get("created_at"), 0), p[0]))
    skipped = 0
    parent: Any = None
    for i, m in ordered:
        role = _str(m.get("role"))
        texts: list[str] = []
        thoughts: list[str] = []
        for item in _list(m.get("content")):
            kind = item.get("type") if isinstance(item, dict) else None
            value = item.get("text") if isinstance(item, dict) else None
            value = value.get("value") if isinstance(value, dict) else value
            if kind in ("text", "reasoning") and isinstance(value, str):
                (texts if kind == "text" else thoughts).append(value)
            else:
                skipped += 1
        text = "\n".join(texts)
        if role == "system":
            if text.strip() and SYSTEM_OPTION not in conv.options:
                conv.options[SYSTEM_OPTION] = _clip(text)
            continue
        if role not in ("user", "assistant") or not (text.strip() or thoughts):
            skipped += role not in ("user", "assistant")
            continue
        answer, reasoning = _split(text, "\n\n".join(thoughts))
        status = {"stopped": "stopped", "error": "error"}.get(_str(m.get("status")), "complete")
        conv.messages.append(Msg(i, parent, role, _clip(answer), reasoning=_clip(reasoning),
                                 status=status, created_at=timestamp(m.get("created_at"), created),
                                 model=model if role == "assistant" else None,
                                 engine="Jan" if role == "assistant" else ""))
        parent = i
    conv.active_leaf = parent
    return ([conv] if conv.messages else []), skipped
