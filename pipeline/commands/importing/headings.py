"""The report's parts by their headings' words: one table of the synonyms units use.

A heading's title (spaces removed) containing one of a part's words is that part; the table is
read top to bottom, the first match wins. ``CONTAINERS`` are headings that may hold other headings
(一、基本情况 → （一）部门基本情况 …); what stands directly under one is placed by its sentence shape
(parse.py), so 二、部门预算及支出情况 followed by the budget sentence works as well as the
reference's 1、财政资金整体支出.
"""

from __future__ import annotations

import re

CONTAINERS = (
    "基本情况", "部门概况", "单位概况", "概况",
    "预算及支出", "预算及执行", "预算收支", "预算和支出",
    "主要成效", "取得的成效", "工作成效",
    "评价工作开展", "工作开展情况", "评价工作情况", "自评工作情况", "自评开展情况", "组织实施情况", "评价工作组织",
    "组织开展情况", "自评工作组织",
)
# A container word inside one of these titles does not make it a container.
NOT_CONTAINERS = ("内设机构", "职级", "三公", "职能")
SECTIONS = (
    ("rank", ("职级",)),
    ("units", ("内设机构", "机构设置", "编制", "人员情况", "人员构成", "人员基本情况")),
    ("functions", ("职能", "职责")),
    ("santong", ("三公",)),
    ("budget", ("财政资金", "整体支出", "预算执行", "资金支出", "收支", "资金使用", "预算情况", "资金情况", "支出情况", "预算安排")),
    ("preparation", ("前期准备",)),
    ("phases", ("组织实施",)),
    ("analysis", ("分析评价",)),
    ("experience", ("经验", "做法", "成效")),
    ("conclusion", ("结论", "评价情况", "实现情况", "得分情况", "指标完成", "目标完成", "目标实现", "指标情况", "产出及效果", "绩效情况")),
    ("problems", ("问题", "不足")),
    ("suggestions", ("建议", "改进措施", "下一步", "整改措施", "工作打算", "工作计划", "努力方向", "改进方向")),
)


def section_of(title: str) -> str | None:
    """"container", a part's name from ``SECTIONS``, or None for a title the import does not know."""
    core = re.sub(r"\s+", "", title)
    if any(word in core for word in CONTAINERS) and not any(w in core for w in NOT_CONTAINERS):
        return "container"
    for name, words in SECTIONS:
        if any(word in core for word in words):
            return name
    return None
