"""Write a .docx so that the same content gives the same bytes, and a failed write changes nothing.

python-docx stamps every zip entry with the current time and keeps entries in insertion order;
we re-zip with a fixed timestamp, ``[Content_Types].xml`` first and the other entries sorted.
The file is written next to its target and renamed over it, so readers see the old file or the
new one, never half of one.
"""

from __future__ import annotations

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


def document_bytes(document) -> bytes:
    """Reproducible bytes of a python-docx (or docxtpl) document."""
    buf = io.BytesIO()
    document.save(buf)
    return normalized_zip(buf.getvalue())


def write_atomically(data: bytes, target: Path) -> None:
    """Replace ``target`` with ``data`` in one rename; on any failure the old file stays."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
