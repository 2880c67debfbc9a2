"""The sample network of ``seed_data/institutions.csv`` and its designations (generated, not real)."""
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from directory.designations.models import Designation
from directory.institutions.models import Institution
from directory.institutions.schemas import InstitutionInSchema
from directory.institutions.service import create_institutions
from directory.reference_data import SEED_DATA, read_csv

SAMPLE_CSV = SEED_DATA / "institutions.csv"
DESIGNATIONS_CSV = SEED_DATA / "designations.csv"
# The flag column is what designations.csv turns into dated designations (the generator checks they agree).
LEFT_TO_DESIGNATIONS = ("id", "created_at", "closed_at", "demonstration_platform")


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_sample_network(session: Session) -> int:
    """Add the sample institutions and their designations to an empty registry; returns how many
    institutions were added."""
    if session.scalar(select(func.count()).select_from(Institution)):
        return 0
    schema = InstitutionInSchema()
    rows = read_csv(SAMPLE_CSV)
    fields = [schema.load({k: v for k, v in row.items() if k not in LEFT_TO_DESIGNATIONS}
                          | {"services": row["services"].split(";")})
              for row in rows]
    by_sample_id = {}
    for institution, row in zip(create_institutions(session, rows=fields), rows, strict=True):
        # Keep the sample's history so that dated statistics have something to show.
        institution.created_at = institution.updated_at = datetime.fromisoformat(row["created_at"])
        institution.closed_at = datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None
        by_sample_id[row["id"]] = institution
    for row in read_csv(DESIGNATIONS_CSV):
        by_sample_id[row["institution_id"]].designations.append(Designation(
            kind=row["kind"], granted_by=row["granted_by"] or None, batch=row["batch"] or None,
            granted_on=_day(row["granted_on"]), revoked_on=_day(row["revoked_on"])))
    session.flush()
    return len(rows)
