"""content/district.yaml: the district's own settings, optional.

What no department's file says but documents addressed to or from the bureau need: the bureau's
name (the summary's 落款, an audit letter's 发文机关), the region, and the summary's date. The file
is read through the same safe path as content files (size limit, no aliases or tags, located
Chinese errors). It sits beside the department folders and is no department: ``paths`` lists only
``content/<dept>/<year>.yaml``.

    bureau: 重庆市璧山区财政局     # 发文机关（汇总的落款）
    region: 重庆市璧山区
    date: 2023-03-31              # 可选：汇总的成文日期
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pydantic import Field, ValidationError

from ..problems import Problem
from .load import load
from .model import Strict, Text
from .validate import _describe, dotted, locate

FILE = "district.yaml"


class District(Strict):
    bureau: Text = Field(title="发文机关", description="区（县）财政局全称，如 重庆市璧山区财政局；印在全区汇总的落款。")
    region: Text = Field(title="地区", description="如 重庆市璧山区。")
    date: dt.date | None = Field(default=None, title="成文日期", description="全区汇总落款的日期，格式 2023-03-31；不填则用各部门报告中最晚的日期。")


def path(content: Path) -> Path:
    return Path(content) / FILE


def read(content: Path) -> tuple[District | None, list[Problem]]:
    """``(None, [])`` when content/district.yaml is absent; otherwise the settings, or problems
    located as ``file:line:col``."""
    file = path(content)
    if not os.path.lexists(file):  # a link to nothing is a file that cannot be read, said so
        return None, []
    tree, problems = load(file)
    if problems:
        return None, problems
    name = str(file)
    try:
        return District.model_validate(tree), []
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                known = "、".join(District.model_fields)
                found.append(Problem(name, *locate(tree, loc, key=True), f"未知的键“{loc[-1]}”；此处可用的键：{known}"))
            elif error["type"] == "missing":
                title = District.model_fields[loc[-1]].title
                found.append(Problem(name, 1, 1, f"缺少必填项“{loc[-1]}”（{title}）"))
            else:
                field = District.model_fields.get(loc[-1]) if loc else None
                label = dotted(loc) + (f"（{field.title}）" if field else "") if loc else "文件内容"
                said = "未填写" if loc and error.get("input") is None else _describe(error)
                found.append(Problem(name, *locate(tree, loc, key=said == "未填写"), f"{label}：{said}"))
        return None, found
