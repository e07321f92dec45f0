"""The JSON Schema that editors use to complete and check content files, generated from the model.

Kept to draft-07 (``definitions``, no tuples), which the YAML editor extensions read.
"""

from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema

from .model import Report

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


class _NumbersAreNumbers(GenerateJsonSchema):
    """pydantic lets a Decimal be a number or a string; the model refuses text in a number field
    (``model.Strict``), so the editor is told "number" only and flags a quoted figure too."""

    def decimal_schema(self, schema):
        generated = super().decimal_schema(schema)
        return generated["anyOf"][0] if "anyOf" in generated else generated


def schema() -> dict:
    generated = Report.model_json_schema(ref_template="#/definitions/{model}", schema_generator=_NumbersAreNumbers)
    out = {"$schema": DRAFT_07, "title": "部门整体支出绩效自评报告内容"}
    out.update({k: v for k, v in generated.items() if k not in ("$defs", "title")})
    if "$defs" in generated:
        out["definitions"] = generated["$defs"]
    return out


def schema_text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
