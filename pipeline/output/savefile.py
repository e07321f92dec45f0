"""The one way the tool writes a file: inside the folder it belongs to, whatever links lie on
the way; all or nothing; and a .docx so that the same content gives the same bytes.

    write_all(files, inside=out)        build/ outputs (and schema/, templates/): replace, all or none
    write_atomically(data, t, inside=…) one file of the kind above
    write_new(data, t, inside=content)  a new content file (new-dept, new-year, import): never over
                                        an existing file

``inside`` is the folder the targets belong to (content/ or build/ as the command knows it). It
must itself stay inside the project holding it (``paths.area``: a build/ or content/ that is a
link out of the project is refused), and every target's real place, links followed, must lie in
it — checked before any folder is made, so a linked content/<dept>/ or build/<year>/ gets
nothing, not even an empty folder. Refusals are ``SetupError`` naming the path.

python-docx stamps every zip entry with the current time and keeps entries in insertion order;
we re-zip with a fixed timestamp, ``[Content_Types].xml`` first and the other entries sorted.
Files are written next to their targets and renamed over them, so readers see the old file or the
new one, never half of one; ``write_all`` does so for a whole batch, all or nothing.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CONTENT_TYPES = "[Content_Types].xml"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def normalized_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """The same archive with fixed timestamps, attributes and entry order (and ``replace``'s
    entries swapped in, for writers that stamp the current time inside a part)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {name: src.read(name) for name in src.namelist()}
    entries.update(replace or {})
    names = sorted(entries, key=lambda n: (n != CONTENT_TYPES, n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()


# Word's document properties (title, author…) hold at most 255 characters; python-docx refuses
# longer ones. They are metadata, never printed: a longer department name is cut there only.
PROPERTY_LIMIT = 255


def property_text(text: str) -> str:
    """A value for a document property: at most PROPERTY_LIMIT characters."""
    return text[:PROPERTY_LIMIT]


def document_bytes(document) -> bytes:
    """Reproducible bytes of a python-docx (or docxtpl) document."""
    buf = io.BytesIO()
    document.save(buf)
    return normalized_zip(buf.getvalue())


def _write_file(path: str, data: bytes) -> None:
    """Write ``data`` to a new file at ``path``, fsynced: through ``os.write``, so a full disk
    (ENOSPC) surfaces here and not later at close."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_UMASK)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(target: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # the name only: _write_file creates it exclusively
    return Path(tmp)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def contained(targets, inside: Path) -> None:
    """Refuse (``SetupError``) any target whose folder really lies outside ``inside``."""
    from .. import paths
    from ..errors import SetupError, shown

    area = paths.area(Path(inside))
    for target in targets:
        where = paths.real(Path(target).parent)
        if not paths.within(where, area):
            raise SetupError(f"{shown(Path(target).parent)}: 是指向 {shown(inside)} 之外（{where}）的链接，拒绝写入")


def write_atomically(data: bytes, target: Path, *, inside: Path) -> None:
    """Replace ``target`` with ``data`` in one rename; on any failure the old file stays."""
    write_all({Path(target): data}, inside=inside)


def write_new(data: bytes, target: Path, *, inside: Path) -> bool:
    """Create ``target`` with ``data`` atomically (complete or absent, never half); False, and
    nothing written, when it exists. Refuses a target outside ``inside`` (``SetupError``)."""
    from ..errors import setup_error

    target = Path(target)
    contained([target], inside)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise setup_error(exc, target.parent, "无法创建文件夹") from None
    contained([target], inside)  # a link put in its place meanwhile
    tmp = None
    try:
        try:
            tmp = _temp_name(target)
            _write_file(str(tmp), data)
        except OSError as exc:
            raise setup_error(exc, target, "无法写入") from None
        try:
            os.link(tmp, target, follow_symlinks=False)  # fails if the target exists, even as a link: never overwrites
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create instead
            try:
                _write_file(str(target), data)
            except FileExistsError:
                return False
            except OSError as exc:
                raise setup_error(exc, target, "无法写入") from None
        return True
    finally:
        if tmp is not None:
            _unlink(tmp)  # a half-written temporary file never stays behind


def write_all(files: dict[Path, bytes], *, inside: Path) -> None:
    """Write every file or none: all or nothing, even when the disk fills at the last one.

    1. Every target's folder is made and checked (a file where a folder must be, a folder where
       a file goes: refused before anything is written).
    2. Every file is written to a temporary file beside its target and fsynced.
    3. Only then are they renamed over their targets, one by one. Should a rename fail, those
       already renamed are put back (the old file restored from a hard link kept for the
       purpose, or removed if there was none), so earlier reports stay untouched.

    Raises ``SetupError`` naming the path and the cause (a target outside ``inside`` included);
    temporary files never stay behind.
    """
    from ..errors import setup_error

    targets = [Path(t) for t in files]
    contained(targets, inside)
    for target in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise setup_error(exc, target.parent, "无法创建文件夹") from None
        if target.is_dir():
            raise setup_error(IsADirectoryError(errno.EISDIR, "", str(target)), target, "无法写入")
    contained(targets, inside)  # a link put in a folder's place meanwhile
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for target in targets:
            try:
                temps[target] = _temp_name(target)
                _write_file(str(temps[target]), files[target])
            except OSError as exc:
                raise setup_error(exc, target, "无法写入") from None
        for target in targets:
            if target.is_file() or target.is_symlink():
                backup = _temp_name(target)
                try:
                    os.link(target, backup, follow_symlinks=False)
                except OSError:  # no hard links here (some shares): keep a copy instead
                    _write_file(str(backup), target.read_bytes())
                backups[target] = backup
        for target in targets:
            try:
                os.replace(temps[target], target)
            except OSError as exc:
                raise setup_error(exc, target, "无法写入") from None
            done.append(target)
    except BaseException:
        for target in reversed(done):  # put back what this call replaced
            if target in backups:
                os.replace(backups.pop(target), target)
            else:
                _unlink(target)
        raise
    finally:
        for path in list(temps.values()) + list(backups.values()):
            _unlink(path)
