"""The sample network of ``seed_data/institutions.csv`` (generated, not real institutions)."""
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.institutions.schemas import InstitutionInSchema
from directory.institutions.service import create_institutions
from directory.reference_data import SEED_DATA, read_csv

SAMPLE_CSV = SEED_DATA / "institutions.csv"
HISTORY_FIELDS = ("id", "created_at", "closed_at")


def load_sample_network(session: Session) -> int:
    """Add the sample institutions to an empty registry; returns how many were added."""
    if session.scalar(select(func.count()).select_from(Institution)):
        return 0
    schema = InstitutionInSchema()
    rows = read_csv(SAMPLE_CSV)
    fields = [schema.load({k: v for k, v in row.items() if k not in HISTORY_FIELDS}
                          | {"services": row["services"].split(";"),
                             "demonstration_platform": row["demonstration_platform"] == "1"})
              for row in rows]
    for institution, row in zip(create_institutions(session, rows=fields), rows, strict=True):
        # Keep the sample's history so that dated statistics have something to show.
        institution.created_at = institution.updated_at = datetime.fromisoformat(row["created_at"])
        institution.closed_at = datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None
    session.flush()
    return len(rows)
