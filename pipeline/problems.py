"""Problems are values: every stage returns them with a location; only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    error = "错误"
    warning = "警告"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int  # 1-based; 0 where a file has no lines (a .docx template): printed as "path: message"
    col: int  # 1-based
    message: str
    severity: Severity = Severity.error

    def __str__(self) -> str:
        tag = "" if self.severity is Severity.error else "警告："
        if self.line <= 0:
            return f"{self.path}: {tag}{self.message}"
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"


def errors(problems) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.error]


def warnings(problems) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.warning]


def first(problems) -> Problem:
    """The problem nearest the top of its file: where a reader starts."""
    return min(problems, key=lambda p: (p.path, p.line, p.col))


@dataclass(frozen=True)
class Finding:
    """A problem found on the model, before it is placed in the file: ``loc`` is a path into
    the content (keys and list indexes); ``at_key`` points at the key rather than its value."""

    loc: tuple
    message: str
    severity: Severity = Severity.error
    at_key: bool = False
