"""content/district.yaml: optional, read like a content file, never taken for a department."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from pipeline import paths
from pipeline.content import district

ROOT = Path(__file__).resolve().parent.parent


def _content(tmp_path: Path, text: str | None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    if text is not None:
        (content / "district.yaml").write_text(text, encoding="utf-8")
    return content


def test_absent_file_is_no_settings(tmp_path):
    assert district.read(_content(tmp_path, None)) == (None, [])


def test_settings_are_read(tmp_path):
    content = _content(tmp_path, "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\ndate: 2023-03-31\n")
    settings, problems = district.read(content)
    assert problems == []
    assert (settings.bureau, settings.region, settings.date) == ("重庆市璧山区财政局", "重庆市璧山区", dt.date(2023, 3, 31))
    settings, _ = district.read(_content(tmp_path / "b", "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\n"))
    assert settings.date is None


def test_problems_are_located_in_chinese(tmp_path):
    content = _content(tmp_path, "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\nbureu: x\ndate: 20230331\n")
    settings, problems = district.read(content)
    assert settings is None
    shown = sorted(str(p) for p in problems)
    name = str(content / "district.yaml")
    assert shown[0].startswith(f"{name}:3:1: 未知的键“bureu”"), shown
    assert shown[1].startswith(f"{name}:4:7: date（成文日期）：应为日期"), shown


def test_missing_and_blank_keys_are_named(tmp_path):
    _, problems = district.read(_content(tmp_path, "bureau:\n"))
    messages = " ".join(p.message for p in problems)
    assert "bureau（发文机关）：未填写" in messages and "缺少必填项“region”（地区）" in messages, messages


def test_unsafe_file_is_refused_like_content(tmp_path):
    _, problems = district.read(_content(tmp_path, "bureau: &a 财政局\nregion: *a\n"))
    assert problems and "锚点" in problems[0].message
    content = _content(tmp_path / "fifo", None)
    os.mkfifo(content / "district.yaml")
    _, problems = district.read(content)  # returns at once, never waits on the pipe
    assert problems and "管道" in problems[0].message


def test_district_file_is_not_a_department(tmp_path):
    content = _content(tmp_path, "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\n")
    before = paths.content_files(ROOT / "content", 2022)
    assert [p.parent.name for p in paths.content_files(content, 2022)] == [p.parent.name for p in before]
    assert paths.years(content) == paths.years(ROOT / "content")


def test_check_lists_the_district_files_problems_with_the_years(tmp_path):
    from .conftest import run_cli

    content = _content(tmp_path, "bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\ndate: 2023-02-30\n")
    result = run_cli("check", "--year", "2022", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{content / 'district.yaml'}:3:7:" in result.stdout, result.stdout
    assert "重庆市璧山区科学技术局 2022年度：总分 94.24 分" in result.stdout  # the departments still checked
    # named on its own (the pre-commit hook passes the changed files)
    (content / "district.yaml").write_text("bureau: 重庆市璧山区财政局\nregion: 重庆市璧山区\n", encoding="utf-8")
    result = run_cli("check", str(content / "district.yaml"), cwd=tmp_path)
    assert result.returncode == 0 and "检查了 0 个文件：0 个错误" in result.stdout, result.stdout + result.stderr
