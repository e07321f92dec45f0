"""The one way the tool reads a file: a regular file only, at most to a limit, in bounded time,
and never through a link out of the project.

    read_in_project(path, limit)  a file the tool finds (content files, settings such as
                                  content/district.yaml, forms to import that sit in content/…):
                                  refused when its real place, links followed, is outside the
                                  project holding it
    read_limited(path, limit)     a file the user names on the command line (--template, the
                                  report to import): anywhere, but still a regular file

Both return ``(data, None)`` with ``len(data) <= limit + 1`` (more than ``limit`` means "too
large": say so), or ``(None, Chinese reason)``; neither raises for an unreadable file.

A path may be a FIFO (reading waits forever), a link to /dev/zero (reading never ends), a device,
a folder, a dangling link or a link to a secret elsewhere. The file is opened without waiting
(O_NONBLOCK), its type and real place checked on the open descriptor (no race between check and
read), and at most ``limit + 1`` bytes are read whatever size it reports, within ``READ_SECONDS``
(a network share that stalls). Nothing is held locked while reading.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from .. import paths

READ_SECONDS = 20.0  # one file, start to end; a local 20 MB template takes well under a second
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


def read_in_project(path: Path, limit: int, root: Path | None = None) -> tuple[bytes | None, str | None]:
    """``read_limited``, and refused when the file really lies outside ``root`` (default: the
    project holding ``path`` as written; outside any project, the folder above the file's folder,
    as content/ is above content/<dept>/)."""
    if root is None:
        root = paths.lexical_root(path) or Path(os.path.abspath(path)).parent.parent
    return read_limited(path, limit, inside=paths.real(root))


def outside(real: str) -> str:
    """Why a file whose real place is ``real`` is not read (its content is never shown)."""
    return f"这是指向项目之外（{real}）的链接，出于安全不读取；请把文件本身放进项目"


def _real_place(fd: int, path: Path) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")  # the file actually opened, whatever changed since
    except OSError:
        return os.path.realpath(path)


def read_limited(path: Path, limit: int, *, inside: Path | None = None) -> tuple[bytes | None, str | None]:
    """``(data, None)`` with ``len(data) <= limit + 1``; or ``(None, Chinese reason)``.
    ``inside`` (a real path): the file must really lie inside it (see ``read_in_project``)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, why(exc, path)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return None, next((say for test, say in _KINDS if test(mode)), "不是普通文件")
        if inside is not None:
            real = _real_place(fd, path)
            if not paths.within(Path(real), Path(inside)):
                return None, outside(real)
        chunks, size = [], 0
        deadline = time.monotonic() + READ_SECONDS
        while size <= limit:
            if time.monotonic() > deadline:
                return None, f"读取超过 {READ_SECONDS:g} 秒仍未读完（网络盘或磁盘太慢？）"
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
