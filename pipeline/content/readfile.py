"""Read a user's file at most to a limit, refusing at once what is not a regular file.

A content or template path may be a FIFO (reading waits forever), a link to /dev/zero (reading
never ends), a device, a folder or a dangling link. The file is opened without waiting
(O_NONBLOCK), its type checked on the open descriptor (no race between check and read), and at
most ``limit + 1`` bytes are read whatever size it reports.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template .docx; the default template is 20 KB

_KINDS = [
    (stat.S_ISDIR, "这是一个文件夹，不是文件"),
    (stat.S_ISFIFO, "这是一个管道（FIFO），不是普通文件"),
    (stat.S_ISCHR, "这是一个设备文件，不是普通文件"),
    (stat.S_ISBLK, "这是一个设备文件，不是普通文件"),
    (stat.S_ISSOCK, "这是一个套接字，不是普通文件"),
]

_ERRNO = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ELOOP: "符号链接循环（链接指向自身）",
    errno.ENAMETOOLONG: "路径过长",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENXIO: "这是一个没有对端的设备或套接字，不是普通文件",
    errno.EIO: "读取时发生输入输出错误（磁盘或网络盘故障？）",
}


def why(exc: OSError, path: Path | None = None) -> str:
    """An OSError in Chinese (never the English strerror alone)."""
    if exc.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "这是一个指向不存在文件的链接"
    return _ERRNO.get(exc.errno, f"无法读取（错误号 {exc.errno}）")


def read_limited(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """``(data, None)`` with ``len(data) <= limit + 1``; or ``(None, Chinese reason)``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, why(exc, path)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return None, next((say for test, say in _KINDS if test(mode)), "不是普通文件")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), None
    except OSError as exc:
        return None, why(exc, path)
    finally:
        os.close(fd)
