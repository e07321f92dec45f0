"""The open fonts that stand in for a 公文's Word fonts when LibreOffice makes the PDF.

``fonts/fonts.conf`` (fontconfig) maps each Word font name (仿宋_GB2312, 方正小标宋简体, 黑体,
楷体_GB2312, 宋体 and their Latin spellings) to a preference list: the Fandol family first,
which ``make fonts`` extracts into the project's ``.fonts/`` folder from the system package
manager (Debian: ``apt-get download texlive-lang-chinese``, no root, nothing installed), then the
system's Noto CJK SC and AR PL UKai. The conversion runs with ``FONTCONFIG_FILE`` pointing there;
``substitutions`` says which first choice is missing and what fontconfig will use instead.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "fonts" / "fonts.conf"
FOLDER = ROOT / ".fonts"  # git-ignored; fonts.conf names it as ../.fonts
PACKAGE = "texlive-lang-chinese"
# The files taken from the package: FangSong (body), Song regular (page numbers) and bold
# (the title, for 方正小标宋), Hei (一、 headings), Kai (（一） headings).
FANDOL = ("FandolFang-Regular.otf", "FandolSong-Regular.otf", "FandolSong-Bold.otf", "FandolHei-Regular.otf", "FandolKai-Regular.otf")
# The names the default template gives its text (scripts/build_template.py).
TEMPLATE_FONTS = ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体")
HINT = "运行 make fonts 可获取"


def environment() -> dict[str, str]:
    """The environment for a LibreOffice subprocess: the project's fontconfig."""
    return {**os.environ, "FONTCONFIG_FILE": str(CONF)}


def preferences(conf: Path | None = None) -> dict[str, list[str]]:
    """Word font name → the open families fonts.conf prefers for it, best first."""
    out: dict[str, list[str]] = {}
    for alias in ET.parse(conf or CONF).getroot().iter("alias"):
        name = alias.findtext("family")
        prefer = alias.find("prefer")
        if name and prefer is not None:
            out[name] = [f.text or "" for f in prefer.iter("family")]
    return out


def matched(name: str) -> str | None:
    """The family fontconfig gives for ``name`` under the project's configuration (None: no fc-match)."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        result = subprocess.run([exe, "--format=%{family[0]}", name], capture_output=True, text=True, timeout=60, env=environment())
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


def substitutions(names: tuple[str, ...] = TEMPLATE_FONTS) -> list[str]:
    """One line for each font whose first choice is missing: what is used instead."""
    prefs = preferences()
    lines = []
    for name in names:
        wanted = prefs.get(name)
        got = matched(name)
        if not wanted or got is None or got == wanted[0]:
            continue
        # Noto CJK comes as one collection for all of East Asia; LibreOffice's PDF export takes
        # the Japanese face's glyphs from it whichever face is asked for (checked with 7.4).
        shapes = "，LibreOffice 将用其日文字形" if got.startswith("Noto") and "CJK" in got else ""
        lines.append(f"字体：{name} 应由 {wanted[0]} 代替，但未找到，改用 {got}{shapes}（{HINT}）。")
    return lines


def _download(scratch: Path) -> Path:
    """The package file, fetched by the system's package manager into ``scratch``."""
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"未找到 apt-get：请从 CTAN 下载 Fandol 字体（{', '.join(FANDOL)}），放入 .fonts/ 文件夹。")
    result = subprocess.run(["apt-get", "download", PACKAGE], cwd=scratch, capture_output=True, text=True, timeout=1800)
    debs = sorted(scratch.glob(f"{PACKAGE}_*.deb"))
    if result.returncode != 0 or not debs:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"退出码 {result.returncode}"]
        raise RuntimeError(f"apt-get download {PACKAGE} 失败：{detail[0]}（可先运行 sudo apt-get update）")
    return debs[0]


def _extract(deb: Path, folder: Path) -> list[Path]:
    """Only the Fandol files, by their base names, out of the package's data archive."""
    if shutil.which("dpkg-deb") is None:
        raise RuntimeError("未找到 dpkg-deb，无法解开软件包。")
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, timeout=600, check=False)
    if data.returncode != 0:
        raise RuntimeError(f"无法解开 {deb.name}：{data.stderr.decode('utf-8', 'replace').strip()}")
    from .savefile import write_atomically

    written = []
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and name in FANDOL and "fandol" in member.name:
                target = folder / name
                write_atomically(tar.extractfile(member).read(), target, inside=folder)
                written.append(target)
    return written


def missing(folder: Path = FOLDER) -> list[str]:
    return [name for name in FANDOL if not (folder / name).is_file()]


def fetch(folder: Path = FOLDER) -> list[Path]:
    """Put the Fandol fonts into ``folder`` (nothing is installed system-wide)."""
    with tempfile.TemporaryDirectory(prefix="perfreport-fonts-") as scratch:
        written = _extract(_download(Path(scratch)), folder)
    lost = missing(folder)
    if lost:
        raise RuntimeError(f"{PACKAGE} 中没有找到：{'、'.join(lost)}")
    if shutil.which("fc-cache"):
        subprocess.run(["fc-cache", "-f", str(folder)], capture_output=True, timeout=600, env=environment())
    return written
