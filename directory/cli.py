"""Command line: ``flask --app wsgi init-db | seed | create-admin | admin ... | import-institutions``
(with ``match-batch``, ``stats``, ``migrate-to``, ``backup`` and ``restore`` registered from their features)."""
import json
import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlmodel import Session

from directory.auth.models import Administrator, AdministratorRole
from directory.auth.service import (ROLES, AccountError, check_new_password, create_administrator,
                                    get_administrator, set_active, set_password, set_role)
from directory.database import act_as, get_engine, write_session
from directory.reference_data import load_reference_data
from directory.events.sample import load_sample_events
from directory.sample_network import load_sample_network
from directory.migrations_runner import upgrade_schema

SEED_ADMIN = "admin"
PASSWORD_HELP = ("At least 10 characters, not a breached or common password, not guessable "
                 "(repeats, sequences, keyboard walks); asked for when omitted.")


def init_database() -> dict[str, int]:
    """Upgrade the schema and load the reference data."""
    upgrade_schema(get_engine())
    with write_session() as session, session.begin():
        return load_reference_data(session)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the schema and load divisions and service categories."""
    written = init_database()
    for update in written["division_updates"]:
        for line in update.summary_lines():
            click.echo(line)
    click.echo(f"Schema up to date; reference data: {written['regions']} divisions and "
               f"{written['categories']} categories written (0 means already current); "
               f"division list edition {written['edition']}.")


@click.command("seed")
@with_appcontext
def seed_command():
    """init-db, then the sample network, its financing events and the administrator ``admin``."""
    chosen = os.environ.get("SME_ADMIN_PASSWORD")
    if chosen:   # refuse a weak one before anything is loaded
        try:
            check_new_password(chosen, username=SEED_ADMIN)
        except AccountError as error:
            raise click.ClickException(f"SME_ADMIN_PASSWORD: {error}") from error
    init_database()
    with write_session() as session, session.begin():
        added = load_sample_network(session)
        events = load_sample_events(session)
        existed = session.scalar(select(Administrator.id).where(Administrator.username == SEED_ADMIN)) is not None
        password = _ensure_seed_admin(session)
    click.echo(f"Sample network: {added} institutions added" if added
               else "Sample network: registry not empty, nothing added.")
    click.echo(f"Sample events: {events} financing events added" if events
               else "Sample events: events already present, nothing added.")
    if password:
        click.echo(f"Administrator '{SEED_ADMIN}' created with password: {password}\n"
                   "This password is shown only once; set SME_ADMIN_PASSWORD to choose it.")
    elif existed:
        click.echo(f"管理员 '{SEED_ADMIN}' 已存在，密码未改动。忘记密码时设置新密码 / Administrator '{SEED_ADMIN}' "
                   f"already exists; its password is unchanged. To set a new one:\n"
                   f"  flask --app wsgi admin set-password {SEED_ADMIN}")


def _ensure_seed_admin(session: Session) -> str | None:
    """Create ``admin`` if missing; returns the password only when it was generated."""
    if session.scalar(select(Administrator).where(Administrator.username == SEED_ADMIN)):
        return None
    chosen = os.environ.get("SME_ADMIN_PASSWORD")
    password = chosen or secrets.token_urlsafe(12)
    try:
        create_administrator(session, username=SEED_ADMIN, password=password, role=AdministratorRole.manager)
    except AccountError as error:
        raise click.ClickException(f"SME_ADMIN_PASSWORD: {error}") from error
    return None if chosen else password


@click.command("create-admin")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=PASSWORD_HELP)
@click.option("--region", "region_code", default=None,
              help="Division code of the administrator's scope; national scope when omitted.")
@click.option("--role", type=click.Choice(ROLES), default=None,
              help="editor (institutions and events) or manager (also accounts); "
                   "default: manager with national scope, editor with --region.")
def create_admin_command(username, password, region_code, role):
    """Create an administrator, optionally scoped to a division and everything below it.

    Without ``--role`` a national administrator is a manager (it is usually the first account,
    which must be able to create the others) and a regional one an editor.
    """
    role = role or (AdministratorRole.editor if region_code else AdministratorRole.manager)
    with write_session() as session, session.begin():
        try:
            create_administrator(session, username=username, password=password, region_code=region_code,
                                 role=role)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
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


@click.command("import-institutions")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--decisions", "decisions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSON file {"row": "skip|update|create"} settling possible duplicates.')
@click.option("--map", "mapping_pairs", multiple=True, metavar="TITLE=FIELD",
              help="Read the column TITLE as FIELD (or 'ignore'), e.g. --map 平台名称=name. Repeatable.")
@click.option("--designation-kind", default="national_demo_platform", show_default=True, metavar="KIND",
              help="The designation kind a batch column (批次, 认定年份) grants, e.g. provincial_base.")
def import_institutions_command(file: Path, dry_run: bool, decisions_file: Path | None, mapping_pairs: tuple[str],
                                designation_kind: str):
    """Import institutions from CSV, XLSX, XLS, ODS or an HSDS 3.0 dataset: all rows or none. Exit 1 on any rejected row."""
    from directory.institutions.import_columns import parse_mapping_pairs
    from directory.hsds.reading import import_upload
    from directory.institutions.importer import parse_decisions
    from directory.designations.service import kinds_by_code

    decisions = None
    if decisions_file is not None:
        try:
            decisions = parse_decisions(json.loads(decisions_file.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError) as error:
            raise click.BadParameter(str(error), param_hint="--decisions") from None
    try:
        mapping = parse_mapping_pairs(list(mapping_pairs)) if mapping_pairs else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--map") from None
    # Read and check without the write lock; the importer takes it only for its short write transaction.
    with act_as(Session(get_engine(), expire_on_commit=False), "cli") as session:
        kinds = kinds_by_code(session)
        if designation_kind not in kinds:
            raise click.BadParameter(f"{designation_kind!r} is not one of {', '.join(kinds)}.",
                                     param_hint="--designation-kind")
        report = import_upload(session, data=file.read_bytes(), dry_run=dry_run, decisions=decisions,
                               mapping=mapping, designation_kind=designation_kind)
    for line in report.summary_lines():
        click.echo(line)
    if report.rejected_total:
        sys.exit(1)


def register_commands(app: Flask) -> None:
    """Add the commands to ``flask --app wsgi``."""
    from directory.designations.commands import designations_group
    from directory.finder.commands import match_batch_command
    from directory.operations.commands import backup_command, migrate_to_command, restore_command
    from directory.hsds.commands import export_group
    from directory.regions.commands import divisions_group
    from directory.statistics.commands import stats_group

    for command in (init_db_command, seed_command, create_admin_command, admin_group, import_institutions_command,
                    match_batch_command, stats_group, migrate_to_command, backup_command, restore_command,
                    designations_group, divisions_group, export_group):
        app.cli.add_command(command)
