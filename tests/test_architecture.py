"""The dependency rule of ARCHITECTURE.md, checked on the source: domain packages stay plain Python."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"delivery": {"flask", "rq", "web", "werkzeug"}, "tracking": {"flask", "rq", "web", "werkzeug"},
             "labels": {"flask", "rq", "web", "werkzeug", "delivery", "tracking", "sqlmodel", "sqlalchemy"}}


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
