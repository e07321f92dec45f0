"""The layout of pipeline/ as drawn (README, 代码结构): no import circles, no upward imports.

The import graph is read from the source with ``ast`` — every ``import`` statement, at module level
and inside functions alike (a lazy import still ties two modules together). Layers, lowest first:

    shared (paths, errors, problems, cliparser) < content/ < output/ < build < batch < commands/ < cli

A module may import its own layer or a lower one, never a higher one, and no chain of imports may
lead back to where it started.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

LAYERS = ("shared", "content", "output", "build", "batch", "commands", "cli")


def modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted name → (file, is a package's __init__) for every .py file under ``package``."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        init = parts[-1] == "__init__"
        out[".".join(parts[:-1] if init else parts)] = (path, init)
    return out


def imports(package: Path) -> dict[str, list[tuple[str, int]]]:
    """Module → the modules of the package it imports, each with the line of the import."""
    known = modules(package)
    graph: dict[str, list[tuple[str, int]]] = {}
    for name, (path, init) in known.items():
        edges = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if init else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                # "from x import y": y is a module of its own, or a name defined in x
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in known else source for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in known and "." in target:  # import a.b.c of a function's module
                    target = target.rpartition(".")[0]
                if target in known and target != name and target not in {t for t, _ in edges}:
                    edges.append((target, node.lineno))
        graph[name] = edges
    return graph


def layer(module: str) -> str:
    parts = module.split(".")[1:]
    head = parts[0] if parts else ""
    if head in ("cli", "__main__"):
        return "cli"
    if head in ("commands", "batch", "build", "output", "content"):
        return head
    return "shared"


def upward(graph) -> list[str]:
    return [
        f"{a} 第{line}行导入了 {b}：{layer(a)} 层不应导入上层的 {layer(b)}（分层：{' < '.join(LAYERS)}）"
        for a, edges in sorted(graph.items())
        for b, line in edges
        if LAYERS.index(layer(b)) > LAYERS.index(layer(a))
    ]


def circles(graph) -> list[list[str]]:
    """Every import circle, each as the path that closes it (a → b → … → a), found once."""
    found, seen_sets = [], set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target, _ in graph.get(node, []):
            if state.get(target) == 1:
                loop = path[path.index(target) :] + [target]
                key = frozenset(loop)
                if key not in seen_sets:
                    seen_sets.add(key)
                    found.append(loop)
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return found


def described(graph, loop: list[str]) -> str:
    lines = dict(((a, b), line) for a, edges in graph.items() for b, line in edges)
    return " → ".join(f"{a}（第{lines[(a, b)]}行）" for a, b in zip(loop, loop[1:])) + f" → {loop[-1]}"


# ---------------------------------------------------------------- the program's own layout


@pytest.fixture(scope="module")
def graph():
    return imports(PACKAGE)


def test_the_graph_sees_module_level_and_lazy_imports(graph):
    """The reader is not blind: known imports of both kinds are in the graph."""
    edges = {a: {b for b, _ in e} for a, e in graph.items()}
    assert "pipeline.content.validate" in edges["pipeline.build"]  # module level, "from .x import y"
    assert "pipeline.output.render" in edges["pipeline.build"]  # inside a function, "from .output import render"
    assert "pipeline.batch" in edges["pipeline.commands.report"]  # inside a function
    assert "pipeline.cli" in edges["pipeline.__main__"]


def test_pipeline_has_no_import_circle(graph):
    found = circles(graph)
    assert not found, "导入成环：\n" + "\n".join(described(graph, loop) for loop in found)


def test_no_module_imports_a_higher_layer(graph):
    found = upward(graph)
    assert not found, "向上导入：\n" + "\n".join(found)


def test_scoring_is_pure_and_its_checks_are_called_by_validation_only(graph):
    """score.py computes (no findings); rules.py checks, and in the recipe (content/, output/,
    build, batch) only validation calls the checks. (A command may ask whether a rule applies: the
    audit does, to compare a hand-set score with what the rule would give.)"""
    edges = {a: {b for b, _ in e} for a, e in graph.items()}
    assert "pipeline.problems" not in edges["pipeline.content.score"]
    assert "pipeline.content.rules" not in edges["pipeline.content.score"]
    recipe = {a for a in edges if LAYERS.index(layer(a)) <= LAYERS.index("batch")}
    assert {a for a in recipe if "pipeline.content.rules" in edges[a]} == {"pipeline.content.validate"}


def test_listing_the_commands_does_not_load_the_recipe():
    """Every command module is imported to list the commands (perfreport -h, git's textconv
    through perfreport text): each keeps the recipe, the model and the template engine for its run."""
    code = (
        "import sys\n"
        "from pipeline.commands import registered\n"
        "names = [c.name for c in registered()]\n"
        "heavy = [m for m in ('pipeline.build', 'pipeline.content.model', 'pydantic', 'docxtpl', 'openpyxl') if m in sys.modules]\n"
        "print(len(names), heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    count, heavy = result.stdout.split(" ", 1)
    assert int(count) >= 14 and heavy.strip() == "[]", result.stdout


def test_only_the_command_line_prints():
    """content/, output/, build and batch return values and problems; commands/ and cli print."""
    found = []
    for name, (path, _) in modules(PACKAGE).items():
        if LAYERS.index(layer(name)) > LAYERS.index("batch"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{name} 第{node.lineno}行")
    assert not found, "命令行以下的模块不应打印：" + "、".join(found)


# ---------------------------------------------------------------- the checker itself


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pipeline"


def test_a_circle_through_a_lazy_import_is_found(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "content/__init__.py": "",
        "content/model.py": "from .placeholders import NAMES\n",
        "content/placeholders.py": "def values():\n    from . import wording\n",
        "content/wording.py": "from .model import Report\n",
    })
    graph = imports(package)
    found = circles(graph)
    assert [set(loop) for loop in found] == [{"pipeline.content.model", "pipeline.content.placeholders", "pipeline.content.wording"}]
    assert "pipeline.content.placeholders（第2行）" in described(graph, found[0])


def test_an_upward_import_is_found(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "cli.py": "",
        "content/__init__.py": "",
        "content/model.py": "def f():\n    from ..output.compose import num\n",
        "output/__init__.py": "",
        "output/compose.py": "from ..cli import main\n",
    })
    found = upward(imports(package))
    assert len(found) == 2
    assert found[0].startswith("pipeline.content.model 第2行导入了 pipeline.output.compose")
    assert found[1].startswith("pipeline.output.compose 第1行导入了 pipeline.cli")
