"""Flask's JSON through orjson: the documents the standard library would write (compact, keys in the
order written, UTF-8, dates as HTTP dates), at a fraction of the CPU.

Why: a batch of scans answers with a result per scan, and serialising them with the ``json`` module
cost a sizeable share of the whole request (bench/README.md); every API answer, the tracking JSON
included, pays the same way in small.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

from delivery.errors import ValidationFailed
from delivery.typed_text import TOO_DEEP

# Datetimes and dataclasses go to Flask's own ``default`` (HTTP dates, asdict), as with the json
# module; dict keys that are not strings are written as strings, as json.dumps does.
_OPTIONS = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_NON_STR_KEYS)


class OrjsonProvider(DefaultJSONProvider):
    """Set as ``app.json``. Anything asking for the json module's own options (``indent``,
    ``separators``...), the debug server's indented answers, or sorted keys, is served by Flask's
    provider unchanged."""

    ensure_ascii = False  # Vietnamese stays readable in JSON
    # keys in the order written: sorting 500 scan results a batch costs for nothing
    sort_keys = False

    def _plain(self) -> bool:
        return not self.ensure_ascii and not self.sort_keys

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """The json module's reading (which, unlike orjson, lets a lone surrogate through to be
        refused naming its field, see web/request_text.py); a body nested deeper than it can go
        (thousands of levels) is refused with 422 instead of failing (RecursionError, a 500)."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValidationFailed({"body": TOO_DEEP}) from None

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs or not self._plain():
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self.compact is False or (self.compact is None and self._app.debug) or not self._plain():
            return super().response(*args, **kwargs)
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default,
                            option=_OPTIONS | orjson.OPT_APPEND_NEWLINE)
        return self._app.response_class(body, mimetype=self.mimetype)
