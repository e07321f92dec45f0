"""The editor schema: generated from the model, committed, draft-07, every field explained in Chinese."""

from __future__ import annotations

import json
import re

from pipeline.content.schema import schema_text

from .conftest import ROOT, run_cli

SCHEMA = ROOT / "schema" / "report.schema.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), "schema/report.schema.json 已过期：请运行 make schema 并提交"


def test_schema_check_command_reports_staleness(tmp_path):
    stale = tmp_path / "s.json"
    stale.write_text("{}", encoding="utf-8")
    result = run_cli("schema", "--check", "--out", str(stale))
    assert result.returncode == 1 and "已过期" in result.stdout


def test_schema_is_draft_07():
    data = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = SCHEMA.read_text(encoding="utf-8")
    for newer in ('"$defs"', '"prefixItems"', '"$dynamicRef"', '"unevaluatedProperties"', '"dependentRequired"'):
        assert newer not in text
    refs = re.findall(r'"\$ref": "([^"]+)"', text)
    assert refs and all(r.startswith("#/definitions/") and r.split("/")[-1] in data["definitions"] for r in refs)


def test_every_field_has_a_chinese_title_and_description():
    data = json.loads(SCHEMA.read_text(encoding="utf-8"))
    models = dict(data["definitions"], Report=data)
    missing = [
        f"{model}.{name}"
        for model, body in models.items()
        for name, prop in body.get("properties", {}).items()
        if not (CJK.search(prop.get("title", "")) and CJK.search(prop.get("description", "")))
    ]
    assert missing == []


def test_content_files_point_editors_at_the_schema():
    files = sorted((ROOT / "content").glob("*/*.yaml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
        assert target == SCHEMA.resolve(), path
