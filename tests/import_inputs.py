"""Material shaped like other units' (not the reference's), built by code for tests/test_import_other.py
and scripts/bench.py: a 自评表 typed as one Word table in the usual Chongqing layout, the same form
in Excel with other labels and percent formats, a report in another district's words with that
form attached, a second narrative in yet other words, and a .doc of it.

The units, figures and sentences are invented; the figures agree with each other as a real form's
would (parts add up to the total), except where a claimed score is wrong on purpose.

NARRATIVE_C and NARRATIVE_D were written after the readers and imported before any change for
them: 23 of 30 and 17 of 33 paragraphs placed (76.7 % and 51.5 %). The readers were then taught
the shapes they missed; the tests hold them to what they place now.
"""

from __future__ import annotations

from pathlib import Path

UNIT = "重庆市铜梁区融媒体中心"
SUPERVISOR = "中共重庆市铜梁区委宣传部"
TITLE = f"{UNIT}2022年度部门整体支出绩效自评表"

# (name, unit column, kind, 年初指标值, 调整指标值, 全年完成值, 得分系数 shown, weight, claimed score, core)
# Targets as clerks type them: with a sign and a unit, a sign only, or a bare number.
INDICATORS = [
    ("新闻稿件播发数量", "篇", "定量", "≥3000篇", "", "3250", "100%", "5", "5", "是"),
    ("电视新闻播出时长", "小时", "定量", "≥500", "", "520", "100%", "5", "5", "否"),
    ("新媒体平台推送条数", "条", "定量", "≥8000条", "", "7600", "95%", "5", "4.75", "否"),
    ("重大主题宣传专题数", "个", "定量", "≥12个", "", "12", "100%", "5", "5", "是"),
    ("广播节目播出时长", "小时", "定量", "≥2000", "≥1800", "1850", "100%", "5", "5", "否"),
    ("直播活动场次", "场", "定量", "≥30场", "", "24", "80%", "5", "4", "否"),
    ("安全播出事故次数", "次", "定量", "≤1次", "", "0", "100%", "5", "5", "是"),
    ("稿件差错率", "%", "定量", "≤1%", "", "0.8%", "100%", "5", "5", "否"),
    ("节目按时播出率", "%", "定量", "=100%", "", "100%", "100%", "5", "5", "否"),
    ("设备完好率", "%", "定量", "≥95%", "", "96%", "100%", "4", "4", "否"),
    ("项目完成及时率", "%", "定量", "≥90%", "", "85%", "94.44%", "4", "3.78", "否"),
    ("运行成本控制率", "%", "定量", "≤100%", "", "98%", "100%", "4", "4", "否"),
    ("舆论引导能力", "", "定性", "高", "", "高", "95%", "5", "4.75", "是"),
    ("社会影响力", "", "定性", "较大", "", "较大", "90%", "5", "4.5", "否"),
    ("群众满意度", "%", "定量", "≥90%", "", "93%", "100%", "5", "5", "否"),
    ("职工满意度", "%", "定量", "≥85%", "", "88%", "100%", "4", "4", "否"),
    ("宣传覆盖率", "%", "定量", "≥95%", "", "97.5%", "100%", "5", "5", "否"),
    ("制度健全性", "", "定性", "健全", "", "健全", "100%", "5", "5", "否"),
    ("政府采购执行率", "%", "定量", "≥100%", "", "72.74%", "100%", "4", "4", "否"),  # claimed full: the rule gives 2.91
]
REASONS = {  # 偏差原因 | 改进措施 of the rows below full marks, and of the execution rate
    "预算执行率": ("部分项目资金年末未支付", "加快项目实施和资金支付进度"),
    "新媒体平台推送条数": ("平台改版停更一个月", "提前安排改版"),
    "直播活动场次": ("疫情影响取消部分活动", "增加线上直播"),
    "项目完成及时率": ("设备到货延迟", "提前采购"),
    "舆论引导能力": ("个别热点回应不及时", "建立快速回应机制"),
    "社会影响力": ("外宣渠道有限", "拓展合作渠道"),
    "政府采购执行率": ("部分采购项目延至次年", "按月调度采购进度"),
}
BUDGET = {"initial": "1172.55", "adjusted": "1268.30", "executed": "1203.72"}
PARTS = [("基本支出", "985.19", "1010.50", "1003.20", "99.28%"), ("项目支出", "187.36", "257.80", "200.52", "77.78%")]
GOALS = ("做好全区新闻宣传和舆论引导工作，保障安全播出。", "", "全年播发新闻稿件3250篇，安全播出零事故。")

