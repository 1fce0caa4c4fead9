"""Server-rendered pages shared by everyone: login, logout, the home redirect.

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
from .i18n import gettext as _
from .i18n import lazy_gettext
from .navigation import nav_links

bp = Blueprint("pages", __name__)
HOME_OF_ROLE = {"courier": "pages.courier_home", "counter": "counter.home",
                "supervisor": "counter.home", "admin": "counter.home"}


def safe_next(target: str | None) -> str | None:
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
            return redirect(safe_next(request.args.get("next"))
                            or url_for(HOME_OF_ROLE[user.role]))
        if wait:
            minutes = -(-wait // 60)
            flash(_("Đăng nhập sai quá nhiều lần, thử lại sau %(minutes)s phút",
                    minutes=minutes))
            return render_template("login.html"), 429
        flash(_("Sai tên đăng nhập hoặc mật khẩu"))
    return render_template("login.html")


@bp.post("/logout")
def logout() -> Response:
    """Ends every session of the user, on every device: a copy of the cookie stops working too."""
    check_csrf()
    end_login_session()
    return redirect(url_for("pages.login"))


PASSWORD_FIELDS = {"current_password": lazy_gettext("Mật khẩu hiện tại"),
                   "password": lazy_gettext("Mật khẩu mới"),
                   "password_again": lazy_gettext("Nhập lại mật khẩu mới")}


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
        errors["current_password"] = _("nhập sai quá nhiều lần, thử lại sau %(minutes)s phút",
                                       minutes=minutes)
    elif not matches:
        errors["current_password"] = _("không đúng")
    if errors:
        return (render_template("password.html", errors=errors, fields=PASSWORD_FIELDS),
                429 if wait else 422)
    db = get_session()
    replace_password(db, user, form["password"], form["password_again"])
    record_audit(db, "user.password_changed", who(), subject=f"user:{user.username}")
    db.commit()
    keep_login_session(user)
    flash(_("Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc"))
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

