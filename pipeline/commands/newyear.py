"""Next year's content started from last year's.

Stable parts — the department, 内设机构, 编制, 职能职责, the documents, the indicator list with its
names, weights, units and hierarchy — are carried over with their comments. What belongs to one
year is left blank (``key:`` with no value): the figures and prose, each indicator's targets and
actual, the form's goals and 目标完成情况, the evaluation dates; ``check`` names each one, with its
line, until it is filled. A carried document whose title names last year's work (关于开展2022年度…)
is flagged by ``check``. Nothing is guessed.
"""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML

from .. import paths
from ..content.load import load
from ..errors import EXIT_CONTENT, EXIT_OK, UsageError, shown
from ..output.savefile import write_new
from ..problems import Problem
from . import Command
from . import options

BLANK = None

# What is blanked: per section, the keys whose values belong to one year.
BUDGET_FIGURES = ("initial", "carryover_start", "adjusted", "executed", "carryover_end")
BUDGET_DROPPED = ("adjusted_note", "deviation")
INDICATOR_BLANKED = ("target_initial", "actual", "analysis")  # the year's own targets and results
INDICATOR_DROPPED = ("target_adjusted", "override", "deviation")


def _blank(mapping, *keys) -> None:
    for key in keys:
        if key in mapping:
            mapping[key] = BLANK
            _drop_line_comment(mapping, key)


def _drop_line_comment(mapping, key) -> None:
    """A comment on the same line explains last year's value; keep comment lines that follow it."""
    comment = getattr(mapping, "ca", None) and mapping.ca.items.get(key)
    token = comment[2] if comment and len(comment) > 2 else None
    if token is not None and token.value.lstrip(" ").startswith("#"):
        first, _, rest = token.value.partition("\n")
        token.value = "\n" + rest


def _drop(mapping, *keys) -> None:
    for key in keys:
        mapping.pop(key, None)


def next_year(tree, year: int) -> None:
    """Turn last year's tree into next year's skeleton, in place."""
    tree["year"] = year
    budget = tree.get("budget", {})
    _blank(budget, *BUDGET_FIGURES)
    _drop(budget, *BUDGET_DROPPED)
    for part in budget.get("parts") or []:  # the parts' figures are the year's too (their names and weights stay)
        if isinstance(part, dict):
            _blank(part, "initial", "adjusted", "executed")

    santong = tree.get("santong")
    if santong:
        for item in santong.get("items", []):
            _blank(item, "amount")
        _blank(santong, "budget")
        _drop(santong, "change_reason")
        if santong.get("vehicles"):
            _blank(santong["vehicles"], "purchased", "disposed", "held")
        if santong.get("overseas"):
            _blank(santong["overseas"], "groups", "people")

    evaluation = tree.get("evaluation", {})
    if evaluation.get("preparation"):
        _blank(evaluation["preparation"], "text")
    for phase in evaluation.get("phases", []):
        _blank(phase, "text", "start", "end")
    if evaluation.get("analysis"):
        _blank(evaluation["analysis"], "start", "end", "text")

    for key in ("experience", "problems", "suggestions"):
        if key in tree:
            tree[key] = BLANK

    for indicator in tree.get("indicators", []):
        _blank(indicator, *INDICATOR_BLANKED)
        _drop(indicator, *INDICATOR_DROPPED)
        for part in ("judgement", "qualitative"):
            if indicator.get(part):
                _blank(indicator[part], *list(indicator[part]))

    form = tree.get("form")
    if form:
        goals = form.get("goals")
        if goals:
            _blank(goals, "initial", "achieved")
            _drop(goals, "adjusted")

    if tree.get("signature"):  # last year's 成文日期; unset, it follows this year's analysis end
        _drop(tree["signature"], "date")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # keep long Chinese lines whole
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        Decimal, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))
    )
    return yaml


def _source_errors(tree, name: str) -> list[Problem]:
    """Last year's file must be a valid report: the skeleton is cut from its shape, and a broken
    shape (a list where a section belongs, a number for the indicators) would be copied or crash."""
    from ..problems import Severity
    from ..content.validate import validate

    _, problems = validate(tree, name)
    return [p for p in problems if p.severity is Severity.error]


def start_year(source: Path, target: Path, year: int, shown: str | None = None) -> list[Problem]:
    """Write ``target`` for ``year`` from ``source``; refuses to overwrite and to copy a broken file.
    ``shown`` names the target in messages (as the user sees the path)."""
    if target.exists():
        return [Problem(shown or str(target), 1, 1, "文件已存在，不覆盖；如需重新生成请先删除或改名")]
    tree, problems = load(source, comments=True)  # the new file keeps last year's comments
    if tree is None:
        return problems
    broken = _source_errors(tree, str(source))
    if broken:
        return broken
    next_year(tree, year)
    out = io.StringIO()
    _yaml().dump(tree, out)
    # content/<dept>/<year>.yaml: nothing outside content/, never over an existing file (even in a race)
    if not write_new(out.getvalue().encode("utf-8"), target, inside=target.parent.parent):
        return [Problem(shown or str(target), 1, 1, "文件已存在，不覆盖；如需重新生成请先删除或改名")]
    return []


# ---------------------------------------------------------------- the command line


def arguments(p) -> None:
    p.add_argument("--from", dest="source_year", type=options.year, required=True, metavar="年度", help="上一年度，如 2022")
    p.add_argument("--to", dest="target_year", type=options.year, required=True, metavar="年度", help="新年度，如 2023")
    p.add_argument("--dept", type=options.dept, metavar="部门", help="只处理一个部门，默认全部")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def run(args) -> int:
    if args.source_year is None or args.target_year is None:
        raise UsageError("请指定上一年度和新年度，如 --from 2022 --to 2023")
    if args.source_year == args.target_year:
        raise UsageError(f"上一年度和新年度都是 {args.source_year}：新年度应为另一年，如 --from {args.source_year} --to {args.source_year + 1}")
    folder = options.content(args)
    sources = paths.content_files(folder, args.source_year, args.dept)
    if not sources:
        raise UsageError(f"没有找到 {args.source_year} 年度的内容文件（{shown(folder)}/{args.dept or '<部门>'}/{args.source_year}.yaml）。")
    failed = False
    for source in sources:
        target = source.with_name(f"{args.target_year}.yaml")
        problems = start_year(source, target, args.target_year, shown(target))
        options.print_problems(problems, sys.stderr)
        if problems:
            failed = True
        else:
            print(f"已生成 {shown(target)}：请填写其中留空的项，make check YEAR={args.target_year} 会逐项列出。")
    return EXIT_CONTENT if failed else EXIT_OK


COMMAND = Command(
    "new-year", "由上一年度内容生成新年度的内容文件",
    "复制稳定部分（部门、内设机构、编制、职能、指标及权重和指标值），清空当年数字和文字；不覆盖已有文件。",
    arguments, run, order=90,
)