# What the import must place, worked out by hand from the rows above (the expected draft).
EXPECTED_INDICATORS = [
    {"name": "新闻稿件播发数量", "weight": 5, "unit": "篇", "kind": "定量", "direction": ">=", "target_initial": 3000, "actual": 3250, "core": True},
    {"name": "电视新闻播出时长", "weight": 5, "unit": "小时", "kind": "定量", "direction": ">=", "target_initial": 500, "actual": 520, "core": False},
    {"name": "新媒体平台推送条数", "weight": 5, "unit": "条", "kind": "定量", "direction": ">=", "target_initial": 8000, "actual": 7600, "core": False},
    {"name": "重大主题宣传专题数", "weight": 5, "unit": "个", "kind": "定量", "direction": ">=", "target_initial": 12, "actual": 12, "core": True},
    {"name": "广播节目播出时长", "weight": 5, "unit": "小时", "kind": "定量", "direction": ">=", "target_initial": 2000, "target_adjusted": 1800, "actual": 1850, "core": False},
    {"name": "直播活动场次", "weight": 5, "unit": "场", "kind": "定量", "direction": ">=", "target_initial": 30, "actual": 24, "core": False},
    {"name": "安全播出事故次数", "weight": 5, "unit": "次", "kind": "定量", "direction": "<=", "target_initial": 1, "actual": 0, "core": True},
    {"name": "稿件差错率", "weight": 5, "unit": "%", "kind": "定量", "direction": "<=", "target_initial": 1, "actual": 0.8, "core": False},
    {"name": "节目按时播出率", "weight": 5, "unit": "%", "kind": "定量", "direction": "=", "target_initial": 100, "actual": 100, "core": False},
    {"name": "设备完好率", "weight": 4, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 95, "actual": 96, "core": False},
    {"name": "项目完成及时率", "weight": 4, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 90, "actual": 85, "core": False},
    {"name": "运行成本控制率", "weight": 4, "unit": "%", "kind": "定量", "direction": "<=", "target_initial": 100, "actual": 98, "core": False},
    {"name": "舆论引导能力", "weight": 5, "kind": "定性", "target_initial": "高", "actual": "高", "core": True, "coefficient": 0.95},
    {"name": "社会影响力", "weight": 5, "kind": "定性", "target_initial": "较大", "actual": "较大", "core": False, "coefficient": 0.9},
    {"name": "群众满意度", "weight": 5, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 90, "actual": 93, "core": False},
    {"name": "职工满意度", "weight": 4, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 85, "actual": 88, "core": False},
    {"name": "宣传覆盖率", "weight": 5, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 95, "actual": 97.5, "core": False},
    {"name": "制度健全性", "weight": 5, "kind": "定性", "target_initial": "健全", "actual": "健全", "core": False, "coefficient": 1},
    {"name": "政府采购执行率", "weight": 4, "unit": "%", "kind": "定量", "direction": ">=", "target_initial": 100, "actual": 72.74, "core": False},
]
# By hand: execution 10 × 1203.72 ÷ 1268.30 = 9.49; the indicators as claimed but 政府采购执行率
# 4 × 72.74 ÷ 100 = 2.91 (claimed 4): 87.78 − 4 + 2.91 = 86.69; total 96.18 (claimed 97.27).
CLAIMED_TOTAL, COMPUTED_TOTAL = "97.27", "96.18"
# The Excel form scores the parts instead (分值 5 + 5): 5 × 1003.20 ÷ 1010.50 = 4.96 and
# 5 × 200.52 ÷ 257.80 = 3.89; claimed 8.85 + 87.78 = 96.63, computed 8.85 + 86.69 = 95.54.
EXCEL_CLAIMED_TOTAL, EXCEL_COMPUTED_TOTAL = "96.63", "95.54"


# ---------------------------------------------------------------- the Word form


