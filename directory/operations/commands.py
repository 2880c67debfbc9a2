"""Command line: ``flask --app wsgi migrate-to URL | backup DEST | restore SRC``."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from directory.database import get_engine
from directory.operations.backup import BackupError, backup, restore
from directory.operations.migrate import MigrationError, migrate_to


@click.command("migrate-to")
@with_appcontext
@click.argument("url")
def migrate_to_command(url: str):
    """Copy this database (DATABASE_URL) into the empty database at URL and verify the row counts."""
    try:
        counts = migrate_to(get_engine(), url)
    except MigrationError as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        raise click.ClickException(f"Migration failed, nothing was committed: {error}") from error
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        click.echo(f"{name:<{width}}  {count:>9}")
    click.echo(f"{len(counts)} tables, {sum(counts.values())} rows copied and verified. "
               "Point DATABASE_URL at the new database and restart the app.")


@click.command("backup")
@with_appcontext
@click.argument("dest", type=click.Path(path_type=Path))
def backup_command(dest: Path):
    """Write a consistent backup to DEST (a file, or a directory for a timestamped one), app running."""
    try:
        written = backup(get_engine(), dest)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {written} ({written.stat().st_size:,} bytes)")


@click.command("restore")
@with_appcontext
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace every row of the database with the backup?")
def restore_command(src: Path):
    """Replace the database's content with the backup SRC (made by ``backup``)."""
    try:
        restore(get_engine(), src)
    except (BackupError, SQLAlchemyError) as error:
        raise click.ClickException(f"Restore failed: {error}") from error
    click.echo(f"Restored from {src}.")
