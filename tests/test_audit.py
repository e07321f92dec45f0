"""make audit: 审核意见.xlsx and the letters, read back; the summary's column; the preview;
the package's layering. The departments: the reference with a previous year, two examples.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline.commands.audit.rules import RULES

from .conftest import ROOT, edit, real_text, run_cli, soffice
from .test_audit_rules import EXAMPLES, _santong, dump, last_year, load

DISTRICT = "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\ndate: 2023-03-31\n"


@pytest.fixture
def project(tmp_path) -> Path:
    """content/: the reference (2022, and 2021 with less 三公), the town and the commerce examples."""
    content = tmp_path / "content"
    (content / "bishan-kjj").mkdir(parents=True)
    (content / "bishan-kjj" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    (content / "bishan-kjj" / "2021.yaml").write_text(dump(_santong(last_year(load()), "3", "1")), encoding="utf-8")
    for key in ("qingshan-town", "commerce"):
        (content / key).mkdir()
        shutil.copy(EXAMPLES / key / "2022.yaml", content / key / "2022.yaml")
    return tmp_path


def audit(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("audit", "--year", "2022", "--content", str(project / "content"), "--out", str(project / "build"), *extra)


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1
    return text[: text.index(needle)].count("\n") + 1


def test_the_sheet_lists_every_finding_with_its_file_and_line(project):
    result = audit(project)
    assert result.returncode == 0, result.stderr
    out = project / "build" / "2022"
    assert sorted(p.name for p in out.iterdir()) == ["bishan-kjj-审核意见.docx", "qingshan-town-审核意见.docx", "审核意见.xlsx"]

    wb = openpyxl.load_workbook(out / "审核意见.xlsx")
    assert wb.sheetnames == ["审核意见", "各部门", "审核规则"]
    found = rows(wb["审核意见"])
    ref = [r for r in found if r["部门"] == "重庆市璧山区科学技术局"]
    town = [r for r in found if r["部门"] == "重庆市某区青山镇人民政府"]
    assert len(found) == len(ref) + len(town) and not [r for r in found if "商务" in r["部门"]]

    text = real_text()
    low = next(r for r in ref if r["规则"] == "1.1")
    assert low["类别"] == "需说明" and "42.42%" in low["审核意见"] and "预算执行率 42.42%" in low["涉及数字"]
    assert low["内容文件"].endswith("bishan-kjj/2022.yaml") and low["行"] == line_of(text, "executed: 1209.56")
    up = next(r for r in ref if r["规则"] == "5.2")  # compared with 2021: 4.00 → 5.98
    assert "增加1.98万元" in up["审核意见"] and up["行"] == line_of(text, "change_reason: 国内公务接待减少")
    assert [r["规则"] for r in town] == ["5.3"]
    assert [r["序号"] for r in found] == list(range(1, len(found) + 1))

    counts = {r["部门"]: r for r in rows(wb["各部门"])}
    assert counts["重庆市璧山区科学技术局"]["合计"] == len(ref)
    assert counts["重庆市璧山区科学技术局"]["与上年比较"].endswith("bishan-kjj/2021.yaml")
    assert counts["重庆市某区商务委员会"]["合计"] == 0 and counts["重庆市某区商务委员会"]["与上年比较"] == "无上一年度文件"
    assert [r["规则"] for r in rows(wb["审核规则"])] == [rule.id for rule, _ in RULES]
    assert "不改变任何得分" in result.stdout


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def test_the_letter_is_official_and_signed_by_the_bureau_when_the_district_says_who(project):
    (project / "content" / "district.yaml").write_text(DISTRICT, encoding="utf-8")
    assert audit(project).returncode == 0
    paras = _paragraphs(project / "build" / "2022" / "bishan-kjj-审核意见.docx")
    style, title = paras[0]
    assert style == "Title" and title.replace("\n", "") == "关于重庆市璧山区科学技术局2022年度部门整体支出绩效自评报告的审核意见"
    assert paras[1] == ("Normal", "重庆市璧山区科学技术局：")
    heads = [text for style, text in paras if style == "Heading 1"]
    assert heads == ["一、需说明的事项", "二、建议", "三、提示"]
    first_item = paras[[t for _, t in paras].index("一、需说明的事项") + 1][1]
    assert first_item.startswith("1、预算执行率为42.42%")
    assert paras[-2:] == [("Signature", "重庆市璧山区财政局"), ("Signature", "2023年3月31日")]
    town = _paragraphs(project / "build" / "2022" / "qingshan-town-审核意见.docx")
    assert [t for s, t in town if s == "Heading 1"] == ["一、建议"]  # numbered from 一 whatever it holds


def test_without_district_settings_the_letter_has_no_signature(project):
    assert audit(project).returncode == 0
    paras = _paragraphs(project / "build" / "2022" / "bishan-kjj-审核意见.docx")
    assert not [p for p in paras if p[0] == "Signature"]
    assert paras[-1][1].startswith("请对上述需说明的事项逐条作出书面说明")


def test_a_department_without_findings_now_loses_last_runs_letter(project):
    stale = project / "build" / "2022" / "commerce-审核意见.docx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    assert audit(project).returncode == 0
    assert not stale.exists()


def test_same_content_same_bytes(project):
    assert audit(project).returncode == 0
    out = project / "build" / "2022"
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert audit(project).returncode == 0
    assert first == {p.name: p.read_bytes() for p in out.iterdir()}


def test_content_errors_write_nothing_and_exit_1(project):
    assert audit(project).returncode == 0
    sheet = project / "build" / "2022" / "审核意见.xlsx"
    before = sheet.read_bytes()
    broken = project / "content" / "commerce" / "2022.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("year: 2022", "year: 2022\nyeer: 1", 1), encoding="utf-8")
    result = audit(project)
    assert result.returncode == 1
    assert "commerce/2022.yaml:" in result.stderr and "未生成审核意见" in result.stderr
    assert sheet.read_bytes() == before


def test_a_previous_year_with_errors_is_not_compared_and_said_so(project):
    before = project / "content" / "bishan-kjj" / "2021.yaml"
    before.write_text(before.read_text(encoding="utf-8") + "oops: 1\n", encoding="utf-8")
    result = audit(project, "--dept", "bishan-kjj")
    assert result.returncode == 0
    assert "2021.yaml 有错误，未与上一年度比较" in result.stderr
    assert " 5.2 " not in result.stdout


def test_one_department_lists_each_finding_and_writes_its_letter_only(project):
    result = audit(project, "--dept", "qingshan-town")
    assert result.returncode == 0, result.stderr
    text = (EXAMPLES / "qingshan-town" / "2022.yaml").read_text(encoding="utf-8")
    line = line_of(text, "- name: 基本支出")
    assert f"qingshan-town/2022.yaml:{line}: [建议] 5.3 基本支出超支71.14万元" in result.stdout
    assert sorted(p.name for p in (project / "build" / "2022").iterdir()) == ["qingshan-town-审核意见.docx"]


def test_the_summary_counts_each_departments_findings(project):
    assert audit(project).returncode == 0
    result = run_cli("summary", "--year", "2022", "--content", str(project / "content"), "--out", str(project / "build"))
    assert result.returncode == 0, result.stderr
    audited = {r["部门"]: r for r in rows(openpyxl.load_workbook(project / "build" / "2022" / "审核意见.xlsx")["各部门"])}
    ws = openpyxl.load_workbook(project / "build" / "2022" / "汇总.xlsx").worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    head = values[1]
    column = head.index("审核意见\n（条）")
    said = {row[1]: row[column] for row in values[2:] if row[1] in audited}
    assert len(said) == 3
    for name, row in audited.items():
        expected = "，".join(f"{k} {row[k]}" for k in ("需说明", "建议", "提示") if row[k]) or "无"
        assert said[name] == expected
    assert said["重庆市某区商务委员会"] == "无" and "需说明" in said["重庆市璧山区科学技术局"]


def test_the_preview_shows_findings_beside_their_parts(project):
    from pipeline.commands.preview import Preview, report_html

    content = project / "content"
    preview = Preview(project, content, 2022, ROOT / "templates" / "report.docx")
    entry = preview.entry("bishan-kjj", content / "bishan-kjj" / "2022.yaml")
    html = report_html(entry, 2022)
    budget = html[html.index('id="part-budget"') :]
    budget = budget[: budget.index("</div>")]
    assert "审核·需说明" in budget and "1.1 预算执行率为42.42%" in budget
    santong = html[html.index('id="part-santong"') :]
    assert "5.2 “三公”经费支出5.98万元，比上一年度4万元增加1.98万元" in santong[: santong.index("</div>")]
    assert f'审核意见：{len(entry.findings)} 条' in html
    counts = {s: sum(f.severity.value == s for f in entry.findings) for s in ("需说明", "建议", "提示")}
    assert all(counts.values())
    said = "，".join(f"{s} {n}" for s, n in counts.items())
    assert f"<td>{said}</td>" in preview.index_fragment()  # the year's index counts them too
    assert "<td>无</td><td><code>content/commerce/2022.yaml" in preview.index_fragment()


def test_the_letter_prints(project, tmp_path):
    if soffice() is None:
        pytest.skip("没有 LibreOffice（soffice）：无法把审核意见函转为 PDF")
    (project / "content" / "district.yaml").write_text(DISTRICT, encoding="utf-8")
    assert audit(project).returncode == 0
    from pipeline.output.pdf import to_pdf

    done, problems = to_pdf([project / "build" / "2022" / "qingshan-town-审核意见.docx"], tmp_path / "pdf")
    assert not problems
    text = subprocess.run(["pdftotext", "-layout", str(done[0]), "-"], capture_output=True, text=True).stdout
    assert "审核意见" in text and "基本支出超支71.14万元" in text and "重庆市璧山区财政局" in text


# ---------------------------------------------------------------- layering


def _imports(path: Path) -> set[str]:
    """Every module a file imports, absolute (pipeline.…)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