def _form_table(document, *, numbered_title: bool = False):
    """The 自评表 as one Word table, Chongqing layout, merged across and down."""
    from docx.shared import Pt

    n = len(INDICATORS)
    deviations = [r for r in REASONS]
    rows = 12 + n + 2 + len(deviations)  # header rows 0–11, the indicators, 合计, the deviations
    table = document.add_table(rows=rows, cols=11)
    table.style = "Table Grid"

    def put(r, c, text, r2=None, c2=None):
        cell = table.cell(r, c)
        if r2 is not None or c2 is not None:
            cell = cell.merge(table.cell(r2 if r2 is not None else r, c2 if c2 is not None else c))
        cell.text = text
        for p in cell.paragraphs:
            for run in p.runs:
                run.font.size = Pt(9)

    put(0, 0, "主管部门", c2=1)
    put(0, 2, SUPERVISOR, c2=4)
    put(0, 5, "财政处室", c2=6)
    put(0, 7, "行政政法科", c2=8)
    put(0, 9, "自评总分")
    put(0, 10, CLAIMED_TOTAL)
    put(1, 0, "单位负责人", c2=1)
    put(1, 2, "王强", c2=4)
    put(1, 5, "联系人", c2=6)
    put(1, 7, "李明", c2=8)
    put(1, 9, "电话")
    put(1, 10, "023-45678901")
    put(2, 0, "部门预算执行情况（万元）", r2=5, c2=1)
    for c, text in zip(range(4, 10), ("年初预算数", "全年（调整）预算数", "全年执行数", "执行率", "执行率权重", "执行率得分")):
        put(2, c, text)
    put(3, 2, "年度资金总额", c2=3)
    for c, text in zip(range(4, 10), (BUDGET["initial"], BUDGET["adjusted"], BUDGET["executed"], "94.91%", "10", "9.49")):
        put(3, c, text)
    for r, (name, initial, adjusted, executed, rate) in zip((4, 5), PARTS):
        put(r, 2, ("其中：" if r == 4 else "") + name, c2=3)
        for c, text in zip(range(4, 8), (initial, adjusted, executed, rate)):
            put(r, c, text)
    put(6, 0, "当年绩效目标", r2=7, c2=1)
    put(6, 2, "年初绩效目标", c2=4)
    put(6, 5, "全年（调整）绩效目标", c2=7)
    put(6, 8, "全年目标实际完成情况", c2=10)
    put(7, 2, GOALS[0], c2=4)
    put(7, 5, GOALS[1], c2=7)
    put(7, 8, GOALS[2], c2=10)
    # row 8 stays blank: forms have them
    put(9, 0, "绩效指标", c2=10)
    heads = ("计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)", "指标权重(分)", "指标得分", "是否核心指标")
    put(10, 0, "指标名称", c2=1)
    for c, text in enumerate(heads, start=2):
        put(10, c, text)
    put(11, 0, "预算执行率", c2=1)
    for c, text in enumerate(("%", "定量", "100%", "", "94.91%", "94.91%", "10", "9.49", "是"), start=2):
        put(11, c, text)
    r0 = 12
    for i, row in enumerate(INDICATORS):
        r = r0 + i
        put(r, 0, row[0], c2=1)
        for c, text in enumerate(row[1:], start=2):
            if c == 3:
                continue  # 指标性质: merged down its run below
            put(r, c, text)
    # 指标性质 merged down each run of equal kinds
    start = 0
    for i in range(1, n + 1):
        if i == n or INDICATORS[i][2] != INDICATORS[start][2]:
            put(r0 + start, 3, INDICATORS[start][2], r2=r0 + i - 1)
            start = i
    r = r0 + n
    put(r, 0, "合计", c2=7)
    put(r, 8, "100")
    put(r, 9, CLAIMED_TOTAL)
    r += 1
    put(r, 0, "指标名称", c2=1)
    put(r, 2, "偏差原因", c2=6)
    put(r, 7, "改进措施", c2=10)
    for name in deviations:
        r += 1
        put(r, 0, name, c2=1)
        put(r, 2, REASONS[name][0], c2=6)
        put(r, 7, REASONS[name][1], c2=10)
    return table


