"""Live preview: the report in a browser page that follows the YAML as it is edited.

    content/<dept>/<year>.yaml ─ check ─ the .docx built in memory (the recipe of ``report``)
        ─ read back as HTML (``docxhtml``) ─ pushed to every open page (server-sent events)

The page is the built .docx read back, not a second wording of the content, so it holds the same
text as the printed report whatever ``compose`` or the template say. ``check``'s problems stand at the top and beside the part of the report
their YAML line belongs to; a file with errors keeps its last good page, marked 过期. The audit's
findings (``audit``: the same rules as ``make audit``, with last year's file) stand beside their
parts too, marked 审核.

Offline and read-only: only GET, every asset served from ``preview-static/``, no URL part is used
as a path (a department is looked up among the year's listed files), 127.0.0.1 unless told.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import escape

from .. import paths
from ..errors import SetupError
from ..paths import previous_file
from ..output.docxhtml import View, docx_view
from ..content.load import MAX_BYTES
from ..content.readfile import MAX_TEMPLATE_BYTES, read_in_project, read_limited, why
from ..problems import Problem, Severity
from . import Command, options
from .audit.findings import SEVERITY_ORDER, Finding, counts_text

STATIC = Path(__file__).resolve().parent / "preview-static"
LOOPBACK = "127.0.0.1"
WATCH_STEP_MS = 30  # watchfiles: a change is reported once the folder has been quiet this long

# ---------------------------------------------------------------- problems beside their part

# Each top-level key of the content and the heading its part of the report begins with (None:
# the title). A key whose heading is missing (an empty part, a new key) shows at the top only.
SECTIONS = {
    "year": None,
    "policy_documents": None,
    "department": "部门基本情况",
    "internal_units": "内设机构",
    "staffing": "编制",
    "functions": "职能职责",
    "budget": "财政资金",
    "santong": "三公",
    "evaluation": "绩效评价工作开展情况",
    "experience": "主要经验",
    "indicators": "绩效评价情况及结论",
    "problems": "需重点关注的问题",
    "suggestions": "有关建议",
    "form": "附件",
}
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.M)


def top_level_keys(text: str) -> list[tuple[int, str]]:
    """(line, key) of each top-level key in the YAML text, in order (1-based lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in TOP_KEY.finditer(text)]


def key_at(keys: list[tuple[int, str]], line: int) -> str | None:
    found = None
    for start, key in keys:
        if start > line:
            break
        found = key
    return found


def _anchor(key: str) -> str:
    return f"part-{key}"


def _placements(view: View) -> dict[int, list[str]]:
    """id(block) → the content keys whose part begins at that block."""
    placed: dict[int, list[str]] = {}
    blocks = [b for page in view.pages for b in page.blocks]
    for key, words in SECTIONS.items():
        for b in blocks:
            if b.heading is not None and (words is None or words in b.heading):
                placed.setdefault(id(b), []).append(key)
                break
    return placed


def _where(p: Problem) -> str:
    return f"{p.path}:{p.line}:{p.col}" if p.line > 0 else p.path


def _problem_items(problems: list[tuple[Problem, str | None]], linked: set[str]) -> str:
    items = []
    for p, key in problems:
        kind = "error" if p.severity is Severity.error else "warning"
        label = "错误" if kind == "error" else "警告"
        where = str(escape(_where(p)))
        if key in linked:
            where = f'<a href="#{_anchor(key)}">{where}</a>'
        items.append(f'<li class="{kind}"><span class="tag">{label}</span><code>{where}</code> {escape(p.message)}</li>')
    return "".join(items)


def _finding_items(findings: list[Finding], linked: set[str]) -> str:
    items = []
    for f in findings:
        where = str(escape(f.where))
        if f.section in linked:
            where = f'<a href="#{_anchor(f.section)}">{where}</a>'
        figures = f"（{escape(f.figures_text)}）" if f.figures else ""
        items.append(f'<li class="audit"><span class="tag">审核·{escape(f.severity.value)}</span><code>{where}</code> '
                     f"{escape(f.rule.id)} {escape(f.message)}{figures}</li>")
    return "".join(items)


# ---------------------------------------------------------------- one department's state


