"""Web administration: accounts (managers), one's own password, and API tokens.

Who may manage which account is decided by ``directory.auth.service.may_manage``; the views
only translate its refusals into 403 pages and its other errors into form messages.
"""
import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from directory.admin.account_forms import ROLE_LABELS, ChangePasswordForm, NewAccountForm, role_choices
from directory.auth.access import Permission, may
from directory.auth.login import account_required, admin_required, current_administrator_row, record_page, start_session
from directory.auth.models import Administrator, AdministratorRole
from directory.auth.passwords import MIN_PASSWORD_LENGTH
from directory.auth.service import (AccountError, NotPermitted, WeakPassword, WrongPassword, accounts_in_scope, change_password,
                                    create_administrator, list_tokens, revoke_token, set_active, set_password,
                                    set_role)
from directory.database import get_session
from directory.regions.service import region_paths
from directory.timestamps import utcnow

blp = Blueprint("admin_accounts", __name__, url_prefix="/admin")


def manager_required(view):
    """Only for a logged-in manager; an editor gets 403."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not may(current_administrator_row(), Permission.manage_accounts):
            abort(403, description=_("只有具备账号管理权限的管理员才能管理账号。"))
        return view(*args, **kwargs)
    return admin_required(wrapper)


def _not_permitted():
    abort(403, description=_("该账号或管理范围不在您的权限之内。"))


def _managed_account(account_id: int) -> Administrator:
    """The account being changed (404 when it does not exist)."""
    account = get_session().get(Administrator, account_id)
    if account is None:
        abort(404)
    return account


def _account_change(what: str):
    """A manager's ``POST /accounts/<id>/<what>`` on one account (404 when it does not exist); the view
    gets the account."""
    return record_page(blp, f"/accounts/<id:account_id>/{what}", load=_managed_account, key="account_id",
                       methods=["POST"], guard=manager_required)


def _change(change, account: Administrator, **fields) -> None:
    """Apply ``change`` (``set_active``, ``set_role``, ``set_password``) to ``account`` as the logged-in
    manager; 403 when the account lies outside its scope (other refusals are the caller's)."""
    try:
        change(get_session(), target=account, by=current_administrator_row(), **fields)
    except NotPermitted:
        _not_permitted()


def _back_to_accounts():
    return redirect(url_for(".accounts"), code=303)


def _accounts_page(*, password_errors: dict[int, list[str]] | None = None, status: int = 200):
    """The accounts list; ``password_errors`` beside the reset field of the account refused."""
    session = get_session()
    admin = current_administrator_row()
    rows = accounts_in_scope(session, admin)
    return render_template("admin/accounts/list.html", admin=admin, accounts=rows, role_labels=ROLE_LABELS,
                           paths=region_paths(session, {row.region_code for row in rows}),
                           min_length=MIN_PASSWORD_LENGTH, password_errors=password_errors or {}), status


@blp.get("/accounts")
@manager_required
def accounts():
    """The accounts inside the manager's scope, with their role, scope and state."""
    return _accounts_page()


@blp.route("/accounts/new", methods=["GET", "POST"])
@manager_required
def new_account():
    """Create an account inside the manager's scope (a regional manager's own division by default)."""
    admin = current_administrator_row()
    form = NewAccountForm(region_code=admin.region_code or "")
    if not form.validate_on_submit():
        return render_template("admin/accounts/new.html", form=form), 422 if form.is_submitted() else 200
    try:
        account = create_administrator(get_session(), username=form.username.data, password=form.password.data,
                                       role=form.role.data, region_code=form.region_code.data or None, by=admin,
                                       institution_id=form.institution_id.data or None, email=form.email.data or None)
    except NotPermitted:
        field = form.institution_id if form.role.data == AdministratorRole.staff else form.region_code
        field.errors.append(_("不能创建超出您管理范围的账号。"))
        return render_template("admin/accounts/new.html", form=form), 403
    flash(_("账号 %(name)s 已创建。", name=account.username), "success")
    return _back_to_accounts()


@_account_change("active")
def account_active(account: Administrator):
    """Activate (``active=1``) or deactivate (``active=0``) an account; deactivation ends its sessions."""
    active = request.form.get("active") == "1"
    _change(set_active, account, active=active)
    flash(_("账号 %(name)s 已启用。", name=account.username) if active
          else _("账号 %(name)s 已停用。", name=account.username), "success")
    return _back_to_accounts()


@_account_change("role")
def account_role(account: Administrator):
    """Change an account's role."""
    role = request.form.get("role", "")
    if role not in {choice for choice, _label in role_choices()}:
        abort(400, description=_("没有这个角色。"))
    try:
        _change(set_role, account, role=role)
    except AccountError:
        flash(_("账号 %(name)s 没有所属机构，不能改为机构工作人员；请新建一个机构工作人员账号。", name=account.username),
              "error")
        return _back_to_accounts()
    flash(_("账号 %(name)s 的角色已更改。", name=account.username), "success")
    return _back_to_accounts()


@_account_change("password")
def account_password(account: Administrator):
    """Reset an account's password; its open sessions end."""
    try:
        _change(set_password, account, password=request.form.get("password", ""))
    except WeakPassword as error:
        flash(_("账号 %(name)s 的密码未重置：请检查标出的字段。", name=account.username), "error")
        return _accounts_page(password_errors={account.id: [error.message()]}, status=422)
    flash(_("账号 %(name)s 的密码已重置。", name=account.username), "success")
    return _back_to_accounts()


@blp.route("/password", methods=["GET", "POST"])
@account_required
def own_password():
    """Change one's own password; other sessions of the account end, this one continues."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("admin/accounts/password.html", form=form), 422 if form.is_submitted() else 200
    admin = current_administrator_row()
    try:
        change_password(get_session(), admin, form.old_password.data, form.new_password.data)
    except WrongPassword:
        form.old_password.errors.append(_("当前密码错误，或新密码与当前密码相同。"))
        return render_template("admin/accounts/password.html", form=form), 422
    except WeakPassword as error:
        form.new_password.errors.append(error.message())
        return render_template("admin/accounts/password.html", form=form), 422
    start_session(admin)   # a session tied to the new password; all the others no longer match
    flash(_("密码已修改，其他设备上的登录和所有 API 令牌已失效。"), "success")
    return redirect(url_for("admin.home"), code=303)


@blp.get("/tokens")
@account_required
def tokens():
    """The administrator's API tokens (a manager's: also those of the accounts it manages)."""
    session = get_session()
    admin = current_administrator_row()
    rows = list_tokens(session, admin, managed=may(admin, Permission.manage_accounts))
    return render_template("admin/accounts/tokens.html", admin=admin, tokens=rows, now=utcnow())


@blp.post("/tokens/<id:token_id>/revoke")
@account_required
def revoke(token_id: int):
    """Revoke a token: it stops working at once."""
    try:
        token = revoke_token(get_session(), token_id, current_administrator_row())
    except NotPermitted:
        _not_permitted()
    if token is None:
        abort(404)
    flash(_("令牌已吊销。"), "success")
    return redirect(url_for(".tokens"), code=303)
