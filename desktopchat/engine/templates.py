"""Chat templates rendered in a sandbox that also bounds time, size and output (Qt-free).

A GGUF's chat template is Jinja code written by whoever made the file. Jinja's
``ImmutableSandboxedEnvironment`` (what llama-cpp-python's ``Jinja2ChatFormatter`` uses) keeps it
away from Python's internals, but not from building a 10**10-character string, looping
100,000 × 100,000 times or printing gigabytes: any of these runs the process out of memory or
wedges the engine thread. :class:`BoundedEnvironment` is the same sandbox with limits enforced
*inside* the render:

- every binary operator, call, filter, ``~`` concatenation, ``{{ }}`` output, captured block and
  loop iteration passes a checkpoint that counts steps and, every few hundred steps, checks the
  wall clock and the caller's stop flag;
- operations whose result can dwarf their operands (``*``, ``**``, ``%``, ``str.format``,
  ``center``, ``indent``, ``replace``, ``join``, …) have the size of their result worked out
  before they run (``desktopchat.engine.template_checks``);
- the output is streamed and cut off at the caller's limit.

:class:`ChatTemplate` renders with exactly the variables and options ``Jinja2ChatFormatter``
uses, so a real template renders byte for byte as before (tests check popular ones).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import jinja2
import jinja2.ext
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from desktopchat.engine import template_checks as checks
from desktopchat.engine.template_checks import LimitExceeded, refuse_if
from desktopchat.engine.types import EngineError

MAX_TEMPLATE_CHARS = 1 << 20  # the largest real chat templates are a few tens of kB


@dataclass(frozen=True)
class TemplateLimits:
    """What one render may use. Real templates need a tiny fraction of each."""

    seconds: float = 2.0  # wall time of one render
    steps: int = 1_000_000  # loop iterations, calls, filters, operators and outputs
    min_size: int = 1 << 20  # characters (or items) any one value may have, at least …
    size_per_output: int = 4  # … or this many times the render's output limit
    produced_per_size: int = 8  # all the text and items one render may build, in sizes
    int_bits: int = 65_536  # the largest integer a template may compute
    format_width: int = 10_000  # the widest field of "%…" or "{:…}" formatting
    regex_input: int = 10_000  # the longest text striptags / urlize may scan
    check_every: int = 256  # steps between two looks at the clock and the stop flag


class TemplateLimitError(EngineError):
    """The template broke a limit or tried something the sandbox forbids."""

    def __init__(self, what: str) -> None:
        super().__init__(f"This model's chat template tried to {what}; it was stopped.")
        self.what = what


class TemplateRejected(EngineError):
    """The template raised an error for this conversation (``raise_exception`` or a bug)."""


class RenderStopped(Exception):
    """The stop flag was set while the template was rendering."""


class OutputTooLong(Exception):
    """The rendered prompt went past the caller's output limit (rendering stopped there)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the rendered prompt is longer than {limit:,} characters")
        self.limit = limit


class _Budget:
    """The running render's counters (one render at a time per environment)."""

    __slots__ = ("deadline", "next_check", "produced", "size", "steps", "stop")

    def __init__(self, limits: TemplateLimits, size: int, stop: threading.Event | None) -> None:
        self.deadline = time.monotonic() + limits.seconds
        self.steps = 0
        self.next_check = limits.check_every
        self.size = size
        self.produced = size * limits.produced_per_size  # characters and items left to build
        self.stop = stop


