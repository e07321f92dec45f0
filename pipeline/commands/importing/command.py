"""import: last year's Word report (typed by hand, or built by this tool) → a draft content file.

The recipe: read the document into blocks (wordread) → cut it into sections by the typed heading
numbers (一、（一）1、（1）, styled or not; sections) → read facts out of each section's sentences
(parse) and tables (figures) → write the draft YAML (key names from keys) with every unplaced
paragraph as a comment beside its most likely key → validate and score the draft, and compare
every derived figure the source prints (rates, scores, 得分率, totals, grade) with what the tool
computes; rebuild the report from the draft and keep each paragraph that comes out different as a
comment too. Nothing derived is copied. The file is created atomically and never over an existing one.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

from ... import paths
from ...content import yamltext
from ...errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, shown
from ...output.savefile import write_new
from ...problems import Severity
from .keys import KEY
from .parse import parse
from .types import Draft, Imported
from .wordread import ReadError, read

DEPT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/report.schema.json"


# ---------------------------------------------------------------- YAML with comments


def _yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        pass

    def decimal(representer, value: Decimal):
        text = format(value, "f")
        tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
        return representer.represent_scalar(tag, text)

    Representer.add_representer(Decimal, decimal)
    yaml = YAML()
    yaml.Representer = Representer
    yaml.width = 100000  # one paragraph a line: never folded
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _commented(value):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _comment_line(text: str) -> str:
    return yamltext.line(text)  # one line, whatever the paragraph (or the file's name) held


def dump(draft: Draft, header: list[str]) -> str:
    """The draft as YAML text; each comment block sits just above the key (or item) it belongs to."""
    import io

    tree = _commented(draft.tree)
    homeless = []  # comments whose key the draft does not hold (e.g. no form:, no signature:)
    for path, lines in draft.comments.items():
        node, key = _locate(tree, path)
        if node is None:
            homeless += lines
            continue
        node.yaml_set_comment_before_after_key(key, before="\n".join(_comment_line(x) for x in lines), indent=2 * (len(path) - 1))
    out = io.StringIO()
    _yaml().dump(tree, out)
    head = "\n".join([SCHEMA_LINE] + [f"# {_comment_line(h)}" for h in header])
    tail = "".join(f"# {_comment_line(x)}\n" for x in homeless)  # kept at the end: nothing lost
    return head + "\n" + out.getvalue() + ("\n" + tail if tail else "")


def _locate(tree, path: tuple):
    """(parent node, key) of ``path``, walking back to the nearest existing key."""
    while path:
        node = tree
        for step in path[:-1]:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if node is not None and (isinstance(node, dict) and path[-1] in node or isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node)):
            return node, path[-1]
        path = path[:-1]
    return None, None


# ---------------------------------------------------------------- check the draft, compare derived figures


def compare(imported: Imported, text: str, target: Path, shown: str):
    """Validate and score the draft; each derived figure the source printed against the computed one."""
    from ... import build

    checked = build.check_bytes(text.encode("utf-8"), target, shown)
    mismatches: list[str] = []
    if checked.ok:
        for check in imported.checks:
            if not check.printed.strip():
                continue  # a blank cell prints no figure: nothing to compare
            computed = check.compute(checked.report, checked.scores)
            if computed is None or _same(check.printed, computed):
                continue
            message = f"{check.place}：{check.what}原文为 {check.printed}，按导入的内容计算为 {computed}"
            mismatches.append(message)
            imported.draft.note(check.path, "核对：" + message + "。")
    return checked, mismatches


def _same(printed: str, computed: str) -> bool:
    a, b = _figure(printed), _figure(computed)
    if a is None or b is None:
        return printed.strip() == computed.strip()
    return a == b


def _figure(text: str):
    t = text.strip().replace("％", "%").replace(",", "")
    t = re.sub(r"(万元|万|分)$", "", t)
    percent = t.endswith("%")
    try:
        return (Decimal(t.rstrip("%")), percent)
    except ArithmeticError:
        return None


def rebuilt_differences(imported: Imported, checked) -> tuple[int, int]:
    """Rebuild the report from the draft; each placed paragraph whose text the rebuilt report does
    not contain is kept as a comment beside its key. Returns (same, compared)."""
    from collections import Counter

    from ... import build
    from ...output.text import paragraphs

    data, problems = build.render_docx(checked)
    if data is None:
        return 0, 0
    rebuilt = Counter(paragraphs(data))
    same = compared = 0
    for para in imported.placed:
        compared += 1
        if rebuilt[para.text] > 0:
            rebuilt[para.text] -= 1
            same += 1
        else:
            imported.draft.note(para.path, f"原文第{para.number}段（导入后生成的文字与此不同，请核对）：{para.text}")
    return same, compared


# ---------------------------------------------------------------- writing: never over an existing file


# ---------------------------------------------------------------- the command


def usage_problem(args) -> str | None:
    if not DEPT_ID.fullmatch(args.dept or ""):
        return f"部门标识“{args.dept}”不可用：只能用英文字母、数字、“-”和“_”（不含路径分隔符），如 bishan-kjj"
    if not paths.YEAR.fullmatch(str(args.year or "")):  # the one rule for a year: four digits, not 0000
        return f"年度“{args.year}”应为四位数字（不以 0 开头），如 2022"
    source = Path(args.file)
    if not source.exists():
        return f"{args.file}：找不到文件"
    if not source.is_file():
        return f"{args.file}：不是普通文件"
    return None


def import_report(source: Path, dept: str, year: int, content: Path, shown=lambda p: str(p)) -> tuple[int, list[str], list[str]]:
    """Do the import; (exit code, lines for stdout, lines for stderr)."""
    target = content / dept / f"{year}.yaml"
    if target.exists():
        return EXIT_USAGE, [], [f"{shown(target)} 已存在：导入不会覆盖已有文件。请先改名或删除它，或换一个年度/部门。"]
    try:
        blocks = read(source)
    except ReadError as exc:
        code = EXIT_USAGE if exc.environment else EXIT_CONTENT
        return code, [], [f"{shown(source)}: {exc}"]
    if not blocks:
        return EXIT_CONTENT, [], [f"{shown(source)}: 文件中没有读到任何文字或表格，未生成草稿"]
    imported = parse(blocks, year, source.name)
    header = [
        f"由 {source.name} 导入的草稿（make import）。请逐项核对，再运行 make check YEAR={year} DEPT={dept}。",
        "以“原文第N段”开头的注释是未能放入任何项的段落，或导入后生成的文字与原文不同的段落：请据此补改，再删除注释。",
        "只录入事实：执行率、“三公”合计及增减、得分、得分率、总分和等级由程序计算。",
    ]
    if imported.form_only:
        header.append(f"原文只有自评表：这是只含自评表内容的文件，make form YEAR={year} DEPT={dept} 即可生成自评表；生成报告须补写报告的各部分。")
    shown_target = shown(target)
    text = dump(imported.draft, header)
    checked, mismatches = compare(imported, text, target, shown_target)
    same = compared = 0
    if checked.ok and not imported.form_only:
        same, compared = rebuilt_differences(imported, checked)
    else:  # no rebuild to compare with: keep each sentence read only for its figures, as written
        for para in imported.placed:
            if para.figures:
                imported.draft.note(para.path, f"原文第{para.number}段（已从中读取数字，请核对）：{para.text}")
    text = dump(imported.draft, header)
    if not write_new(text.encode("utf-8"), target, inside=content):
        return EXIT_USAGE, [], [f"{shown_target} 已存在：导入不会覆盖已有文件。"]
    out = [f"已生成 {shown_target}（草稿，请核对）。"]
    out.append(f"段落：共 {imported.total} 段，放入内容项 {len(imported.placed)} 段，作为注释保留 {len(imported.left)} 段。")
    if imported.tables:
        read_ = f"表格：共 {imported.tables} 个"
        if imported.forms:
            read_ += f"，读作自评表：{'、'.join(imported.forms)}"
            if imported.cells_left:
                read_ += f"（其中 {imported.cells_left} 个单元格未能放入任何项，已作为注释保留在 form: 旁）"
        out.append(read_ + "。")
        for table in imported.tables_unread:
            out.append(f"未能识别的表格（整表作为注释保留）：{table}")
    if imported.form_only:
        out.append("原文只有自评表：草稿是只含自评表内容的文件（make form 可生成自评表）。")
    if compared:
        out.append(f"按导入的内容重新生成报告：{same}/{compared} 段与原文一致，其余原文已作为注释保留在相应项旁。")
    for note in imported.notes:
        out.append(f"提示：{note}")
    for m in mismatches:
        out.append(f"计算不符：{m}。")
    if checked.ok:
        out.append(f"检查通过：总分 {_num(checked.scores.total)} 分，等级“{checked.scores.grade}”。请核对注释后删除它们。")
    else:
        errors = [p for p in checked.problems if p.severity is Severity.error]
        out.append(f"make check 还需要补充或改正 {len(errors)} 处：")
        out += [f"  {p}" for p in sorted(errors, key=lambda p: (p.line, p.col))]
        if imported.checks:
            out.append("内容补全并通过检查后，原文印出的执行率、得分、得分率、总分和等级才能与计算结果比较：补全后请再用 make check 核对。")
    return EXIT_OK, out, []


def _num(value) -> str:
    from ...content.wording import num

    return num(value)


def run(args) -> int:
    problem = usage_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE

    code, out, err = import_report(Path(args.file), args.dept, int(args.year), Path(args.content), shown)
    for line in err:
        print(line, file=sys.stderr)
    for line in out:
        print(line)
    return code


__all__ = ["KEY", "run", "import_report"]
