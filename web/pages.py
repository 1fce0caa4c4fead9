"""Server-rendered pages shared by everyone: login, logout, the home redirect, page language.

The courier's pages (web/courier.py) and the citizen's page
(web/public.py) add their routes to this blueprint."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.datastructures import LanguageAccept

from delivery.models import VIETNAM_TIME

from .auth import attempt_login, check_csrf, csrf_token, current_user

bp = Blueprint("pages", __name__)
HOME_OF_ROLE = {"courier": "pages.courier_home", "counter": "counter.home",
                "supervisor": "counter.home", "admin": "counter.home"}
LANG_COOKIE = "lang"


def page_language() -> str:
    """This request's language for pages (see ``chosen_language``)."""
    return chosen_language(request.args.get("lang"), request.cookies.get(LANG_COOKIE),
                           request.accept_languages)


def chosen_language(in_url: str | None, in_cookie: str | None, browser: LanguageAccept) -> str:
    """URL (?lang=), then cookie, then the browser's preference; Vietnamese by default."""
    chosen = in_url or in_cookie
    if chosen in ("vi", "en"):
        return chosen
    return browser.best_match(["vi", "en"], default="vi") or "vi"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: the login form must not become an open redirect."""
    if (not target or urlsplit(target).netloc or urlsplit(target).scheme
            or not target.startswith("/")):
        return None
    return target


@bp.get("/")
def index() -> Response:
    user = current_user()
    return redirect(url_for(HOME_OF_ROLE[user.role]) if user else url_for("pages.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "POST":
        check_csrf()
        user, wait = attempt_login(request.form.get("username", ""),
                                   request.form.get("password", ""))
        if user:
            session.clear()
            session["user_id"] = user.id
            return redirect(_safe_next(request.args.get("next"))
                            or url_for(HOME_OF_ROLE[user.role]))
        if wait:
            minutes = -(-wait // 60)
            flash(f"Đăng nhập sai quá nhiều lần, thử lại sau {minutes} phút / "
                  f"too many failed logins, try again in {minutes} min")
            return render_template("login.html"), 429
        flash("Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
    return render_template("login.html")


@bp.post("/logout")
def logout() -> Response:
    check_csrf()
    session.clear()
    return redirect(url_for("pages.login"))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.filters["local_time"] = (
        lambda value: value.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M"))

