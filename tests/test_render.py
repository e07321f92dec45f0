"""`make report`: the reference report reproduced, official format, safe and reproducible output."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from pipeline.output import compose
from pipeline.build import check

from .conftest import CONTENT, ROOT, docx_lines, edit, real_text, run_cli, seed_lines, soffice

OUT = "build/2022/bishan-kjj.docx"


def build(tmp_path, text: str | None = None, *extra: str):
    """Run `report` in a scratch project holding the content (the real one unless given)."""
    content = tmp_path / "content" / "bishan-kjj" / "2022.yaml"
    content.parent.mkdir(parents=True, exist_ok=True)
    content.write_text(real_text() if text is None else text, encoding="utf-8")
    result = run_cli("report", "--year", "2022", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "build"), *extra, cwd=tmp_path)
    return result, tmp_path / OUT


@pytest.fixture(scope="module")
def real_docx(tmp_path_factory):
    result, path = build(tmp_path_factory.mktemp("real"))
    assert result.returncode == 0, result.stderr
    return path


def test_reference_report_is_reproduced_paragraph_by_paragraph(real_docx):
    generated = docx_lines(real_docx)
    expected = seed_lines()
    # The reference's only arithmetic error: Table 1 prints 得分率 98% for 企业满意度, which
    # scored 5 of 5. Its row is 企业满意度, 5, 5, 得分率; we print the computed 100%.
    row = expected.index("企业满意度")
    assert expected[row : row + 4] == ["企业满意度", "5", "5", "98%"]
    expected[row + 3] = "100%"
    # Its one slip of wording: "年初预算支出13.2万，" without 元, which every other amount has; we
    # print 万元 (a reviewer sends the bare 万 back).
    santong = next(i for i, line in enumerate(expected) if "年初预算支出13.2万，" in line)
    expected[santong] = expected[santong].replace("年初预算支出13.2万，", "年初预算支出13.2万元，")
    # The seed's text starts after the title paragraph; the generated file has it first, and
    # ends with the self-evaluation form as its attachment (the reference filed it separately).
    # After the body, GB/T 9704's 附件说明 and 落款 (the reference printed neither).
    assert generated[0] == "重庆市璧山区科学技术局2022年度部门整体支出绩效自评报告"
    note = generated.index("附件：重庆市璧山区科学技术局2022年度部门整体支出绩效自评表")
    attachment = generated.index("附件")
    assert generated[1:note] == expected
    assert generated[note:attachment] == [
        "附件：重庆市璧山区科学技术局2022年度部门整体支出绩效自评表", "重庆市璧山区科学技术局", "2023年3月28日",
    ]
    assert generated[attachment + 1] == "重庆市璧山区科学技术局2022年度部门整体支出绩效自评表"


def test_sha256_is_the_same_for_two_builds(tmp_path):
    first, path = build(tmp_path / "a")
    second, again = build(tmp_path / "b")
    assert first.returncode == second.returncode == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(again.read_bytes()).hexdigest()


def test_core_properties_come_from_the_content(real_docx):
    import docx

    props = docx.Document(str(real_docx)).core_properties
    assert props.title == "重庆市璧山区科学技术局2022年度部门整体支出绩效自评报告"
    assert props.author == "重庆市璧山区科学技术局"
    assert props.created.date().isoformat() == "2023-03-28"
    import zipfile

    with zipfile.ZipFile(real_docx) as z:
        assert all(b"python-docx" not in z.read(n) for n in z.namelist())


def test_an_error_writes_nothing_and_keeps_the_earlier_report(tmp_path):
    result, path = build(tmp_path)
    assert result.returncode == 0
    before = path.read_bytes()
    broken = edit(real_text(), "  executed: 1209.56", "  executed: -1")
    result, _ = build(tmp_path, broken)
    assert result.returncode == 1
    assert "不能为负数" in result.stderr and "未生成任何报告" in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["bishan-kjj.docx"]  # no temp file left


SPECIALS = "A&B <c> \"d\" 'e' {{ f }} {% g %} {#h#}"


def test_special_characters_print_literally(tmp_path):
    text = edit(real_text(), "  - 完成区委和区政府交办的其他任务。", f"  - '{SPECIALS.replace(chr(39), chr(39) * 2)}'")
    result, path = build(tmp_path, text)
    assert result.returncode == 0, result.stderr
    lines = docx_lines(path)
    assert f"（13）{SPECIALS}" in lines
    assert lines[lines.index("附件") - 4] == "2、加大科技特派员进村入户开展宣传培训力度，引进推广农业新品种、新技术、培育壮大优势特色产业。"


def test_absent_parts_disappear_and_the_rest_renumber(tmp_path):
    text = real_text()
    start, end = text.index("santong:\n"), text.index("evaluation:\n")
    text = text[:start] + text[end:]
    start, end = text.index("problems:\n"), text.index("suggestions:\n")
    text = text[:start] + text[end:]
    result, path = build(tmp_path, text)
    assert result.returncode == 0, result.stderr
    lines = docx_lines(path)
    assert not any("三公" in line for line in lines)
    assert "四、需重点关注的问题" not in lines
    assert "四、有关建议" in lines
    assert "1、财政资金整体支出" in lines and "2、部门“三公”经费支出" not in lines


def test_level3_numbers_can_follow_gbt_9704(tmp_path):
    result, path = build(tmp_path, None, "--level3", ".")
    assert result.returncode == 0, result.stderr
    lines = docx_lines(path)
    assert "1.部门职级" in lines and "1.预算执行率分析" in lines


# ---------------------------------------------------------------- sentences adapt to the data


@pytest.fixture
def real():
    return check(CONTENT)


def test_budget_sentence_names_carryover_amounts(real):
    budget = real.report.budget.model_copy(update={"carryover_start": compose.Decimal("12.5"), "carryover_end": compose.Decimal("3")})
    report = real.report.model_copy(update={"budget": budget})
    text = compose.budget(report)
    assert "年初结转和结余资金12.5万元" in text and "年末结转和结余资金3万元" in text
    assert "年初无结转和结余资金" in compose.budget(real.report)


def test_santong_sentence_follows_the_direction_of_change(real):
    from pipeline.content.score import score

    s = real.report.santong
    more = s.model_copy(update={"budget": compose.Decimal("5"), "change_reason": "接待增加"})
    report = real.report.model_copy(update={"santong": more})
    scores = score(report)
    assert "比年初预算增加0.98万元，主要原因是接待增加。" in compose.santong(report, scores)
    assert "比年初预算减少7.22万元，主要原因是国内公务接待减少。" in compose.santong(real.report, real.scores)
    assert "无因公出国（境）团组数及人数" in compose.santong(real.report, real.scores)
    abroad = s.model_copy(update={"overseas": s.overseas.model_copy(update={"groups": 1, "people": 3})})
    report = real.report.model_copy(update={"santong": abroad})
    scores = score(report)
    assert "因公出国（境）团组1个、3人次" in compose.santong(report, scores)


def test_below_full_indicator_prints_its_reason(real):
    from pipeline.content.score import score

    from pipeline.content.model import Indicator

    data = real.report.indicators[-1].model_dump()
    data["judgement"]["coefficient"] = compose.Decimal("0.9")
    data["deviation"] = {"reason": "个别企业反映服务响应慢", "measure": "建立回访机制"}
    lower = Indicator.model_validate(data)
    report = real.report.model_copy(update={"indicators": real.report.indicators[:-1] + [lower]})
    scores = score(report)
    last = compose.analyses(report, scores, "、")[-1]
    assert last.paragraphs == ["企业对相关工作和满意度达到98%。偏差原因：个别企业反映服务响应慢。改进措施：建立回访机制。根据评价标准，该指标得90%权重分。"]
    assert compose.num(scores.total) == "93.74"


@pytest.mark.parametrize("n,word", [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_chinese_numerals(n, word):
    assert compose.chinese(n) == word


def test_numbering_restarts_deeper_levels():
    n = compose.Numbering()
    assert [n.h1(), n.h2(), n.h3(), n.h3(), n.h4(), n.h2(), n.h3(), n.h1(), n.h2()] == ["一、", "（一）", "1、", "2、", "（1）", "（二）", "1、", "二、", "（一）"]


# ---------------------------------------------------------------- a real reader


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
def test_libreoffice_reads_the_outline_and_table(real_docx, tmp_path):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed beside LibreOffice"
    env_profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        [soffice(), "--headless", env_profile, "--convert-to", "pdf", "--outdir", str(tmp_path), str(real_docx)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**__import__("os").environ, "FONTCONFIG_FILE": str(ROOT / "tests" / "fonts.conf")},
    )
    pdf = tmp_path / "bishan-kjj.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    outline = [
        "一、基本情况", "（一）部门基本情况", "1、部门职级", "2、内设机构及编制", "3、职能职责",
        "（二）预算及支出情况", "1、财政资金整体支出", "2、部门“三公”经费支出",
        "二、主要成效", "（一）绩效评价工作开展情况", "1、前期准备", "2、组织实施", "3、分析评价", "（二）主要经验及做法",
        "三、绩效评价情况及结论", "四、需重点关注的问题", "五、有关建议",
    ]
    positions = [flat.find(h) for h in outline]
    assert all(p >= 0 for p in positions), [h for h, p in zip(outline, positions) if p < 0]
    assert positions == sorted(positions)
    assert "表1：指标得分情况" in flat
    for row in ["预算执行率104.2442.42%", "新增科技型企业数量1515100%", "企业满意度55100%"]:
        assert row in flat, row


def test_long_title_breaks_into_balanced_lines(real, real_docx):
    assert compose.title_lines(real.report) == ["重庆市璧山区科学技术局2022年度", "部门整体支出绩效自评报告"]
    short = real.report.model_copy(update={"department": real.report.department.model_copy(update={"name": "区科技局"})})
    assert compose.title_lines(short) == ["区科技局2022年度部门整体支出绩效自评报告"]
    import docx
    from docx.oxml.ns import qn

    title = docx.Document(str(real_docx)).paragraphs[0]
    assert len(title._p.findall(".//" + qn("w:br"))) == 1
