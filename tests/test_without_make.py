"""Issue 22, items 1, 2 and 4 on a fresh clone: README's "不用 make" lines run one by one through
``perfreport`` only (no make), and ``make report`` with a blank new department beside the
reference (it writes the reference's report, lists the blank one, exits 1).

The clone gets its own .venv as README says (``python3 -m venv .venv``, ``pip install -e .``).
So that the test does not download the dependencies again, the install gets ``--no-deps`` (pip
still fetches the build backend, setuptools, as the README's line does; the test skips, saying
so, where pip cannot) and the new venv sees the packages of the Python running the tests through
a ``.pth`` file; everything else is the README's own line."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import site
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from .conftest import ROOT

MARK = "<!-- no-make-flow"
NO_DEPS = ["--no-deps", "--disable-pip-version-check", "-q"]


def readme_flow() -> list[str]:
    """The indented lines under the no-make-flow mark of README.md."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(MARK)) + 1
    flow = []
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        flow.append(line.strip())
    return flow


def environment() -> dict:
    # As a user's shell has it: not inside the tests' venv, nor inside a make (make test sets MAKELEVEL).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "CI", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("未安装 git，无法克隆")
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("项目不在 git 仓库中，无法克隆")
    if not sysconfig.get_paths()["purelib"]:
        pytest.skip("找不到当前 Python 的 site-packages")
    target = tmp_path_factory.mktemp("fresh") / "perfreport"
    done = subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target