def word_form(path: Path) -> Path:
    """The 自评表 alone, as units keep it in Word: a title paragraph, a unit line, one table."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("（单位：万元）")
    _form_table(document)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- the Excel form


def excel_form(path: Path) -> Path:
    """The same form as a unit keeps it in Excel: other labels (实际投入资金额, 分值, 得分率,
    定量指标), a title row merged across, blank rows, rates stored as ratios with a percent format,
    numbers as numbers, the budget parts each scored (分值 5 + 5, no execution-rate item),
    一级/二级指标 merged down, 偏差原因 and 改进措施 as columns."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    pct = "0.00%"

    def num(text):
        text = text.strip()
        if text.endswith("%"):
            return float(text[:-1]) / 100, pct
        try:
            return (int(text) if text.isdigit() else float(text)), None
        except ValueError:
            return text, None

    def put(r, c, value, fmt=None):
        cell = ws.cell(row=r, column=c, value=value)
        if fmt:
            cell.number_format = fmt

    put(1, 1, TITLE)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=14)
    put(2, 1, "单位名称")
    ws.merge_cells("A2:B2")
    put(2, 3, UNIT)
    ws.merge_cells("C2:F2")
    put(2, 7, "主管部门")
    put(2, 8, SUPERVISOR)
    ws.merge_cells("H2:J2")
    put(2, 11, "自评得分")
    put(2, 12, float(EXCEL_CLAIMED_TOTAL))
    put(3, 1, "联系人")
    ws.merge_cells("A3:B3")
    put(3, 3, "李明")
    put(3, 7, "联系电话")
    put(3, 8, "023-45678901")
    # row 4 blank
    put(5, 1, "部门预算执行情况（万元）")
    ws.merge_cells("A5:B8")
    put(5, 3, "支出类别")
    for c, text in zip(range(4, 10), ("年初预算数（万元）", "全年预算数（万元）", "实际投入资金额（万元）", "分值", "执行率", "得分")):
        put(5, c, text)
    put(6, 3, "合计")
    for c, text in zip(range(4, 7), (BUDGET["initial"], BUDGET["adjusted"], BUDGET["executed"])):
        put(6, c, float(text))
    put(6, 8, 1203.72 / 1268.30, pct)
    for r, (name, initial, adjusted, executed, rate), weight, score in zip((7, 8), PARTS, (5, 5), (4.96, 3.89)):
        put(r, 3, name)
        for c, text in zip(range(4, 7), (initial, adjusted, executed)):
            put(r, c, float(text))
        put(r, 7, weight)
        put(r, 8, float(rate[:-1]) / 100, pct)
        put(r, 9, score)
    # row 9 blank
    put(10, 1, "年度绩效目标")
    ws.merge_cells("A10:B11")
    put(10, 3, "年初目标")
    ws.merge_cells("C10:F10")
    put(10, 7, "实际完成情况")
    ws.merge_cells("G10:N10")
    put(11, 3, GOALS[0])
    ws.merge_cells("C11:F11")
    put(11, 7, GOALS[2])
    ws.merge_cells("G11:N11")
    heads = ("一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值", "调整后指标值", "实际完成值", "得分率", "分值", "得分", "核心指标", "偏差原因", "改进措施")
    for c, text in enumerate(heads, start=1):
        put(12, c, text)
    levels = [("产出指标", "数量指标")] * 6 + [("产出指标", "质量指标")] * 6 + [("效益指标", "社会效益指标")] * 2 + [("满意度指标", "服务对象满意度指标")] * 2 + [("效益指标", "可持续影响指标")] * 3
    r0 = 13
    for i, row in enumerate(INDICATORS):
        r = r0 + i
        name, unit, kind, initial, adjusted, actual, coefficient, weight, score, core = row
        put(r, 3, name)
        put(r, 4, unit or None)
        put(r, 5, kind + "指标")
        put(r, 6, initial.replace("=", "＝", 1) if initial.startswith("=") else initial)  # typed with its sign; ＝ as input methods type it (= would start a formula)
        put(r, 7, adjusted or None)
        value, fmt = num(actual)
        put(r, 8, value, fmt if unit == "%" else None)
        put(r, 9, *num(coefficient))
        put(r, 10, int(weight))
        put(r, 11, float(score))
        put(r, 12, core)
        if name in REASONS:
            put(r, 13, REASONS[name][0])
            put(r, 14, REASONS[name][1])
    # 一级/二级 merged down their runs
    for col, which in ((1, 0), (2, 1)):
        start = 0
        for i in range(1, len(levels) + 1):
            if i == len(levels) or levels[i][which] != levels[start][which]:
                put(r0 + start, col, levels[start][which])
                if i - 1 > start:
                    ws.merge_cells(start_row=r0 + start, start_column=col, end_row=r0 + i - 1, end_column=col)
                start = i
    r = r0 + len(INDICATORS) + 1  # a blank row, then the execution's reason below the indicators
    put(r, 3, "指标名称")
    put(r, 13, "偏差原因")
    put(r, 14, "改进措施")
    put(r + 1, 3, "预算执行率")
    put(r + 1, 13, REASONS["预算执行率"][0])
    put(r + 1, 14, REASONS["预算执行率"][1])
    put(r + 3, 1, "填表说明：得分率=得分÷分值。")
    book.save(str(path))
    return path


