"""The errors a user can meet, as three types the command line maps to exit codes.

- ``ContentError`` (exit 1): the content has problems; they are listed, located, and nothing is
  written.
- ``UsageError`` (exit 2): the command was asked for something it cannot do (an unknown year,
  a department id with a slash, a missing FROM).
- ``SetupError`` (exit 2): the machine around the tool is in the way (build/ not writable, a
  file where a folder must be, a full disk, a missing template). The message names the path and
  the cause.

Everything else that escapes is a defect of the program, and only that is "内部错误" (exit 3).
Stages still return ``Problem`` values; these types are for the few places that must stop.
"""

from __future__ import annotations

import errno
import os

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_SETUP, EXIT_DEFECT = 0, 1, 2, 2, 3


class UserError(Exception):
    """A failure the user can act on; ``str(exc)`` is the Chinese message to print."""

    exit_code = EXIT_USAGE


class ContentError(UserError):
    exit_code = EXIT_CONTENT

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class UsageError(UserError):
    exit_code = EXIT_USAGE


class SetupError(UserError):
    exit_code = EXIT_SETUP


# Why an operating-system call failed, in the user's words (errno → 中文).
CAUSES = {
    errno.EACCES: "没有权限（请检查该文件夹的写入权限，或文件是否被其他程序占用）",
    errno.EPERM: "操作不被允许（请检查权限）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "所在磁盘为只读",
    errno.ENOTDIR: "路径中有一个同名文件占着文件夹的位置",
    errno.EISDIR: "该位置是一个文件夹，不是文件",
    errno.EEXIST: "该位置已有同名文件或文件夹",
    errno.ENOENT: "不存在",
    errno.ENAMETOOLONG: "路径过长",
    errno.ELOOP: "符号链接层数过多或形成循环",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "打开的文件过多",
    errno.ENOTEMPTY: "文件夹不为空",
    errno.EBUSY: "文件正被占用",
}


def cause(exc: OSError) -> str:
    """The cause of an OSError in Chinese (the system's wording only when we have none)."""
    if exc.errno in CAUSES:
        return CAUSES[exc.errno]
    return exc.strerror or type(exc).__name__


def setup_error(exc: OSError, path, doing: str) -> SetupError:
    """``doing`` is what failed, e.g. "无法写入"; the message names the path and the cause."""
    where = exc.filename if exc.filename is not None else path
    return SetupError(f"{shown(where)}: {doing}：{cause(exc)}")


def shown(path) -> str:
    """A path as the user typed it: relative to the current folder when that is shorter."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return rel if len(rel) < len(text) or not os.path.isabs(text) else text
