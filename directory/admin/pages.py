"""The administration's pages: logging in and out, and the dashboard."""
import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from directory.admin import dashboard
from directory.auth.login import account_required, current_administrator_row, end_session, local_path, start_session
from directory.auth.access import bound_to_institution
from directory.audit.refusals import record_failed_login
from directory.auth.service import authenticate, log_out_everywhere
from directory.auth.throttle import limit_login_attempts
from directory.database import get_session
from directory.regions.placement import records_to_place
from directory.regions.service import region_path
from directory.timestamps import utcnow

blp = Blueprint("admin", __name__, url_prefix="/admin")
log = logging.getLogger(__name__)


class LoginForm(FlaskForm):
    """Username and password; ``next`` is the page to go to afterwards."""

    username = StringField(_("用户名"), validators=[DataRequired(_("请输入用户名。"))],
                           filters=[lambda value: value.strip() if value else value])
    password = PasswordField(_("密码"), validators=[InputRequired(_("请输入密码。"))])
    next = HiddenField()



def _after_login(target: str | None):
    return redirect(local_path(target) or url_for(".home"), code=303)


@blp.route("/login", methods=["GET", "POST"])
@limit_login_attempts
def login():
    """The login form (POSTs rate limited per IP); success leads to ``next`` when local, else the dashboard."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "GET" and current_user.is_authenticated:
        return _after_login(form.next.data)
    if not form.validate_on_submit():
        return render_template("admin/login.html", form=form), 422 if form.is_submitted() else 200
    admin = authenticate(get_session(), username=form.username.data, password=form.password.data)
    if admin is None:
        log.info("Failed administration login for %r from %s", form.username.data, request.remote_addr)
        record_failed_login(form.username.data)
        return render_template("admin/login.html", form=form, failed=True), 401
    start_session(admin)
    log.info("Administrator %s logged in", admin.username)
    return _after_login(form.next.data)


@blp.post("/logout")
def logout():
    """End the session and go back to the public home page."""
    end_session()
    return redirect(url_for("overview.home"), code=303)


@blp.post("/logout-everywhere")
@account_required
def logout_everywhere():
    """Log out in every browser and revoke every API token of the administrator."""
    admin = current_administrator_row()
    revoked = log_out_everywhere(get_session(), admin)
    log.info("Administrator %s logged out everywhere (%d tokens revoked)", admin.username, revoked)
    end_session()
    flash(gettext("已在所有设备上退出登录，并吊销了 %(count)d 个 API 令牌。", count=revoked), "success")
    return redirect(url_for("overview.home"), code=303)


@blp.get("/")
@account_required
def home():
    """The administrator's scope, the financing events organised inside it, and the records left
    in retired divisions (split areas) for the administrator to place; staff go to their inbox."""
    session = get_session()
    admin = current_administrator_row()
    if bound_to_institution(admin):
        return redirect(url_for("service_inbox.inbox"), code=303)
    return render_template("admin/home.html", admin=admin, scope_path=region_path(session, admin.region_code),
                           events=dashboard.events_in_scope(session, within=admin.region_code, now=utcnow()),
                           event_endpoint="event_admin.manage",
                           to_place=records_to_place(session, within=admin.region_code))