@dataclass
class Entry:
    dept: str
    shown: str
    digest: str = ""
    name: str | None = None
    total: str | None = None
    grade: str | None = None
    checked: build.Checked | None = None  # the current content when it has no errors
    found: list[Problem] = field(default_factory=list)  # check's problems
    template_problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the audit's, when the content has no errors
    keys: list[tuple[int, str]] = field(default_factory=list)
    view: View | None = None  # the page of the current content, or None (errors, or not built yet)
    built_for: tuple = ()
    good: View | None = None  # the last good page
    good_figures: tuple[str | None, str | None, str | None] = (None, None, None)

    @property
    def problems(self) -> list[Problem]:
        return self.found + self.template_problems

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.error for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.warning for p in self.problems)


class Preview:
    """The year's departments, checked and rendered on demand and cached by the file's bytes and
    the template's: a save costs the work of the one report that changed.

    Files are read (``readfile``: regular files inside the project, bounded) before any lock is
    taken, and each department has its own lock: a FIFO, a slow share or a slow template in one
    department never holds up another's page."""

    def __init__(self, root: Path, content: Path, year: int, template: Path):
        self.root, self.content, self.year, self.template = root, content, year, template
        # where content files may really lie: the project, or a content folder named outside it
        self.area = root if paths.within(paths.real(content), paths.real(root)) else content
        self.entries: dict[str, Entry] = {}
        self.lock = threading.Lock()  # only around the two dictionaries below, never a read or a build
        self.locks: dict[str, threading.Lock] = {}
        self._template: tuple[tuple, bytes | None, str | None] = ((), None, None)

    # names -------------------------------------------------------------
    def shown(self, path: Path) -> str:
        try:
            return os.path.relpath(path, self.root)
        except ValueError:
            return str(path)

    def departments(self) -> dict[str, Path]:
        """Department id → its content file: the only way from a URL to a file."""
        return {path.parent.name: path for path in paths.content_files(self.content, self.year)}

    # the work ----------------------------------------------------------
    def _template_bytes(self) -> tuple[tuple, bytes | None, str | None]:
        """(stamp, bytes, None) or (stamp, None, why): read again only when the file changed."""
        try:
            st = self.template.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode)
        except OSError as exc:
            return ("missing",), None, why(exc, self.template)
        if stamp != self._template[0]:
            data, refused = read_limited(self.template, MAX_TEMPLATE_BYTES)
            self._template = (stamp, data, refused)  # one assignment: threads see the old or the new
        return self._template

    def entry(self, dept: str, path: Path, *, render: bool = True) -> Entry:
        """The department's current state: re-checked when its file changed, its page rebuilt when
        the file or the template changed (``render``)."""
        data, refused = read_in_project(path, MAX_BYTES, self.area)  # no lock held: a FIFO is refused at once
        with self.lock:
            entry = self.entries.setdefault(dept, Entry(dept, self.shown(path)))
            lock = self.locks.setdefault(dept, threading.Lock())
        with lock:
            try:
                self._check(entry, path, data, refused)
                if render:
                    self._render(entry)
            except Exception as exc:  # a bug of ours: shown on the page, never a dead server
                entry.found = [Problem(entry.shown, 0, 0, f"内部错误（{type(exc).__name__}：{exc}），请把内容文件报告给维护者")]
                entry.template_problems = []
                entry.view, entry.checked, entry.digest, entry.built_for = None, None, "", ()
            return entry

    def _check(self, entry: Entry, path: Path, data: bytes | None, refused: str | None) -> None:
        from .. import build  # the recipe: imported when a page is made, not to list the commands
        from ..content.wording import num

        digest = hashlib.sha256(data).hexdigest() if data is not None else f"unreadable: {refused}"
        before = previous_file(path)
        if before is not None:  # last year's file is read by the audit: its change counts too
            try:
                st = before.stat()
                digest += f"+{st.st_mtime_ns}-{st.st_size}"
            except OSError:
                pass
        if digest == entry.digest:
            return
        if data is not None:
            checked = build.check_bytes(data, path, entry.shown)
        else:
            checked = build.Checked(path, problems=[Problem(entry.shown, 1, 1, f"无法读取内容文件：{refused}")])
        entry.digest = digest
        entry.found = sorted(checked.problems, key=lambda p: (p.line, p.col))
        entry.keys = top_level_keys(data.decode("utf-8-sig", "replace")) if data is not None else []
        entry.view, entry.built_for = None, ()
        if checked.report is not None:
            entry.name = checked.report.department.name
        if checked.ok:
            entry.total, entry.grade = num(checked.scores.total), checked.scores.grade
        else:
            entry.total = entry.grade = None
        entry.checked = checked if checked.ok else None
        entry.template_problems = []
        entry.findings = []
        if checked.ok:
            from .audit.gather import audit_checked  # the rules: imported when a page is made

            previous = build.check(before, self.shown(before)) if before is not None else None
            entry.findings = audit_checked(checked, entry.dept, entry.shown, previous)

    def _render(self, entry: Entry) -> None:
        from .. import build

        stamp, template_data, refused = self._template_bytes()
        wanted = (entry.digest, stamp)
        if entry.built_for == wanted:
            return
        entry.built_for, entry.view, entry.template_problems = wanted, None, []
        if entry.checked is None:
            return
        name = self.shown(self.template)
        if template_data is None:
            entry.template_problems = [Problem(name, 0, 0, f"无法读取模板：{refused}")]
            return
        if entry.checked.form_only:  # a 自评表 only: its standalone form is what there is to see
            docx_bytes, problems = build.form_docx(entry.checked)
        else:
            docx_bytes, problems = build.render_docx(entry.checked, self.template, template_data=template_data)
        entry.template_problems = [Problem(name, p.line, p.col, p.message, p.severity) for p in problems]
        if docx_bytes is None:
            return
        entry.view = docx_view(docx_bytes)
        entry.good = entry.view
        entry.good_figures = (entry.name, entry.total, entry.grade)

    # pages -------------------------------------------------------------
    def report_fragment(self, dept: str, path: Path) -> str:
        entry = self.entry(dept, path)
        return report_html(entry, self.year)

    def index_fragment(self) -> str:
        rows = [self.entry(dept, path, render=False) for dept, path in self.departments().items()]
        return index_html(rows, self.year, self.shown(self.content))


