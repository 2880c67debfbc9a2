"""Command line: ``flask --app wsgi init-db | seed | create-admin | import-institutions``."""
import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlmodel import Session

from directory.auth.models import Administrator
from directory.auth.service import AccountError, create_administrator
from directory.database import get_engine, writing
from directory.reference_data import load_reference_data
from directory.sample_network import load_sample_network
from directory.schema import upgrade_schema

SEED_ADMIN = "admin"


def write_session() -> Session:
    """A session whose transaction takes the write lock up front."""
    return Session(writing(get_engine()), expire_on_commit=False)


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
    click.echo(f"Schema up to date; reference data: {written['regions']} divisions and "
               f"{written['categories']} categories written (0 means already current).")


@click.command("seed")
@with_appcontext
def seed_command():
    """init-db, then the sample network and the administrator ``admin``."""
    init_database()
    with write_session() as session, session.begin():
        added = load_sample_network(session)
        password = _ensure_seed_admin(session)
    click.echo(f"Sample network: {added} institutions added" if added
               else "Sample network: registry not empty, nothing added.")
    if password:
        click.echo(f"Administrator '{SEED_ADMIN}' created with password: {password}\n"
                   "This password is shown only once; set SME_ADMIN_PASSWORD to choose it.")


def _ensure_seed_admin(session: Session) -> str | None:
    """Create ``admin`` if missing; returns the password only when it was generated."""
    if session.scalar(select(Administrator).where(Administrator.username == SEED_ADMIN)):
        return None
    chosen = os.environ.get("SME_ADMIN_PASSWORD")
    password = chosen or secrets.token_urlsafe(12)
    try:
        create_administrator(session, username=SEED_ADMIN, password=password)
    except AccountError as error:
        raise click.ClickException(f"SME_ADMIN_PASSWORD: {error}") from error
    return None if chosen else password


@click.command("create-admin")
@with_appcontext
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 10 characters; asked for when omitted.")
@click.option("--region", "region_code", default=None,
              help="Division code of the administrator's scope; national scope when omitted.")
def create_admin_command(username, password, region_code):
    """Create an administrator, optionally scoped to a division and everything below it."""
    with write_session() as session, session.begin():
        try:
            create_administrator(session, username=username, password=password, region_code=region_code)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Administrator '{username}' created with {'scope ' + region_code if region_code else 'national scope'}.")


@click.command("import-institutions")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
def import_institutions_command(file: Path, dry_run: bool):
    """Import institutions from CSV: all rows or none. Exit 1 on any rejected row."""
    from directory.institutions.importer import import_institutions

    with write_session() as session, session.begin():
        report = import_institutions(session, data=file.read_bytes(), dry_run=dry_run)
    for line in report.summary_lines():
        click.echo(line)
    if report.rejected:
        sys.exit(1)


def register_commands(app: Flask) -> None:
    """Add the commands to ``flask --app wsgi``."""
    from directory.matching.commands import match_batch_command

    for command in (init_db_command, seed_command, create_admin_command, import_institutions_command,
                    match_batch_command):
        app.cli.add_command(command)
