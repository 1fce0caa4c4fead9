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
    url_for,
)
from werkzeug.datastructures import LanguageAccept

from delivery.accounts import ROLES, check_new_password
from delivery.audit import record_audit
from delivery.errors import ValidationFailed
from delivery.models import VIETNAM_TIME
from delivery.staff import replace_password
from tracking.wording import status_tone

from .auth import (
    attempt_login,
    check_csrf,
    confirm_password,
    csrf_token,
    current_user,
    end_login_session,
    keep_login_session,
    open_login_session,
    require,
    who,
)
from .db import get_session
from .navigation import nav_links

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


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "POST":
        check_csrf()
        user, wait = attempt_login(request.form.get("username", ""),
                                   request.form.get("password", ""))
        if user:
            open_login_session(user)
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
    """Ends every session of the user, on every device: a copy of the cookie stops working too."""
    check_csrf()
    end_login_session()
    return redirect(url_for("pages.login"))


PASSWORD_FIELDS = {"current_password": "Mật khẩu hiện tại / Current password",
                   "password": "Mật khẩu mới / New password",
                   "password_again": "Nhập lại mật khẩu mới / New password again"}


@bp.route("/staff/password", methods=["GET", "POST"])
@require(roles=ROLES)
def change_password() -> Response | str | tuple[str, int]:
    """A logged-in user changes their own password; their other sessions end, this one goes on."""
    if request.method == "GET":
        return render_template("password.html", errors={}, fields=PASSWORD_FIELDS)
    user, form = current_user(), request.form
    matches, wait = confirm_password(user, form.get("current_password", ""))
    errors = _new_password_errors(form.get("password", ""), form.get("password_again", ""))
    if wait:
        minutes = -(-wait // 60)
        errors["current_password"] = (f"nhập sai quá nhiều lần, thử lại sau {minutes} phút / "
                                      f"too many wrong tries, try again in {minutes} min")
    elif not matches:
        errors["current_password"] = "không đúng / not your current password"
    if errors:
        return (render_template("password.html", errors=errors, fields=PASSWORD_FIELDS),
                429 if wait else 422)
    db = get_session()
    replace_password(db, user, form["password"], form["password_again"])
    record_audit(db, "user.password_changed", who(), subject=f"user:{user.username}")
    db.commit()
    keep_login_session(user)
    flash("Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc / "
          "password changed; your other sessions have ended")
    return redirect(url_for("pages.index"))


def _new_password_errors(password: str, repeated: str) -> dict[str, str]:
    try:
        check_new_password(password, repeated)
    except ValidationFailed as error:
        return dict(error.errors)
    return {}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.filters["local_time"] = (
        lambda value: value.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M"))
    app.jinja_env.filters["day_month"] = lambda value: value.strftime("%d/%m")
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.globals["status_tone"] = status_tone
    app.jinja_env.globals["nav_links"] = nav_links


def vnd(amount: int) -> str:
    """Money as people write it in Vietnam: dots between thousands, ``22.000 đ``."""
    return f"{amount:,}".replace(",", ".") + " đ"