def report_html(entry: Entry, year: int) -> str:
    stale = entry.view is None
    view = entry.view or entry.good
    name, total, grade = (entry.name, entry.total, entry.grade) if not stale else entry.good_figures
    located = [(p, key_at(entry.keys, p.line) if p.line > 0 and p.path == entry.shown else None) for p in entry.problems]
    placements = _placements(view) if view is not None else {}
    linked = {key for keys in placements.values() for key in keys}

    out = ['<header class="bar">', f'<a class="back" href="/">{year} 年度目录</a>']
    out.append(f'<span class="dept">{escape(name or entry.dept)}</span>')
    out.append(f'<span class="figure">总分 <b id="total">{escape(total or "—")}</b></span>')
    out.append(f'<span class="figure">等级 <b id="grade">{escape(grade or "—")}</b></span>')
    if stale:
        why = "内容有错误" if entry.errors else "未能生成"
        out.append(f'<span id="state" class="stale">过期：{why}，下面是上次成功生成的报告</span>' if view is not None
                   else f'<span id="state" class="stale">{why}，尚无可显示的报告</span>')
    else:
        out.append('<span id="state" class="fresh">已是最新</span>')
    out.append(f'<code class="file">{escape(entry.shown)}</code></header>')

    if entry.problems:
        # errors always in sight; a list of warnings only opens on a click
        out.append(f'<details id="problems" class="problems"{" open" if entry.errors else ""}>'
                   f'<summary>问题：{entry.errors} 个错误，{entry.warnings} 个警告</summary><ul>')
        out.append(_problem_items(located, linked))
        out.append("</ul></details>")
    if entry.findings:
        out.append(f'<details id="audit" class="problems audit"><summary>审核意见：{len(entry.findings)} 条'
                   '（与 make audit 相同的规则，不改变得分）</summary><ul>')
        out.append(_finding_items(entry.findings, linked))
        out.append("</ul></details>")
    if view is None:
        out.append('<p class="empty">请先改正上列错误；保存后本页自动更新。</p>')
        return "".join(out)

    out.append(f'<div class="doc{" stale" if stale else ""}"><style>{view.css}</style>')
    for page in view.pages:
        out.append(f'<section class="page{" landscape" if page.landscape else ""}" style="{page.style}">')
        for block in page.blocks:
            keys = placements.get(id(block), [])
            if keys:
                out.append(f'<div class="part" id="{_anchor(keys[0])}">')
                out += [f'<span id="{_anchor(k)}"></span>' for k in keys[1:]]
            out.append(block.html)
            here = [(p, key) for p, key in located if key in keys]
            if here:
                out.append(f'<ul class="problems-here">{_problem_items(here, set())}</ul>')
            audit_here = [f for f in entry.findings if f.section in keys]
            if audit_here:
                out.append(f'<ul class="problems-here audit-here">{_finding_items(audit_here, set())}</ul>')
            if keys:
                out.append("</div>")
        out.append("</section>")
    out.append("</div>")
    return "".join(out)