# ---------------------------------------------------------------- narratives in other words

# A report in another district's words (about 30 paragraphs): headings "（一）" with full-width
# brackets and a final 。 in places, 部门概况/主要职能/预算执行情况, 内设机构 in one sentence,
# the budget in one sentence with its parts, 三公 in a sentence of its own, the evaluation's
# document and period, indicator paragraphs "年初目标≥…，全年完成…，得…分", 主要成效 and
# 下一步改进措施.
NARRATIVE_A = [
    ("h", f"{UNIT}2022年度部门整体支出绩效自评报告"),
    ("p", "根据《重庆市铜梁区财政局关于开展2022年度部门整体支出绩效自评工作的通知》（铜财绩〔2023〕3号）要求，现将我中心2022年度部门整体支出绩效自评情况报告如下。"),
    ("h", "一、部门概况"),
    ("h", "（一）主要职能。"),
    ("p", "1.负责全区新闻宣传和舆论引导工作。"),
    ("p", "2.负责区级广播电视节目的制作和播出。"),
    ("p", "3.负责融媒体平台建设和运营管理。"),
    ("h", "（二）内设机构。"),
    ("p", f"{UNIT}下设办公室、新闻采编部、广播电视部、新媒体部、技术保障部等5个科室。"),
    ("h", "（三）人员编制情况"),
    ("p", "我中心核定事业编制48名，实有在职人员45人。"),
    ("h", "二、部门预算及支出情况"),
    ("p", "2022年年初预算数1172.55万元，全年预算数1268.30万元，全年执行数1203.72万元，预算执行率94.91%。其中，基本支出1010.50万元，执行1003.20万元；项目支出257.80万元，执行200.52万元。"),
    ("p", "2022年“三公”经费年初预算8.5万元，支出6.2万元。其中：公务接待费1.2万元、公务用车运行维护费5万元。"),
    ("h", "三、绩效自评工作开展情况"),
    ("p", "根据《重庆市铜梁区财政局关于开展2022年度部门整体支出绩效自评工作的通知》（铜财绩〔2023〕3号）文件要求，我中心成立了绩效自评工作小组，于2023年2月10日至2023年3月10日开展了自评工作。"),
    ("h", "四、绩效目标完成情况"),
    ("p", "1.新闻稿件播发数量：年初目标≥3000篇，全年完成3250篇，得5分。"),
    ("p", "2.新媒体平台推送条数：年初目标≥8000条，全年完成7600条，得4.75分。"),
    ("p", "3.直播活动场次：年初目标≥30场，全年完成24场，得4分。"),
    ("p", "4.群众满意度：年初目标≥90%，全年完成93%，得5分。"),
    ("p", "5.项目完成及时率：年初目标≥90%，全年完成85%，得3.78分。"),
    ("h", "五、主要成效"),
    ("p", "（一）新闻宣传影响力持续提升，全年推出重大主题宣传专题12个。"),
    ("p", "（二）安全播出保障有力，全年实现安全播出零事故。"),
    ("h", "六、存在的问题"),
    ("p", "（一）部分项目资金支付进度较慢。"),
    ("p", "（二）新媒体平台内容更新频率有待提高。"),
    ("h", "七、下一步改进措施"),
    ("p", "（一）加快项目实施和资金支付进度。"),
    ("p", "（二）完善新媒体内容生产机制。"),
]

