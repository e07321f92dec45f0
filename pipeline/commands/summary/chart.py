"""The summary's picture (PNG, matplotlib, Agg): how many departments got each grade, and their
budget execution rates.

Chinese labels need a CJK font; it is looked up through fontconfig (``fc-list :lang=zh``),
Noto Sans CJK SC preferred, and its absence is said in Chinese rather than drawn as boxes.
The same figures give the same bytes: fixed size and dpi, no timestamp or software tag.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

from ...content.wording import num
from .figures import GRADE_NAMES, District

PREFERRED = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Noto Sans CJK")
FONT_HINT = (
    "生成汇总图需要一种中文字体（由 fontconfig 查找，如 Noto Sans CJK SC）。"
    "Debian/Ubuntu：apt-get install fontconfig fonts-noto-cjk"
)
WIDTH_IN = 156 / 25.4  # the 公文 text block is 156 mm wide
DPI = 200
PER_DEPARTMENT_MAX = 30  # more departments than this: execution rates in bands, not one bar each
BANDS = ((Decimal("0.6"), "低于60%"), (Decimal("0.8"), "60%–80%"), (Decimal(1), "80%–100%"), (None, "100%及以上"))
GRADE_COLOURS = {"优": "#2e7d32", "良": "#1565c0", "中": "#f9a825", "差": "#c62828"}


class ChartError(Exception):
    """The picture cannot be drawn on this machine (a missing font); the message is for users."""


def cjk_font() -> str:
    """The file of a Chinese font fontconfig knows, Noto Sans CJK SC first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise ChartError("找不到 fontconfig 的 fc-list 命令。" + FONT_HINT)
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChartError(f"无法运行 fc-list（{exc}）。" + FONT_HINT) from exc
    fonts = []  # (family list, file)
    for line in out.splitlines():
        path, _, families = line.partition(":")
        if path.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
            fonts.append(([f.strip() for f in families.split(",")], path.strip()))
    if not fonts:
        raise ChartError("没有找到中文字体。" + FONT_HINT)
    for wanted in PREFERRED:
        for families, path in sorted(fonts, key=lambda f: f[1]):
            if any(f.startswith(wanted) for f in families) and "Mono" not in path and "Bold" not in path:
                return path
    return sorted(fonts, key=lambda f: f[1])[0][1]


def _plain(text: str) -> str:
    """Text drawn as written: matplotlib would read $…$ as a formula (and fail on an unknown command)."""
    return text.replace("$", "\\$")


def _band(rate: Decimal) -> str:
    for edge, name in BANDS:
        if edge is None or rate < edge:
            return name
    return BANDS[-1][1]


def chart_png(summary: District) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    path = cjk_font()
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    style = {
        "font.family": [family],
        "font.size": 9,
        "axes.unicode_minus": False,
        "svg.hashsalt": "summary",
        "path.simplify": False,
    }
    departments = summary.departments
    per_department = len(departments) <= PER_DEPARTMENT_MAX
    height = max(3.0, 0.24 * len(departments) + 1.2) if per_department else 3.0
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        grades_ax, rates_ax = fig.subplots(1, 2, width_ratios=(2, 3))

        counts = summary.grades
        bars = grades_ax.bar(GRADE_NAMES, [counts[g] for g in GRADE_NAMES], color=[GRADE_COLOURS[g] for g in GRADE_NAMES])
        grades_ax.bar_label(bars, labels=[f"{counts[g]}个" for g in GRADE_NAMES], padding=2)
        grades_ax.set_title("自评等级分布（部门数）")
        grades_ax.set_ylim(0, max(counts.values()) * 1.25 + 0.5)
        grades_ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        grades_ax.spines[["top", "right"]].set_visible(False)

        if per_department:
            ordered = sorted(departments, key=lambda d: (d.execution_rate, d.key))
            rates = [float(d.execution_rate * 100) for d in ordered]
            colours = ["#c62828" if d.execution_rate < Decimal("0.8") else "#1565c0" for d in ordered]
            # Positions, not names, on the axis: two departments may share a short name.
            bars = rates_ax.barh(range(len(ordered)), rates, color=colours)
            rates_ax.set_yticks(range(len(ordered)), [_plain(d.short_name) for d in ordered])
            rates_ax.bar_label(bars, labels=[f"{num(d.execution_rate * 100)}%" for d in ordered], padding=2, fontsize=8)
            rates_ax.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
            rates_ax.set_xlim(0, max(max(rates), 100) * 1.22)
            rates_ax.set_xlabel("预算执行率（%）")
        else:
            names = [name for _, name in BANDS]
            tally = {name: 0 for name in names}
            for d in departments:
                tally[_band(d.execution_rate)] += 1
            bars = rates_ax.bar(names, [tally[n] for n in names], color=["#c62828", "#f9a825", "#1565c0", "#2e7d32"])
            rates_ax.bar_label(bars, labels=[f"{tally[n]}个" for n in names], padding=2)
            rates_ax.set_ylim(0, max(tally.values()) * 1.25 + 0.5)
            rates_ax.set_ylabel("部门数")
        rates_ax.set_title(f"预算执行率（全区按金额加权 {num(summary.execution_rate * 100)}%）")
        rates_ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()