class _Stopped(Exception):
    pass


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` and every ``for`` loop routed through the
    environment (the sandbox intercepts neither)."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            self.write("environment.bounded_concat(context.eval_ctx.autoescape, (")
        else:
            self.write(f"environment.bounded_concat({bool(frame.eval_ctx.autoescape)}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        it = node.iter
        if not (isinstance(it, nodes.Call) and isinstance(it.node, nodes.EnvironmentAttribute)
                and it.node.name == "bounded_iter"):
            node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [it], [], None,
                                   None, lineno=node.lineno)
        super().visit_For(node, frame)


class _IgnoreGenerationTags(jinja2.ext.Extension):
    """Hugging Face's ``{% generation %}`` tag renders its body (as in Jinja2ChatFormatter)."""

    tags = {"generation"}

    def parse(self, parser: Any) -> Any:
        parser.stream.skip(1)
        return parser.parse_statements(("name:endgeneration",), drop_needle=True)


def _tojson(x: Any, ensure_ascii: bool = False, indent: int | None = None,
            separators: tuple[str, str] | None = None, sort_keys: bool = False) -> str:
    """Transformers' (and Jinja2ChatFormatter's) ``tojson``: plain JSON, non-ASCII kept."""
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                      sort_keys=sort_keys)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2ChatFormatter's sandbox (same options and extensions), bounded in time and size."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, limits: TemplateLimits | None = None) -> None:
        super().__init__(
            loader=jinja2.BaseLoader(),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=[_IgnoreGenerationTags, jinja2.ext.loopcontrols],
            finalize=self._finalize,
        )
        self.limits = limits or TemplateLimits()
        self._budget: _Budget | None = None
        self.filters["tojson"] = _tojson
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self.globals["lipsum"] = self._lipsum
        self.concat = self._bounded_join  # type: ignore[method-assign]

    # -- the checkpoint ------------------------------------------------------------------------

    @property
    def size_limit(self) -> int:
        b = self._budget
        return b.size if b is not None else self.limits.min_size

    def step(self) -> None:
        """Count one step; every ``check_every`` steps look at the clock and the stop flag."""
        b = self._budget
        if b is None:
            return  # compiling (constant folding): no render is running
        b.steps += 1
        if b.steps >= b.next_check:
            self._look(b)

    def _look(self, b: _Budget) -> None:
        b.next_check = b.steps + self.limits.check_every
        if b.stop is not None and b.stop.is_set():
            raise _Stopped
        if b.steps > self.limits.steps:
            raise LimitExceeded(f"take more than {self.limits.steps:,} steps")
        if time.monotonic() > b.deadline:
            raise LimitExceeded(f"run for more than {self.limits.seconds:g} seconds")

    def _checked(self, value: Any) -> Any:
        """A result: within the size limit, and counted against what the render may build (a
        template that keeps many large values alive would otherwise grow without bound)."""
        checks.check_size(value, self.size_limit, self.limits.int_bits)
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
            self._produced(len(value))
        return value

    def _produced(self, n: int) -> None:
        b = self._budget
        if b is None:
            return
        b.produced -= n
        if b.produced < 0:
            raise LimitExceeded(f"build more than {b.size * self.limits.produced_per_size:,} "
                                "characters and items in all")

    # -- what the sandbox intercepts -----------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        b = self._budget
        if operator == "+" and b is not None and type(left) is str and type(right) is str:
            # Most of what a chat template does, so the checks are inlined here.
            b.steps += 1
            if b.steps >= b.next_check:
                self._look(b)
            n = len(left) + len(right)
            b.produced -= n
            if n > b.size:
                raise LimitExceeded(checks.text_too_long(b.size))
            if b.produced < 0:
                self._produced(0)  # raises: more than one render may build
            return left + right
        self.step()
        checks.check_binop(operator, left, right, self.size_limit, self.limits.int_bits,
                           self.limits.format_width)
        return self._checked(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.step()
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, (str, bytes)):
            name = getattr(obj, "__name__", "")
            if name == "join" and args:
                items = list(args[0])
                checks.check_join(owner, items, self.size_limit)
                args = (items, *args[1:])
            else:
                checks.check_str_method(owner, name, args, kwargs, self.size_limit)
        return self._checked(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        fmt = super().wrap_str_format(value)
        if fmt is None:
            return None
        text: str = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            self.step()
            named = args[0] if is_map and args and isinstance(args[0], Mapping) else kwargs
            checks.check_format(text, () if is_map else args, named, self.size_limit,
                                self.limits.format_width)
            return str(self._checked(fmt(*args, **kwargs)))

        return functools.update_wrapper(bounded, value)

    def _finalize(self, value: Any) -> Any:
        """Every ``{{ … }}``: its text must fit before ``str()`` builds it."""
        self.step()
        if type(value) is str:
            self._produced(len(value))  # a str already fits: it passed a check when built
        else:
            checks.check_repr(value, self.size_limit)
        return value

    def bounded_concat(self, autoescape: bool, parts: Sequence[Any]) -> str:
        """``a ~ b ~ …``: each part's text, then the whole, must fit."""
        self.step()
        limit = self.size_limit
        total = 0
        for p in parts:
            if not isinstance(p, str):
                checks.check_repr(p, limit)
            total += len(p) if isinstance(p, str) else checks.repr_cost(p, limit)
            refuse_if(total > limit, checks.text_too_long(limit))
        self._produced(total)
        if autoescape:
            return str(markup_join(parts))
        return "".join([str(p) for p in parts])

    def bounded_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every ``for`` loop iterates through this: one step per item."""
        step = self.step
        for item in iterable:
            step()
            yield item

    def _bounded_join(self, pieces: Iterable[str]) -> str:
        """Jinja's ``concat`` for captured blocks (``{% set %}…``, macros, filter blocks)."""
        buf = pieces if isinstance(pieces, list) else list(pieces)
        limit = self.size_limit
        total = sum(map(len, buf))
        refuse_if(total > limit, checks.text_too_long(limit))
        self._produced(total)
        return "".join(buf)

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        # Filters marked pass_context/pass_environment/pass_eval_context get that first.
        skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        stringifies = name not in checks.STRUCTURAL_FILTERS

        @functools.wraps(func)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if len(args) <= skip:
                return func(*args, **kwargs)
            value, rest = args[skip], args[skip + 1:]
            limit = self.size_limit
            if stringifies:
                checks.check_repr(value, limit)
            checks.check_filter(name, value, rest, kwargs, limit, self.limits.format_width,
                                self.limits.regex_input)
            if name == "join":
                items = list(value)
                sep = rest[0] if rest else kwargs.get("d", "")
                checks.check_join(sep if isinstance(sep, str) else str(sep), items, limit)
                args = (*args[:skip], items, *rest)
            elif name == "sum" and isinstance(
                    kwargs.get("start", rest[1] if len(rest) > 1 else 0), (str, list, tuple)):
                items = list(value)
                checks.check_join("", items, limit)
                args = (*args[:skip], items, *rest)
            return self._checked(func(*args, **kwargs))

        return bounded

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        self.step()
        refuse_if(n * max > 100_000, "generate more than 100,000 words of lorem ipsum")
        return str(generate_lorem_ipsum(n, html, min, max))

    # -- rendering -----------------------------------------------------------------------------

    def render_bounded(self, template: jinja2.Template, variables: Mapping[str, Any],
                       max_output: int, stop: threading.Event | None) -> str:
        """Render, stopping at ``max_output`` characters, the limits, or ``stop``."""
        size = max(self.limits.min_size, self.limits.size_per_output * max_output)
        self._budget = _Budget(self.limits, size, stop)
        out: list[str] = []
        n = 0
        try:
            gen = cast(Generator[str, None, None], template.generate(variables))
            try:
                for piece in gen:
                    n += len(piece)
                    if n > max_output:
                        raise OutputTooLong(max_output)
                    out.append(piece)
            finally:
                gen.close()
        except _Stopped:
            raise RenderStopped from None
        except LimitExceeded as exc:
            raise TemplateLimitError(exc.what) from None
        except SecurityError as exc:
            raise TemplateLimitError(f"do something the sandbox forbids ({_plain(exc)})") from None
        except RecursionError:
            raise TemplateLimitError("recurse too deeply") from None
        except MemoryError:
            raise TemplateLimitError("use more memory than it may") from None
        finally:
            self._budget = None
        return "".join(out)


def _plain(exc: BaseException) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return text[:200] or type(exc).__name__


def _raise_exception(message: str) -> None:
    raise ValueError(message)


def _strftime_now(fmt: str) -> str:
    refuse_if(len(str(fmt)) > 256, "format a date with a format of more than 256 characters")
    return datetime.now().strftime(fmt)


class ChatTemplate:
    """A GGUF chat template compiled once, rendered under :class:`TemplateLimits`.

    Not thread-safe: one render at a time (the engine renders on its one thread).
    """

    def __init__(self, source: str, *, bos_token: str, eos_token: str,
                 add_generation_prompt: bool = True, limits: TemplateLimits | None = None) -> None:
        if len(source) > MAX_TEMPLATE_CHARS:
            raise TemplateLimitError(
                f"be {len(source):,} characters long, more than the {MAX_TEMPLATE_CHARS:,} a "
                "chat template may have")
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.add_generation_prompt = add_generation_prompt
        self._env = BoundedEnvironment(limits)
        try:
            self._template = self._env.from_string(source)
        except RecursionError:
            raise TemplateLimitError("nest its code too deeply") from None

    def render(self, messages: Sequence[Mapping[str, Any]], *, max_output: int,
               stop: threading.Event | None = None, **extra: Any) -> str:
        """The prompt for ``messages`` with the variables Jinja2ChatFormatter passes (plus
        ``extra``, e.g. ``enable_thinking``).

        Raises :class:`TemplateLimitError` (a limit or the sandbox), :class:`TemplateRejected`
        (the template raised an error), :class:`OutputTooLong` or :class:`RenderStopped`.
        """
        variables: dict[str, Any] = {
            "messages": messages,
            "eos_token": self.eos_token,
            "bos_token": self.bos_token,
            "raise_exception": _raise_exception,
            "add_generation_prompt": self.add_generation_prompt,
            "functions": None,
            "function_call": None,
            "tools": None,
            "tool_choice": None,
            "strftime_now": _strftime_now,
        }
        variables.update(extra)
        try:
            return self._env.render_bounded(self._template, variables, max_output, stop)
        except (TemplateLimitError, OutputTooLong, RenderStopped):
            raise
        except Exception as exc:  # raise_exception() or a broken template
            raise TemplateRejected(
                f"The model's chat template rejected this conversation: {_plain(exc)}.") from exc
