"""Issue 22, item 3: progress where long work happens — on a terminal only, never in a pipe or CI —
and ``check --brief``. A stand-in ``soffice`` (a shell script on PATH that takes a moment per file)
plays LibreOffice, so the terminal is tested without depending on LibreOffice's speed; a
pseudo-terminal (pty) is the terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, edit, real_text, run_cli

NAME = "  name: 重庆市璧山区科学技术局"

# Writes <outdir>/<stem>.<format> for each file, a moment apart, as LibreOffice does one by one.
FAKE_SOFFICE = """#!/bin/sh
fmt=; out=
while [ $# -gt 0 ]; do
  case "$1" in
    --convert-to) fmt=$2; shift 2;;
    --outdir) out=$2; shift 2;;
    -*) shift;;
    *) mkdir -p "$out"; sleep "${FAKE_SECONDS:-0.6}"; name=$(basename "$1")
       if [ -n "$FAKE_FAILS" ] && [ "$fmt" = pdf ] && [ "${name%.*}" = "$FAKE_FAILS" ]; then echo "Error: source file could not be loaded" >&2; shift; continue; fi
       if [ -n "$FAKE_DOCX" ]; then cp "$FAKE_DOCX" "$out/${name%.*}.$fmt"; else printf 'fake %s' "$fmt" > "$out/${name%.*}.$fmt"; fi
       shift;;
  esac
