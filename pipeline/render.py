"""Context → .docx bytes through docxtpl, with autoescape and strict undefined.

The saved bytes are reproducible: fixed core properties from the content, fixed zip layout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from .problems import Problem
from .savefile import document_bytes


def environment() -> jinja2.Environment:
    # Autoescape on: docxtpl re-parses its output, so an unescaped & or < would silently drop
    # text. StrictUndefined: a misspelt variable fails instead of printing nothing.
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def render(context: dict, template: Path, *, author: str, title: str, when: dt.date) -> tuple[bytes | None, list[Problem]]:
    """The filled document's bytes, or the template's problems with its file name."""
    try:
        doc = DocxTemplate(str(template))
        doc.render(context, environment())
    except jinja2.TemplateSyntaxError as exc:
        return None, [Problem(str(template), exc.lineno or 1, 1, f"模板语法错误：{exc.message}")]
    except jinja2.UndefinedError as exc:
        return None, [Problem(str(template), 1, 1, f"模板引用了不存在的变量：{exc.message}")]
    except jinja2.TemplateError as exc:
        return None, [Problem(str(template), 1, 1, f"模板错误：{exc}")]
    except (OSError, KeyError, ValueError) as exc:
        return None, [Problem(str(template), 1, 1, f"无法读取模板（不是有效的 .docx？）：{exc}")]
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    props = doc.docx.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    return document_bytes(doc), []
