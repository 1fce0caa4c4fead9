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
