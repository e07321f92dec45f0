"""The Jinja environment a template runs in: data, not code.

Districts pass templates between offices, so a template is hostile input. Jinja's immutable
sandbox refuses attributes such as ``__globals__`` and ``__init__``; on top of it every render has
a budget, so no template can hang or eat memory:

- steps: loops (every ``{% for %}``, whatever it walks; ``range`` is one) and calls (macros,
  functions) share one count per render, ``MAX_STEPS``;
- values: every value a template makes (``~``, ``+``, ``*``, ``%``, filters, calls, slices, the
  text a macro or ``{% set %}`` block collects) is at most ``MAX_VALUE`` characters or items,
  checked before the operations whose result outgrows their inputs (``'x' * n``, ``n ** m``,
  ``sep.join(items)``, ``s.replace('', t)``) and after every other;
- memory: all values made in one render add up to at most ``MAX_MADE`` (a value kept in a
  variable stays in memory, so one limit per value is not enough);
- output: the rendered text of one part is at most ``MAX_OUTPUT`` characters;
- time: a render stops after ``MAX_SECONDS`` whatever it does. The clock is read at every step,
  call, filter and operation, and no single one of them may be large: a filter over a ``range``
  pays one step per number before it runs, and every iterator a filter or call hands back pays
  one step per item it yields (``range(3999999)|map(…)|map(…)|…`` is one expression but millions
  of steps). What is left of a step is bounded by the value limits above (a sort of at most
  ``MAX_VALUE // ITEM`` items), and ``render`` adds a hard deadline around the whole render.

Filters and string methods are the ones a document needs (no ``format``, ``center``, ``indent``,
``wordwrap``, ``expandtabs``…); the globals are ``range``, ``dict``, ``cycler`` and ``joiner``.
Exceeding a limit raises ``Refused`` (a ``SecurityError``) with a Chinese message; the render
stage turns it into a located problem.
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
ITEM = 16  # what an item of a list or dict counts for, in characters (it takes 30 to 80 bytes, a character 1 to 4)
MAX_VALUE = 4_000_000  # characters of one value a template makes (a list: its items' characters + ITEM each)
MAX_MADE = 64_000_000  # the same, for all values made in one render
MAX_OUTPUT = 64_000_000  # characters of one rendered part; 9,000 indicators make a 27 MB body
MAX_SECONDS = 30.0
MAX_INT_BITS = 512  # integers a template computes (2**512 is a 155-digit number)
MAX_NESTING = 60  # nodes within nodes; compiling 60 levels takes 0.2 s, 150 levels 5 s, 300 levels 25 s
SMALL_ARG = 10_000  # counts where the result grows with the argument (batch, slice, ljust…)

FILTERS = {
    "abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape",
    "filesizeformat", "first", "float", "forceescape", "groupby", "int", "items", "join", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse",
    "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title",
    "trim", "truncate", "unique", "upper", "urlencode", "wordcount",
}
GLOBALS = {"range", "dict", "cycler", "joiner"}  # lipsum (n=10**9) and namespace (an accumulator) are gone
STR_METHODS = {
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdecimal",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust", "lower",
    "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase",
    "title", "upper", "zfill",
}
# Filters that walk a range at C speed (or not at all) and whose result is sized anyway; every
# other filter over a range pays a step per number before it runs.
_WALK_IN_C = {"list", "length", "count", "first", "last", "reverse", "string", "sum", "join"}
_GROWS = {"batch", "slice", "ljust", "rjust", "zfill", "truncate"}  # their numeric arguments are at most SMALL_ARG


def _depth(tree: nodes.Node) -> int:
    """How deeply the template's nodes nest (the default template: 9)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return deepest


class Refused(SecurityError):
    """The template asked for more than a render may do; ``message`` is Chinese, for the user."""


def _too_big(what: str, limit: str = f"{MAX_VALUE:,} 个字符，列表每项按 {ITEM} 个计") -> Refused:
    return Refused(f"模板中的{what}过大（上限 {limit}），已停止")


_INT_LIMIT = f"{MAX_INT_BITS} 位二进制"


def _short_int(n: int) -> str:
    return str(n) if n.bit_length() < 64 else f"{n.bit_length()} 位二进制的整数"


