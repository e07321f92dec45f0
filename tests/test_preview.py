"""make preview: the report in a browser page that follows the YAML as it is saved.

The browser tests drive Debian's chromium through its chromedriver (selenium never downloads a
driver); they skip, saying why, where either is absent.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pipeline import build
from pipeline.commands import preview
from pipeline.output.compose import num
from pipeline.output.text import paragraphs

from .conftest import CONTENT, ROOT, SEED, edit, real_text, where

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
EXECUTED = "  executed: 1209.56\n"


def reference_total() -> str:
    """The published report's total, as its text prints it."""
    return re.search(r"自评总得分([\d.]+)分", SEED.read_text(encoding="utf-8")).group(1)


def copy_content(tmp_path: Path, text: str | None = None, dept: str = "bishan-kjj") -> Path:
    path = tmp_path / "content" / dept / "2022.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else real_text(), encoding="utf-8")
    return path


def expected(path: Path) -> tuple[str, str]:
    checked = build.check(path)
    assert checked.ok
    return num(checked.scores.total), checked.scores.grade


def page_lines(fragment: str) -> list[str]:
    """The report's paragraphs as the page holds them, in order (blank ones dropped, as in the .docx)."""
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = tree.xpath("//div[contains(@class,'doc')]//*[self::p or self::h1 or self::h2 or self::h3 or self::h4]")
    return [t for t in (b.text_content().strip() for b in blocks) if t]


def docx_lines(path: Path) -> list[str]:
    data, problems = build.render_docx(build.check(path))
    assert not problems
    return paragraphs(data)


# ---------------------------------------------------------------- the page, without a server


def test_page_holds_the_docx_text_paragraph_by_paragraph(tmp_path):
    path = copy_content(tmp_path)
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE)
    fragment = p.report_fragment("bishan-kjj", path)
    lines = page_lines(fragment)
    assert lines == docx_lines(path)
    assert f"自评总得分{reference_total()}分" in "".join(lines)
    # the title, the four heading levels and both tables are there as such
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    assert tree.xpath("//p[contains(@class,'s-Title')]")
    for level in ("h1", "h2", "h3"):
        assert tree.xpath(f"//div[contains(@class,'doc')]//{level}")
    tables = tree.xpath("//table[@class='docx']")
    assert len(tables) >= 2  # Table 1 and the attachment form
    assert tree.xpath("//section[contains(@class,'page') and contains(@class,'landscape')]//table")  # the form, landscape


def _declarations(css: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in css.split(";") if ":" in part)


def test_attachment_note_and_signature_are_laid_out_as_printed():
    """The page is the report: 附件说明 starts two characters in and its second line stands under
    the name (w:hanging with w:firstLineChars="0", which Word reads as "use the twips"); the 落款
    keeps its blank line above and its right indents from the .docx (the paragraph's own w:ind)."""
    import docx
    from docx.oxml.ns import qn

    from pipeline.output.docxhtml import docx_view

    data, problems = build.render_docx(build.check(CONTENT))
    assert not problems
    view = docx_view(data)
    rule = re.search(r"\.s-AttachmentNote\{([^}]*)\}", view.css).group(1)
    note = _declarations(rule)
    char = 15.75  # one condensed 三号 character, pt
    first_line = float(note["margin-left"].removesuffix("pt")) + float(note["text-indent"].removesuffix("pt"))
    assert (first_line, float(note["margin-left"].removesuffix("pt"))) == (2 * char, 5 * char), note
    assert note["margin-top"] == "28.95pt"  # the blank line above
    blocks = [b.html for page in view.pages for b in page.blocks if "s-Signature" in b.html]
    printed = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Signature"]
    assert len(blocks) == len(printed) == 2
    for html, paragraph in zip(blocks, printed):
        own = _declarations(lxml_html.fragment_fromstring(html).get("style"))
        right = int(paragraph._p.pPr.find(qn("w:ind")).get(qn("w:right")))
        assert own["margin-right"] == f"{right / 20:g}pt" and own["text-align"] == "right", html
    assert _declarations(lxml_html.fragment_fromstring(blocks[0]).get("style"))["margin-top"] == "28.95pt"