def index_html(entries: list[Entry], year: int, content: str) -> str:
    out = [f'<header class="bar"><span class="dept">{year} 年度部门整体支出绩效自评报告</span>'
           f'<code class="file">{escape(content)}</code></header>']
    if not entries:
        out.append(f'<p class="empty">没有找到 {year} 年度的内容文件（{escape(content)}/&lt;部门&gt;/{year}.yaml）。</p>')
        return "".join(out)
    out.append('<table class="index"><tr><th>部门</th><th>总分</th><th>等级</th><th>问题</th><th>审核意见</th><th>内容文件</th></tr>')
    for e in entries:
        problems = (f"{e.errors} 个错误" if e.errors else "") + ("，" if e.errors and e.warnings else "") + (f"{e.warnings} 个警告" if e.warnings else "")
        out.append(
            f'<tr><td><a href="/d/{quote(e.dept, safe="")}">{escape(e.name or e.dept)}</a></td>'
            f'<td class="num">{escape(e.total or "—")}</td><td>{escape(e.grade or "—")}</td>'
            f'<td class="{"error" if e.errors else ""}">{problems or "无"}</td>'
            f'<td>{escape(counts_text(tuple(sum(f.severity is s for f in e.findings) for s in SEVERITY_ORDER))) if e.checked else "—"}</td>'
            f'<td><code>{escape(e.shown)}</code></td></tr>'
        )
    out.append("</table>")
    return "".join(out)


# ---------------------------------------------------------------- the server

def page_html(title: str, events: str, fragment: str) -> str:
    digest = _digest(fragment)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/static/preview.css"><script src="/static/preview.js" defer></script></head>'
        f'<body><div id="conn" hidden>与预览服务器的连接已断开，正在重试……</div>'
        f'<div id="live" data-events="{escape(events)}" data-hash="{digest}">{fragment}</div></body></html>'
    )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATIC_FILES = {"preview.css": "text/css; charset=utf-8", "preview.js": "text/javascript; charset=utf-8"}


