"""``flask --app wsgi divisions update | to-place``: apply a new edition of the division list."""
import json
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.database import act_as
from directory.database import get_engine, writing
from directory.regions.dataset import apply_dataset, apply_files, year_end
from directory.regions.editions import UnreadableList
from directory.regions.placement import records_to_place

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("divisions")
def divisions_group():
    """Apply new editions of the division list; list records left in retired divisions."""


@divisions_group.command("update")
@with_appcontext
@click.argument("edition_file", required=False, type=FILE)
@click.argument("changes_file", required=False, type=FILE)
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder in the published layout (data/YEAR.txt, diff/A-B.diff); use with --year.")
@click.option("--year", type=int, help="With --dataset: apply every edition up to this year.")
@click.option("--edition", help="Name of the edition (default: the edition file's name, e.g. 2025).")
@click.option("--published-on", type=click.DateTime(["%Y-%m-%d"]),
              help="The day the list describes (default: 31 December of the edition's year).")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def update_command(edition_file, changes_file, dataset, year, edition, published_on, dry_run, output):
    """Apply EDITION_FILE (``code name`` per line) with CHANGES_FILE (its change list, ``area-diff``).

    Exit 1 when the files do not fit the list in use (nothing changes then); records that could
    not be moved (split areas) are listed, and the command still succeeds.
    """
    if (dataset is None) == (edition_file is None) or (dataset is not None and year is None):
        raise click.UsageError("Give EDITION_FILE CHANGES_FILE, or --dataset DIR --year YEAR.")
    if edition_file is not None and changes_file is None:
        raise click.UsageError("CHANGES_FILE is missing: the change list says how each code changed.")
    name = edition or (edition_file.stem if edition_file else None)
    day = published_on.date() if published_on else (_default_day(name) if name else None)
    session = _write_session()
    try:
        if dataset is not None:
            reports = apply_dataset(session, dataset=dataset, year=year)
        else:
            reports = [apply_files(session, edition_file=edition_file, changes_file=changes_file,
                                   edition=name, published_on=day)]
        if dry_run:
            session.rollback()     # the same work as a real run, so the report is the real one
        else:
            session.commit()
    except UnreadableList as error:
        session.rollback()
        click.echo("Nothing changed: the files do not fit the division list in use.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    finally:
        session.close()
    if output == "json":
        click.echo(json.dumps({"dry_run": dry_run, "updates": [r.as_dict() for r in reports]},
                              ensure_ascii=False, indent=2))
        return
    for report in reports:
        for line in report.summary_lines():
            click.echo(line)
    click.echo("Dry run: nothing changed." if dry_run else "Applied.")


def _write_session() -> Session:
    """A session whose transaction takes the write lock up front, its changes audited as the CLI's."""
    return act_as(Session(writing(get_engine()), expire_on_commit=False), "cli")


def _default_day(edition: str) -> date:
    if not edition.isdigit() or len(edition) != 4:
        raise click.UsageError(f"Edition {edition!r} is not a year: give --published-on YYYY-MM-DD.")
    return year_end(edition)


@divisions_group.command("to-place")
@with_appcontext
def to_place_command():
    """Records still placed in a retired division, with the successors to choose from."""
    with _write_session() as session:
        records = records_to_place(session)
    for record in records:
        click.echo(f"{record['entity']}\t{record['id']}\t{record['name']}\t{record['code']} {record['region_name']} "
                   f"(retired {record['retired_on']})\t{', '.join(record['successors']) or '-'}")
    click.echo(f"{len(records)} records to place.")
