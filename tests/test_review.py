"""Review: Markdown of the report, what a git change does to it, PDF, next year's content,
the pre-commit hook and git's textconv for .docx."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, edit, real_text, run_cli, soffice, where

NEEDS_SOFFICE = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


def scratch_repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "repo"
    content = repo / "content" / "bishan-kjj" / "2022.yaml"
    content.parent.mkdir(parents=True)
    content.write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2022")
    return repo


# The reference content prints no targets. For a diff to move a score, give one indicator a
# target: 新增科技型企业数量 ≥ 171 家 (met: full marks, as in the reference).
WITH_TARGET = edit(
    real_text(),
    "    actual: 171\n    judgement:\n      coefficient: 1\n      basis: 评价标准\n",
    "    direction: '>='\n    target_initial: 171\n    actual: 171\n",
)


def test_unchanged_tree_says_nothing_changed(tmp_path):
    repo = scratch_repo(tmp_path, WITH_TARGET)
    result = run_cli("diff", "--year", "2022", "--from", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "没有变化。"


def test_changed_actual_shows_score_rate_total_grade_and_sentence(tmp_path):
    repo = scratch_repo(tmp_path, WITH_TARGET)
    content = repo / "content" / "bishan-kjj" / "2022.yaml"
    changed = edit(WITH_TARGET, "    actual: 171\n", "    actual: 50\n    deviation:\n      reason: 受经济下行影响，企业申报意愿下降\n")
    content.write_text(changed, encoding="utf-8")
    before = sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts)
    result = run_cli("diff", "--year", "2022", "--from", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # 15 × 50 ÷ 171 = 4.3859… → 4.39; total 94.24 − 15 + 4.39 = 83.63: the grade crosses into 良.
    assert "新增科技型企业数量 全年完成值：171家 → 50家" in out
    assert "新增科技型企业数量 得分：15 → 4.39" in out
    assert "新增科技型企业数量 得分率：100% → 29.24%" in out
    assert "总分：94.24 → 83.63" in out
    assert "等级：优 → 良" in out
    assert "  - 增强科技服务水平，加大科技型企业投入，本年度新增科技型企业171家。根据评价标准，完成值达到指标值，该指标得100%权重分。" in out
    assert "  + 增强科技服务水平，加大科技型企业投入，本年度新增科技型企业50家。偏差原因：受经济下行影响，企业申报意愿下降。根据评价标准，按完成值占指标值的比例计分，该指标得29.24%权重分。" in out
    assert "新增科技型企业数量 | 15 | 4.39" not in out  # table cells show as paragraphs, not a fake table
    # A changed table cell names its table, row and column (it was a bare "- 15" / "+ 4.39").
    assert "  表1 第3行（新增科技型企业数量）得分：15 → 4.39" in out
    assert "  表1 第3行（新增科技型企业数量）得分率：100% → 29.24%" in out
    assert "“重庆市璧山区科学技术局2022年度部门整体支出绩效自评表” 第1行 自评总分：94.24 → 83.63" in out
    assert "“绩效指标”表 第2行（新增科技型企业数量）全年完成值：171 → 50" in out
    assert "  - 15\n" not in out and "  + 4.39\n" not in out
    # Nothing written: neither the working tree nor build/.
    assert sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts) == before
    # Between two revisions too.
    git(repo, "commit", "-qam", "actual 50")
    result = run_cli("diff", "--year", "2022", "--from", "HEAD~1", "--to", "HEAD", cwd=repo)
    assert "等级：优 → 良" in result.stdout


def test_unknown_revision_or_year_exits_2(tmp_path):
    repo = scratch_repo(tmp_path, WITH_TARGET)
    result = run_cli("diff", "--year", "2022", "--from", "no-such-rev", cwd=repo)
    assert result.returncode == 2 and "未知的版本“no-such-rev”" in result.stderr
    result = run_cli("diff", "--year", "2019", "--from", "HEAD", cwd=repo)
    assert result.returncode == 2 and "没有 2019 年度的内容文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_old_revision_reports_located_problems(tmp_path):
    repo = scratch_repo(tmp_path, edit(WITH_TARGET, "  executed: 1209.56", "  executed: -1"))
    (repo / "content" / "bishan-kjj" / "2022.yaml").write_text(WITH_TARGET, encoding="utf-8")
    result = run_cli("diff", "--year", "2022", "--from", "HEAD", cwd=repo)
    assert result.returncode == 1
    text = edit(WITH_TARGET, "  executed: 1209.56", "  executed: -1")
    assert f"content/bishan-kjj/2022.yaml@HEAD:{where(text, '-1')}: budget.executed" in result.stderr


def test_review_markdown_has_the_numbered_outline_and_table(tmp_path, write_content):
    write_content(real_text())
    result = run_cli("review", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "build" / "2022" / "bishan-kjj.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", md, re.M)
    assert headings == [
        "一、基本情况", "（一）部门基本情况", "1、部门职级", "2、内设机构及编制", "3、职能职责",
        "（二）预算及支出情况", "1、财政资金整体支出", "2、部门“三公”经费支出",
        "二、主要成效", "（一）绩效评价工作开展情况", "1、前期准备", "2、组织实施", "3、分析评价", "（二）主要经验及做法",
        "三、绩效评价情况及结论",
        # section 三's per-indicator headings are headings too, as the reference numbers them
        "1、预算执行率分析", "2、新增科技型企业数量分析", "3、新增高新技术企业数量分析", "4、举办创新创业大赛场次分析",
        "5、举办科技活动周场次分析", "6、选派科技特派员人数分析", "7、技术合同认定个数分析", "8、科技成果认定个数分析",
        "9、职工满意度分析", "10、企业满意度分析",
        "四、需重点关注的问题", "五、有关建议",
    ]
    lines = md.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[first:]:  # Table 1: the first table (the attachment's tables follow later)
        if not line.startswith("|"):
            break
        rows.append(line)
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert cells[0] == ["指标名称", "权重", "得分", "得分率"]
    body = [c for c in cells[2:]]
    assert len(body) == 10
    assert body[0] == ["预算执行率", "10", "4.24", "42.42%"] and body[-1] == ["企业满意度", "5", "5", "100%"]
    # One paragraph per line: the long 职能转变 paragraph is a single line.
    assert any(line.startswith("（14）职能转变。") and line.endswith("引进国外智力工作。") for line in md.splitlines())


@NEEDS_SOFFICE
def test_pdf_holds_the_title_and_table(tmp_path, write_content):
    write_content(real_text())
    result = run_cli("pdf", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "build" / "2022" / "bishan-kjj.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "重庆市璧山区科学技术局2022年度部门整体支出绩效自评报告" in flat
    assert "表1：指标得分情况" in flat and "预算执行率104.2442.42%" in flat


def test_pdf_without_libreoffice_says_how_to_install(tmp_path):
    env_path = tmp_path / "bin"
    env_path.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "pdf", "--year", "2022"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "PATH": str(env_path)},
    )
    assert result.returncode == 2 and "apt-get install libreoffice-writer-nogui" in result.stderr


def test_new_year_lists_what_to_fill_and_passes_once_filled(tmp_path):
    root = tmp_path / "content"
    (root / "bishan-kjj").mkdir(parents=True)
    (root / "bishan-kjj" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    made = run_cli("new-year", "--from", "2022", "--to", "2023", "--content", str(root), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    new = root / "bishan-kjj" / "2023.yaml"
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/report.schema.json")
    checked = run_cli("check", "--year", "2023", "--content", str(root), cwd=tmp_path)
    assert checked.returncode == 1
    messages = [m for m in checked.stdout.splitlines() if "：未填写" in m]
    assert messages and all(m.startswith("content/bishan-kjj/2023.yaml:") for m in messages)
    # One message per blank value, each at its key's line.
    empty_lines = [i for i, line in enumerate(text.splitlines(), start=1) if re.fullmatch(r"\s*(- )?[a-z_]+:\s*", line) and _is_leaf(text, i)]
    assert sorted(int(m.split(":")[1]) for m in messages) == empty_lines
    # Stable parts were carried, the year's figures were not.
    assert "职能转变。" in text and "weight: 15" in text and "2931.88" not in text and "171" not in text
    # Fill every blank with a value of the right kind: the report then passes.
    filled = _fill(text)
    new.write_text(filled, encoding="utf-8")
    again = run_cli("check", "--year", "2023", "--content", str(root), cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    # It never overwrites.
    twice = run_cli("new-year", "--from", "2022", "--to", "2023", "--content", str(root), cwd=tmp_path)
    assert twice.returncode == 1 and "文件已存在" in twice.stderr
    assert new.read_text(encoding="utf-8") == filled


def _is_leaf(text: str, lineno: int) -> bool:
    """Is the `key:` on this line empty, i.e. not followed by a deeper-indented block?"""
    lines = text.splitlines()
    key_col = len(re.match(r"\s*(?:- )?", lines[lineno - 1]).group(0))
    for nxt in lines[lineno:]:
        if nxt.strip() and not nxt.lstrip().startswith("#"):
            return len(nxt) - len(nxt.lstrip(" ")) <= key_col
    return True


FILL = {
    "initial": "100", "carryover_start": "0", "adjusted": "100", "executed": "100", "carryover_end": "0",
    "amount": "1", "budget": "2", "purchased": "0", "disposed": "0", "held": "2", "groups": "0", "people": "0",
    "start": None, "end": None, "actual": "1", "coefficient": "1",
    "text": "文字。", "basis": "依据", "analysis": "分析。",
    "experience": "\n  - 经验。", "problems": "\n  - 问题。", "suggestions": "\n  - 建议。",
}


def _fill(text: str) -> str:
    out, dates = [], iter(["2024-01-05", "2024-01-10", "2024-01-11", "2024-01-20"])
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = re.fullmatch(r"(\s*(?:- )?)([a-z_]+):\s*", line)
        if m and _is_leaf(text, lineno):
            value = FILL[m.group(2)] or next(dates)
            line = f"{m.group(1)}{m.group(2)}: {value}" if not value.startswith("\n") else f"{m.group(1)}{m.group(2)}:{value}"
        out.append(line)
    return "\n".join(out) + "\n"


def test_pre_commit_hook_refuses_a_broken_content_file(tmp_path):
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit 未安装（pip install pre-commit，或 make test 会装好）")
    repo = scratch_repo(tmp_path, real_text())
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / ".venv" / "bin").mkdir(parents=True)
    wrapper = repo / ".venv" / "bin" / "python"  # the hook's interpreter: this test's Python
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PRE_COMMIT_HOME": str(tmp_path / "pc-home")}
    content = repo / "content" / "bishan-kjj" / "2022.yaml"
    broken = edit(real_text(), "  executed: 1209.56", "  executed: -1")
    content.write_text(broken, encoding="utf-8")
    git(repo, "add", "-A")
    result = subprocess.run([pre_commit, "run"], cwd=repo, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"content/bishan-kjj/2022.yaml:{where(broken, '-1')}: budget.executed" in result.stdout
    content.write_text(real_text(), encoding="utf-8")
    git(repo, "add", "-A")
    result = subprocess.run([pre_commit, "run"], cwd=repo, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_git_diff_shows_docx_text_through_textconv(tmp_path):
    repo = scratch_repo(tmp_path, real_text())
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(ROOT / "templates" / "report.docx", repo / "t.docx")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "docx")
    subprocess.run(["git", "config", "diff.docx.textconv", f"{sys.executable} -m pipeline text"], cwd=repo, check=True)
    built = run_cli("report", "--year", "2022", "--out", str(tmp_path / "b"), cwd=repo)
    assert built.returncode == 0, built.stderr
    shutil.copy(tmp_path / "b" / "2022" / "bishan-kjj.docx", repo / "t.docx")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(["git", "diff"], cwd=repo, capture_output=True, text=True, env=env).stdout
    assert "+# 一、基本情况" in out and "-# {{ h1() }}基本情况" in out


def test_pdf_and_review_keep_the_usage_exit_code(tmp_path, write_content):
    write_content(real_text())
    for command in ("review", "pdf"):
        result = run_cli(command, "--year", "2022", "--content", str(tmp_path / "content"), "--template", str(tmp_path / "no.docx"), cwd=tmp_path)
        if command == "pdf" and soffice() is None:
            continue
        assert result.returncode == 2 and "找不到模板文件" in result.stderr, (command, result.stderr)