def run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(line)
    if args[0] == "python3":
        args[0] = sys.executable
    if args[1:5] == ["-m", "pip", "install", "-e"]:
        args[4:4] = NO_DEPS
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=environment(), timeout=600)
    if args[0] == sys.executable and args[1:3] == ["-m", "venv"]:
        # The packages of the Python running the tests, visible in the new venv (no download).
        purelib = Path(subprocess.run([str(cwd / ".venv" / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                      capture_output=True, text=True, check=True).stdout.strip())
        ours = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
        (purelib / "zz-test-dependencies.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")
    return result


def test_the_readme_flow_runs_through_perfreport_alone_on_a_fresh_clone(clone):
    flow = readme_flow()
    assert flow[0] == "python3 -m venv .venv" and flow[1] == ".venv/bin/python -m pip install -e ."
    assert all(line.startswith(".venv/bin/perfreport ") for line in flow[2:]), flow
    commands = {line.split()[1] for line in flow[2:]}
    assert {"check", "report", "form", "review", "summary", "pdf", "new-dept"} <= commands
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("未安装 LibreOffice：README 的步骤中有 perfreport pdf")
    seen = {}
    for line in flow:
        result = run(line, clone)
        seen[line] = result
        said = result.stdout + result.stderr
        if " pip install " in line and result.returncode != 0 and "setuptools" in said and "from versions: none" in said:
            pytest.skip(f"pip 无法取得构建工具 setuptools（离线？）：{said.strip().splitlines()[-1]}")
        assert "Traceback" not in said and "内部错误" not in said, (line, said)
        if line.endswith("--dept new-dept"):  # the blank new department: its errors, located, exit 1
            assert result.returncode == 1, (line, said)
            assert re.match(r"content/new-dept/2022\.yaml:\d+:\d+: ", result.stdout), said
            assert result.stdout.splitlines()[-1].startswith("重庆市璧山区新设局：") and "未计算总分" in result.stdout.splitlines()[-1]
        else:
            assert result.returncode == 0, (line, said)
    # The commands found the project from its own folder; nothing came from the tests' checkout.
    out = clone / "build" / "2022"
    assert {p.name for p in out.iterdir()} >= {"bishan-kjj.docx", "bishan-kjj.md", "bishan-kjj.pdf", "bishan-kjj-自评表.xlsx", "汇总.xlsx", "汇总.docx"}
    assert (clone / ".venv" / "bin" / "perfreport").is_file()
    located = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
                             capture_output=True, text=True, env=environment(), cwd=clone.parent)
    assert Path(located.stdout.strip()).resolve().is_relative_to(clone.resolve()), located.stdout
    brief = seen[".venv/bin/perfreport check --brief --year 2022"].stdout.splitlines()
    assert len(brief) == 1 and brief[0].startswith("重庆市璧山区科学技术局：0 个错误，"), brief


@pytest.mark.skipif(shutil.which("make") is None, reason="未安装 make")
def test_make_report_writes_the_reference_beside_a_blank_department_and_exits_with_its_code(clone):
    perfreport = clone / ".venv" / "bin" / "perfreport"
    if not perfreport.is_file():
        pytest.skip("上一项测试未能在克隆中建立 .venv")
    (clone / ".venv" / ".installed").touch()  # make's stamp: the venv of the flow above is complete
    if not (clone / "content" / "new-dept" / "2022.yaml").is_file():
        made = subprocess.run([str(perfreport), "new-dept", "--dept", "new-dept", "--name", "重庆市璧山区新设局", "--year", "2022"],
                              cwd=clone, capture_output=True, text=True, env=environment())
        assert made.returncode == 0, made.stderr
    report = clone / "build" / "2022" / "bishan-kjj.docx"
    report.unlink(missing_ok=True)
    start = time.monotonic()
    result = subprocess.run(["make", "--no-print-directory", "report", "YEAR=2022"], cwd=clone, capture_output=True, text=True, env=environment())
    seconds = time.monotonic() - start
    assert report.is_file(), result.stderr  # the reference's report, whatever the blank department says
    assert not (clone / "build" / "2022" / "new-dept.docx").exists()
    assert "已生成 build/2022/bishan-kjj.docx" in result.stdout
    lines = result.stderr.strip().splitlines()
    # The tool's last lines, then make's own: the blank department by name, its count, its first error.
    assert re.fullmatch(r"make: \*\*\* \[Makefile:\d+: report\] Error 1", lines[-1]), lines[-3:]
    assert lines[-2].startswith("已生成 1 个部门的报告；1 个部门有错误"), lines[-3:]
    assert re.match(r"  重庆市璧山区新设局（content/new-dept/2022\.yaml）：\d+ 个错误，第一个：content/new-dept/2022\.yaml:\d+:\d+: ", lines[-3]), lines[-3:]
    assert result.returncode == 2  # make's own code; the tool's (1) is the number after "Error"
    print(f"make report with a blank department beside the reference: {seconds:.2f} s")

    direct = subprocess.run([str(perfreport), "report", "--year", "2022"], cwd=clone, capture_output=True, text=True, env=environment())
    assert direct.returncode == 1 and direct.stderr.strip().splitlines()[-1].startswith("已生成 1 个部门的报告")

    report.unlink()
    strict = subprocess.run(["make", "--no-print-directory", "report", "YEAR=2022", "ALL_OR_NOTHING=1"], cwd=clone, capture_output=True, text=True, env=environment())
    assert not report.exists() and "有错误，未生成任何报告（原有文件保持不变）。" in strict.stderr, strict.stderr
    assert strict.stderr.strip().splitlines()[-1].endswith("Error 1")

    draft = clone / "content" / "new-dept" / "2022.draft.yaml"
    (clone / "content" / "new-dept" / "2022.yaml").rename(draft)
    try:
        drafted = subprocess.run([str(perfreport), "report", "--year", "2022"], cwd=clone, capture_output=True, text=True, env=environment())
        assert drafted.returncode == 0, drafted.stderr
        assert "跳过草稿 content/new-dept/2022.draft.yaml" in drafted.stdout and drafted.stderr == ""
        made = subprocess.run(["make", "--no-print-directory", "report", "YEAR=2022"], cwd=clone, capture_output=True, text=True, env=environment())
        assert made.returncode == 0 and "make: ***" not in made.stderr, made.stderr
    finally:
        draft.rename(clone / "content" / "new-dept" / "2022.yaml")
