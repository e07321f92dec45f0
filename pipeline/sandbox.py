"""The Jinja environment a template runs in: data, not code.

Districts pass templates between offices, so a template is hostile input. Jinja's immutable
sandbox refuses attributes such as ``__globals__`` and ``__init__``; on top of it every render has
a budget of work, so no template can hang or eat memory:

- loops (every ``{% for %}``, whatever it walks) and calls (macros, functions) share one count
  per render, ``MAX_STEPS``; ``range`` is one of the loops;
- every value a template makes (``~``, ``+``, ``*``, filters, calls) is at most ``MAX_VALUE``
  characters or items, checked before the large operations (``'x' * n``, ``n ** m``,
  ``|center(n)``) and after every other;
- the rendered output of one part is at most ``MAX_OUTPUT`` characters;
- a render stops after ``MAX_SECONDS`` whatever it does.

Exceeding any of them raises ``Refused`` (a ``SecurityError``) with a Chinese message; the
render stage turns it into a located problem.
"""

from __future__ import annotations

import functools
import re
import time
import typing as t

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STEPS = 2_000_000  # loop iterations plus calls in one render; the default template takes ~10 per indicator
MAX_VALUE = 4_000_000  # characters (or items) of one value a template makes
MAX_OUTPUT = 64_000_000  # characters of one rendered part (document.xml, a header, a footer)
MAX_SECONDS = 30.0
MAX_INT_BITS = 512  # integers a template computes (2**512 is a 155-digit number)

# Filters whose cost is linear in their input and whose size is bounded by it (or checked by
# the wrapper below). Left out: format (a width of 10**9), center/indent/wordwrap/batch/slice
# are kept but have their numeric arguments checked, lipsum is not a filter but a global (gone).
FILTERS = {
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
    "escape", "filesizeformat", "first", "float", "forceescape", "groupby", "indent", "int", "items",
    "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
    "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string",
    "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
    "urlize", "wordcount", "wordwrap", "xmlattr",
}
GLOBALS = {"range", "dict", "cycler", "joiner"}  # lipsum (n=10**9) and namespace (an accumulator) are gone
# String methods whose argument is a size: their numeric arguments are checked like filters'.
_FORMAT_LIKE = ("format", "format_map")


class Refused(SecurityError):
    """The template asked for more than a render may do; ``message`` is Chinese, for the user."""


class _Budget:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise Refused(f"模板的循环或调用超过 {MAX_STEPS:,} 次，已停止（模板中是否有很大的 range 或多重循环？）")
        if self.steps & 0x3FF == 0 and time.monotonic() > self.deadline:
            raise Refused(f"模板运行超过 {MAX_SECONDS:g} 秒，已停止")


def _size(value) -> int:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 if value.bit_length() <= MAX_INT_BITS else MAX_VALUE + 1
    return 0


def _too_big(what: str, limit: str = f"{MAX_VALUE:,} 个字符或项") -> Refused:
    return Refused(f"模板中的{what}过大（上限 {limit}），已停止")


_INT_LIMIT = f"{MAX_INT_BITS} 位二进制"


def _sized(value):
    if _size(value) > MAX_VALUE:
        raise _too_big("文字或列表")
    return value


def _check_args(args, kwargs) -> None:
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_VALUE:
            raise _too_big(f"数值参数（{_short_int(arg)}）")
        _sized(arg)


def _short_int(n: int) -> str:
    return str(n) if n.bit_length() < 64 else f"{n.bit_length()} 位二进制的整数"


class _Generator(CodeGenerator):
    """Jinja's code generator, with every ``~`` concatenation's result checked for size."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """Autoescape on (docxtpl re-parses the output: an unescaped & or < would drop text),
    StrictUndefined (a misspelt variable fails instead of printing nothing), the budget above."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"+", "*", "**", "%", "//"})

    def __init__(self, **options) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, **options)
        self.budget = _Budget()
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items() if name in FILTERS}
        self.filters["bounded_loop"] = self._loop
        self.globals = {name: value for name, value in self.globals.items() if name in GLOBALS}
        self.globals["range"] = self._range
        self.template_class = _BoundedTemplate

    # -- every loop and call counts
    def _range(self, *args):
        _check_args(args, {})
        return range(*args)  # walked by a loop, which counts its steps

    def _loop(self, iterable):
        step = self.budget.step
        for item in iterable:
            step()
            yield item

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "bounded_loop", [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        if isinstance(__obj, jinja2.Undefined):
            return super().call(__context, __obj, *args, **kwargs)  # named as undefined
        __self.budget.step()
        _check_args(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            _precheck(getattr(__obj, "__name__", ""), owner, args, kwargs)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr in _FORMAT_LIKE:
            return False  # '{:>999999999}'.format(1): a width the arguments do not show
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and _size(seq) * max(n, 0) > MAX_VALUE:
                    raise _too_big("文字或列表")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_big("整数", _INT_LIMIT)
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                raise _too_big(f"乘方（{_short_int(left)} ** {_short_int(right)}）", _INT_LIMIT)
        elif operator == "%" and isinstance(left, str):
            if re.search(r"%[-#0 +]*(\*|\d{7,}|\d*\.(\*|\d{7,}))", left):
                raise _too_big("格式宽度")
        return _sized(super().call_binop(context, operator, left, right))

    sized = staticmethod(_sized)


SMALL_ARG = 10_000  # widths, counts and tab sizes, where the result grows with the argument times the input
_GROWS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "expandtabs", "ljust", "rjust", "zfill"}


def _precheck(name: str, target, args, kwargs) -> None:
    """Refuse, before doing it, an operation whose result would be far larger than its inputs."""
    if name in _GROWS:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > SMALL_ARG:
                raise _too_big(f"宽度或数量参数（{_short_int(arg)}）", f"{SMALL_ARG:,}")
    elif name == "replace" and isinstance(target, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        if len(new) > len(old) and (len(target) // max(len(old), 1) + 1) * len(new) + len(target) > MAX_VALUE:
            raise _too_big("替换结果")
    elif name == "join":
        if isinstance(target, str) and args and not isinstance(args[0], str):
            sep, seq = target, args[0]  # the method: sep.join(seq)
        else:
            seq, sep = target, (args[0] if args else kwargs.get("d", ""))  # the filter: seq|join(sep)
        if isinstance(sep, str) and hasattr(seq, "__len__") and len(sep) * len(seq) > MAX_VALUE:
            raise _too_big("拼接结果")


def _bounded_filter(f):
    name = f.__name__.removeprefix("do_")

    @functools.wraps(f)
    def bounded(*args, **kwargs):
        values = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.Environment, nodes.EvalContext))]
        if values:
            _precheck(name, values[0], values[1:], kwargs)
        _check_args(args, kwargs)
        return _sized(f(*args, **kwargs))

    return bounded


class _BoundedTemplate(jinja2.Template):
    """A template whose output is counted as it is made: at most ``MAX_OUTPUT`` characters."""

    def render(self, *args: t.Any, **kwargs: t.Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        out, total = [], 0
        try:
            for chunk in self.root_render_func(ctx):
                total += len(chunk)
                if total > MAX_OUTPUT:
                    raise Refused(f"模板生成的内容超过 {MAX_OUTPUT:,} 个字符，已停止")
                out.append(chunk)
        except Exception:
            self.environment.handle_exception()
        return self.environment.concat(out)
