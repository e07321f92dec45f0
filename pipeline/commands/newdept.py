"""A new department's first content file: every key present, blank where the department writes.

    python -m pipeline new-dept --dept <id> --name <部门全称> [--year 2022] [--content content]

Nothing of another department is carried: the file is written from the skeleton below, with only
the year and the department's name filled in. Each blank ``key:`` is then listed by ``check``
("未填写") with its line, until it is filled or, for an optional block that does not apply,
deleted. It never overwrites a file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..content import yamltext
from ..errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, UsageError, shown
from ..output.savefile import write_new
from ..paths import latest_year
from . import Command
from . import options


# A department id is a folder name under content/ and part of output file names.
DEPT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")

SKELETON = """\
# yaml-language-server: $schema=../../schema/report.schema.json
# {name}{year}年度部门整体支出绩效自评报告。
# 留空的键都要填写（make check YEAR={year} 会逐项列出）；标“可选”的块不适用时整块删除。
# 只录入事实：执行率、“三公”合计及增减、得分、得分率、总分和等级由程序计算，不要填写。
year: {year}

department:
  name: {name_yaml}
  short_name:           # 部门简称，如 区科技局
  rank:                 # “部门全称是”之后的文字，如 区政府工作部门，为正处级
  supervisor:           # 自评表的主管部门；本部门即主管部门的照写部门全称；未载明的留空（表中留空）

policy_documents:       # 引言中依据的文件，按报告顺序，可列多个
  - id:                 # 简短标识（英文），供 evaluation.preparation.document 引用，如 notice
    title:              # 文件名称，不含书名号
    number:             # 文号，如 渝财绩〔2023〕1号

internal_units:         # 内设机构，按报告顺序，编号自动生成
  - name:               # 如 办公室
    duties:             # 职责，以句号结尾

staffing:               # 可选：编制；事业单位只有事业编制的，删去 administrative、posts、section_leaders
  administrative:       # 机关核定行政编制（名）
  posts:                # 领导职数
    - title:            # 如 局长
      count:
  section_leaders:      # 科级领导职数（名）
  institutional:        # 事业编制
    - name:             # 人员类别，如 机关后勤服务人员
      count:

functions:              # 职能职责，每条一项，编号自动生成
  -

budget:                 # 单位万元，最多两位小数
  initial:              # 年初预算数
  carryover_start:      # 年初结转和结余，无则填 0；未载明的删去此行（报告不提及）
  adjusted:             # 全年（调整）预算数；未载明的删去此行（执行率按年初预算数计算）
  adjusted_note:        # 可选：印在调整预算数后括号内的说明；没有则删去
  executed:             # 全年执行数，可以大于预算数
  carryover_end:        # 年末结转和结余，无则填 0；未载明的删去此行（报告不提及）
  execution_weight:     # 预算执行率权重（分），通常为 10；自评表没有预算执行率得分项的删去此行
  deviation:            # 执行率不等于 100% 时必填；恰为 100% 时删去
    reason:             # 偏差原因，如 财政资金紧张，支付困难
    measure:            # 可选：改进措施
  parts:                # 可选：基本支出、项目支出等分列，各项之和须等于总数
    - name: 基本支出
      initial:
      adjusted:         # 可选：该类别的调整预算数
      executed:
      weight:           # 可选：自评表为该类别单独计分时的权重（分），如 10；不单独计分的删去
    - name: 项目支出
      initial:
      executed:

santong:                # 可选：“三公”经费
  items:
    - name: 公务车运行维护费
      amount:
    - name: 国内公务接待
      amount:
  budget:               # “三公”经费年初预算
  change_reason:        # 与预算不同时必填，如 国内公务接待减少
  vehicles:             # 可选：公务用车
    funding:            # 资金来源，如 非财政拨款资金
    purchased:
    disposed:
    held:
  overseas:             # 可选：因公出国（境），没有则填 0
    groups:
    people:

evaluation:
  preparation:
    document:           # policy_documents 中某个文件的 id
    text:               # “文件要求，”之后的文字
  phases:               # 组织实施的各阶段，按时间顺序
    - name:             # 如 评价准备阶段
      start:            # 可选：开始日期，如 {next_year}-02-28
      end:              # 可选：结束日期
      text:             # 可用 {{period}} 引用起止日期、{{form}} 引用自评表名称
  analysis:
    start:              # 如 {next_year}-03-18
    end:
    text:               # 可用 {{period}}、{{form}}

experience:             # 可选：主要经验及做法，每条一项
  -

