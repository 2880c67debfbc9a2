"""flask --app wsgi match-batch IN.csv OUT.csv"""
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.database import get_engine
from directory.finder.batch import COMMAND_LIMITS, match_batch, read_batch, write_batch
from directory.spreadsheets import UnreadableFile
from directory.institutions.search_index import build_matching_index


@click.command("match-batch")
@click.argument("infile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("outfile", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def match_batch_command(infile: Path, outfile: Path):
    """Match every SME of a CSV, XLSX, XLS or ODS file (enterprise_name, region, need) to its best providers."""
    try:
        rows = read_batch(infile.read_bytes(), limits=COMMAND_LIMITS)
    except UnreadableFile as error:   # including BatchFileError (no need column)
        raise click.ClickException(f"{infile}: {error.message}") from error
    with Session(get_engine()) as session:
        index = build_matching_index(session)
    with outfile.open("w", encoding="utf-8-sig", newline="") as out, \
            click.progressbar(length=len(rows), label="Matching", file=sys.stderr) as bar:
        errors = write_batch(match_batch(index, rows, progress=bar.update), out)
    click.echo(f"{len(rows) - errors} row(s) matched, {errors} with an error (see the error column) → {outfile}")
