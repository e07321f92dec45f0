"""What a content change does to the reports: figures, scores, grade and paragraphs, between two
git revisions (or a revision and the working tree). Builds both in memory: neither the working
tree nor build/ is touched."""

from __future__ import annotations

import difflib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import paths
from ..errors import EXIT_CONTENT, EXIT_OK, UsageError
from ..problems import Problem, errors
from . import Command
from . import options


class DiffError(Exception):
    """A revision or a year that cannot be compared; the message is for the user."""


@dataclass
class Version:
    """One department's report at one revision."""

    label: str  # e.g. content/bishan-kjj/2022.yaml@HEAD
    checked: build.Checked
    figures: dict[str, str]
    paragraphs: list[str]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True)


def repo_root(start: Path) -> Path:
    result = _git(start, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise DiffError(f"{start} 不在 git 仓库中，无法比较版本")
    return Path(result.stdout.decode().strip())


def commit_of(root: Path, rev: str) -> str:
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if result.returncode != 0:
        raise DiffError(f"未知的版本“{rev}”（可用提交号、分支名、标签或 HEAD~1 等）")
    return result.stdout.decode().strip()


def files_at(root: Path, content: Path, year: int, rev: str | None) -> dict[str, tuple[bytes, str]]:
    """{dept: (bytes, label)} of content/<dept>/<year>.yaml at ``rev`` (None: the working tree)."""
    if rev is None:
        return {p.parent.name: (_read(p), _rel(p, root)) for p in paths.content_files(content, year)}
    commit = commit_of(root, rev)
    try:
        prefix = PurePosixPath(content.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        raise DiffError(f"内容文件夹 {content} 不在 git 仓库 {root} 中，无法比较版本") from None
    listing = _git(root, "ls-tree", "-r", "--name-only", commit, "--", str(prefix))
    out = {}
    for name in listing.stdout.decode("utf-8", "replace").splitlines():
        path = PurePosixPath(name)
        if path.parent.parent == prefix and path.name == f"{year}.yaml":
            blob = _git(root, "show", f"{commit}:{name}")
            out[path.parent.name] = (blob.stdout, f"{name}@{rev}")
    return out


def _read(path: Path) -> bytes:
    """A working-tree content file, read at most to the size limit (a FIFO or /dev/zero is
    refused at once, and a link out of the project; a larger file is refused by loading)."""
    from ..errors import shown
    from ..content.load import MAX_BYTES
    from ..content.readfile import read_in_project

    data, why = read_in_project(path, MAX_BYTES)
    if data is None:
        raise DiffError(f"{shown(path)}: 无法读取内容文件：{why}")
    return data


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def build_version(data: bytes, label: str, template: Path) -> tuple[Version | None, list[Problem]]:
    from .. import build  # the recipe and the wording: imported when a diff is made, not to list the commands
    from ..output import compose, text

    checked = build.check_bytes(data, Path(label), label)
    if not checked.ok:
        return None, errors(checked.problems)
    # a form-only file: its standalone 自评表 is compared (the report's template has no body for it)
    docx, problems = build.form_docx(checked) if checked.form_only else build.render_docx(checked, template)
    if docx is None:
        return None, problems
    figures = compose.figures(checked.report, checked.scores)
    return Version(label, checked, figures, text.paragraphs(docx)), []


@dataclass
class Change:
    dept: str
    title: str
    figures: list[tuple[str, str | None, str | None]]  # label, before, after
    removed: list[str]
    added: list[str]
    status: str = "changed"  # changed | same | added | deleted

    @property
    def empty(self) -> bool:
        return self.status == "same"


def compare(old: Version | None, new: Version | None, dept: str) -> Change:
    if old is None and new is None:  # pragma: no cover - callers pass at least one
        raise ValueError(dept)
    if old is None:
        return Change(dept, new.checked.report.department.name, [], [], new.paragraphs, "added")
    if new is None:
        return Change(dept, old.checked.report.department.name, [], old.paragraphs, [], "deleted")
    labels = list(old.figures) + [k for k in new.figures if k not in old.figures]
    figures = [(k, old.figures.get(k), new.figures.get(k)) for k in labels if old.figures.get(k) != new.figures.get(k)]
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=old.paragraphs, b=new.paragraphs, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            removed += old.paragraphs[a1:a2]
            added += new.paragraphs[b1:b2]
    status = "changed" if figures or removed or added else "same"
    return Change(dept, new.checked.report.department.name, figures, removed, added, status)


def diff(root: Path, content: Path, year: int, rev_from: str, rev_to: str | None, template: Path) -> tuple[list[Change], list[Problem]]:
    """Every department's changes between the two versions, or the problems that stop a build."""
    before = files_at(root, content, year, rev_from)
    after = files_at(root, content, year, rev_to)
    if not before and not after:
        where = f"{_rel(content, root)}/<部门>/{year}.yaml"
        raise DiffError(f"两个版本中都没有 {year} 年度的内容文件（{where}）")
    changes, problems = [], []
    for dept in sorted(set(before) | set(after)):
        versions = []
        for side in (before, after):
            if dept not in side:
                versions.append(None)
                continue
            version, found = build_version(side[dept][0], side[dept][1], template)
            problems += found
            versions.append(version)
        if any(v is None and dept in side for v, side in zip(versions, (before, after))):
            continue
        changes.append(compare(versions[0], versions[1], dept))
    return changes, problems


def lines(changes: list[Change], rev_from: str, rev_to: str | None) -> list[str]:
    """The changes as text for the terminal."""
    to = rev_to or "工作区"
    where = f"“{rev_to}”中" if rev_to else "工作区中"  # a revision quoted, as it was typed
    out = []
    for c in changes:
        if c.status == "same":
            out.append(f"{c.title}（{c.dept}）：没有变化")
            continue
        if c.status == "added":
            out.append(f"{c.title}（{c.dept}）：{where}新增的报告")
            continue
        if c.status == "deleted":
            out.append(f"{c.title}（{c.dept}）：{where}已删除")
            continue
        out.append(f"== {c.title}（{c.dept}）：{rev_from} → {to} ==")
        if c.figures:
            out.append("数字：")
            out += [f"  {label}：{before or '（无）'} → {after or '（无）'}" for label, before, after in c.figures]
        if c.removed or c.added:
            out.append("文字：")
            out += [f"  - {p}" for p in c.removed] + [f"  + {p}" for p in c.added]
    if changes and all(c.empty for c in changes):
        out.append("没有变化。")
    return out


# ---------------------------------------------------------------- the command line


def arguments(p) -> None:
    options.content_args(p)
    p.add_argument("--from", dest="rev_from", required=True, metavar="版本", help="原版本（提交号、分支、标签、HEAD~1 等）")
    p.add_argument("--to", dest="rev_to", default=None, metavar="版本", help="新版本（默认：当前工作区）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx）")


def run(args) -> int:
    folder = options.content(args)
    year = options.year_of(args, folder)
    try:
        root = repo_root(Path.cwd())
        changes, problems = diff(root, folder, year, args.rev_from, args.rev_to or None, options.template(args))
    except DiffError as exc:
        raise UsageError(str(exc)) from None
    options.print_problems(problems, sys.stderr)
    for line in lines(changes, args.rev_from, args.rev_to or None):
        print(line)
    return EXIT_CONTENT if problems else EXIT_OK


COMMAND = Command(
    "diff", "比较两个 git 版本的内容对报告的影响（不写文件）",
    "在内存中分别生成两个版本的报告（不改动工作区和 build/），列出数字、得分、等级和段落的变化。",
    arguments, run, order=80,
)
