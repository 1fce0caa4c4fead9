"""Ward names one edit away from what was written, found through an index rather than a scan.

An edit is one letter inserted, deleted, replaced, or two neighbouring letters swapped, on folded
keys (no diacritics: a wrong or missing tone mark is no letter edit, see ``corrections``). The index
is the deletion neighbourhood of every ward key: each key and each key with one character deleted,
pointing back at the keys. Two keys are at most one edit apart only if their neighbourhoods meet,
so a look-up costs one probe per character of the written name, whatever the number of wards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

# Shorter names ("An", "Ea Sô") are one edit away from too many others to be corrected.
MIN_LETTERS = 5


def correctable(key: str) -> bool:
    """Whether a folded key may be corrected: long enough and without a number ("Phường 12" is one
    edit from "Phường 13": a number is never a typo we may fix)."""
    return len(key) >= MIN_LETTERS and not any(c.isdigit() for c in key)


def _neighbours(key: str) -> set[str]:
    """The key and every string made by deleting one of its characters."""
    return {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}


def deletion_index(keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every neighbour of every correctable key -> the keys it comes from (sorted)."""
    index: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if correctable(key):
            for neighbour in _neighbours(key):
                index[neighbour].add(key)
    return {neighbour: tuple(sorted(found)) for neighbour, found in index.items()}


def one_edit_away(index: dict[str, tuple[str, ...]], written: str) -> list[str]:
    """The indexed keys exactly one edit from ``written`` (never ``written`` itself), sorted."""
    if not correctable(written):
        return []
    found = {key for neighbour in _neighbours(written) for key in index.get(neighbour, ())}
    return sorted(key for key in found if is_one_edit(key, written))


def is_one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                 min(len(a), len(b)))
    if len(a) != len(b):
        shorter, longer = (a, b) if len(a) < len(b) else (b, a)
        return shorter[first:] == longer[first + 1:]
    if a[first + 1:] == b[first + 1:]:
        return True  # one letter replaced
    swapped = first + 1 < len(a) and a[first] == b[first + 1] and a[first + 1] == b[first]
    return swapped and a[first + 2:] == b[first + 2:]