# A second narrative, another district's wording again: 单位基本情况, 机构设置 in a sentence,
# 职责 in one paragraph, 资金使用情况 with the adjusted figure written 调整后预算, 绩效评价工作
# 情况, 主要经验做法, 存在问题, 改进措施, and a closing signature.
NARRATIVE_B = [
    ("h", "重庆市大足区统计局2022年度部门整体支出绩效自评报告"),
    ("h", "一、单位基本情况"),
    ("h", "(一)职能职责"),
    ("p", "（1）贯彻执行国家统计法律法规，组织实施全区统计调查。"),
    ("p", "（2）负责全区国民经济核算工作。"),
    ("p", "（3）发布全区统计数据和统计分析。"),
    ("h", "(二)机构设置"),
    ("p", "重庆市大足区统计局内设办公室、综合科、农业统计科、工业交通统计科、贸易统计科、社会科技统计科等6个科室。"),
    ("p", "区统计局核定行政编制22名，设局长1名、副局长2名。"),
    ("h", "二、资金使用情况"),
    ("p", "2022年年初预算数为652.30万元，调整后预算为701.45万元，全年执行数680.12万元，执行率96.96%。"),
    ("p", "2022年“三公”经费年初预算3万元，支出总额2.4万元，比年初预算减少0.6万元。其中：公务接待费0.4万元、公务用车运行维护费2万元。主要原因是严格执行公务接待标准。"),
    ("h", "三、绩效评价工作情况"),
    ("p", "按照《重庆市大足区财政局关于做好2022年度部门整体支出绩效自评工作的通知》（大足财发〔2023〕12号）要求，我局于2023年3月1日至3月20日开展绩效自评。"),
    ("h", "四、绩效指标完成情况"),
    ("p", "（1）统计调查任务完成率：年初目标=100%，全年完成100%，得10分。"),
    ("p", "（2）统计数据按时发布率：年初目标≥95%，全年完成98%，得10分。"),
    ("p", "（3）统计执法检查次数：年初目标≥20次，全年完成18次，得9分。"),
    ("p", "（4）统计报表差错率：年初目标≤2%，全年完成1.5%，得10分。"),
    ("p", "（5）服务对象满意度：年初目标≥90%，全年完成95%，得10分。"),
    ("h", "五、主要经验做法"),
    ("p", "1、健全统计工作制度，规范统计调查流程。"),
    ("p", "2、加强统计队伍建设，提高统计人员业务能力。"),
    ("h", "六、存在问题"),
    ("p", "1、基层统计力量薄弱。"),
    ("p", "2、统计信息化水平不高。"),
    ("h", "七、改进措施"),
    ("p", "1、充实基层统计人员。"),
    ("p", "2、推进统计信息化建设。"),
    ("p", "重庆市大足区统计局"),
    ("p", "2023年3月25日"),
]


def narrative(path: Path, paragraphs, *, form: bool = False) -> Path:
    """A narrative as a Word file: headings only bold (as typed), never in heading styles; with the
    自评表 attached after 附件 when ``form``."""
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "h":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text)
    if form:
        document.add_paragraph("附件")
        document.add_paragraph(TITLE)
        _form_table(document)
    document.save(str(path))
    return path


# A third narrative, written after the readers were done and measured without changing them
# (the placement reported for "inputs it has never seen"): 部门职责 in one paragraph, 机构设置及
# 人员情况, 部门整体支出情况 with 实际支出, the parts in a sentence of their own, 三公 with 节约,
# the evaluation's period with a dash, indicators grouped under （一）产出指标, 得分10分, 自评结论.
NARRATIVE_C = [
    ("h", "重庆市荣昌区水利局2022年度部门整体支出绩效自评报告"),
    ("h", "一、部门基本情况"),
    ("h", "（一）部门职责"),
    ("p", "主要职责是：负责保障水资源的合理开发利用；负责生活、生产经营和生态环境用水的统筹和保障；负责水利工程建设与运行管理。"),
    ("h", "（二）机构设置及人员情况"),
    ("p", "我局内设办公室、规划计划科、水资源科、河长制工作科、建设管理科等5个科室，下属事业单位2个。"),
    ("p", "核定行政编制18名，实有人数17人；事业编制45名。"),
    ("h", "二、部门整体支出情况"),
    ("p", "2022年我局部门预算收入合计3560.20万元，年初预算3200.00万元，全年调整预算3560.20万元，全年实际支出3350.88万元，预算执行率为94.12%。"),
    ("p", "其中基本支出1250.30万元，项目支出2100.58万元。"),
    ("p", "三公经费：2022年“三公”经费预算12万元，实际支出10.5万元，较预算节约1.5万元。"),
    ("h", "三、绩效自评工作组织开展情况"),
    ("p", "我局高度重视部门整体支出绩效自评工作，成立了以局长为组长的自评工作领导小组。"),
    ("p", "依据《重庆市荣昌区财政局关于开展2022年度绩效自评工作的通知》（荣财〔2023〕8号），于2023年3月1日—3月15日开展自评。"),
    ("h", "四、绩效目标实现情况"),
    ("h", "（一）产出指标"),
    ("p", "1.河道清淤长度：目标值≥50公里，实际完成52公里，得分10分。"),
    ("p", "2.水利工程验收合格率：目标值100%，实际完成100%，得分10分。"),
    ("p", "3.农村供水工程建设数量：目标值≥8处，实际完成6处，得分7.5分。"),
    ("h", "（二）效益指标"),
    ("p", "4.农村自来水普及率：目标值≥88%，实际完成89.5%，得分10分。"),
    ("p", "5.群众满意度：目标值≥90%，实际完成92%，得分10分。"),
    ("h", "五、自评结论"),
    ("p", "经自评，我局2022年度部门整体支出绩效自评得分为92.5分，等级为“优”。"),
    ("h", "六、存在的主要问题"),
    ("p", "1.项目前期工作不够充分，部分项目推进缓慢。"),
    ("p", "2.绩效目标设置不够细化。"),
    ("h", "七、下一步工作打算"),
    ("p", "1.加强项目前期谋划。"),
    ("p", "2.细化绩效目标。"),
]


