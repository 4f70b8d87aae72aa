"""Dependencies point down: a test that reads every module's imports (ast, not a regex, so
imports inside functions count too) and fails on one that points up.

- cases and organisations are the core domains statistics is built on, and `atis/lib` holds
  plain helpers under every app: none of them imports statistics. They reach it through the
  hooks it registers into (`atis.cases.changes`, `atis.organisations.changes`).
- `atis/lib` imports no app at all (the audit of refused views goes through a hook too);
  its tests may.
- A selectors module (reads) never imports a services module (writes): constants, schemas and
  pure rules they share live in small modules of their own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the `atis` package
APPS = sorted(path.name for path in ROOT.iterdir() if (path / "apps.py").exists())


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones resolved, `from a import b`
    given as both `a` and `a.b` (b may be a module)."""
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _python_files(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    )


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(paths: list[Path], refused: list[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
        for path in paths
        for line, module in imports_of(path)
        if any(_is_within(module, package) for package in refused)
    ]


def test_the_core_domains_and_lib_never_import_statistics() -> None:
    paths = _python_files("cases", "organisations", "lib")
    assert len(paths) > 30
    assert _violations(paths, ["atis.statistics"]) == []


def test_lib_imports_no_app() -> None:
    # Its tests may try the helpers on real models (phones on a case's person); lib may not.
    paths = [path for path in _python_files("lib") if "tests" not in path.parts]
    assert APPS and "statistics" in APPS and "audit" in APPS
    assert _violations(paths, [f"atis.{app}" for app in APPS]) == []


def test_no_selectors_module_imports_a_services_module() -> None:
    selectors = sorted(ROOT.rglob("selectors.py"))
    assert len(selectors) >= 10
    found = [
        f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
        for path in selectors
        for line, module in imports_of(path)
        if "services" in module.split(".")
    ]
    assert found == []


def test_the_apps_register_their_handlers_when_django_starts() -> None:
    from atis.audit.services import audit_access_denied
    from atis.cases.changes import case_changed
    from atis.lib.access import access_denied
    from atis.organisations.changes import coverage_changed, recounts_pending
    from atis.statistics import selectors, services

    assert case_changed.handlers == (services.refresh_case_facts,)
    assert coverage_changed.handlers == (services.coverage_moved,)
    assert recounts_pending.handlers == (selectors.recounts_pending,)
    assert access_denied.handlers == (audit_access_denied,)


# The walker itself, on modules written for the purpose: a rule that cannot see an import
# would pass whatever the code does.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import atis.statistics.services\n", "atis.statistics.services"),
        ("from atis.statistics import selectors\n", "atis.statistics.selectors"),
        ("def f():\n    from atis.statistics.services import refresh\n", "atis.statistics.services"),
        ("from ..statistics.services import refresh\n", "atis.statistics.services"),
        ("from .services import refresh\n", "atis.cases.services"),
    ],
)
def test_the_walker_sees_every_form_of_import(tmp_path, monkeypatch, source, expected) -> None:  # type: ignore[no-untyped-def]
    package = tmp_path / "atis" / "cases"
    package.mkdir(parents=True)
    module = package / "selectors.py"
    module.write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path / "atis")
    assert expected in {name for _, name in imports_of(module)}
    assert _violations([module], [expected.rsplit(".", 1)[0]])
