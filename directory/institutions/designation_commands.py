"""flask --app wsgi designations kinds | list ID | grant ID KIND [...] | revoke ID DESIGNATION_ID [--on DATE]"""
import click
from flask.cli import with_appcontext

from directory.database import write_session
from directory.designations.service import DesignationInvalid, describe_designation, kinds_by_code, list_kinds
from directory.institutions.designations import get_designation, grant_designation, revoke_designation
from directory.institutions.models import Institution

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group("designations")
def designations_group():
    """Designations of institutions (示范平台、示范基地): list, grant, revoke."""


def _institution(session, institution_id: int) -> Institution:
    institution = session.get(Institution, institution_id) if 0 < institution_id < 2**31 else None
    if institution is None:
        raise click.ClickException(f"No institution with id {institution_id}.")
    return institution


def _line(designation: dict) -> str:
    dates = f"{designation['granted_on'] or '?'} → {designation['revoked_on'] or ''}".rstrip()
    state = "active" if designation["active"] else "revoked" if designation["revoked_on"] else "not yet in force"
    return (f"{designation['id']}\t{designation['kind']}\t{designation['batch'] or ''}\t"
            f"{designation['granted_by'] or ''}\t{dates}\t{state}")


def _refused(error: DesignationInvalid) -> click.ClickException:
    return click.ClickException("; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.errors.items()))


@designations_group.command("kinds")
@with_appcontext
def kinds_command():
    """The kinds of designation (seed_data/designation_kinds.csv)."""
    with write_session() as session:
        for kind in list_kinds(session):
            click.echo(f"{kind.code}\t{kind.level.value}\t{kind.name_zh}\t{kind.name_en}")


@designations_group.command("list")
@click.argument("institution_id", type=int)
@with_appcontext
def list_command(institution_id: int):
    """Every designation of one institution, revoked ones too."""
    with write_session() as session:
        institution = _institution(session, institution_id)
        kinds = kinds_by_code(session)
        for designation in institution.designations:
            click.echo(_line(describe_designation(designation, kinds)))


@designations_group.command("grant")
@click.argument("institution_id", type=int)
@click.argument("kind")
@click.option("--batch", help="Year or batch as published, e.g. 2021年第三批.")
@click.option("--granted-by", help="Who granted it (default: the kind's usual grantor).")
@click.option("--granted-on", type=DATE, help="Day granted, YYYY-MM-DD.")
@with_appcontext
def grant_command(institution_id: int, kind: str, batch, granted_by, granted_on):
    """Grant a designation to an institution (audited as made by "cli")."""
    with write_session() as session, session.begin():
        institution = _institution(session, institution_id)
        try:
            designation = grant_designation(session, institution=institution, kind=kind, batch=batch,
                                            granted_by=granted_by,
                                            granted_on=granted_on.date() if granted_on else None)
        except DesignationInvalid as error:
            raise _refused(error) from None
        click.echo(_line(describe_designation(designation, kinds_by_code(session))))


@designations_group.command("revoke")
@click.argument("institution_id", type=int)
@click.argument("designation_id", type=int)
@click.option("--on", "revoked_on", type=DATE, help="Day revoked, YYYY-MM-DD (default: today).")
@with_appcontext
def revoke_command(institution_id: int, designation_id: int, revoked_on):
    """Revoke a designation; it stays on record."""
    with write_session() as session, session.begin():
        institution = _institution(session, institution_id)
        designation = get_designation(session, institution=institution, designation_id=designation_id)
        if designation is None:
            raise click.ClickException(f"Institution {institution_id} has no designation {designation_id}.")
        try:
            revoke_designation(session, designation=designation, revoked_on=revoked_on.date() if revoked_on else None)
        except DesignationInvalid as error:
            raise _refused(error) from None
        click.echo(_line(describe_designation(designation, kinds_by_code(session))))
