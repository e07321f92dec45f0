"""A short official document on the report template: its styles, its GB/T 9704 portrait page and
page-number footers, and an empty body (the report's text and its landscape 附件 section dropped),
so letters and summaries belong to the same family as the reports and follow a user's template."""

from __future__ import annotations

import copy
from pathlib import Path

from ..problems import Problem


def style(document, name: str):
    """The template's style, or None (the default) when a user's template lacks it."""
    try:
        return document.styles[name]
    except KeyError:
        return None


def blank(template: Path, template_data: bytes | None = None):
    """(document, []) with the template's first section only, or (None, problems)."""
    import io

    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(template_data) if template_data is not None else str(template))
    except Exception as exc:  # a template is input: anything unreadable is the user's to fix
        return None, [Problem(str(template), 0, 0, f"无法作为 Word 模板打开（{type(exc).__name__}）：请使用 .docx 文件")]
    body = document.element.body
    final = body.find(qn("w:sectPr"))
    portrait = None
    for p in body.iterchildren(qn("w:p")):
        found = p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if found is not None:
            portrait = found
            break
    for child in list(body):
        if child is not final:
            body.remove(child)
    if portrait is not None and final is not None:
        body.replace(final, copy.deepcopy(portrait))
    return document, []
