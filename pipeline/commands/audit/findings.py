"""The audit's data types, imported by the rules, the runner and every writer (sheet, letter,
summary column, preview), so that none of them imports another.

A rule returns ``Hit`` values: what it found, where in the content (a path of keys and list
indexes, as validation's ``Finding`` has) and the figures involved. The runner places each hit in
its file (``Finding``: file and line) and names the department; the writers only read findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """What the bureau asks of the department: an explanation, a change, or nothing (a note)."""

    explain = "需说明"
    advise = "建议"
    note = "提示"


SEVERITY_ORDER = (Severity.explain, Severity.advise, Severity.note)


def counts_text(counts: tuple[int, ...]) -> str:
    """Counts in SEVERITY_ORDER as printed: 需说明 1，建议 10，提示 9 — or 无."""
    return "，".join(f"{s.value} {n}" for s, n in zip(SEVERITY_ORDER, counts) if n) or "无"


@dataclass(frozen=True)
class Rule:
    """One review rule: its id (A1 …), item of the issue (1–5), severity, one-line description,
    and the sentence that opens its paragraph in the letter."""

    id: str
    group: str  # 得分与事实 / 人工评分 / 指标值 / 文字 / 资金
    title: str  # short, for the sheet's 规则 column
    severity: Severity
    description: str  # one line, README's list of rules


@dataclass(frozen=True)
class Hit:
    """What one rule found in one department's content, before it is placed in the file."""

    rule: Rule
    message: str  # one sentence, in the bureau's words, without a final 。
    loc: tuple = ()  # path into the content: keys and list indexes
    figures: tuple[tuple[str, str], ...] = ()  # (label, value as printed), e.g. ("执行率", "42.42%")
    at_key: bool = False


@dataclass(frozen=True)
class Finding:
    """A hit placed: which department, which file and line."""

    dept: str  # the content folder
    department: str  # the department's full name
    rule: Rule
    message: str
    figures: tuple[tuple[str, str], ...]
    file: str  # the content file as the user sees it
    line: int  # 1-based; 0 when the file gives no line
    section: str | None = None  # the content's top-level key at that line (preview places it there)

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def figures_text(self) -> str:
        return "；".join(f"{label} {value}" for label, value in self.figures)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line > 0 else self.file


@dataclass
class Audited:
    """One department after the audit: its findings, or the errors that stop its audit."""

    dept: str
    department: str
    file: str
    year: int | None = None
    date: dt.date | None = None  # the report's date (build.report_date), when it was read
    findings: list[Finding] = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems.Problem of the current year's file
    previous: str | None = None  # the previous year's file, when it was compared
    previous_note: str | None = None  # why the previous year's file was not compared (it has errors)

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(self.count(s) for s in SEVERITY_ORDER)

    @property
    def counts_text(self) -> str:
        return counts_text(self.counts)
