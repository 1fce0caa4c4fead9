"""The dependency rule of ARCHITECTURE.md, checked on the source: domain packages stay plain
Python."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# delivery is the innermost package: tracking builds on it, never the other way round.
FORBIDDEN = {"delivery": {"flask", "rq", "web", "werkzeug", "tracking"},
             "tracking": {"flask", "rq", "web", "werkzeug"},
             "labels": {"flask", "rq", "web", "werkzeug", "delivery", "tracking", "sqlmodel",
                        "sqlalchemy"}}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_it_keeps_the_domain_packages_free_of_the_web_shell(package):
    offenders = {str(p.relative_to(ROOT)): imported_top_levels(p) & FORBIDDEN[package]
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_it_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import current_app\nimport rq.job\n")
    assert imported_top_levels(bad) & FORBIDDEN["delivery"] == {"flask", "rq"}



PACKAGES = ("delivery", "tracking", "labels", "web")
SAME_MEANING = {"__init__.py", "models.py"}  # models.py: "the tables of this package" in each


def shared_file_names(root: Path) -> dict[str, set[str]]:
    """Module file names found in more than one of ``root``'s top-level packages (subpackages
    included), with those packages; ``SAME_MEANING`` names are left out."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            found.setdefault(path.name, set()).add(package)
    return {name: packages for name, packages in found.items()
            if len(packages) > 1 and name not in SAME_MEANING}


def test_it_gives_each_module_name_one_meaning_across_the_packages():
    assert shared_file_names(ROOT) == {}


def test_it_catches_a_module_name_used_in_two_packages(tmp_path):
    names = ("delivery/lookup.py", "tracking/sub/lookup.py", "web/models.py", "labels/models.py",
             "web/__init__.py", "labels/__init__.py")
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    assert shared_file_names(tmp_path) == {"lookup.py": {"delivery", "tracking"}}


# --- no import circles among our modules -----------------------------------------------------



def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (getattr(test, "id", None) == "TYPE_CHECKING"
                                         or getattr(test, "attr", None) == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at module level or in functions, but not under
    ``if TYPE_CHECKING:``."""
    found, pending = [], [tree]
    while pending:
        node = pending.pop()
        if _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _imported_modules(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool,
                      known: set[str]) -> set[str]:
    """Which of the ``known`` modules an import names: ``from a import b`` names a.b when that is a
    module, else a (not the package a as well: importing a.b runs a's __init__ but that is no
    circle of ours)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & known
    base = node.module or ""
    if node.level:
        parts = importer.split(".") if is_package else importer.split(".")[:-1]
        parts = parts[:len(parts) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names} & known


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports."""
    paths = {_module_name(p, root): p for package in packages
             for p in (root / package).rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        nodes = _import_nodes(ast.parse(path.read_text(encoding="utf-8")))
        imported = set().union(*(_imported_modules(n, name, path.name == "__init__.py", set(paths))
                                 for n in nodes))
        graph[name] = imported - {name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, pending = set(), [start]
    while pending:
        for target in graph[pending.pop()] - seen:
            seen.add(target)
            pending.append(target)
    return seen


def _shortest_cycle(graph: dict[str, set[str]], start: str) -> list[str]:
    paths, pending = {start: [start]}, [start]
    while pending:
        node = pending.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                pending.append(target)
    return []


def import_cycles(graph: dict[str, set[str]]) -> dict[tuple[str, ...], list[str]]:
    """Each circle of imports as (its modules, sorted) -> one path around it, from its first."""
    reach = {name: _reachable(graph, name) for name in graph}
    circles = {}
    for name in sorted(graph):
        members = tuple(sorted(m for m in reach[name] if name in reach[m]))
        if members and members not in circles:
            circles[members] = _shortest_cycle(graph, members[0])
    return circles


def test_it_has_no_import_circles_among_our_modules():
    circles = import_cycles(import_graph(ROOT))
    assert {" -> ".join(path) for path in circles.values()} == set(), \
        "import circles (move the code to where it belongs)"


def test_it_finds_a_circle_through_a_function_local_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from pkg.c import x\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nfrom .a import y\n"
                                  "if TYPE_CHECKING:\n    from pkg import b\n")
    circles = import_cycles(import_graph(tmp_path, ("pkg",)))
    assert circles == {("pkg.a", "pkg.b", "pkg.c"): ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]}


def test_it_ignores_imports_only_for_type_checking(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("import pkg.b\n")
    (package / "b.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    import pkg.a\n"
                                  "else:\n    pass\n")
    assert import_graph(tmp_path, ("pkg",)) == {"pkg.a": {"pkg.b"}, "pkg.b": set()}
