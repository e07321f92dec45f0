"""The one table of key names and enum spellings the import writes.

When the content model renames a key or an enum value, change it here only.
"""

from __future__ import annotations

# ---------------------------------------------------------------- the ONE mapping table
# Every key name and enum spelling the import writes. When the content model renames a key or an
# enum value (e.g. kind: 定量|定性), change it here only.
KEY = {
    # top level
    "year": "year", "department": "department", "policy_documents": "policy_documents",
    "internal_units": "internal_units", "staffing": "staffing", "functions": "functions",
    "budget": "budget", "santong": "santong", "evaluation": "evaluation", "experience": "experience",
    "indicators": "indicators", "problems": "problems", "suggestions": "suggestions", "form": "form",
    "signature": "signature", "show": "show", "date": "date",
    # department, documents, units, staffing
    "name": "name", "short_name": "short_name", "rank": "rank", "supervisor": "supervisor", "id": "id", "title": "title",
    "number": "number", "duties": "duties", "administrative": "administrative", "posts": "posts",
    "count": "count", "section_leaders": "section_leaders", "institutional": "institutional",
    # budget and 三公
    "initial": "initial", "carryover_start": "carryover_start", "adjusted": "adjusted",
    "adjusted_note": "adjusted_note", "executed": "executed", "carryover_end": "carryover_end",
    "execution_weight": "execution_weight", "deviation": "deviation", "reason": "reason",
    "measure": "measure", "items": "items", "amount": "amount", "santong_budget": "budget",
    "change_reason": "change_reason", "vehicles": "vehicles", "funding": "funding",
    "purchased": "purchased", "disposed": "disposed", "held": "held", "overseas": "overseas",
    "groups": "groups", "people": "people",
    # evaluation
    "preparation": "preparation", "document": "document", "text": "text", "phases": "phases",
    "analysis": "analysis", "start": "start", "end": "end",
    # indicators
    "weight": "weight", "unit": "unit", "kind": "kind", "direction": "direction",
    "target_initial": "target_initial", "target_adjusted": "target_adjusted", "actual": "actual",
    "core": "core", "judgement": "judgement", "coefficient": "coefficient", "basis": "basis",
    "qualitative": "qualitative", "achievement": "achievement", "override": "override", "score": "score",
    "level1": "level1", "level2": "level2", "parts": "parts",
    # the form's extra information
    "contact": "contact", "phone": "phone", "goals": "goals", "achieved": "achieved", "leader": "leader",
    "finance_office": "finance_office", "implementing_unit": "implementing_unit",
}
ENUM = {
    "定量": "定量", "定性": "定性",  # kind (the content's values are the Chinese words)
    "达成": "达成", "部分达成": "部分达成", "未达成": "未达成",  # qualitative.achievement
    "≥": ">=", "≤": "<=", "=": "=",  # direction, from the form's sign
}
K = KEY
