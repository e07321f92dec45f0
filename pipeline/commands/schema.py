"""perfreport schema (make schema): the JSON Schema editors use, generated from the model; with
--check, only whether the committed one is stale."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_CONTENT, EXIT_OK, shown
from . import Command
from . import options


def arguments(p) -> None:
    p.add_argument("--out", default=None, metavar="文件", help="输出文件（默认：schema/report.schema.json）")
    p.add_argument("--check", action="store_true", help="只检查已提交的 schema 是否过期")


def run(args) -> int:
    from ..output.savefile import write_atomically
    from ..content.schema import schema_text

    text = schema_text()
    target = Path(args.out) if args.out else options.root() / "schema" / "report.schema.json"
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{shown(target)} 已过期：请运行 make schema 并提交。")
            return EXIT_CONTENT
        print(f"{shown(target)} 与模型一致。")
        return EXIT_OK
    write_atomically(text.encode("utf-8"), target)
    print(f"已生成 {shown(target)}")
    return EXIT_OK


COMMAND = Command(
    "schema", "由模型生成 JSON Schema（供编辑器提示）",
    "由内容模型生成 schema/report.schema.json，编辑器据此补全和检查内容文件。",
    arguments, run, order=130,
)
