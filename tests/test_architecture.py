"""The house's shape: flat apps in layers, no import cycles, no import hidden in a function, and a
composition root that holds only the wiring.

The layers and the no-cycles rule are import-linter contracts (``[tool.importlinter]`` in
pyproject.toml, also run by ``make lint``); this module runs them and adds the two checks
import-linter does not make.
"""

import ast
import io
from contextlib import redirect_stdout

import grimp
from importlinter import cli

from tests.conftest import REPO

# From the bottom up: each imports only those before it.
APPS = (
    "caching",
    "practices",
    "organisations",
    "translation",
    "search",
    "home",
    "interchange",
    "reuse",
    "benchmarks",
)


def test_apps_are_layered_and_free_of_cycles(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    monkeypatch.chdir(REPO)
    report = io.StringIO()
    with redirect_stdout(report):
        status = cli.lint_imports(config_filename="pyproject.toml", no_cache=True, no_logo=True)
    assert status == 0, report.getvalue()
    assert "2 kept, 0 broken" in report.getvalue()


def test_the_content_model_imports_no_other_app(monkeypatch):
    """Only the caching layer below it, which knows nothing of content."""
    monkeypatch.syspath_prepend(str(REPO))
    graph = grimp.build_graph(*APPS, "learning_platform", include_external_packages=False)
    assert not graph.chain_exists("caching", "practices", as_packages=True)
    for other in APPS[APPS.index("practices") + 1 :]:
        assert not graph.chain_exists("practices", other, as_packages=True), other


def imports_in_functions(source, filename="<module>"):
    """(line, imported module) of every first-party import inside a function or method.

    ``AppConfig.ready`` is the exception Django prescribes: signal handlers are connected
    there, once the models are loaded.
    """
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name != "ready")
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                if isinstance(child, ast.ImportFrom):
                    names = ["." * child.level + (child.module or "")]
                else:
                    names = [alias.name for alias in child.names]
                for name in names:
                    if name.startswith(".") or name.split(".")[0] in (*APPS, "learning_platform"):
                        found.append((child.lineno, name))
            else:
                visit(child, in_function)

    visit(ast.parse(source, filename), False)
    return found


def test_the_detector_finds_imports_in_functions_and_methods():
    source = (
        "from search import service\n"
        "def f():\n    from practices.models import X\n    import json\n"
        "class C:\n    def m(self):\n        from . import sibling\n"
        "    def ready(self):\n        from . import signals\n"
    )
    assert imports_in_functions(source) == [(3, "practices.models"), (7, ".")]


def test_no_first_party_import_hides_in_a_function():
    hidden = []
    for app in (*APPS, "learning_platform"):
        for path in sorted((REPO / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, name in imports_in_functions(path.read_text(), str(path)):
                hidden.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    assert hidden == []


def test_the_composition_root_holds_only_settings_urls_wsgi_and_asgi():
    root = REPO / "learning_platform"
    modules = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "__pycache__" not in path.parts and path.parent == root
    }
    assert modules == {"__init__.py", "urls.py", "wsgi.py", "asgi.py"}
    settings = {path.name for path in (root / "settings").glob("*.py")}
    assert settings <= {
        "__init__.py",
        "base.py",
        "dev.py",
        "test.py",
        "production.py",
        "bench.py",
        "local.py",
    }