class Hub:
    """Wakes every open page's event stream when a watched file changes; ``stop`` ends them all."""

    def __init__(self):
        self.stop = asyncio.Event()
        self._changed = asyncio.Event()
        self.changes = 0

    def notify(self) -> None:
        self.changes += 1
        old, self._changed = self._changed, asyncio.Event()
        old.set()

    async def wait(self, timeout: float) -> None:
        changed = asyncio.ensure_future(self._changed.wait())
        stopped = asyncio.ensure_future(self.stop.wait())
        try:
            await asyncio.wait({changed, stopped}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            changed.cancel()
            stopped.cancel()


def app(preview: Preview, hub: Hub, allowed_hosts: list[str]):
    """The Starlette application: pages, their event streams and the two static files; GET only."""
    import contextlib

    import anyio
    import watchfiles
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, Response, StreamingResponse
    from starlette.routing import Route

    assets = {name: (STATIC / name).read_bytes() for name in STATIC_FILES}
    template = preview.template.resolve()
    content = preview.content.resolve()
    wanted_name = f"{preview.year}.yaml"

    def watched(change, path: str) -> bool:
        p = Path(path)
        return p == template or (p.name == wanted_name and p.parent.parent == content)

    async def watch() -> None:
        paths = [content] + ([template.parent] if template.parent.is_dir() else [])
        try:
            async for _ in watchfiles.awatch(*paths, watch_filter=watched, stop_event=hub.stop, step=WATCH_STEP_MS,
                                             debounce=400, recursive=True):
                hub.notify()
        except Exception as exc:  # the folder went away, or the system's file events failed
            print(f"无法继续监视文件（{type(exc).__name__}：{exc}），页面不再自动更新；请重新启动预览。", file=sys.stderr, flush=True)

    @contextlib.asynccontextmanager
    async def lifespan(_):
        task = asyncio.ensure_future(watch())
        try:
            yield
        finally:
            hub.stop.set()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 2)

    def not_found(text: str) -> Response:
        return HTMLResponse(page_html("未找到", "", f'<p class="empty">{escape(text)}（<a href="/">返回目录</a>）</p>'),
                            status_code=404, headers=SECURITY_HEADERS)

    def department(request) -> tuple[str, Path] | None:
        dept = request.path_params["dept"]
        path = preview.departments().get(dept)  # only a listed department: never a path from the URL
        return (dept, path) if path is not None else None

    async def index(request):
        fragment = await anyio.to_thread.run_sync(preview.index_fragment)
        return HTMLResponse(page_html(f"{preview.year} 年度报告预览", "/events", fragment), headers=SECURITY_HEADERS)

    async def report(request):
        found = department(request)
        if found is None:
            return not_found(f"{preview.year} 年度没有这个部门的内容文件")
        fragment = await anyio.to_thread.run_sync(preview.report_fragment, *found)
        entry = preview.entries[found[0]]
        title = f"{entry.name or found[0]} {preview.year} 年度报告预览"
        return HTMLResponse(page_html(title, f"/events/{quote(found[0], safe='')}", fragment), headers=SECURITY_HEADERS)

    def stream(make, have: str):
        async def events():
            last = have
            while not hub.stop.is_set():
                fragment = await anyio.to_thread.run_sync(make)
                digest = _digest(fragment)
                if digest != last:
                    last = digest
                    yield f"event: update\ndata: {json.dumps({'html': fragment, 'hash': digest}, ensure_ascii=False)}\n\n"
                else:
                    yield ": 保持连接\n\n"
                await hub.wait(15)

        return StreamingResponse(events(), media_type="text/event-stream", headers={**SECURITY_HEADERS, "X-Accel-Buffering": "no"})

    async def index_events(request):
        return stream(preview.index_fragment, request.query_params.get("have", ""))

    async def report_events(request):
        found = department(request)
        if found is None:
            return not_found(f"{preview.year} 年度没有这个部门的内容文件")
        return stream(lambda: preview.report_fragment(*found), request.query_params.get("have", ""))

    async def static(request):
        name = request.path_params["name"]
        if name not in assets:  # a fixed list: nothing else on disk is reachable
            return not_found("没有这个文件")
        return Response(assets[name], media_type=STATIC_FILES[name], headers=SECURITY_HEADERS)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/d/{dept}", report, methods=["GET"]),
        Route("/events", index_events, methods=["GET"]),
        Route("/events/{dept}", report_events, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
    ]
    middleware = [Middleware(HostCheck, allowed_hosts=allowed_hosts)]
    async def no_route(request, exc):  # an address or method no route answers: a Chinese page, not "Not Found"
        if getattr(exc, "status_code", 404) == 405:
            return HTMLResponse(page_html("不能这样访问", "", '<p class="empty">预览只能查看（GET），不能修改任何文件（<a href="/">返回目录</a>）</p>'),
                                status_code=405, headers={**SECURITY_HEADERS, "Allow": "GET"})
        return not_found("没有这个页面")

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={404: no_route, 405: no_route})


class HostCheck:
    """Starlette's TrustedHostMiddleware, answering a foreign Host header (DNS rebinding) with a
    Chinese page instead of its English "Invalid host header"."""

    def __init__(self, app, allowed_hosts: list[str]):
        self.app, self.allowed = app, set(allowed_hosts)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or "*" in self.allowed:
            return await self.app(scope, receive, send)
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        name = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host.split(":")[0]
        if name in self.allowed:
            return await self.app(scope, receive, send)
        from starlette.responses import HTMLResponse

        text = ("这个地址不能访问预览：预览只回应 127.0.0.1 或 localhost 这样的本机地址"
                "（防止其他网页借用域名读取报告）。请用启动时显示的地址打开。")
        page = page_html("不能这样访问", "", f'<p class="empty">{escape(text)}</p>')
        await HTMLResponse(page, status_code=400, headers=SECURITY_HEADERS)(scope, receive, send)


def _bind_failure(host: str, port: int, exc: OSError) -> str:
    """Why the preview cannot listen, in the user's words: the address or the port."""
    import errno

    if isinstance(exc, socket.gaierror) or exc.errno in (errno.EINVAL, errno.EAFNOSUPPORT):
        return f"监听地址 HOST={host} 无效：应为本机的 IP 地址，如 127.0.0.1（只允许本机访问）或 0.0.0.0（同一网络的电脑都能访问）。"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"监听地址 HOST={host} 不是本机的地址：请用 127.0.0.1，或本机网卡的 IP 地址。"
    if exc.errno == errno.EACCES:
        return f"无法在端口 {port} 上启动预览：1024 以下的端口需要管理员权限，请换一个端口，如 PORT=8000。"
    if exc.errno == errno.EADDRINUSE:
        return f"无法在 {host}:{port} 上启动预览：端口已被占用，可用 PORT=8001 换一个端口。"
    return f"无法在 {host}:{port} 上启动预览（{exc.strerror or exc}）。"


