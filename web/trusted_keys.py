"""API keys this web process has verified in the last few seconds, so a busy client's every request
(a scanner posting hundreds of scans a minute) does not look its key up again.

The price is stated in the README: a key revoked elsewhere (the command line, another web process)
keeps working in a process that trusted it for at most ``API_KEY_TRUST_SECONDS`` (10 by default;
0 looks every request up). The process that revokes a key forgets it at once. Only keys found
active are kept, under their stored hash (never the key itself), so a wrong key is always checked
against the database.
"""

from __future__ import annotations

import threading
import time
from typing import Generic, TypeVar

Caller = TypeVar("Caller")


class TrustedKeys(Generic[Caller]):
    """Key hash (delivery.accounts.hash_api_key) -> the caller it authenticated, each kept
    ``seconds``; at most ``size`` keys, the oldest dropped first."""

    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, Caller]] = {}
        self._lock = threading.Lock()

    def get(self, key_hash: str) -> Caller | None:
        entry = self._entries.get(key_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key_hash: str, caller: Caller) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            # dicts keep insertion order: the first is the oldest
            if len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]
            self._entries[key_hash] = (time.monotonic() + self.seconds, caller)

    def forget(self, key_hash: str) -> None:
        with self._lock:
            self._entries.pop(key_hash, None)
