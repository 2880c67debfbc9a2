"""Command line for administrator accounts: ``flask --app wsgi create-admin | admin list | set-password | ...``."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from directory.auth.models import Administrator, AdministratorRole
from directory.auth.service import (ROLES, AccountError, create_administrator, get_administrator, set_active,
                                    set_password, set_role)
from directory.database import write_session

PASSWORD_HELP = ("At least 10 characters, not a breached or common password, not guessable "
                 "(repeats, sequences, keyboard walks); asked for when omitted.")


@click.command("create-admin")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=PASSWORD_HELP)
@click.option("--region", "region_code", default=None,
              help="Division code of the administrator's scope; national scope when omitted.")
@click.option("--role", type=click.Choice(ROLES), default=None,
              help="editor (institutions and events), manager (also accounts) or staff (one institution's "
                   "service requests, with --institution); default: manager with national scope, editor with --region.")
@click.option("--institution", "institution_id", type=int, default=None,
              help="The institution a staff account works for (required with --role staff).")
@click.option("--email", default=None, help="Where notices go (escalations for administrators).")
def create_admin_command(username, password, region_code, role, institution_id, email):
    """Create an administrator, optionally scoped to a division and everything below it.

    Without ``--role`` a national administrator is a manager (it is usually the first account,
    which must be able to create the others) and a regional one an editor.
    """
    role = role or (AdministratorRole.staff if institution_id else
                    AdministratorRole.editor if region_code else AdministratorRole.manager)
    with write_session() as session, session.begin():
        try:
            create_administrator(session, username=username, password=password, region_code=region_code,
                                 role=role, institution_id=institution_id, email=email)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    if role == AdministratorRole.staff:
        click.echo(f"Staff account '{username}' created for institution {institution_id}.")
        return
    click.echo(f"Administrator '{username}' ({role}) created with "
               f"{'scope ' + region_code if region_code else 'national scope'}.")


@click.group("admin")
def admin_group():
    """List administrators; reset passwords, roles and access."""


def _change_administrator(username: str, change) -> None:
    """Apply ``change(session, administrator)`` in one transaction; a clean error for a bad name or value."""
    with write_session() as session, session.begin():
        admin = get_administrator(session, username)
        if admin is None:
            raise click.ClickException(f"No administrator {username}.")
        try:
            change(session, admin)
        except AccountError as error:
            raise click.ClickException(str(error)) from error


@admin_group.command("list")
@with_appcontext
def admin_list_command():
    """Every administrator: username, role, scope, active or not."""
    with write_session() as session:
        rows = session.scalars(select(Administrator).order_by(Administrator.username)).all()
    for row in rows:
        click.echo(f"{row.username}\t{row.role}\t{row.region_code or 'national'}\t"
                   f"{'active' if row.active else 'inactive'}")


@admin_group.command("set-password")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=PASSWORD_HELP)
def admin_set_password_command(username, password):
    """Set a new password; the administrator's open sessions end."""
    _change_administrator(username, lambda session, admin: set_password(session, target=admin, password=password))
    click.echo(f"已为 '{username}' 设置新密码，旧的登录和接口令牌已失效；请在 /admin/login 登录。\n"
               f"Password of '{username}' changed; its web sessions and API tokens have ended. "
               f"Log in at /admin/login.")


@admin_group.command("deactivate")
@with_appcontext
@click.argument("username")
def admin_deactivate_command(username):
    """Stop an administrator: no login, and its sessions and tokens stop working."""
    _change_administrator(username, lambda session, admin: set_active(session, target=admin, active=False))
    click.echo(f"Administrator '{username}' deactivated.")


@admin_group.command("activate")
@with_appcontext
@click.argument("username")
def admin_activate_command(username):
    """Let a deactivated administrator log in again."""
    _change_administrator(username, lambda session, admin: set_active(session, target=admin, active=True))
    click.echo(f"Administrator '{username}' activated.")


@admin_group.command("set-role")
@with_appcontext
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def admin_set_role_command(username, role):
    """Make an administrator an editor or a manager."""
    _change_administrator(username, lambda session, admin: set_role(session, target=admin, role=role))
    click.echo(f"Administrator '{username}' is now {role}.")
