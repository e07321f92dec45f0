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
        from ..content.readfile import read_in_project

        data, _ = read_in_project(target, 4 * len(text.encode("utf-8")) + 1024)
        if data is None or data.decode("utf-8", "replace") != text:
            print(f"{shown(target)} 已过期：请运行 make schema 并提交。")
            return EXIT_CONTENT
        print(f"{shown(target)} 与模型一致。")
        return EXIT_OK
    write_atomically(text.encode("utf-8"), target, inside=target.parent)
    print(f"已生成 {shown(target)}")
    return EXIT_OK


COMMAND = Command(
    "schema", "由模型生成 JSON Schema（供编辑器提示）",
    "由内容模型生成 schema/report.schema.json，编辑器据此补全和检查内容文件。",
    arguments, run, order=130,
)
