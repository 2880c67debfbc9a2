"""Command line: ``flask --app wsgi import-institutions FILE`` (CSV, XLSX, XLS, ODS or an HSDS dataset)."""
import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.database import act_as, get_engine
from directory.designations.service import kinds_by_code
from directory.institutions.import_columns import parse_mapping_pairs
from directory.institutions.importer import parse_decisions
from directory.institutions.upload import import_upload


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
