"""What text arriving from people and systems may hold: any character but the few that no record,
page or label can carry. The one rule, checked where text comes in: web/request_text.py for every
request (path, query, form, JSON body), and the intake and scan parsers for each record they read,
so that a spreadsheet row or one scan of a batch is refused on its own.

Refused:
- C0 control characters other than tab, line feed and carriage return: PostgreSQL cannot store NUL,
  and XML 1.0 (the SVG label) cannot carry any of them;
- DEL and the C1 controls (U+0080-U+009F): no one's name or address, they come from pasting out of
  old software and print as garbage;
- lone surrogates (U+D800-U+DFFF, sent as ``"\\ud800"`` in JSON): not text at all, no UTF-8 encoder
  (the database driver, the JSON writer) accepts them;
- U+FFFE and U+FFFF, which XML cannot carry either.

Everything else (markup, quotes, printer commands, bidi marks) is kept as written and escaped where
it is shown. JSON-like values are also refused when nested deeper than MAX_NESTING: no body of the
API goes beyond a few levels, and the code that reads or hashes them recurses.
"""

from __future__ import annotations

import re
from typing import Any

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_NESTING = 32
TOO_DEEP = (f"lồng quá {MAX_NESTING} cấp / nested deeper than {MAX_NESTING} levels")
_KEY_SHOWN = 64  # characters of a key repeated in a field's path


def refused_character(text: str) -> str | None:
    """The message refusing ``text``, naming its first refused character; None when it may be
    kept."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}" + (" (NUL)" if found.group() == "\x00" else "")
    return (f"chứa ký tự không in được {code}, không được phép / "
            f"holds the unprintable character {code}, which is not allowed")


def without_refused(text: str) -> str:
    """``text`` without the characters it may not hold: what a form shows again after refusing it,
    so that the person sees the rest of what they typed (the refused ones are invisible)."""
    return _REFUSED.sub("", text)


def _shown(key: str) -> str:
    """A key as it may appear in a field's path: escaped where unprintable, and short."""
    return key[:_KEY_SHOWN].encode("ascii", "backslashreplace").decode() if _REFUSED.search(
        key[:_KEY_SHOWN]) else key[:_KEY_SHOWN]


def _children(item: dict | list, where: str
              ) -> tuple[list[tuple[Any, str]], tuple[str, str] | None]:
    """The (value, path) pairs inside a dict or list, in order; or the refusal of a dict's key."""
    if isinstance(item, list):
        return [(child, f"{where}[{i}]") for i, child in enumerate(item)], None
    children = []
    for key, child in item.items():
        inner = f"{where}.{_shown(str(key))}" if where else _shown(str(key))
        if message := refused_character(str(key)):
            return children, (inner, message)
        children.append((child, inner))
    return children, None


def _clean(value: Any) -> bool:
    """Whether nothing in ``value`` is refused, nested too deep included: one search of each
    container's text at once (scans are checked on their hot path), without locating anything."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            texts, inner = [item], []
        elif isinstance(item, dict):
            texts = [*map(str, item), *(v for v in item.values() if isinstance(v, str))]
            inner = [v for v in item.values() if isinstance(v, dict | list)]
        elif isinstance(item, list):
            texts = [v for v in item if isinstance(v, str)]
            inner = [v for v in item if isinstance(v, dict | list)]
        else:
            continue
        if _REFUSED.search("".join(texts)) or (inner and depth + 1 >= MAX_NESTING):
            return False
        pending.extend((child, depth + 1) for child in inner)
    return True


def first_refusal(value: Any, path: str = "") -> tuple[str, str] | None:
    """Where ``value`` (text, or JSON-like dicts and lists of it; keys count as text) first holds a
    refused character, with the message: ``("recipient.name", "...")``, ``("scans[3].note",
    "...")`` under ``path`` (``"body"`` for ``value`` itself when ``path`` is empty); or the field
    that nests deeper than MAX_NESTING. None when every piece may be kept. Never recurses, whatever
    the depth."""
    if _clean(value):
        return None
    pending: list[tuple[Any, str, int, str]] = [(value, path, 0, path)]
    while pending:
        item, where, depth, field = pending.pop()  # field: where, one level below ``path``
        if isinstance(item, str):
            if message := refused_character(item):
                return where or "body", message
        elif isinstance(item, dict | list):
            if depth >= MAX_NESTING:
                return field or "body", TOO_DEEP
            children, refusal = _children(item, where)
            if refusal:
                return refusal
            # the first in the document is judged first
            pending.extend((child, inner, depth + 1, field if depth else inner)
                           for child, inner in reversed(children))
    return None