def _hosts(host: str) -> list[str]:
    """Host headers answered: the loopback names, or any when listening on every address (a page
    elsewhere cannot reach a loopback server through a DNS name it controls)."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({"127.0.0.1", "localhost", "[::1]", host if ":" not in host else f"[{host}]"})


def run(args) -> int:
    """``perfreport preview``: serve until Ctrl-C. 0 stopped cleanly, 2 usage or environment."""
    import uvicorn

    from .. import build

    root = Path(args.root).resolve()
    content = Path(os.path.abspath(root / args.content))  # as written: a link out of the project is refused below
    template = (root / args.template).resolve() if args.template else build.DEFAULT_TEMPLATE
    if not content.is_dir():
        print(f"找不到内容目录 {args.content}。", file=sys.stderr)
        return 2
    try:
        paths.area(content)
        build.read_template(template)  # a FIFO or a device is named as such, not as "missing"
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return 2
    preview = Preview(root, content, args.year, template)
    departments = preview.departments()
    if args.dept and args.dept not in departments:
        print(f"没有找到 {args.year} 年度的内容文件（{args.content}/{args.dept}/{args.year}.yaml）。", file=sys.stderr)
        return 2
    host = args.host or LOOPBACK
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, args.port))
        sock.listen(128)  # requests made as soon as the address is printed wait for the server
    except (OSError, UnicodeError, ValueError, TypeError) as exc:  # a host name the IDNA codec refuses
        print(_bind_failure(host, args.port, exc if isinstance(exc, OSError) else socket.gaierror(str(exc))), file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    hub = Hub()
    config = uvicorn.Config(app(preview, hub, _hosts(host)), log_level="error", access_log=False,
                            timeout_graceful_shutdown=2, lifespan="on")

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):  # Ctrl-C: end the event streams and the watcher too
            loop = getattr(self, "_loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(hub.stop.set)
            super().handle_exit(sig, frame)

        async def serve(self, sockets=None):
            self._loop = asyncio.get_running_loop()
            await super().serve(sockets)

    server = Server(config)
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/" + (f"d/{quote(args.dept, safe='')}" if args.dept else "")
    print(f"预览已启动：{address}", flush=True)
    print(f"在浏览器中打开上面的地址；保存 {args.content}/<部门>/{args.year}.yaml 或模板后页面自动更新。按 Ctrl-C 停止。", flush=True)
    if host not in (LOOPBACK, "localhost", "::1"):
        print(f"注意：预览监听在 {host}，同一网络中的其他电脑也能看到报告内容。", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the captured Ctrl-C again once it has shut down
        pass
    finally:
        sock.close()
    print("预览已停止。", flush=True)
    return 0


# ---------------------------------------------------------------- the command line


def arguments(p) -> None:
    options.content_args(p)
    p.add_argument("--root", default=None, metavar="文件夹", help="项目文件夹（默认：当前文件夹所在的项目根目录）")
    p.add_argument("--template", default=None, metavar="模板", help="Word 模板（默认：templates/report.docx）")
    p.add_argument("--host", default=None, metavar="地址", help="监听地址（默认 127.0.0.1，只允许本机访问）")
    p.add_argument("--port", type=_port, default=8000, metavar="端口", help="端口（默认 8000；0 表示任选一个空闲端口）")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"端口应为 0 至 65535 的整数（当前为“{text}”）")
    return int(text)


def main(args) -> int:
    args.root = args.root or str(options.root())
    args.content = args.content or "content"  # relative to the root, as the page names it
    args.year = options.year_of(args, Path(args.root) / args.content)
    return run(args)


COMMAND = Command(
    "preview", "在浏览器中预览报告，保存内容文件后自动更新",
    "启动本机预览服务器：页面显示报告及其问题，内容文件或模板保存后自动更新；只读，默认只允许本机访问。按 Ctrl-C 停止。",
    arguments, main, order=120,
)
