"""Pickle files that spare a process work an earlier process already did (the address index).

Only for files this service writes itself in a directory nobody else writes: loading a pickle runs
code.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def load_pickle(path: Path, kind: type[T]) -> T | None:
    """The ``kind`` object pickled at ``path``, or None when the file is missing, broken or holds
    something else."""
    try:
        with path.open("rb") as cached:
            value = pickle.load(cached)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
            ValueError):
        # missing, half-written by a crashed process, or from another layout: the caller rebuilds
        return None
    return value if isinstance(value, kind) else None


def store_pickle(value: object, path: Path, *, stale: str) -> None:
    """Write ``value`` atomically (temporary file, then rename), then delete siblings matching the
    ``stale`` glob.

    Never raises for the file system: a cache that cannot be written only costs the next process a
    rebuild.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for old in path.parent.glob(stale):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