indicators:             # 预算执行率之外的指标；权重合计 + 执行率权重 = 100
  - name:
    level1:             # 可选：一级指标，如 产出指标、效益指标、满意度指标
    level2:             # 可选：二级指标，如 数量指标、质量指标、社会效益指标
    weight:
    unit:               # 计量单位；定性指标可删去
    kind:               # 定量 或 定性
    direction:          # 定量指标：'>=' 越高越好，'<=' 越低越好，'=' 等于；定性指标删去
    target_initial:     # 年初指标值；定性指标可写文字，如 高、合格
    target_adjusted:    # 可选：调整指标值
    actual:             # 全年完成值；定性指标可写文字
    core:               # 是否核心指标：true 或 false
    qualitative:        # 定性指标填写；定量指标删去
      achievement:      # 达成、部分达成 或 未达成
      coefficient:      # 得分系数，须在达成情况的区间内
    judgement:          # 可选：没有指标值时由评价组评定；不用则删去
      coefficient:      # 得分系数 0–1
      basis:            # 评定依据，印在“根据……，该指标得…”中
    override:           # 可选：评价组不按规则给分时填写；不用则删去
      score:
      reason:           # 理由，印在报告中
    deviation:          # 未得满分时必填；得满分时可删去
      reason:
      measure:
    analysis:           # 得分分析，可用 {{actual}} 引用完成值

problems:               # 可选：需重点关注的问题
  -

suggestions:            # 可选：有关建议
  -

signature:              # 可选：落款；不写则署部门全称，日期为分析评价结束日期
  name:                 # 可选：发文机关署名
  date:                 # 可选：成文日期，如 2024-03-28
  show:                 # 可选：填 false 则不印落款

form:                   # 可选：只印在自评表中的信息
  contact:              # 联系人
  phone:                # 电话
  leader:               # 单位负责人；表中没有的留空
  finance_office:       # 财政处室；表中没有的留空
  implementing_unit:    # 实施单位；表中没有的留空
  goals:
    initial:            # 年初绩效目标
    adjusted:           # 可选：全年（调整）绩效目标
    achieved:           # 全年目标实际完成情况
"""


def skeleton(name: str, year: int) -> str:
    # Through yamltext, the one way text goes into a generated file: no character of the name can
    # change the file's shape (a line separator in the header comment would start a new line).
    return SKELETON.format(name=yamltext.line(name), name_yaml=yamltext.scalar(name), year=year, next_year=year + 1)


def write(content: Path, dept: str, name: str, year: int) -> tuple[Path, str | None]:
    """The new file's path, and why it was not written (None when written)."""
    target = content / dept / f"{year}.yaml"
    if not DEPT_ID.fullmatch(dept):
        return target, f"部门标识“{dept}”无效：只能用小写英文字母、数字和连字符，如 bishan-kjj"
    if not name.strip():
        return target, "部门全称不能为空"
    refused = yamltext.refusal(name)
    if refused:
        return target, f"部门全称{refused}"
    if len(name) > 100:
        return target, "部门全称过长（超过 100 个字）"
    if not write_new(skeleton(name.strip(), year).encode("utf-8"), target, inside=content):  # never overwrites
        return target, "文件已存在，不覆盖；如需重新生成请先删除或改名"
    return target, None


def run(args) -> int:
    content = Path(args.content)
    year = args.year if args.year is not None else latest_year(content)
    if year is None:
        print("请用 --year 指定年度（content/ 下还没有任何年度的内容文件）。", file=sys.stderr)
        return EXIT_USAGE
    if not 2000 <= year <= 2100:
        print(f"年度 {year} 无效：应在 2000 至 2100 之间。", file=sys.stderr)
        return EXIT_USAGE
    target, refused = write(content, args.dept, args.name, year)
    if refused:
        print(f"{shown(target)}: {refused}", file=sys.stderr)
        return EXIT_USAGE if "文件已存在" not in refused else EXIT_CONTENT
    print(f"已生成 {shown(target)}：请填写其中留空的项，make check YEAR={year} DEPT={args.dept} 会逐项列出。")
    return EXIT_OK


# ---------------------------------------------------------------- the command line


def arguments(p) -> None:
    # The id is checked by ``write`` (stricter than --dept elsewhere: a new id is lower-case ASCII).
    p.add_argument("--dept", required=True, metavar="部门", help="部门标识（content/ 下的文件夹名），小写英文、数字和连字符，如 bishan-kjj")
    p.add_argument("--name", required=True, metavar="全称", help="部门全称，如 重庆市璧山区科学技术局")
    p.add_argument("--year", type=options.year, metavar="年度", help="年度，四位数字（默认：content/ 下最新的年度）")
    p.add_argument("--content", default=None, metavar="文件夹", help="内容文件夹（默认：项目根目录下的 content）")


def main(args) -> int:
    if not args.dept:
        raise UsageError("请指定部门标识，如 make new-dept DEPT=bishan-kjj NAME=重庆市璧山区科学技术局")
    args.content = options.content(args)
    return run(args)


COMMAND = Command(
    "new-dept", "为新部门生成内容文件（全部键齐全，待填写处留空）",
    "生成 content/<部门>/<年度>.yaml：只填年度和部门全称，其余留空，make check 会逐项列出待填写处；不沿用其他部门的内容，不覆盖已有文件。",
    arguments, main, order=100,
)
