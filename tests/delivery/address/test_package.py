"""What ``delivery.address`` hands out: its public names, and the resolver without the database."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import delivery.address

ROOT = Path(__file__).resolve().parents[3]


def test_it_hands_out_every_public_name_from_the_module_that_defines_it() -> None:
    for name in delivery.address.__all__:
        value = getattr(delivery.address, name)
        home = importlib.import_module(value.__module__)
        assert getattr(home, name) is value, name


def test_it_refuses_a_name_it_does_not_have() -> None:
    assert not hasattr(delivery.address, "address_index_of_nothing")


def test_it_imports_the_resolver_without_the_database_layer_or_geopy() -> None:
    code = ("import sys, delivery.address; print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'sqlalchemy', 'sqlmodel', 'geopy'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
