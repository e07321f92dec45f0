"""命令行：python -m pipeline <命令>（或 perfreport <命令>）。The only place that turns errors into
messages and exit codes.

The commands are not listed here: each is a module (or package) under ``commands/`` with its
arguments, its run and its ``COMMAND`` (``commands/__init__.py`` says how), read by
``commands.registered`` in the order a user meets them; ``perfreport -h`` lists them. To add a
command: its own module under commands/, its line in the Makefile, its row in the README.

Every command that writes files goes through the recipe ``batch.run`` (load → validate → score →
compose → render → write, all or nothing). Exit codes: 0 done, 1 content errors, 2 usage or
environment (``errors.UsageError``, ``errors.SetupError``), 3 a defect of the program (内部错误).
"""

from __future__ import annotations

import os
import sys

from .cliparser import ChineseParser
from .commands import registered
from .commands.options import print_problems
from .errors import EXIT_DEFECT, EXIT_OK, EXIT_USAGE, ContentError, UserError, cause, shown


def parser() -> ChineseParser:
    """Every command, from its own module under commands/ (``commands.registered``), in list order."""
    top = ChineseParser(
        prog="perfreport",
        description="部门整体支出绩效自评报告：校验内容、计算得分、生成公文格式的 Word 报告、自评表和 PDF。",
        epilog="退出码：0 完成，1 内容有错误，2 用法或环境问题，3 程序缺陷。各命令的说明：perfreport <命令> -h",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="命令", title="命令")
    for command in registered():
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.arguments(p)
        p.set_defaults(func=command.run)
    return top


def _run(argv: list[str] | None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # -h (0) or a usage error (2), already printed: a code, as for every command
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    return args.func(args)


def main(argv: list[str] | None = None) -> int:
    try:  # the commands' modules are imported here too: a missing dependency is said, not a traceback
        return _run(argv)
    except ContentError as exc:
        print_problems(exc.problems, sys.stderr)
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        sys.stderr = open(os.devnull, "w")
        return EXIT_OK
    except OSError as exc:  # the machine, not the program: a path and its cause
        where = shown(exc.filename) if exc.filename is not None else "文件系统"
        print(f"{where}: {cause(exc)}", file=sys.stderr)
        if os.environ.get("PERFREPORT_DEBUG"):
            raise
        return EXIT_USAGE
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == __package__:  # a module of this program: a defect
            print(f"内部错误（{type(exc).__name__}：{exc}）。这是程序的缺陷，请把此信息和内容文件报告给维护者。", file=sys.stderr)
            return EXIT_DEFECT
        # a dependency missing: the command was run with a Python other than the project's .venv
        print(f"缺少依赖的软件包“{exc.name}”：请用项目的 Python 运行（.venv/bin/python -m pipeline …，或先 "
              "source .venv/bin/activate）；还没有 .venv 时先运行一次 make report（自动创建 .venv 并安装依赖）。", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the edge: never a traceback in front of a user
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是程序的缺陷，请把此信息和内容文件报告给维护者。", file=sys.stderr)
        if os.environ.get("PERFREPORT_DEBUG"):
            raise
        return EXIT_DEFECT


if __name__ == "__main__":
    sys.exit(main())
