"""Benchmark: one report, the docxtpl floor beside it, a district's batch, validation growth, PDF.

    make bench                      (or: python scripts/bench.py)
    BENCH_N=200 BENCH_PDF_N=20 BENCH_RUNS=7 make bench

Synthetic departments are generated from the real ``content/bishan-kjj/2022.yaml`` (varied names,
figures and text lengths, all valid) into ``build/bench/`` — never into ``content/``. Measured in
one run:

  (a) one report, the whole process: ``python -m pipeline report --dept …`` as a subprocess,
      median of BENCH_RUNS runs, and its peak memory (max RSS of the child);
  (b) the floor: a subprocess that imports only docxtpl and jinja2 and renders the same template
      with the same context (composed here, pickled as plain data);
  (c) BENCH_N reports in one ``report`` command (all-or-nothing, both cores);
  (d) load + validate + score in-process: 2,000 indicators, and files 1×, 10× and 100× the real one;
  (e) BENCH_PDF_N of the reports to PDF in one LibreOffice call (``pipeline.output.pdf.to_pdf``);
  (f) the live preview (``make preview``): headless chromium holds the reference report's page
      while the content file (a copy under ``build/bench/``) is saved BENCH_PREVIEW_RUNS times
      with a new executed amount; the time from the save to the page holding the new text (the
      page stamps the moment it applied the update), the server's own rebuild time, and the
      server's memory. ``python scripts/bench.py preview`` measures only this part.
  (g) the district summary of the BENCH_N departments (``summary``: 汇总.xlsx + 汇总.docx, one command).
  (h) the bureau's audit of the BENCH_N departments, each with a previous year's file to compare
      (``audit``: 审核意见.xlsx + a letter per department with findings, one command).
      ``python scripts/bench.py audit`` measures only this part.
  (i) ``import`` of material in other units' shapes (tests/import_inputs.py): a 自评表 in one Word
      table, the same form in Excel, a narrative of about 30 paragraphs; each ``python -m pipeline
      import`` as a subprocess, median of BENCH_RUNS runs (no LibreOffice involved).
      ``python scripts/bench.py import`` measures only this part.

Prints a table (figure, target, 达标/未达标) and writes ``build/bench.json``. Not a test: the
figures belong to the machine they were measured on.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import pickle
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402
from ruamel.yaml.comments import CommentedMap, CommentedSeq  # noqa: E402

from pipeline import build
from pipeline.output import compose  # noqa: E402
from pipeline.content.load import load  # noqa: E402

REAL = ROOT / "content" / "bishan-kjj" / "2022.yaml"
YEAR = 2022
WORK = ROOT / "build" / "bench"
RESULT = ROOT / "build" / "bench.json"

N = int(os.environ.get("BENCH_N", "200"))
PDF_N = int(os.environ.get("BENCH_PDF_N", "20"))
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "7")))

CENT = Decimal("0.01")

# ---------------------------------------------------------------- synthetic content

DISTRICTS = ["璧山", "永川", "江津", "合川", "綦江", "大足", "铜梁", "潼南", "荣昌", "南川", "长寿", "涪陵", "巴南", "北碚", "渝北", "万州", "黔江", "开州", "梁平", "武隆"]
BUREAUS = [
    ("科学技术局", "科技局"), ("教育委员会", "教委"), ("民政局", "民政局"), ("司法局", "司法局"), ("财政局", "财政局"),
    ("人力资源和社会保障局", "人力社保局"), ("规划和自然资源局", "规划自然资源局"), ("生态环境局", "生态环境局"),
    ("住房和城乡建设委员会", "住房城乡建委"), ("交通局", "交通局"), ("水利局", "水利局"), ("农业农村委员会", "农业农村委"),
    ("商务委员会", "商务委"), ("文化和旅游发展委员会", "文化旅游委"), ("卫生健康委员会", "卫生健康委"), ("退役军人事务局", "退役军人事务局"),
    ("应急管理局", "应急局"), ("审计局", "审计局"), ("市场监督管理局", "市场监管局"), ("统计局", "统计局"),
    ("医疗保障局", "医保局"), ("林业局", "林业局"), ("体育局", "体育局"), ("城市管理局", "城市管理局"), ("信访办公室", "信访办"),
]
INDICATOR_NAMES = [
    ("新增科技型企业数量", "家"), ("新增高新技术企业数量", "家"), ("举办创新创业大赛场次", "次"), ("举办科技活动周场次", "次"),
    ("选派科技特派员人数", "名"), ("技术合同认定个数", "个"), ("科技成果认定个数", "个"), ("培训人次", "人次"),
    ("项目验收合格率", "%"), ("资金拨付及时率", "%"), ("政策知晓率", "%"), ("服务对象满意度", "%"), ("职工满意度", "%"),
    ("企业满意度", "%"), ("新建项目个数", "个"), ("检查覆盖率", "%"), ("投诉办结率", "%"), ("信息公开条数", "条"),
]


def plain(node):
    """The loaded tree as plain dicts, lists, str, int, Decimal and date."""
    if isinstance(node, (CommentedMap, dict)):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, (CommentedSeq, list)):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None or isinstance(node, (Decimal, dt.date)):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, str):
        return str(node)
    return node


def real_data() -> dict:
    tree, problems = load(REAL)
    assert tree is not None, problems
    return plain(tree)


def dump(data: dict, path: Path) -> int:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 1 << 20  # one line per value, as people write them

    def decimal(representer, value: Decimal):
        if value == value.to_integral_value():
            return representer.represent_int(int(value))
        return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))

    yaml.representer.add_representer(Decimal, decimal)
    yaml.representer.ignore_aliases = lambda data: True  # shared objects are written out, never as &anchors
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# 合成数据（scripts/bench.py 生成），只供性能测试。\n")
        yaml.dump(data, fh)
    return path.stat().st_size


def money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(CENT, rounding=ROUND_HALF_UP)


def split(total_cents: int, parts: int, rng: random.Random | None = None) -> list[Decimal]:
    """``total_cents`` hundredths in ``parts`` positive amounts that add up exactly."""
    if rng is None:
        base, extra = divmod(total_cents, parts)
        cents = [base + (1 if i < extra else 0) for i in range(parts)]
    else:
        cuts = sorted(rng.sample(range(1, total_cents), parts - 1))
        cents = [b - a for a, b in zip([0] + cuts, cuts + [total_cents])]
    return [Decimal(c) / 100 for c in cents]


def stretched(items: list, factor: float) -> list:
    """The list cycled or cut to ``factor`` times its length (at least one item)."""
    n = max(1, round(len(items) * factor))
    return [items[i % len(items)] for i in range(n)]


def indicator(rng: random.Random, name: str, unit: str, weight: Decimal, real: list[dict], text_factor: float) -> dict:
    """A valid indicator: judged, scored by its target, or qualitative; a reason when below full."""
    template = rng.choice(real)
    prose = template["analysis"].replace("{actual}", "").rstrip("。") + "。"
    prose = prose * max(1, round(text_factor))
    way = rng.random()
    ind: dict = {"name": name, "weight": weight, "unit": unit}
    if way < 0.2:
        ind.update(kind="定性", qualitative={"achievement": "达成", "coefficient": rng.choice([Decimal(1), Decimal("0.9"), Decimal("0.85")])})
        full = ind["qualitative"]["coefficient"] == 1
        ind["analysis"] = prose
    elif way < 0.6:
        target = rng.randint(10, 500)
        actual = target if rng.random() < 0.6 else rng.randint(target // 2, target * 2)
        ind.update(kind="定量", direction=">=", target_initial=target, actual=actual, core=rng.random() < 0.5)
        full = actual >= target
        ind["analysis"] = prose + f"全年完成{{actual}}{unit}。"
    else:
        ind.update(kind="定量", actual=rng.randint(1, 500), judgement={"coefficient": 1, "basis": "评价标准"})
        full = True
        ind["analysis"] = prose + f"全年完成{{actual}}{unit}。"
    if not full:
        ind["deviation"] = {"reason": "部分项目受外部条件影响进度滞后", "measure": "加强过程监控，按月调度"}
    return ind


def department(base: dict, i: int) -> dict:
    """Department ``i``: a different name, figures and text lengths; valid like the real one."""
    rng = random.Random(1000 + i)
    data = copy.deepcopy(base)
    district = DISTRICTS[i % len(DISTRICTS)]
    bureau, short = BUREAUS[(i // len(DISTRICTS)) % len(BUREAUS)]
    suffix = "" if i < len(DISTRICTS) * len(BUREAUS) else f"第{i // (len(DISTRICTS) * len(BUREAUS)) + 1}分局"
    data["department"] = {"name": f"重庆市{district}区{bureau}{suffix}", "short_name": f"区{short}", "rank": base["department"]["rank"]}
    text_factor = rng.choice([0.5, 1, 1, 1.5, 2, 3])

    data["internal_units"] = [
        {"name": u["name"] if k < len(base["internal_units"]) else f"{u['name']}{k + 1}", "duties": u["duties"] * max(1, round(text_factor))}
        for k, u in enumerate(stretched(base["internal_units"], text_factor))
    ]
    data["functions"] = stretched(base["functions"], text_factor)
    data["experience"] = stretched(base["experience"], text_factor)
    data["problems"] = stretched(base["problems"], text_factor) if rng.random() < 0.9 else []
    data["suggestions"] = stretched(base["suggestions"], text_factor)

    administrative = rng.randint(8, 60)
    deputies = rng.randint(1, 4)
    data["staffing"] = {
        "administrative": administrative,
        "posts": [{"title": "局长", "count": 1}, {"title": "副局长", "count": deputies}],
        "section_leaders": rng.randint(0, administrative - 1 - deputies),
        "institutional": base["staffing"]["institutional"],
    }

    initial = money(rng, 200, 20000)
    carry_start = Decimal(0) if rng.random() < 0.6 else money(rng, 1, float(initial) / 10)
    adjusted = (initial * Decimal(str(rng.uniform(0.8, 1.2)))).quantize(CENT)
    executed = adjusted if rng.random() < 0.3 else (adjusted * Decimal(str(rng.uniform(0.4, 1)))).quantize(CENT)
    room = adjusted + carry_start - executed
    data["budget"] = {
        "initial": initial,
        "carryover_start": carry_start,
        "adjusted": adjusted,
        "executed": executed,
        "carryover_end": Decimal(0) if rng.random() < 0.5 else (room * Decimal(str(rng.random()))).quantize(CENT, rounding="ROUND_DOWN"),
        "execution_weight": Decimal(10),
        "deviation": {"reason": "部分项目资金未到支付节点"},
    }
    if rng.random() < 0.3:
        data["budget"]["adjusted_note"] = base["budget"]["adjusted_note"]

    santong = base["santong"]
    items = [{"name": item["name"], "amount": money(rng, 0, 30)} for item in santong["items"]]
    groups = rng.choice([0, 0, 0, 1, 2])
    data["santong"] = {
        "items": items,
        "budget": money(rng, 5, 60),
        "change_reason": santong["change_reason"],
        "vehicles": {"funding": santong["vehicles"]["funding"], "purchased": rng.randint(0, 2), "disposed": rng.randint(0, 2), "held": rng.randint(0, 8)},
        "overseas": {"groups": groups, "people": groups * rng.randint(1, 5)},
    }

    count = rng.randint(5, 15)
    weights = split(9000, count, rng)
    names = rng.sample(INDICATOR_NAMES, min(count, len(INDICATOR_NAMES)))
    names += [(f"{n}（{k + 2}）", u) for k, (n, u) in enumerate(rng.sample(INDICATOR_NAMES, count - len(names)))]
    data["indicators"] = [indicator(rng, n, u, w, base["indicators"], text_factor) for (n, u), w in zip(names, weights)]
    return data


def scaled(base: dict, factor: int) -> dict:
    """The real department with every list ``factor`` times as long: a file about ``factor``× the size."""
    data = dict(base)
    data["policy_documents"] = [dict(d, id=f"{d['id']}-{k}") if k else d for k in range(factor) for d in base["policy_documents"]]
    data["internal_units"] = [dict(u, name=f"{u['name']}{k + 1}" if k else u["name"]) for k in range(factor) for u in base["internal_units"]]
    data["functions"] = base["functions"] * factor
    data["experience"] = base["experience"] * factor
    data["problems"] = base["problems"] * factor
    data["suggestions"] = base["suggestions"] * factor
    return with_indicators(data, len(base["indicators"]) * factor)


def with_indicators(base: dict, count: int) -> dict:
    """The real department with ``count`` indicators (the real ones cycled, renamed, weights split)."""
    data = dict(base)
    real = base["indicators"]
    weights = split(int((100 - base["budget"]["execution_weight"]) * 100), count)
    data["indicators"] = [
        dict(real[k % len(real)], name=f"{real[k % len(real)]['name']}（第{k + 1}项）", weight=w) for k, w in enumerate(weights)
    ]
    return data


# ---------------------------------------------------------------- measuring


def run(cmd: list[str], **kw) -> tuple[float, int, int, float]:
    """(wall seconds, exit code, max RSS in KB, CPU seconds) of one child process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, **kw)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows: no per-child figures
            proc.wait()
            wall, rss, cpu = time.perf_counter() - start, 0, 0.0
        if proc.returncode != 0:
            out.seek(0)
            sys.exit(f"{' '.join(cmd)} 失败（退出码 {proc.returncode}）：\n{out.read().decode('utf-8', 'replace')[-3000:]}")
    return wall, proc.returncode, rss, cpu