def test_text_is_escaped_never_markup(tmp_path):
    text = edit(real_text(), "  short_name: 区科技局", '  short_name: "<script>alert(1)</script>&amp;区科技局"')
    path = copy_content(tmp_path, text)
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE)
    fragment = p.report_fragment("bishan-kjj", path)
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;区科技局" in fragment
    assert page_lines(fragment) == docx_lines(path)


def test_problems_stand_at_the_top_and_beside_their_part_and_the_page_goes_stale(tmp_path):
    path = copy_content(tmp_path)
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE)
    good_total, good_grade = expected(path)
    p.report_fragment("bishan-kjj", path)

    broken = edit(real_text(), EXECUTED, "  executed: 1,209.56\n")
    path.write_text(broken, encoding="utf-8")
    fragment = p.report_fragment("bishan-kjj", path)
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    located = f"content/bishan-kjj/2022.yaml:{where(broken, '1,209.56')}"

    top = tree.get_element_by_id("problems")
    assert top.get("open") is not None and located in top.text_content()
    part = tree.get_element_by_id("part-budget")  # the part that begins with 财政资金整体支出
    assert "财政资金整体支出" in part.text_content()
    assert located in part.xpath(".//ul[@class='problems-here']")[0].text_content()
    state = tree.get_element_by_id("state")
    assert "过期" in state.text_content()
    assert tree.xpath("//div[contains(@class,'doc') and contains(@class,'stale')]")
    # the last good rendering stays, with its figures
    assert tree.get_element_by_id("total").text_content() == good_total
    assert tree.get_element_by_id("grade").text_content() == good_grade
    assert "1209.56" in "".join(page_lines(fragment))

    path.write_text(real_text(), encoding="utf-8")
    fragment = p.report_fragment("bishan-kjj", path)
    assert "已是最新" in fragment and "过期" not in fragment


def test_a_file_never_good_shows_its_problems_and_no_report(tmp_path):
    broken = edit(real_text(), EXECUTED, "  executed: [\n")
    path = copy_content(tmp_path, broken)
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE)
    fragment = p.report_fragment("bishan-kjj", path)
    assert "尚无可显示的报告" in fragment
    assert "content/bishan-kjj/2022.yaml:" in fragment and "错误" in fragment
    assert 'class="doc' not in fragment


def test_index_lists_the_years_departments_with_total_grade_and_links(tmp_path):
    first = copy_content(tmp_path)
    other = edit(real_text(), "  name: 重庆市璧山区科学技术局", "  name: 重庆市璧山区另一个局")
    second = copy_content(tmp_path, edit(other, EXECUTED, "  executed: 2000\n"), dept="other-dept")
    broken = copy_content(tmp_path, edit(real_text(), EXECUTED, "  executed: abc\n"), dept="zz-broken")
    draft = copy_content(tmp_path, real_text(), dept="a-draft")  # being written: the other commands skip it, preview shows it
    draft.rename(draft.with_name("2022.draft.yaml"))
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, build.DEFAULT_TEMPLATE)
    tree = lxml_html.fragment_fromstring(p.index_fragment(), create_parent="div")
    rows = tree.xpath("//table[@class='index']//tr[td]")
    assert [r.xpath("td[1]/a/@href")[0] for r in rows] == ["/d/a-draft", "/d/bishan-kjj", "/d/other-dept", "/d/zz-broken"]
    rows = rows[1:]
    for row, path in zip(rows, (first, second)):
        total, grade = expected(path)
        assert [td.text_content() for td in row.xpath("td")[1:3]] == [total, grade]
    assert "1 个错误" in rows[2].text_content()
    assert broken.exists()


def test_a_template_change_rebuilds_the_page(tmp_path):
    path = copy_content(tmp_path)
    template = tmp_path / "my.docx"
    shutil.copy(build.DEFAULT_TEMPLATE, template)
    p = preview.Preview(tmp_path, tmp_path / "content", 2022, template)
    assert "已是最新" in p.report_fragment("bishan-kjj", path)
    template.write_bytes(b"not a docx")
    fragment = p.report_fragment("bishan-kjj", path)
    assert "my.docx" in fragment and "不是有效的 Word 模板" in fragment and "过期" in fragment
    shutil.copy(build.DEFAULT_TEMPLATE, template)
    assert "已是最新" in p.report_fragment("bishan-kjj", path)


