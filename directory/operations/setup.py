"""Setting up a database: ``flask --app wsgi init-db`` (schema and reference data) and ``seed`` (sample data)."""
import os
import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlmodel import Session

from directory.auth.models import Administrator, AdministratorRole
from directory.auth.service import AccountError, check_new_password, create_administrator
from directory.database import get_engine, write_session
from directory.migrations_runner import upgrade_schema
from directory.reference_data import load_reference_data
from directory.sample_events import load_sample_events
from directory.sample_network import load_sample_network
from directory.service_requests.sample import load_sample_requests

SEED_ADMIN = "admin"


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
    """init-db, then the sample network, its financing events, a year of service requests and the administrator
    ``admin``."""
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
        requests = load_sample_requests(session)
        existed = session.scalar(select(Administrator.id).where(Administrator.username == SEED_ADMIN)) is not None
        password = _ensure_seed_admin(session)
    click.echo(f"Sample network: {added} institutions added" if added
               else "Sample network: registry not empty, nothing added.")
    click.echo(f"Sample events: {events} financing events added" if events
               else "Sample events: events already present, nothing added.")
    click.echo(f"Sample service requests: {requests} added (a year of them)" if requests
               else "Sample service requests: requests already present, nothing added.")
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
