"""Repeat views of the citizen's tracking documents, answered before Flask.

A citizen reloads the page, a relative opens the forwarded link, the upstream system polls the JSON:
most public requests ask for a document this process has already rendered (web/tracking_cache.py).
This WSGI layer answers those with the same version check and cache lookup as web.public.rendered
(``public.stored``: one indexed query, so a status change shows on the very next request in every
process) and the same headers (web.tracking_cache.answer), but without building Flask's request,
contexts, session and response objects, which cost more than everything else in a repeat view
together.

Everything else passes to Flask untouched: any method but GET, a first view, an unknown or malformed
token, a query string other than the JSON's language, a login session cookie (the page may carry a
message for that one visitor), and any failure here (Flask then answers it as it answers every
request, e.g. 503 when the database is down).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from flask import Flask
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from . import public
from .db import hot_read
from .i18n import LANG_COOKIE, chosen_language
from .tracking_cache import answer

JSON_PREFIX, PAGE_PREFIX = "/api/v1/track/", "/t/"
# what secrets.token_urlsafe makes; anything else goes to Flask
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
# web.api.track: ?lang=en, Vietnamese otherwise
JSON_LANGUAGE = {"": "vi", "lang=vi": "vi", "lang=en": "en"}

Answer = tuple[str, list[tuple[str, str]], bytes]


class RepeatViews:
    """WSGI middleware in front of ``app``'s own WSGI callable (``wsgi_app``)."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            found = self._answer(environ)
        except Exception:  # noqa: BLE001 (Flask does the same work again and answers the failure properly)
            found = None
        if found is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = found
        start_response(status, headers)
        return [body]

    def _answer(self, environ: dict[str, Any]) -> Answer | None:
        wanted = self._wanted(environ) if environ.get("REQUEST_METHOD") == "GET" else None
        if wanted is None:
            return None
        kind, token, lang = wanted
        read_first = partial(hot_read, db_engine=self.app.extensions["db_engine"])
        _, document = public.stored(self.app, kind, token, lang, read_first)
        if document is None:
            return None
        if kind == "json":
            return answer(document, public.JSON_TYPE, environ.get("HTTP_IF_NONE_MATCH"))
        return answer(document, public.PAGE_TYPE, environ.get("HTTP_IF_NONE_MATCH"),
                      public.PAGE_VARY)

    def _wanted(self, environ: dict[str, Any]) -> tuple[str, str, str] | None:
        """(kind, token, language) of a request this layer may answer, else None."""
        path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        if path.startswith(JSON_PREFIX):
            kind, token, lang = "json", path[len(JSON_PREFIX):], JSON_LANGUAGE.get(query)
        elif path.startswith(PAGE_PREFIX) and not query:
            kind, token, lang = "page", path[len(PAGE_PREFIX):], self._page_language(environ)
        else:
            return None
        return (kind, token, lang) if lang and TOKEN.fullmatch(token) else None

    def _page_language(self, environ: dict[str, Any]) -> str | None:
        """web.i18n.visitor_language without a request object; None when a login session cookie came
        along."""
        cookies = parse_cookie(environ.get("HTTP_COOKIE")) if "HTTP_COOKIE" in environ else {}
        if self.app.config["SESSION_COOKIE_NAME"] in cookies:
            return None
        browser = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        return chosen_language(None, cookies.get(LANG_COOKIE), browser)


def init_app(app: Flask) -> None:
    app.wsgi_app = RepeatViews(app, app.wsgi_app)  # type: ignore[method-assign]
