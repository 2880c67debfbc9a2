"""Load the reference data shipped in ``seed_data/``: divisions, service categories and designation kinds.

``divisions.csv`` is the division list of edition ``SHIPPED_EDITION`` with every division's
validity and successors (retired ones included). A database holding an older edition is
brought forward through the shipped change lists first (``divisions update``'s own path), so
records in divisions retired since move to their successors with an audit entry; a database
holding a newer edition (applied with ``divisions update``) keeps its divisions as they are.
"""
import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.config import ROOT
from directory.designations.models import DesignationKind, DesignationLevel
from directory.regions.dataset import apply_dataset, year_end
from directory.regions.editions import NON_MAINLAND_PROVINCES
from directory.regions.models import DivisionEdition, Region, RegionLevel, RegionSuccessor
from directory.regions.update import DivisionUpdate
from directory.regions.validity import current_edition

SEED_DATA = ROOT / "seed_data"
DIVISIONS_CSV = SEED_DATA / "divisions.csv"
DIVISIONS_HISTORY = SEED_DATA / "divisions-history"
CATEGORIES_CSV = SEED_DATA / "categories.csv"
DESIGNATION_KINDS_CSV = SEED_DATA / "designation_kinds.csv"
SHIPPED_EDITION = "2024"          # divisions.csv = divisions-history/data/2024.txt plus retired codes
__all__ = ["NON_MAINLAND_PROVINCES", "SEED_DATA", "load_reference_data", "read_csv"]


def read_csv(path: Path) -> list[dict]:
    """Rows of a UTF-8 CSV file with a header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def division_rows() -> list[dict]:
    """Divisions as Region field dicts, parents before children (inserts keep this order)."""
    rows = [
        {
            "code": row["code"],
            "name": row["name"],
            "level": RegionLevel(row["level"]),
            "parent_code": row["parent_code"] or None,
            "longitude": float(row["longitude"]) if row["longitude"] else None,
            "latitude": float(row["latitude"]) if row["latitude"] else None,
            "mainland": row["code"][:2] + "0000" not in NON_MAINLAND_PROVINCES,
            "in_force_from": _day(row["in_force_from"]),
            "retired_on": _day(row["retired_on"]),
        }
        for row in read_csv(DIVISIONS_CSV)
    ]
    depth = {RegionLevel.province: 0, RegionLevel.prefecture: 1, RegionLevel.county: 2}
    return sorted(rows, key=lambda r: (depth[r["level"]], r["code"]))


def successor_rows() -> list[dict]:
    """(retired code, successor code) pairs of the shipped list."""
    return [{"code": row["code"], "successor_code": successor}
            for row in read_csv(DIVISIONS_CSV) for successor in row["successors"].split(";") if successor]


def category_rows() -> list[dict]:
    """Service categories as ServiceCategory field dicts, in contract order."""
    return [dict(row, position=i) for i, row in enumerate(read_csv(CATEGORIES_CSV))]


def designation_kind_rows() -> list[dict]:
    """Designation kinds as DesignationKind field dicts, in file order (a new row adds a kind)."""
    return [dict(row, level=DesignationLevel(row["level"]), granted_by=row["granted_by"] or None, position=i)
            for i, row in enumerate(read_csv(DESIGNATION_KINDS_CSV))]


def load_reference_data(session: Session) -> dict:
    """Insert or update every division, category and designation kind; returns how many rows were written and
    the division updates made to bring an older edition forward."""
    updates = _bring_divisions_forward(session)
    edition = current_edition(session)
    regions = 0
    if edition is None or edition.edition == SHIPPED_EDITION:
        regions = _upsert(session, Region, "code", division_rows())
        session.flush()
        _add_successors(session)
        if session.get(DivisionEdition, SHIPPED_EDITION) is None:
            session.add(DivisionEdition(edition=SHIPPED_EDITION, published_on=year_end(SHIPPED_EDITION)))
    written = {
        "regions": regions,
        "categories": _upsert(session, ServiceCategory, "code", category_rows()),
        "designation_kinds": _upsert(session, DesignationKind, "code", designation_kind_rows()),
        "division_updates": updates,
        "edition": current_edition(session).edition,
    }
    session.flush()
    return written


def _bring_divisions_forward(session: Session) -> list[DivisionUpdate]:
    edition = current_edition(session)
    if edition is None or edition.published_on >= year_end(SHIPPED_EDITION):
        return []
    return apply_dataset(session, dataset=DIVISIONS_HISTORY, year=int(SHIPPED_EDITION))


def _add_successors(session: Session) -> int:
    known = set(session.execute(select(RegionSuccessor.code, RegionSuccessor.successor_code)).all())
    missing = [row for row in successor_rows() if (row["code"], row["successor_code"]) not in known]
    session.add_all(RegionSuccessor(**row) for row in missing)
    return len(missing)


def _upsert(session: Session, model, key: str, rows: list[dict]) -> int:
    existing = {getattr(obj, key): obj for obj in session.scalars(select(model))}
    written = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            written += 1
        elif any(getattr(obj, f) != v for f, v in row.items()):
            for field, value in row.items():
                setattr(obj, field, value)
            written += 1
    return written
