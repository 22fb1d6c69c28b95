"""What the bounded template sandbox checks before an operation runs (Qt-free, no llama_cpp).

A chat template is code from a stranger. Jinja's sandbox stops it from reaching Python's
internals, but not from asking for a 10**10-character string, a list padded to a billion items
or a field formatted a billion characters wide: each of those is one C call that allocates the
whole result before anything could look at it. So the size of a result is worked out from its
operands *before* the operation runs, and the operation is refused when it would be over the
limit. Each function here raises :class:`LimitExceeded` with what the template tried to do.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2.runtime import Namespace, Undefined


class LimitExceeded(Exception):
    """A template operation would break a limit; ``what`` completes "tried to …"."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def refuse_if(condition: bool, what: str) -> None:
    if condition:
        raise LimitExceeded(what)


@functools.lru_cache(maxsize=64)  # called on every check: build each sentence once
def text_too_long(limit: int) -> str:
    return f"build a text or list of more than {limit:,} characters or items"


_OTHER_REPR = 64
MAX_JSON_INDENT = 64  # a generous length for the str() of anything that is not a container


def repr_cost(obj: Any, limit: int) -> int:
    """About how many characters ``str(obj)`` (or its JSON) has; stops counting past ``limit``.

    Walks containers without recursion and visits at most ``limit`` objects, so a deeply nested
    or widely shared structure costs no more than the limit to measure.
    """
    total = 0
    visits = 0
    stack: list[Any] = [obj]
    while stack:
        o = stack.pop()
        visits += 1
        if visits > limit:
            return limit + 1
        if isinstance(o, str):
            total += len(o) + 2
        elif isinstance(o, (bytes, bytearray)):
            total += 4 * len(o) + 3
        elif isinstance(o, bool) or o is None or isinstance(o, float):
            total += 8
        elif isinstance(o, int):
            total += o.bit_length() // 3 + 2
        elif isinstance(o, Mapping):
            total += 2 + 4 * len(o)
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(o)
            stack.extend(o)
        elif isinstance(o, Namespace):
            attrs = o.__dict__.get("_Namespace__attrs", {})
            total += 16
            stack.append(attrs)
        elif isinstance(o, Undefined):
            pass
        else:
            total += _OTHER_REPR
        if total > limit:
            return total
    return total


def check_repr(obj: Any, limit: int) -> None:
    """Refuse to turn ``obj`` into text when that text would be over ``limit`` characters."""
    if isinstance(obj, str):
        refuse_if(len(obj) > limit, text_too_long(limit))
    elif not isinstance(obj, (int, float, bool)) and obj is not None:
        refuse_if(repr_cost(obj, limit) > limit, text_too_long(limit))


def check_size(obj: Any, limit: int, max_int_bits: int) -> Any:
    """Refuse a result that came out over the limits; return it unchanged otherwise."""
    if isinstance(obj, (str, bytes, list, tuple, dict, set, frozenset)):
        refuse_if(len(obj) > limit, text_too_long(limit))
    elif isinstance(obj, int) and not isinstance(obj, bool):
        refuse_if(obj.bit_length() > max_int_bits, number_too_big(max_int_bits))
    return obj


@functools.lru_cache(maxsize=8)
def number_too_big(bits: int) -> str:
    return f"compute a number of more than {bits:,} bits"


def _is_int(x: Any) -> bool:
    return isinstance(x, int)  # bool too: 'ab' * True is 'ab'


_SIZED = (str, bytes, list, tuple)


def check_binop(op: str, left: Any, right: Any, limit: int, max_int_bits: int,
                max_width: int) -> None:
    """Refuse ``left <op> right`` when its result would be over the limits."""
    if op == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, _SIZED) and _is_int(n):
                refuse_if(len(seq) * max(int(n), 0) > limit, text_too_long(limit))
        if _is_int(left) and _is_int(right):
            bits = int(left).bit_length() + int(right).bit_length()
            refuse_if(bits > max_int_bits, number_too_big(max_int_bits))
    elif op == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED):
            refuse_if(len(left) + len(right) > limit, text_too_long(limit))
    elif op == "**":
        if _is_int(left) and _is_int(right) and int(right) > 0 and abs(int(left)) > 1:
            refuse_if(int(right) * math.log2(abs(int(left))) > max_int_bits,
                      number_too_big(max_int_bits))
    elif op == "%" and isinstance(left, (str, bytes)):
        check_printf(left, right, limit, max_width)


_PRINTF = re.compile(
    rb"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsab%])"
)


def _field_args(args: Any) -> list[Any]:
    if isinstance(args, Mapping):
        return list(args.values())
    if isinstance(args, tuple):
        return list(args)
    return [args]


def check_printf(fmt: str | bytes, args: Any, limit: int, max_width: int) -> None:
    """``fmt % args``: every width and precision must be a small literal number, and the result
    (literal text plus each field at its widest) must fit the limit."""
    raw = fmt.encode("utf-8", "surrogatepass") if isinstance(fmt, str) else fmt
    widest = max((repr_cost(a, limit) for a in _field_args(args)), default=0)
    n_fields = 0
    for m in _PRINTF.finditer(raw):
        for num in (m.group(1), m.group(2)):
            refuse_if(num == b"*", "format a field with a width taken from its arguments")
            if num:
                refuse_if(int(num) > max_width, f"format a field wider than {max_width:,}")
        n_fields += 1
        widest = max(widest, int(m.group(1) or 0), int(m.group(2) or 0))
    refuse_if(len(fmt) + n_fields * widest > limit, text_too_long(limit))


