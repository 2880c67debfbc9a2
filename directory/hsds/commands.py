"""``flask --app wsgi export hsds DEST [--region CODE] [--format json|zip]``."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.database import get_engine
from directory.hsds.export import dataset_bytes, export_institutions
from directory.institutions.service import institutions_query
from directory.regions.models import Region


@click.group("export")
def export_group():
    """Export the registry in a standard format."""


@export_group.command("hsds")
@with_appcontext
@click.argument("dest", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--region", "region_code", help="Only institutions in this division and below it.")
@click.option("--format", "kind", type=click.Choice(["json", "zip"]), default="json", show_default=True,
              help="json: one HSDS package; zip: the HSDS tabular CSV files.")
def export_hsds_command(dest: Path, region_code: str | None, kind: str):
    """Write the registry (every status) as an Open Referral HSDS 3.0 dataset."""
    with Session(get_engine()) as session:
        if region_code and session.get(Region, region_code) is None:
            raise click.BadParameter(f"No division with code {region_code}.", param_hint="--region")
        institutions = export_institutions(session, institutions_query(within=region_code))
        data = dataset_bytes(session, institutions, kind=kind)
    dest.write_bytes(data)
    services = sum(len(i.services) for i in institutions)
    click.echo(f"{len(institutions)} organizations and {services} services written to {dest} ({kind}).")
