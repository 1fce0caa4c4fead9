"""The citizen's tracking page: no login, reached through the private link sent by SMS."""

from __future__ import annotations

from flask import Response, render_template, request

from tracking.timeline import find_by_token, public_view

from .db import get_session
from .pages import LANG_COOKIE, bp, page_language


@bp.get("/t/<token>")
def track(token: str) -> Response | tuple[str, int]:
    lang = page_language()
    consignment = find_by_token(get_session(), token)
    if consignment is None:
        return render_template("track_missing.html", lang=lang), 404
    response = Response(render_template("track.html", view=public_view(get_session(), consignment, lang), lang=lang))
    if request.args.get("lang") in ("vi", "en"):
        response.set_cookie(LANG_COOKIE, request.args["lang"], max_age=365 * 86400, samesite="Lax")
    return response