def test_content_and_output_import_no_command_and_the_audit_imports_no_other_command():
    for folder in ("content", "output"):
        for path in (ROOT / "pipeline" / folder).rglob("*.py"):
            assert not [m for m in _imports(path) if m.startswith("pipeline.commands")], path
    for path in (ROOT / "pipeline" / "commands" / "audit").rglob("*.py"):
        registry = {"pipeline.commands", "pipeline.commands.Command", "pipeline.commands.options"}  # every command's
        others = [m for m in _imports(path) if m.startswith("pipeline.commands") and not m.startswith("pipeline.commands.audit") and m not in registry]
        assert not others, (path, others)


def test_readme_lists_every_rule_with_an_example():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 审核（make audit）") : text.index("## 可靠性保证")]
    for rule, _ in RULES:
        line = next((ln for ln in section.splitlines() if ln.startswith(f"| {rule.id} |")), None)
        assert line is not None, f"README 未列出规则 {rule.id}"
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[1] == rule.severity.value and cells[2] == rule.description and len(cells[3]) > 8


def test_a_district_file_with_errors_stops_the_audit_located(project):
    (project / "content" / "district.yaml").write_text("bureau: 重庆市璧山区财政局\nregoin: 重庆市璧山区\n", encoding="utf-8")
    result = audit(project)
    assert result.returncode == 1
    assert "district.yaml:2:1: 未知的键“regoin”" in result.stderr
    assert not (project / "build").exists()


def test_without_a_date_the_letter_is_dated_by_the_latest_report(project):
    (project / "content" / "district.yaml").write_text("bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\n", encoding="utf-8")
    assert audit(project).returncode == 0
    from pipeline import build
    from pipeline.content.wording import date

    latest = max(build.report_date(build.check(p).report) for p in (project / "content").glob("*/2022.yaml"))
    paras = _paragraphs(project / "build" / "2022" / "qingshan-town-审核意见.docx")
    assert paras[-2:] == [("Signature", "重庆市璧山区财政局"), ("Signature", date(latest))]
