"""The placeholders prose may use — {actual}, {period}, {form} — defined once: their names, where
each is available, and what each prints. Validation reads which names a text may use, composition
what they print, from the same ``values``, so the two cannot disagree.

A placeholder is {name} with single braces; doubled braces ({{ }}) are plain text.
"""

from __future__ import annotations

import re

from .wording import form_title, period, written

PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
# {actual} mistyped: full-width braces, spaces inside; doubled braces are plain text, not a near miss.
NEAR_PLACEHOLDER = re.compile(r"(?<![{｛])[{｛]\s*([A-Za-z_][A-Za-z0-9_]*)\s*[}｝](?![}｝])")

# Every name, with what it stands for (the schema's hover text and the error messages say so).
NAMES = {
    "actual": "全年完成值",
    "period": "本阶段起止日期",
    "form": "自评表名称（含书名号）",
}
PROSE_HELP = "可引用占位符，避免重复录入数字：" + "，".join(f"{{{n}}} {what}" for n, what in NAMES.items()) + "。"


def values(report, *, worded: bool = True) -> dict[tuple, dict[str, str]]:
    """Each text that may hold placeholders (its path in the content) → the values available
    there, worded as the report prints them. A text not listed may use none. With ``worded``
    false only the names matter (validation) and the values are left empty."""
    def say(fn, *args) -> str:
        return fn(*args) if worded else ""

    form = say(form_title, report)
    ev = report.evaluation
    out: dict[tuple, dict[str, str]] = {("evaluation", "analysis", "text"): {"form": form, "period": say(period, ev.analysis.start, ev.analysis.end)}}
    for i, p in enumerate(ev.phases):
        here = {"form": form}
        if p.start is not None and p.end is not None:
            here["period"] = say(period, p.start, p.end)
        out[("evaluation", "phases", i, "text")] = here
    for i, ind in enumerate(report.indicators):
        here = {"form": form}
        if ind.actual is not None:
            here["actual"] = say(written, ind.actual)  # as the writer typed it (6.20 stays 6.20)
        out[("indicators", i, "analysis")] = here
    return out


def fill(text: str, available: dict[str, str]) -> str:
    """Replace {name} placeholders (validated beforehand) with their values."""
    return PLACEHOLDER.sub(lambda m: available[m.group(1)], text)