# ---------------------------------------------------------------- the server


class Server:
    def __init__(self, tmp_path: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "preview", "--year", "2022", "--root", str(tmp_path), "--port", "0", *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        line = self.proc.stdout.readline()
        m = re.search(r"(http://\S+?:\d+/)", line)
        assert m, line + self.proc.stderr.read()
        self.url = m.group(1)
        self.first_line = line

    def get(self, path: str, method: str = "GET", headers: dict | None = None):
        request = urllib.request.Request(self.url + path.lstrip("/"), method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")

    def stop(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=15)
        return self.proc.returncode, out + err


@pytest.fixture
def server(tmp_path):
    copy_content(tmp_path)
    s = Server(tmp_path)
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.communicate()


def test_a_mistyped_address_or_method_answers_in_chinese(server):
    # A user who types a wrong address (or a tool that POSTs) gets a Chinese page, not "Not Found".
    for path, method, status in (("/nonexistent", "GET", 404), ("/d/", "GET", 404), ("/d/bishan-kjj", "POST", 405)):
        got, headers, body = server.get(path, method=method)
        assert got == status, (path, got)
        assert "Not Found" not in body and "Method Not Allowed" not in body, body
        assert "未找到" in body or "只能" in body, body
        assert "返回目录" in body and headers["content-type"].startswith("text/html"), body


def test_server_binds_loopback_serves_read_only_and_stops_on_ctrl_c(server):
    assert server.url.startswith("http://127.0.0.1:")
    assert "预览已启动" in server.first_line
    status, headers, body = server.get("/d/bishan-kjj")
    assert status == 200 and reference_total() in body
    assert "script-src 'self'" in headers["content-security-policy"]
    for method in ("POST", "PUT", "DELETE"):
        assert server.get("/d/bishan-kjj", method=method)[0] == 405
    for path in ("/d/..%2F..%2Fpyproject.toml", "/d/bishan-kjj%2F2022.yaml", "/static/..%2F..%2Fpyproject.toml",
                 "/static/preview.py", "/content/bishan-kjj/2022.yaml", "/d/nope"):
        status, _, body = server.get(path)
        assert status == 404 and "year:" not in body and "[project]" not in body, path
    assert server.get("/", headers={"Host": "attacker.example"})[0] == 400  # DNS rebinding
    assert server.get("/static/preview.js")[0] == 200
    # an open event stream does not keep Ctrl-C from stopping the server
    stream = urllib.request.urlopen(server.url + "events/bishan-kjj", timeout=10)
    assert stream.readline() == b"event: update\n"
    start = time.monotonic()
    code, out = server.stop()
    stream.close()
    assert code == 0, out
    assert "预览已停止" in out and "Traceback" not in out
    assert time.monotonic() - start < 5


def test_the_page_asks_for_nothing_outside_the_tool(server):
    for path in ("/", "/d/bishan-kjj"):
        _, _, body = server.get(path)
        tree = lxml_html.fromstring(body)
        refs = tree.xpath("//@src | //@href | //@data-events")
        assert refs and all(r.startswith(("/", "#")) and not r.startswith("//") for r in refs), refs
        assert "http://" not in body and "https://" not in body
    for asset in ("preview.css", "preview.js"):
        status, _, text = server.get(f"/static/{asset}")
        assert status == 200 and not re.search(r"https?://|url\(|@import", text)


def test_server_refuses_a_busy_port_in_chinese(server, tmp_path):
    port = server.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run([sys.executable, "-m", "pipeline", "preview", "--year", "2022", "--root", str(tmp_path), "--port", port],
                            cwd=ROOT, capture_output=True, text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "端口" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- a real browser


def chrome():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("未安装 chromium 和 chromium-driver（Debian：apt-get install chromium chromium-driver），跳过浏览器测试")
    os.environ["SE_OFFLINE"] = "true"  # selenium-manager must never try to download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(flag)
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"perfreport-chromium-{os.getpid()}-{time.monotonic_ns()}"
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver, profile


@pytest.fixture
def browser():
    driver, profile = chrome()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, script: str, timeout: float = 10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"页面在 {timeout} 秒内未满足：{script}")


LINES_JS = """return Array.from(document.querySelectorAll('.doc p, .doc h1, .doc h2, .doc h3, .doc h4'))
  .map(e => e.textContent.trim()).filter(t => t);"""


def test_browser_shows_the_report_and_follows_saves_without_reloading(server, browser, tmp_path):
    path = tmp_path / "content" / "bishan-kjj" / "2022.yaml"
    browser.get(server.url + "d/bishan-kjj")
    assert browser.find_element("id", "total").text == reference_total()
    assert browser.execute_script(LINES_JS) == docx_lines(path)
    wait_for(browser, "return document.getElementById('conn').hidden && window.previewUpdates === 0")
    browser.execute_script("window.loadedOnce = 'marker'; window.scrollTo(0, 1500);")
    time.sleep(0.3)
    y = browser.execute_script("return window.scrollY")
    assert y > 1000

    # the budget executed amount changes: a new total and grade, computed by the pipeline
    text = edit(real_text(), EXECUTED, "  executed: 2851.19\n")
    path.write_text(text, encoding="utf-8")
    total, grade = expected(path)
    assert total != reference_total()
    wait_for(browser, f"return document.getElementById('total').textContent === '{total}'", timeout=5)
    assert browser.find_element("id", "grade").text == grade
    assert browser.execute_script("return window.loadedOnce") == "marker"  # the same page: not reloaded
    assert abs(browser.execute_script("return window.scrollY") - y) < 5
    lines = browser.execute_script(LINES_JS)
    assert lines == docx_lines(path)
    assert any(f"自评总得分{total}分" in line for line in lines)

    # a mistake: the problem with its place, the last good page marked stale
    broken = edit(text, "  executed: 2851.19\n", "  executed: 2851.19万元\n")
    path.write_text(broken, encoding="utf-8")
    wait_for(browser, "return document.getElementById('state').textContent.includes('过期')", timeout=5)
    located = f"content/bishan-kjj/2022.yaml:{where(broken, '2851.19万元')}"
    assert located in browser.find_element("id", "problems").text
    assert located in browser.find_element("id", "part-budget").text
    assert browser.find_element("id", "total").text == total
    assert browser.execute_script("return window.loadedOnce") == "marker"


def test_browser_index_follows_saves(server, browser, tmp_path):
    path = tmp_path / "content" / "bishan-kjj" / "2022.yaml"
    browser.get(server.url)
    link = browser.find_element("link text", "重庆市璧山区科学技术局")
    assert link.get_attribute("href").endswith("/d/bishan-kjj")
    assert reference_total() in browser.find_element("css selector", "table.index").text
    browser.execute_script("window.loadedOnce = 'marker';")
    path.write_text(edit(real_text(), EXECUTED, "  executed: 2000\n"), encoding="utf-8")
    total, _ = expected(path)
    wait_for(browser, f"return document.querySelector('table.index').textContent.includes('{total}')", timeout=5)
    assert browser.execute_script("return window.loadedOnce") == "marker"
    assert CONTENT.read_text(encoding="utf-8") == real_text()  # the real file was never touched


def test_merged_cells_keep_their_shape_and_every_text_once():
    """A template's merged cells (w:gridSpan, w:vMerge) become colspan/rowspan; no text lost or doubled."""
    import io

    import docx

    from pipeline.output.docxhtml import docx_view

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并 <a>"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    table.cell(0, 2).text = "右上"
    table.cell(2, 2).text = "右下"
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    fragment = "".join(b.html for page in docx_view(data).pages for b in page.blocks)
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    assert tree.xpath("//td[@colspan='2']")[0].text_content() == "横向合并 <a>"
    assert tree.xpath("//td[@rowspan='2']")[0].text_content() == "纵向合并"
    assert "<a>" not in fragment
    cells = [td.text_content() for td in tree.xpath("//td") if td.text_content()]
    assert cells == paragraphs(data)