def deep_size(value, limit: int = MAX_VALUE) -> int:
    """Characters and items in ``value``, its items and theirs (a list of one long text repeated
    is as large as the text times the list); counting stops once beyond ``limit``."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, (str, bytes)):
            total += len(v)
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += ITEM * len(v)
            stack.extend(v)
        elif isinstance(v, dict):
            total += 2 * ITEM * len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > MAX_INT_BITS:
            total += limit + 1
    return total


class _Budget:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.steps = 0
        self.made = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise Refused(f"模板的循环或调用超过 {MAX_STEPS:,} 次，已停止（模板中是否有很大的 range 或多重循环？）")
        self.clock()  # every step: one step may be a filter over millions of items

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise Refused(f"模板运行超过 {MAX_SECONDS:g} 秒，已停止")

    def make(self, size: int) -> None:
        if size > MAX_VALUE:
            raise _too_big("文字或列表")
        self.made += size
        if self.made > MAX_MADE:
            raise Refused(f"模板生成的文字和列表合计超过 {MAX_MADE:,} 个字符（列表每项按 {ITEM} 个计），已停止")


class _Counted:
    """An iterator that counts one step per item it yields."""

    __slots__ = ("items", "step")

    def __init__(self, items, step) -> None:
        self.items, self.step = items, step

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self.items)
        self.step()
        return item


class _Buffer(list):
    """The text a macro, a ``{% set %}`` block or a ``{% filter %}`` block collects, counted as
    it is appended (the append itself keeps a copy)."""

    def __init__(self, budget: _Budget):
        super().__init__()
        self.budget, self.size = budget, 0

    def append(self, item) -> None:
        n = len(item) if isinstance(item, str) else 0
        self.size += n
        if self.size > MAX_VALUE:
            raise _too_big("宏或 set 块收集的文字")
        self.budget.make(n)
        super().append(item)

    def extend(self, items) -> None:
        for item in items:
            self.append(item)


class _Generator(CodeGenerator):
    """Jinja's code generator, with every ``~`` concatenation (its operands and its result) and
    every collecting buffer checked."""

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")

    def visit_Getitem(self, node: nodes.Getitem, frame) -> None:
        if isinstance(node.arg, nodes.Slice):  # compiled as a plain s[a:b:c], a copy
            self.write("environment.sized(")
            super().visit_Getitem(node, frame)
            self.write(")")
        else:
            super().visit_Getitem(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.sized({join}((")
        for arg in node.nodes:
            self.write("environment.operand(")
            self.visit(arg, frame)
            self.write("), ")
        self.write(")))")


class Sandbox(ImmutableSandboxedEnvironment):
    """Autoescape on (docxtpl re-parses the output: an unescaped & or < would drop text),
    StrictUndefined (a misspelt variable fails instead of printing nothing), the budget above.
    ``budget.reset()`` before each render."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"+", "*", "**", "%", "//"})

    def __init__(self, finalize=None, **options) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, finalize=self._finalizer(finalize), **options)
        self.budget = _Budget()
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items() if name in FILTERS}
        self.filters["bounded_loop"] = self._loop
        self.globals = {name: value for name, value in self.globals.items() if name in GLOBALS}
        self.globals["range"] = self._range
        self.template_class = _BoundedTemplate

    # -- sizes
    def sized(self, value):
        """``value``, counted against the render's budget; refused when too large."""
        self.budget.clock()
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset, int)) and not isinstance(value, bool):
            self.budget.make(deep_size(value))
        return value

    def operand(self, value):
        if isinstance(value, (list, tuple, dict, set, frozenset)) and deep_size(value) > MAX_VALUE:
            raise _too_big("文字或列表")  # about to be turned into text
        return value

    def concat(self, parts) -> str:  # the generated code's "concat = environment.concat"
        parts = list(parts)
        if sum(len(p) for p in parts if isinstance(p, str)) > MAX_VALUE:
            raise _too_big("宏或 set 块收集的文字")
        return "".join(parts)

    def new_buffer(self) -> _Buffer:
        return _Buffer(self.budget)

    def _finalizer(self, finalize):
        def bounded(value):
            self.operand(value)  # {{ a_list }} prints the list as text
            value = finalize(value) if finalize is not None else value
            if isinstance(value, str):
                self.budget.make(len(value))  # each printed value is a copy, kept until its part is joined
            return value

        return bounded

    # -- every loop and call counts
    def _range(self, *args):
        self._check_args("range", None, args, {})
        return range(*args)  # walked by a loop, which counts its steps

    def _loop(self, iterable):
        return iterable if isinstance(iterable, _Counted) else _Counted(iter(iterable), self.budget.step)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        if _depth(tree) > MAX_NESTING:  # Jinja's compiler takes time growing much faster than the depth
            raise Refused(f"模板中的表达式嵌套过深（超过 {MAX_NESTING} 层，如几十个过滤器连用），无法处理，请简化")
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "bounded_loop", [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        if isinstance(__obj, jinja2.Undefined):
            return super().call(__context, __obj, *args, **kwargs)  # named as undefined
        __self.budget.step()
        owner = getattr(__obj, "__self__", None)
        __self._check_args(getattr(__obj, "__name__", ""), owner if isinstance(owner, str) else None, args, kwargs)
        return __self._counted(__self.sized(super().call(__context, __obj, *args, **kwargs)))

    def _counted(self, value):
        """An iterator a filter or call returns yields through ``_loop``: one step per item."""
        if isinstance(value, t.Iterator) and not isinstance(value, _Counted):
            return _Counted(value, self.budget.step)
        return value

    def getitem(self, obj, argument):
        value = super().getitem(obj, argument)
        return self.sized(value) if isinstance(argument, slice) else value  # a slice is a copy

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr not in STR_METHODS:
            return False  # format (a width the arguments do not show), center, expandtabs…
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and not isinstance(seq, int) and deep_size(seq) * max(n, 0) > MAX_VALUE:
                    raise _too_big("文字或列表")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_big("整数", _INT_LIMIT)
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                raise _too_big(f"乘方（{_short_int(left)} ** {_short_int(right)}）", _INT_LIMIT)
        elif operator == "%" and isinstance(left, str):
            if re.search(r"%[-#0 +]*(\*|\d{5,}|\d*\.(\*|\d{5,}))", left):
                raise _too_big("格式宽度")
            self.operand(right)
        return self.sized(super().call_binop(context, operator, left, right))

    # -- arguments
    def _check_args(self, name: str, target, args, kwargs) -> None:
        """Refuse, before doing it, an operation whose result would be far larger than its inputs."""
        values = (*args, *kwargs.values())
        for arg in values:
            if isinstance(arg, int) and not isinstance(arg, bool):
                limit = SMALL_ARG if name in _GROWS else MAX_VALUE
                if abs(arg) > limit:
                    raise _too_big(f"数值参数（{_short_int(arg)}）", f"{limit:,}")
            elif deep_size(arg) > MAX_VALUE:
                raise _too_big("参数")
        if name == "replace" and isinstance(target, str) and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            if len(new) > len(old) and (len(target) // max(len(old), 1) + 1) * len(new) + len(target) > MAX_VALUE:
                raise _too_big("替换结果")
        elif name == "join":
            if isinstance(target, str) and args and not isinstance(args[0], str):
                sep, seq = target, args[0]  # the method: sep.join(seq)
            else:
                seq, sep = target, (args[0] if args else kwargs.get("d", ""))  # the filter: seq|join(sep)
            if isinstance(sep, str) and hasattr(seq, "__len__") and len(sep) * len(seq) + deep_size(seq) > MAX_VALUE:
                raise _too_big("拼接结果")

    def _bounded_filter(self, name: str, f):
        internal = (jinja2.runtime.Context, jinja2.Environment, nodes.EvalContext)

        @functools.wraps(f)
        def bounded(*args, **kwargs):
            values = [a for a in args if not isinstance(a, internal)]
            if values:
                self._check_args(name, values[0], values[1:], kwargs)
                if deep_size(values[0]) > MAX_VALUE:
                    raise _too_big("文字或列表")
                if isinstance(values[0], range) and name not in _WALK_IN_C:
                    self.budget.step(len(values[0]))  # the filter walks every number in Python
            return self._counted(self.sized(f(*args, **kwargs)))

        return bounded


class _BoundedTemplate(jinja2.Template):
    """A template whose output is counted as it is made: at most ``MAX_OUTPUT`` characters."""

    def render(self, *args: t.Any, **kwargs: t.Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        out, total = [], 0
        budget = self.environment.budget
        try:
            for chunk in self.root_render_func(ctx):
                total += len(chunk)
                if total > MAX_OUTPUT:
                    raise Refused(f"模板生成的内容超过 {MAX_OUTPUT:,} 个字符，已停止")
                out.append(chunk)
            budget.clock()
        except Exception:
            self.environment.handle_exception()
        return "".join(out)
