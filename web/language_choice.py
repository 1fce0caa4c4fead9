"""A staff user chooses the language of their pages; a visitor without an account chooses with
``?lang=``, kept in a cookie (web/i18n.py decides which applies)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, redirect, request, url_for

from .auth import check_csrf, current_user
from .db import get_session
from .i18n import LANG_COOKIE, LANGUAGES
from .pages import bp, safe_next

COOKIE_DAYS = 365


@bp.post("/staff/language")
def choose_language() -> Response:
    """Saves the chosen language on the account (every device of the user follows it) and returns
    to the page the choice was made on. Not a status change, so not audited. Without a login (the
    login page) the choice is kept in the cookie only."""
    check_csrf()
    chosen = request.form.get("language", "")
    back = safe_next(request.form.get("next")) or url_for("pages.index")
    response = redirect(back)
    if chosen not in LANGUAGES:
        return response
    user = current_user()
    if user is not None:
        user.language = chosen
        get_session().add(user)
        get_session().commit()
    return _remembered(response, chosen)


def keep_chosen_language(response: Response) -> Response:
    """A page opened with ``?lang=vi|en`` remembers it for the next pages (login, the lookup)."""
    if request.args.get("lang") in LANGUAGES and response.mimetype == "text/html":
        return _remembered(response, request.args["lang"])
    return response


def _remembered(response: Response, language: str) -> Response:
    response.set_cookie(LANG_COOKIE, language, max_age=COOKIE_DAYS * 86400, samesite="Lax")
    return response


def here_without_language() -> str:
    """This page's address without ``?lang=`` (which would undo the choice once back on it)."""
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + ("?" + urlencode(kept) if kept else "")


def init_app(app: Flask) -> None:
    app.after_request(keep_chosen_language)
    app.jinja_env.globals["here_without_language"] = here_without_language