# A fourth narrative, written (like the third) after the readers, to measure them unchanged:
# 部门主要职责 in one sentence, 内设科室10个，分别是：……, the budget over three sub-headings,
# 三公 against last year, a one-line evaluation without a document, 目标值…，实际值…，得…分, the
# conclusion under （三）, problems and measures unnumbered or as 一是/二是.
NARRATIVE_D = [
    ("h", "重庆市江津区教育委员会2022年度部门整体支出绩效自评报告"),
    ("h", "一、部门概况"),
    ("h", "（一）部门主要职责"),
    ("p", "江津区教委主要职责：贯彻执行国家教育方针政策；统筹规划全区教育事业发展；负责全区教育经费管理。"),
    ("h", "（二）部门机构设置"),
    ("p", "区教委机关内设科室10个，分别是：办公室、人事科、计财科、基础教育科、职业教育科、督导室、安全科、体卫艺科、教研室、招生办。"),
    ("h", "（三）人员编制"),
    ("p", "机关行政编制30名，实有28人。"),
    ("h", "二、部门整体支出情况"),
    ("h", "（一）预算安排情况"),
    ("p", "2022年年初预算安排45680.25万元，其中：基本支出32560.10万元，项目支出13120.15万元。"),
    ("h", "（二）预算执行情况"),
    ("p", "2022年全年预算数48900.60万元，实际执行47321.88万元，预算执行率96.77%。"),
    ("h", "（三）“三公”经费情况"),
    ("p", "2022年“三公”经费支出25.6万元，比上年减少3.2万元，其中：公务接待费8.6万元，公务用车运行维护费17万元。"),
    ("h", "三、绩效自评开展情况"),
    ("p", "我委按照区财政局要求，于2023年3月开展了部门整体支出绩效自评。"),
    ("h", "四、绩效目标完成情况及评价结论"),
    ("h", "（一）产出指标完成情况"),
    ("p", "义务教育巩固率：目标值≥99%，实际值99.5%，得10分。"),
    ("p", "学前教育毛入园率：目标值≥90%，实际值91.2%，得10分。"),
    ("p", "校舍维修改造面积：目标值≥5万平方米，实际值4.5万平方米，得9分。"),
    ("h", "（二）效益指标完成情况"),
    ("p", "家长满意度：目标值≥90%，实际值93%，得10分。"),
    ("h", "（三）自评结论"),
    ("p", "综合评价，2022年度部门整体支出绩效自评得分96.5分，评价等级为优。"),
    ("h", "五、存在的问题"),
    ("p", "部分项目预算编制不够精准，执行中调整较多。"),
    ("h", "六、下一步工作措施"),
    ("p", "一是提高预算编制精准度。"),
    ("p", "二是加强项目执行监控。"),
    ("p", "重庆市江津区教育委员会"),
    ("p", "2023年3月30日"),
]
