"""Issue 24, item 3: nothing follows a link out of the project.

A content file that is a link to a file elsewhere (a system file, a secret) is refused by name,
its content never printed; a content/<dept>/ or build/<year>/ folder that is a link, or a
content/ or build/ that is itself a link out of the project, gets nothing written through it
(new-dept, new-year, import, report, summary). Each test runs in a project of its own (a folder
with pyproject.toml and content/), from inside it, as a user would."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from pipeline import build, cli
from pipeline.commands import preview

from .conftest import real_text

SECRET = "password: hunter2-do-not-print"


def in_project(root: Path, *args: str) -> tuple[int, str]:
    """``perfreport <args>`` in-process, from inside the project at ``root``."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    finally:
        os.chdir(here)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def project(tmp_path) -> Path:
    """tmp/project (a project: pyproject.toml, content/) beside tmp/elsewhere (outside it), and a
    secret outside the project."""
    root = tmp_path / "project"
    (root / "content" / "good").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (root / "content" / "good" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "secret.yaml").write_text(SECRET + "\n", encoding="utf-8")
    return root


def nothing_in(folder: Path) -> bool:
    return not any(folder.rglob("*"))


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("command", ["check", "report", "form", "summary"])
def test_a_content_file_linked_outside_the_project_is_refused_unread(project, command):
    (project / "content" / "evil").mkdir()
    (project / "content" / "evil" / "2022.yaml").symlink_to(project.parent / "secret.yaml")
    code, text = in_project(project, command, "--year", "2022")
    assert code == 1, text
    assert "hunter2" not in text and "password" not in text, text
    line = next(line for line in text.splitlines() if "evil/2022.yaml:" in line)
    assert "项目之外" in line and "secret.yaml" in line, line
    assert not (project / "build").exists() or nothing_in(project / "build")


def test_check_of_a_named_file_that_is_a_link_out_is_refused_too(project):
    # pre-commit passes the committed files by name: a committed link must not reach a CI log
    link = project / "content" / "good" / "2023.yaml"
    link.symlink_to(project.parent / "secret.yaml")
    code, text = in_project(project, "check", str(link))
    assert code == 1 and "项目之外" in text and "hunter2" not in text, text


def test_a_content_folder_linked_to_a_folder_outside_is_refused_unread(project):
    (project.parent / "elsewhere" / "2022.yaml").write_text(SECRET + "\n", encoding="utf-8")
    (project / "content" / "evil").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, "check", "--year", "2022")
    assert code == 1 and "项目之外" in text and "hunter2" not in text, text


def test_a_link_that_stays_inside_the_project_is_still_followed(project):
    (project / "shared").mkdir()
    (project / "shared" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    (project / "content" / "linked").mkdir()
    (project / "content" / "linked" / "2022.yaml").symlink_to(project / "shared" / "2022.yaml")
    code, text = in_project(project, "check", "--year", "2022")
    assert code == 0, text
    assert text.count("总分 94.24 分") == 2, text


def test_the_preview_shows_no_content_of_a_link_out(project):
    (project / "content" / "evil").mkdir()
    (project / "content" / "evil" / "2022.yaml").symlink_to(project.parent / "secret.yaml")
    p = preview.Preview(project, project / "content", 2022, build.DEFAULT_TEMPLATE)
    page = p.report_fragment("evil", project / "content" / "evil" / "2022.yaml")
    index = p.index_fragment()
    assert "hunter2" not in page + index and "password" not in page + index
    assert "项目之外" in page


# ---------------------------------------------------------------- writing


def test_new_dept_into_a_linked_department_folder_writes_nothing_outside(project):
    (project / "content" / "newd").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, "new-dept", "--dept", "newd", "--name", "重庆市某区新局", "--year", "2022")
    assert code == 2 and "拒绝写入" in text, text
    assert nothing_in(project.parent / "elsewhere")


def test_new_dept_into_a_content_folder_linked_out_of_the_project_writes_nothing(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (root / "content").symlink_to(tmp_path / "elsewhere")
    code, text = in_project(root, "new-dept", "--dept", "newd", "--name", "重庆市某区新局", "--year", "2022")
    assert code == 2 and "项目之外" in text, text
    assert nothing_in(tmp_path / "elsewhere")


def test_new_year_of_a_department_folder_linked_outside_writes_nothing_there(project):
    (project.parent / "elsewhere" / "2022.yaml").write_text(real_text(), encoding="utf-8")
    (project / "content" / "linked").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, "new-year", "--from", "2022", "--to", "2023", "--dept", "linked")
    assert code != 0 and "项目之外" in text, text
    assert sorted(p.name for p in (project.parent / "elsewhere").iterdir()) == ["2022.yaml"]


def test_import_into_a_linked_department_folder_writes_nothing_outside(project):
    data, problems = build.render_docx(build.check(project / "content" / "good" / "2022.yaml"))
    assert data is not None, problems
    source = project / "last.docx"
    source.write_bytes(data)
    (project / "content" / "newd").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, "import", str(source), "--dept", "newd", "--year", "2022")
    assert code == 2 and "拒绝写入" in text, text
    assert nothing_in(project.parent / "elsewhere")


@pytest.mark.parametrize("command", ["report", "form", "summary", "audit"])
def test_a_build_folder_linked_out_of_the_project_gets_nothing(project, command):
    (project / "build").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, command, "--year", "2022")
    assert code == 2 and "项目之外" in text, text
    assert nothing_in(project.parent / "elsewhere")


def test_a_linked_year_folder_inside_build_gets_nothing(project):
    (project / "build").mkdir()
    (project / "build" / "2022").symlink_to(project.parent / "elsewhere")
    code, text = in_project(project, "summary", "--year", "2022")
    assert code == 2 and "拒绝写入" in text, text
    assert nothing_in(project.parent / "elsewhere")