def check_format(fmt: str, args: Sequence[Any], kwargs: Mapping[str, Any], limit: int,
                 max_width: int) -> None:
    """``fmt.format(*args, **kwargs)``: the same rule as :func:`check_printf`, for ``{}``
    fields; a width taken from another field (``{:{}}``) is refused."""
    widest = max((repr_cost(a, limit) for a in [*args, *kwargs.values()]), default=0)
    n_fields = 0
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # malformed: str.format raises the same error without allocating
    for _literal, field, spec, _conv in parsed:
        if field is None:
            continue
        n_fields += 1
        spec = spec or ""
        refuse_if("{" in spec, "format a field with a width taken from its arguments")
        for num in re.findall(r"\d+", spec):
            refuse_if(int(num) > max_width, f"format a field wider than {max_width:,}")
            widest = max(widest, int(num))
    refuse_if(len(fmt) + n_fields * widest > limit, text_too_long(limit))


def _arg(args: Sequence[Any], kwargs: Mapping[str, Any], i: int, name: str, default: Any) -> Any:
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


def _int_arg(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


def predicted_replace(s: str | bytes, old: Any, new: Any, count: Any) -> int:
    """len(s.replace(old, new, count)) without building it."""
    if not isinstance(old, type(s)) or not isinstance(new, type(s)):
        return len(s)
    hits = s.count(old) if old else len(s) + 1  # type: ignore[arg-type]  # same type, checked
    n = _int_arg(count) if count is not None else -1
    if n >= 0:
        hits = min(hits, n)
    return len(s) + hits * max(len(new) - len(old), 0)


def check_str_method(s: str | bytes, name: str, args: Sequence[Any], kwargs: Mapping[str, Any],
                     limit: int) -> None:
    """Refuse a str/bytes method call whose result would be over ``limit``."""
    too_long = text_too_long(limit)
    if name in ("ljust", "rjust", "center", "zfill"):
        refuse_if(_int_arg(_arg(args, kwargs, 0, "width", 0)) > limit, too_long)
    elif name == "expandtabs":
        tab = _int_arg(_arg(args, kwargs, 0, "tabsize", 8))
        tabs = s.count("\t") if isinstance(s, str) else s.count(b"\t")
        refuse_if(len(s) + tabs * max(tab, 0) > limit, too_long)
    elif name == "replace":
        new_len = predicted_replace(s, _arg(args, kwargs, 0, "old", ""),
                                    _arg(args, kwargs, 1, "new", ""),
                                    _arg(args, kwargs, 2, "count", None))
        refuse_if(new_len > limit, too_long)
    elif name == "translate":
        table = _arg(args, kwargs, 0, "table", None)
        widest = 1
        if isinstance(table, Mapping):
            widest = max((len(v) for v in table.values() if isinstance(v, (str, bytes))),
                         default=1)
        refuse_if(len(s) * max(widest, 1) > limit, too_long)
    elif name in ("encode", "hex"):
        refuse_if(4 * len(s) > limit, too_long)


def check_join(sep: str | bytes, items: Sequence[Any], limit: int) -> None:
    total = len(sep) * max(len(items) - 1, 0)
    for item in items:
        total += len(item) if isinstance(item, (str, bytes)) else repr_cost(item, limit)
        refuse_if(total > limit, text_too_long(limit))


def check_filter(name: str, value: Any, args: Sequence[Any], kwargs: Mapping[str, Any],
                 limit: int, max_width: int, max_regex_input: int) -> None:
    """Refuse a call of Jinja's filter ``name`` whose result would be over ``limit`` (the
    filters whose result can be far larger than their input, or slow far beyond its size)."""
    too_long = text_too_long(limit)
    text = value if isinstance(value, str) else ""
    if name == "center":
        refuse_if(_int_arg(_arg(args, kwargs, 0, "width", 80)) > limit, too_long)
    elif name == "indent":
        width = _arg(args, kwargs, 0, "width", 4)
        per_line = len(width) if isinstance(width, str) else _int_arg(width)
        refuse_if(len(text) + (text.count("\n") + 1) * per_line > limit, too_long)
    elif name == "wordwrap":
        width = max(_int_arg(_arg(args, kwargs, 0, "width", 79)), 1)
        wrap = _arg(args, kwargs, 2, "wrapstring", None)
        wrap_len = len(wrap) if isinstance(wrap, str) else 1
        refuse_if(len(text) + (len(text) // width + 1) * wrap_len > limit, too_long)
    elif name == "replace":
        new_len = predicted_replace(text, _arg(args, kwargs, 0, "old", ""),
                                    _arg(args, kwargs, 1, "new", ""),
                                    _arg(args, kwargs, 2, "count", None))
        refuse_if(new_len > limit, too_long)
    elif name in ("batch", "slice"):
        n = _int_arg(_arg(args, kwargs, 0, "linecount" if name == "batch" else "slices", 0))
        refuse_if(n > limit, too_long)
    elif name == "tojson":
        indent = _arg(args, kwargs, 1, "indent", None)
        width = len(indent) if isinstance(indent, str) else _int_arg(indent)
        refuse_if(width > MAX_JSON_INDENT, f"indent JSON by more than {MAX_JSON_INDENT}")
    elif name == "format":
        check_printf(text, kwargs or tuple(args), limit, max_width)
    elif name in ("striptags", "urlize"):
        refuse_if(len(text) > max_regex_input,
                  f"run {name} on a text of more than {max_regex_input:,} characters")


# Filters that never turn their value into text (the others may: their value's size is checked)
STRUCTURAL_FILTERS = frozenset({
    "abs", "attr", "batch", "bool", "count", "d", "default", "dictsort", "first", "float",
    "groupby", "int", "items", "join", "last", "length", "list", "map", "max", "min", "random",
    "reject", "rejectattr", "reverse", "round", "select", "selectattr", "slice", "sort", "sum",
    "unique",
})
