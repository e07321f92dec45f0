"""The JSON Schema that editors use to complete and check content files, generated from the model.

Kept to draft-07 (``definitions``, no tuples), which the YAML editor extensions read.
"""

from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema

from .model import Department, FormContent, FormDepartment, FormIndicator, Indicator, Report

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


class _NumbersAreNumbers(GenerateJsonSchema):
    """pydantic lets a Decimal be a number or a string; the model refuses text in a number field
    (``model.Strict``), so the editor is told "number" only and flags a quoted figure too."""

    def decimal_schema(self, schema):
        generated = super().decimal_schema(schema)
        return generated["anyOf"][0] if "anyOf" in generated else generated


def _chinese_titles(node, definitions: dict, found: dict) -> None:
    """Hover texts in Chinese only: draft-07 ignores the keys beside a ``$ref`` (so an editor would
    show the definition's English class name), hence the reference moves into ``allOf`` and each
    definition takes the Chinese title of the first field that uses it."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        refs = [ref] if ref else [a.get("$ref") for a in node.get("anyOf", []) + node.get("allOf", []) if isinstance(a, dict) and a.get("$ref")]
        items = node.get("items")
        if isinstance(items, dict) and items.get("$ref"):
            refs.append(items["$ref"])  # a list's title names its items too (内设机构 → one 内设机构)
        for r in refs:
            name = r.rsplit("/", 1)[-1]
            if name in definitions and "title" in node:
                found.setdefault(name, node["title"])
        if ref and len(node) > 1:
            del node["$ref"]
            node["allOf"] = [{"$ref": ref}]
        for value in node.values():
            _chinese_titles(value, definitions, found)
    elif isinstance(node, list):
        for value in node:
            _chinese_titles(value, definitions, found)


def _required(model) -> list[str]:
    return [name for name, f in model.model_fields.items() if f.is_required()]


# A file may hold a whole report or only its 自评表 (model.FormContent): the editor requires what
# both need, and offers every key; ``check`` says which narrative parts a report still lacks.
FORM_REQUIRED = {Report: FormContent, Department: FormDepartment, Indicator: FormIndicator}


def schema() -> dict:
    generated = Report.model_json_schema(ref_template="#/definitions/{model}", schema_generator=_NumbersAreNumbers)
    generated["required"] = _required(FormContent)
    for full, form in FORM_REQUIRED.items():
        definition = generated.get("$defs", {}).get(full.__name__)
        if definition is not None:
            definition["required"] = _required(form)
    out = {"$schema": DRAFT_07, "title": "部门整体支出绩效自评报告内容（或只有自评表的内容）"}
    out.update({k: v for k, v in generated.items() if k not in ("$defs", "title")})
    if "$defs" in generated:
        out["definitions"] = generated["$defs"]
        found: dict[str, str] = {}
        _chinese_titles(out, out["definitions"], found)
        for name, definition in out["definitions"].items():
            own = definition.get("title", name)
            definition["title"] = own if not own.isascii() else found.get(name, own)
    return out


def schema_text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