def report_cmd(content: Path, out: Path, dept: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", "report", "--year", str(YEAR), "--content", str(content), "--out", str(out)]
    return cmd + (["--dept", dept] if dept else [])


FLOOR = r"""
import pickle, sys
import jinja2
from docxtpl import DocxTemplate

DIGITS = "零一二三四五六七八九"

def chinese(n):
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")

class Numbering:
    def __init__(self, level3):
        self.level3, self.counts = level3, [0, 0, 0, 0]
    def next(self, level):
        self.counts[level] += 1
        self.counts[level + 1:] = [0] * (3 - level)
        return self.counts[level]
    def h1(self): return chinese(self.next(0)) + "、"
    def h2(self): return "（" + chinese(self.next(1)) + "）"
    def h3(self): return str(self.next(2)) + self.level3
    def h4(self): return "（" + str(self.next(3)) + "）"

with open(sys.argv[1], "rb") as fh:
    context = pickle.load(fh)
n = Numbering("、")
context.update(h1=n.h1, h2=n.h2, h3=n.h3, h4=n.h4)
doc = DocxTemplate(sys.argv[2])
doc.render(context, jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined))
doc.save(sys.argv[3])
"""


def as_plain(value):
    """The composed context as builtins only (dataclasses → SimpleNamespace), for a child that
    must not import pipeline."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return types.SimpleNamespace(**{f.name: as_plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, (list, tuple)):
        return type(value)(as_plain(v) for v in value)
    return value


def median_runs(cmd: list[str], runs: int) -> tuple[float, list[float], int]:
    run(cmd)  # warm-up: bytecode caches and the page cache, as on any second run
    walls, peak = [], 0
    for _ in range(runs):
        wall, _, rss, _ = run(cmd)
        walls.append(wall)
        peak = max(peak, rss)
    return statistics.median(walls), walls, peak


def body_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "loadavg_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# ---------------------------------------------------------------- (f) the live preview

PREVIEW_RUNS = max(5, int(os.environ.get("BENCH_PREVIEW_RUNS", "15")))


def preview_bench() -> dict | None:
    """Save → page updated, in a real browser; None where chromium or its driver is absent."""
    import re
    import signal

    chromium, driver_path = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (Path(chromium).exists() and Path(driver_path).exists()):
        print("(f) 跳过：未安装 chromium 和 chromium-driver")
        return None
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from pipeline.commands import preview

    work = WORK / "preview"
    shutil.rmtree(work, ignore_errors=True)
    target = work / "content" / "bishan-kjj" / f"{YEAR}.yaml"
    target.parent.mkdir(parents=True)
    original = REAL.read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")

    # the server's share: one changed report checked, built and turned into the page, in-process
    state = preview.Preview(work, work / "content", YEAR, build.DEFAULT_TEMPLATE)
    state.report_fragment("bishan-kjj", target)
    rebuilds = []
    for i in range(PREVIEW_RUNS):
        target.write_text(original.replace("  executed: 1209.56\n", f"  executed: {1000 + i}.5\n"), encoding="utf-8")
        start = time.perf_counter()
        state.report_fragment("bishan-kjj", target)
        rebuilds.append(time.perf_counter() - start)
    target.write_text(original, encoding="utf-8")

    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "preview", "--year", str(YEAR), "--root", str(work), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    profile = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    driver = None
    try:
        url = re.search(r"http://\S+/", server.stdout.readline()).group(0)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.get(url + "d/bishan-kjj")
        print(f"(f) 预览：保存 {PREVIEW_RUNS + 1} 次（第一次为预热）…", flush=True)
        latencies = []
        for i in range(PREVIEW_RUNS + 1):
            figure = f"{2000 + i}.25"
            before = driver.execute_script("return window.previewUpdates")
            saved = time.time()
            with open(target, "w", encoding="utf-8") as fh:  # as an editor saves: in place
                fh.write(original.replace("  executed: 1209.56\n", f"  executed: {figure}\n"))
            deadline = time.monotonic() + 10
            while True:
                updates, at = driver.execute_script("return [window.previewUpdates, window.previewUpdatedAt]")
                if updates > before:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("页面 10 秒内未更新")
                time.sleep(0.005)
            page = driver.execute_script("return document.querySelector('.doc').textContent")
            assert f"全年执行数{figure}万元" in page, "页面未显示新的执行数"
            if i:
                latencies.append(at / 1000 - saved)
            time.sleep(0.3)
        status = Path(f"/proc/{server.pid}/status")
        memory = {}
        if status.exists():
            for line in status.read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    memory[key] = int(value.split()[0])
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "runs": PREVIEW_RUNS,
        "median": statistics.median(latencies),
        "latencies": latencies,
        "rebuild_median": statistics.median(rebuilds),
        "rss_kb": memory.get("VmRSS"),
        "peak_rss_kb": memory.get("VmHWM"),
        "stopped_cleanly": server.returncode == 0,
    }


def preview_rows(f: dict | None) -> list[dict]:
    if not f:
        return []
    ms = [x * 1000 for x in f["latencies"]]
    return [
        {"item": "(f) 预览：保存 → 页面显示新文字（中位数）", "measured": f"{f['median'] * 1000:.0f} ms（{len(ms)} 次，{min(ms):.0f}–{max(ms):.0f} ms）",
         "target": "≤ 300 ms", "ok": f["median"] <= 0.3},
        {"item": "(f) 其中服务器重新生成一份报告（校验 + .docx + 页面）", "measured": f"{f['rebuild_median'] * 1000:.0f} ms", "target": "—", "ok": None},
        {"item": "(f) 预览服务器内存", "measured": f"{(f['rss_kb'] or 0) / 1024:.0f} MB（峰值 {(f['peak_rss_kb'] or 0) / 1024:.0f} MB）", "target": "—", "ok": None},
    ]


def audit_content(base: dict) -> Path:
    """BENCH_N departments, each with this year's file and last year's (another draw of figures
    and text, so some targets, sentences and 三公 differ), under build/bench/audit."""
    content = WORK / "audit" / "content"
    if content.exists():
        shutil.rmtree(content)
    for i in range(N):
        now = department(base, i)
        before = department(base, i + 7 * N)  # another draw of figures and text…
        before["department"] = now["department"]  # …for the same department
        before["year"] = YEAR - 1
        dump(now, content / f"d{i:04d}" / f"{YEAR}.yaml")
        dump(before, content / f"d{i:04d}" / f"{YEAR - 1}.yaml")
    return content


def audit_bench(base: dict) -> dict:
    print(f"(h) {N} 个部门的审核（每个部门与上一年度文件比较）…", flush=True)
    content = audit_content(base)
    out = WORK / "audit" / "out"
    cmd = [sys.executable, "-m", "pipeline", "audit", "--year", str(YEAR), "--content", str(content), "--out", str(out)]
    runs = [run(cmd) for _ in range(2)]  # the faster of two: less noise from other work
    seconds, _, rss, cpu = min(runs)
    import openpyxl

    wb = openpyxl.load_workbook(out / str(YEAR) / "审核意见.xlsx", read_only=True)
    findings = wb["审核意见"].max_row - 1
    departments = wb["各部门"].max_row - 1
    assert departments == N, f"审核意见表只有 {departments} 个部门"
    letters = len(list((out / str(YEAR)).glob("*-审核意见.docx")))
    return {"n": N, "seconds": seconds, "runs": [r[0] for r in runs], "cpu_seconds": cpu, "max_rss_kb": rss,
            "findings": findings, "letters": letters}


def audit_row(h: dict) -> dict:
    target = 5 * N / 200
    return {"item": f"(h) {N} 个部门的审核（各与上一年度比较），一条命令",
            "measured": f"{h['seconds']:.1f} s（{h['seconds'] / N * 1000:.0f} ms/部门，CPU {h['cpu_seconds'] / h['seconds']:.1f} 核，"
                        f"峰值内存 {h['max_rss_kb'] / 1024:.0f} MB；{h['findings']} 条意见，{h['letters']} 份意见函）",
            "target": f"≤ {target:.0f} s", "ok": h["seconds"] <= target}


def audit_only() -> int:
    """``python scripts/bench.py audit``: only (h), merged into an existing build/bench.json."""
    WORK.mkdir(parents=True, exist_ok=True)
    h = audit_bench(real_data())
    row = audit_row(h)
    print("| 项目 | 实测 | 目标 | 结果 |\n| --- | --- | --- | --- |")
    print(f"| {row['item']} | {row['measured']} | {row['target']} | {'达标' if row['ok'] else '未达标'} |")
    results = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.is_file() else {"machine": machine()}
    results["h"] = h
    results["table"] = [r for r in results.get("table", []) if not r["item"].startswith("(h)")] + [row]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已写入 {RESULT.relative_to(ROOT)}")


def import_bench() -> dict:
    """(i): each input imported into a fresh content folder, whole process, median of RUNS."""
    from tests import import_inputs as given

    work = WORK / "import"
    work.mkdir(parents=True, exist_ok=True)
    inputs = {
        "docx_form": given.word_form(work / "自评表.docx"),
        "xlsx_form": given.excel_form(work / "自评表.xlsx"),
        "narrative": given.narrative(work / "报告.docx", given.NARRATIVE_B),
    }
    out = {}
    for key, source in inputs.items():
        walls, cpus, peak = [], [], 0
        for i in range(RUNS + 1):  # the first warms the caches, as make import's second run would
            content = work / f"content-{key}-{i}"
            wall, _, rss, cpu = run([sys.executable, "-m", "pipeline", "import", str(source), "--dept", "d", "--year", str(YEAR), "--content", str(content)])
            if i:
                walls.append(wall)
                cpus.append(cpu)
                peak = max(peak, rss)
            assert (content / "d" / f"{YEAR}.yaml").is_file(), f"{source.name} 未生成草稿"
        out[key] = {"median": statistics.median(walls), "runs": walls, "cpu_median": statistics.median(cpus), "max_rss_kb": peak}
    return out


def import_rows(h: dict) -> list[dict]:
    names = {"docx_form": "Word 自评表（一张表，19 个指标）", "xlsx_form": "Excel 自评表（19 个指标）", "narrative": "报告正文（31 段）"}
    return [{"item": f"(i) 导入 {names[k]}，整个进程（中位数）",
             "measured": f"{v['median']:.2f} s（CPU {v['cpu_median']:.2f} s）",  # no memory: a child's max RSS carries the parent's
             "target": "≤ 1.5 s", "ok": v["median"] <= 1.5} for k, v in h.items()]


def import_only() -> int:
    if (WORK / "import").exists():
        shutil.rmtree(WORK / "import")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    rows = import_rows(import_bench())
    print("| 项目 | 实测 | 目标 | 结果 |\n| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['item']} | {r['measured']} | {r['target']} | {'达标' if r['ok'] else '未达标'} |")
    if load is not None:
        print(f"开始时负载 {load:.2f}，结束时 {os.getloadavg()[0]:.2f}（{os.cpu_count()} 核）：负载高于核数时，实测时间约为 CPU 时间的数倍。")
    return 0


def preview_only() -> int:
    """``python scripts/bench.py preview``: only (f), merged into an existing build/bench.json."""
    WORK.mkdir(parents=True, exist_ok=True)
    f = preview_bench()
    rows = preview_rows(f)
    print("| 项目 | 实测 | 目标 | 结果 |\n| --- | --- | --- | --- |")
    for r in rows:
        verdict = "—" if r["ok"] is None else ("达标" if r["ok"] else "未达标")
        print(f"| {r['item']} | {r['measured']} | {r['target']} | {verdict} |")
    results = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.is_file() else {"machine": machine()}
    results["f"] = f
    results["table"] = [r for r in results.get("table", []) if not r["item"].startswith("(f)")] + rows
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已写入 {RESULT.relative_to(ROOT)}")
    return 0 if f is None or f["stopped_cleanly"] else 1


def main() -> int:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    base = real_data()
    info = machine()
    print(f"机器：{info['nproc']} 核 {info['cpu']}，Python {info['python']}，{info['date']}")
    results: dict = {"machine": info, "params": {"N": N, "PDF_N": PDF_N, "runs": RUNS}}
    rows = []

    # (a) one report, the whole process — first, so nothing else has run in this process's children.
    print(f"(a) 单份报告：{RUNS + 1} 次 …", flush=True)
    out_a = WORK / "a"
    a, a_runs, a_rss = median_runs(report_cmd(ROOT / "content", out_a, "bishan-kjj"), RUNS)

    # (b) the floor: docxtpl alone, the same template and context.
    print(f"(b) docxtpl 下限：{RUNS + 1} 次 …", flush=True)
    checked = build.check(REAL)
    assert checked.ok, checked.problems
    context = as_plain(compose.context(checked.report, checked.scores, "、"))
    ctx_file = WORK / "context.pickle"
    ctx_file.write_bytes(pickle.dumps(context))
    floor_out = WORK / "floor.docx"
    b, b_runs, b_rss = median_runs([sys.executable, "-c", FLOOR, str(ctx_file), str(build.DEFAULT_TEMPLATE), str(floor_out)], RUNS)
    same_body = body_xml(floor_out) == body_xml(out_a / str(YEAR) / "bishan-kjj.docx")

    # (c) N reports in one command.
    print(f"(c) 生成 {N} 个部门的内容文件并批量生成报告 …", flush=True)
    content = WORK / "content"
    sizes = [dump(department(base, i), content / f"d{i:04d}" / f"{YEAR}.yaml") for i in range(N)]
    out_c = WORK / "c"
    c_all = [run(report_cmd(content, out_c)) for _ in range(2)]  # the faster of two: less noise from other work
    c, _, c_rss, c_cpu = min(c_all)
    made = sorted((out_c / str(YEAR)).glob("*.docx"))
    assert len(made) == N, f"只生成了 {len(made)} 份"
    single = WORK / "single"
    run(report_cmd(content, single, "d0000"))
    same_bytes = (single / str(YEAR) / "d0000.docx").read_bytes() == (out_c / str(YEAR) / "d0000.docx").read_bytes()

    # (g) the district summary of the same N departments, one command.
    print(f"(g) {N} 个部门的汇总（汇总.xlsx + 汇总.docx）…", flush=True)
    out_f = WORK / "f"
    summary_cmd = [sys.executable, "-m", "pipeline", "summary", "--year", str(YEAR), "--content", str(content), "--out", str(out_f)]
    f_all = [run(summary_cmd) for _ in range(2)]
    f, _, f_rss, f_cpu = min(f_all)
    import openpyxl

    summary_rows = openpyxl.load_workbook(out_f / str(YEAR) / "汇总.xlsx", read_only=True)["汇总"].max_row
    assert summary_rows >= N + 3, f"汇总表只有 {summary_rows} 行"

    # (h) the audit of N departments, each with last year's file.
    audit_result = audit_bench(base)

    # (d) validation alone, in-process, as files grow.
    print("(d) 校验（读取 + 校验 + 评分）随文件增大 …", flush=True)
    scale_dir = WORK / "scale"
    cases = [("真实文件 1×", base, 5), ("2,000 个指标", with_indicators(base, 2000), 3), ("10×", scaled(base, 10), 3), ("100×", scaled(base, 100), 1)]
    growth = []
    build.check(REAL)  # warm: first-call costs are not growth
    for label, data, repeat in cases:
        path = scale_dir / f"{len(growth)}" / f"{YEAR}.yaml"
        size = dump(data, path)
        result = build.check(path)
        assert result.ok, [str(p) for p in result.problems if p.severity.name == "error"][:5]
        seconds = timed(lambda: build.check(path), repeat)
        indicators = len(data["indicators"])
        growth.append(
            {"case": label, "bytes": size, "indicators": indicators, "seconds": seconds,
             "ms_per_kb": seconds * 1000 / (size / 1024), "ms_per_indicator": seconds * 1000 / indicators}
        )
        print(f"    {label}：{size / 1024:.0f} KB，{indicators} 个指标，{seconds:.3f} s，{growth[-1]['ms_per_kb']:.2f} ms/KB")

    # (e) PDF in one LibreOffice call.
    from pipeline.output.pdf import soffice, to_pdf

    pdf = None
    if soffice() and PDF_N > 0:
        docs = made[: min(PDF_N, len(made))]
        print(f"(e) {len(docs)} 份转 PDF（一次 LibreOffice 调用）…", flush=True)
        start = time.perf_counter()
        _, problems = to_pdf(docs[:1], WORK / "pdf1")
        one = time.perf_counter() - start
        start = time.perf_counter()
        done, problems = to_pdf(docs, WORK / "pdf")
        many = time.perf_counter() - start
        assert not problems, problems
        pdf = {"n": len(done), "seconds": many, "per_document": many / len(done), "one_document": one,
               "marginal_per_document": (many - one) / max(1, len(done) - 1)}
    else:
        print("(e) 跳过：未找到 LibreOffice（soffice）或 BENCH_PDF_N=0")

    # (f) the live preview.
    preview_result = preview_bench()

    # (i) import of other units' material.
    print("(i) 导入：Word 自评表、Excel 自评表、报告正文 …", flush=True)
    import_result = import_bench()

    # ---------------------------------------------------------------- the table
    def row(label: str, measured: str, target: str, ok: bool | None) -> None:
        rows.append({"item": label, "measured": measured, "target": target, "ok": ok})

    ratio = a / b
    row("(a) 单份报告，整个进程（中位数）", f"{a:.2f} s（{ratio:.2f} × 下限）", "≤ 1.3 × 下限", ratio <= 1.3)
    row("(b) 下限：只导入 docxtpl 并渲染", f"{b:.2f} s", "—", None)
    row("(a) 峰值内存", f"{a_rss / 1024:.0f} MB", "≤ 120 MB", a_rss / 1024 <= 120)
    c_target = 10 * N / 200
    row(f"(c) {N} 份报告，一条命令", f"{c:.1f} s（{c / N * 1000:.0f} ms/份，CPU {c_cpu / c:.1f} 核）", f"≤ {c_target:.0f} s", c <= c_target)
    d2000 = growth[1]
    row("(d) 校验 2,000 个指标", f"{d2000['seconds']:.2f} s（{d2000['ms_per_indicator']:.2f} ms/指标）", "≤ 1 s", d2000["seconds"] <= 1)
    linear = growth[3]["ms_per_kb"] / growth[0]["ms_per_kb"]
    per_kb = " / ".join(f"{g['ms_per_kb']:.2f}" for g in (growth[0], growth[2], growth[3]))
    row("(d) 增长：1× / 10× / 100× 每 KB 用时", f"{per_kb} ms/KB（100× ÷ 1× = {linear:.2f}）", "线性（比值 ≤ 1.5）", linear <= 1.5)
    f_target = 10 * N / 200
    row(f"(g) {N} 个部门的汇总，一条命令", f"{f:.1f} s（{f / N * 1000:.0f} ms/部门，CPU {f_cpu / f:.1f} 核，峰值内存 {f_rss / 1024:.0f} MB）", f"≤ {f_target:.0f} s", f <= f_target)
    rows.append(audit_row(audit_result))
    if pdf:
        row(f"(e) {pdf['n']} 份转 PDF，一次调用", f"{pdf['seconds']:.1f} s（{pdf['per_document']:.2f} s/份；启动约 {pdf['one_document']:.1f} s，之后 {pdf['marginal_per_document']:.2f} s/份）", "—", None)
    rows.extend(preview_rows(preview_result))
    rows.extend(import_rows(import_result))

    print()
    print("| 项目 | 实测 | 目标 | 结果 |\n| --- | --- | --- | --- |")
    for r in rows:
        verdict = "—" if r["ok"] is None else ("达标" if r["ok"] else "未达标")
        print(f"| {r['item']} | {r['measured']} | {r['target']} | {verdict} |")
    print()
    load = f"；开始时负载 {info['loadavg_before']:.2f}，结束时 {os.getloadavg()[0]:.2f}" if info["loadavg_before"] is not None else ""
    print(f"机器：{info['nproc']} 核，{info['cpu']}，Python {info['python']}，{info['system']}；{info['date'][:10]}{load}")
    if info["loadavg_before"] is not None and max(info["loadavg_before"], os.getloadavg()[0]) > 0.5:
        print("注意：测量时机器上另有任务在运行，上表数字偏慢；(c) 的“CPU 核”低于核数即为此故。")
    print(f"核对：下限与 (a) 的 word/document.xml {'相同' if same_body else '不同！'}；批量与单个部门生成的文件{'逐字节相同' if same_bytes else '不同！'}。")
    print(f"合成内容：{N} 个部门，{min(sizes) / 1024:.0f}–{max(sizes) / 1024:.0f} KB（真实文件 {REAL.stat().st_size / 1024:.0f} KB），在 {WORK.relative_to(ROOT)}/content。")

    results.update(
        a={"median": a, "runs": a_runs, "max_rss_kb": a_rss},
        b={"median": b, "runs": b_runs, "max_rss_kb": b_rss, "same_document_xml": same_body},
        c={"n": N, "seconds": c, "runs": [x[0] for x in c_all], "cpu_seconds": c_cpu, "max_rss_kb": c_rss, "same_bytes_as_single": same_bytes,
           "content_kb": {"min": min(sizes) / 1024, "max": max(sizes) / 1024, "mean": statistics.mean(sizes) / 1024}},
        d=growth,
        e=pdf,
        f=preview_result,
        g={"n": N, "seconds": f, "runs": [x[0] for x in f_all], "cpu_seconds": f_cpu, "max_rss_kb": f_rss},
        h=audit_result,
        i=import_result,
        table=rows,
    )
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已写入 {RESULT.relative_to(ROOT)}")
    return 0 if same_body and same_bytes else 1


if __name__ == "__main__":
    parts = {"preview": preview_only, "audit": audit_only, "import": import_only}
    sys.exit(parts[sys.argv[1]]() if sys.argv[1:2] and sys.argv[1] in parts else main())
