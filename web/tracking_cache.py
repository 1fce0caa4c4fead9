"""Rendered public tracking documents (the JSON view and the citizen's page), kept per web process.

A document is stored under everything its content depends on: the token, the consignment's
``version`` (bumped in the same transaction as every status change and citizen request, see
delivery/lifecycle.py), the language, the local date (the page says "today" and offers dates from
tomorrow), and whether the post-final hide window has passed. A request reads only the version (one
indexed query) and serves the stored bytes when the key matches, so a new scan shows on the very
next request in every process. Entries also expire after ``ttl`` seconds, which bounds how long a
change that bumps no version (an office renamed, an agency's window changed) can take to show.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

from werkzeug.http import parse_etags


@dataclass(frozen=True)
class Rendered:
    etag: str
    body: bytes


def etag_of(key: tuple[Hashable, ...]) -> str:
    """A strong validator (unquoted) for the document stored under ``key``, with no token or version
    in clear."""
    return hashlib.blake2s(repr(key).encode(), digest_size=10).hexdigest()


@dataclass
class RenderedTracking:
    """A thread-safe LRU of rendered documents: at most ``size`` entries, each kept ``ttl``
    seconds."""

    size: int = 4096
    ttl: float = 300.0
    _entries: OrderedDict[tuple[Hashable, ...], tuple[float, Rendered]] = field(
        default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple[Hashable, ...]) -> Rendered | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[Hashable, ...], body: bytes) -> Rendered:
        rendered = Rendered(etag_of(key), body)
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, rendered)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return rendered


def answer(document: Rendered, content_type: str, if_none_match: str | None,
           vary: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) of ``document``: 304 with no body when ``if_none_match`` holds
    its ETag. Private (a shared cache must never keep it) and always revalidated, so a status change
    shows on the next load. The one rule for both ways a document is served: through Flask and by
    web.repeat_views."""
    headers = [("ETag", f'"{document.etag}"'), ("Cache-Control", "private, no-cache")]
    if vary:
        headers.append(("Vary", vary))
    if if_none_match and parse_etags(if_none_match).contains(document.etag):
        return "304 NOT MODIFIED", headers, b""
    return ("200 OK",
            [("Content-Type", content_type), ("Content-Length", str(len(document.body))), *headers],
            document.body)