done
"""


def departments(root: Path, n: int) -> Path:
    content = root / "content"
    for i in range(n):
        path = content / f"d{i}" / "2022.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(edit(real_text(), NAME, f"  name: 重庆市璧山区第{i}局"), encoding="utf-8")
    return content


def environment(root: Path, **extra: str) -> dict:
    bin_dir = root / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "soffice").write_text(FAKE_SOFFICE)
    (bin_dir / "soffice").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return {**env, "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **extra}


def on_a_terminal(args: list[str], env: dict, cwd: Path) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal: (exit code, everything it showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child side closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc.wait(timeout=60), shown.decode("utf-8", "replace")


def pdf_command(content: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "pdf", "--year", "2022", "--content", str(content), "--out", str(out)]


def test_pdf_shows_each_department_as_libreoffice_converts_it_on_a_terminal_only(tmp_path):
    content = departments(tmp_path, 3)
    env = environment(tmp_path)
    code, shown = on_a_terminal(pdf_command(content, tmp_path / "tty"), env, tmp_path)
    assert code == 0, shown
    # make pdf prints what a reviewer prints (issue 23): each report and each 自评表
    assert sorted(p.name for p in (tmp_path / "tty" / "2022").glob("*.pdf")) == sorted(f"d{i}{s}.pdf" for i in range(3) for s in ("", "-自评表"))
    lines = re.findall(r"LibreOffice 正在转换 PDF (\d)/(\d)：([^\r ]*)", shown)
    assert "\x1b" not in shown  # no escape codes: the same on Windows' console
    # each file as its PDF appears: three reports and three 自评表
    assert ("1", "6", "d0") in lines and ("6", "6", "d2-自评表") in lines, shown
    assert any(name.startswith("准备") for _, _, name in lines), shown  # the first pass (the reports) is shown too
    assert "已生成" in shown.rstrip().splitlines()[-1], shown  # the progress line cleared before the result

    piped = subprocess.run(pdf_command(content, tmp_path / "pipe"), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert "正在转换" not in piped.stderr + piped.stdout and "\r" not in piped.stderr + piped.stdout
    assert (tmp_path / "pipe" / "2022" / "d2.pdf").is_file()

    in_ci = on_a_terminal(pdf_command(content, tmp_path / "ci"), {**env, "CI": "true"}, tmp_path)
    assert in_ci[0] == 0 and "正在转换" not in in_ci[1], in_ci[1]


def test_a_department_libreoffice_cannot_convert_blocks_no_other(tmp_path):
    """LibreOffice making no PDF of one report: the others' .docx and .pdf are written, that
    department keeps its earlier files (all or none of a department's), and the command says
    which department and exits 2 (the machine's problem, not the content's)."""
    content = departments(tmp_path, 3)
    out = tmp_path / "build"
    (out / "2022").mkdir(parents=True)
    (out / "2022" / "d1.docx").write_bytes(b"earlier d1")
    env = environment(tmp_path, FAKE_FAILS="d1", FAKE_SECONDS="0")
    result = subprocess.run(pdf_command(content, out), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    # d1's report made no PDF: none of d1's files is written (its 自评表 converted, but a
    # department's files are all or none); d0 and d2 get the report and the 自评表, each with its PDF
    each = ("{}.docx", "{}.pdf", "{}-自评表.xlsx", "{}-自评表.docx", "{}-自评表.pdf")
    assert sorted(p.name for p in (out / "2022").iterdir()) == sorted([f.format(d) for d in ("d0", "d2") for f in each] + ["d1.docx"])
    assert (out / "2022" / "d1.docx").read_bytes() == b"earlier d1"
    last = result.stderr.strip().splitlines()
    assert last[-2].startswith("LibreOffice 未能把 1 个部门的报告转换为 PDF"), last
    assert last[-1].startswith("  重庆市璧山区第1局（content/d1/2022.yaml）：LibreOffice 未能转换为 PDF"), last

    everyone = subprocess.run(pdf_command(content, out) + ["--all-or-nothing"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert everyone.returncode == 2 and "d1" in everyone.stderr and "内部错误" not in everyone.stderr, everyone.stderr


def test_import_of_a_doc_shows_how_long_libreoffice_has_been_at_it(tmp_path):
    docx = tmp_path / "reference.docx"
    made = run_cli("report", "--year", "2022", "--content", str(ROOT / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (tmp_path / "build" / "2022" / "bishan-kjj.docx").rename(docx)
    doc = tmp_path / "上年报告.doc"
    doc.write_bytes(b"a .doc the stand-in converts by copying the .docx")
    env = environment(tmp_path, FAKE_DOCX=str(docx), FAKE_SECONDS="2")
    command = [sys.executable, "-m", "pipeline", "import", str(doc), "--dept", "new-one", "--year", "2022", "--content", str(tmp_path / "content")]
    code, shown = on_a_terminal(command, env, tmp_path)
    assert code == 0, shown
    assert re.search(r"LibreOffice 正在把 上年报告\.doc 转换为 \.docx……已 [12] 秒", shown), shown
    assert "已生成" in shown and (tmp_path / "content" / "new-one" / "2022.yaml").is_file()

    command[command.index("new-one")] = "other"
    piped = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert "正在把" not in piped.stderr + piped.stdout and "\r" not in piped.stderr


def test_check_brief_prints_one_line_per_department_and_the_errors_only(tmp_path):
    content = departments(tmp_path, 3)
    full = run_cli("check", "--year", "2022", "--content", str(content), cwd=tmp_path)
    warnings = sum(1 for line in full.stdout.splitlines() if "警告：" in line)
    assert full.returncode == 0 and warnings > 3, full.stdout
    brief = run_cli("check", "--brief", "--year", "2022", "--content", str(content), cwd=tmp_path)
    assert brief.returncode == 0, brief.stderr
    lines = brief.stdout.splitlines()
    assert len(lines) == 3, lines
    for i, line in enumerate(lines):
        assert re.fullmatch(rf"重庆市璧山区第{i}局：0 个错误，{warnings // 3} 个警告，总分 [\d.]+ 分，等级“[优良中差]”（content/d{i}/2022\.yaml）", line), line

    broken = content / "d1" / "2022.yaml"
    broken.write_text(edit(edit(real_text(), NAME, "  name: 重庆市璧山区第1局"), "  executed: 1209.56", "  executed: -1"), encoding="utf-8")
    brief = run_cli("check", "--brief", "--year", "2022", "--content", str(content), cwd=tmp_path)
    assert brief.returncode == 1
    lines = brief.stdout.splitlines()
    assert len(lines) == 4, lines  # the one error, then the three departments
    assert re.match(r"content/d1/2022\.yaml:\d+:\d+: budget\.executed.*不能为负数", lines[0]), lines
    assert lines[2].startswith("重庆市璧山区第1局：1 个错误，") and "未计算总分" in lines[2], lines


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="make 未安装")
def test_make_check_brief_passes_the_option(tmp_path):
    result = subprocess.run(["make", "--no-print-directory", "check", "BRIEF=1", "YEAR=2022"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("首次使用")]  # make may install first
    assert len(lines) == len(list((ROOT / "content").glob("*/2022.yaml"))), result.stdout
    assert all(re.search(r"：\d+ 个错误，\d+ 个警告，总分 ", line) for line in lines), lines


def test_fuzz_counts_its_cases_on_a_terminal_and_stays_quiet_in_a_pipe(tmp_path):
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py"), "-k", "any_mutation"]
    env = {**environment(tmp_path), "FUZZ_EXAMPLES": "3"}
    code, shown = on_a_terminal(command, env, ROOT)
    assert code == 0, shown
    assert re.search(r"模糊测试 [123]/3：改动内容文件", shown), shown

    piped = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0, piped.stdout
    assert "模糊测试" not in piped.stdout + piped.stderr
