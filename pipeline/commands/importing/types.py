"""The import's data, imported by every other module of the package: what the readers give (Block),
what the parser builds (Draft, with its comments), what it placed or left (Para), the derived
figures the source printed (Check), and the whole result (Imported).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .keys import KEY

# Characters YAML or the loader refuses (C0/C1 controls, line separators, non-characters).
ILLEGAL = dict.fromkeys(list(range(0, 9)) + [0x0B, 0x0C] + list(range(0x0E, 0x20)) + list(range(0x7F, 0xA0)) + [0x2028, 0x2029, 0xFFFE, 0xFFFF])


@dataclass
class Block:
    kind: str  # "p" or "table"
    number: int  # paragraphs: 1-based among non-empty paragraphs; tables: 1-based among tables
    text: str = ""
    style: str = ""
    bold: bool = False
    rows: list[list[str]] = field(default_factory=list)  # a merged cell once per row, as the table shows it
    grid: list[list[str]] = field(default_factory=list)  # every grid column, a merged cell's text in each it covers
    source: str = ""  # tables: where they came from when not the body (a spreadsheet's sheet name)

    @property
    def heading_level(self) -> int | None:
        """1–4 for a paragraph in a heading style (Heading N, 标题 N), else None."""
        name = self.style.replace(" ", "").lower()
        for prefix in ("heading", "标题"):
            if name.startswith(prefix) and name[len(prefix):].isdigit():
                return int(name[len(prefix):])
        return None


@dataclass
class Para:
    number: int
    text: str
    path: tuple
    figures: bool = False  # read for its figures, not stored as written (budget, 三公, 编制 sentences)


@dataclass
class Check:
    """A derived figure the source prints: compared with ``compute(report, scores)`` later."""

    place: str
    what: str
    printed: str
    path: tuple
    compute: Callable


@dataclass
class Draft:
    tree: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)

    def note(self, path: tuple, line: str) -> None:
        """A comment above the key at ``path``, given in KEY's internal names (mapped here)."""
        steps = tuple(KEY.get(step, step) if isinstance(step, str) else step for step in path)
        self.comments.setdefault(steps, []).append(line)


@dataclass
class Imported:
    draft: Draft
    placed: list[Para]
    left: list[Para]
    checks: list[Check]
    notes: list[str]
    total: int
