"""Load the reference data shipped in ``seed_data/``: divisions, service categories, designation kinds."""
import csv
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.config import ROOT
from directory.designations.models import DesignationKind, DesignationLevel
from directory.regions.models import Region, RegionLevel

SEED_DATA = ROOT / "seed_data"
DIVISIONS_CSV = SEED_DATA / "divisions.csv"
CATEGORIES_CSV = SEED_DATA / "categories.csv"
DESIGNATION_KINDS_CSV = SEED_DATA / "designation_kinds.csv"
NON_MAINLAND_PROVINCES = frozenset({"710000", "810000", "820000"})  # Taiwan, Hong Kong, Macao


def read_csv(path: Path) -> list[dict]:
    """Rows of a UTF-8 CSV file with a header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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
        }
        for row in read_csv(DIVISIONS_CSV)
    ]
    depth = {RegionLevel.province: 0, RegionLevel.prefecture: 1, RegionLevel.county: 2}
    return sorted(rows, key=lambda r: (depth[r["level"]], r["code"]))


def category_rows() -> list[dict]:
    """Service categories as ServiceCategory field dicts, in contract order."""
    return [dict(row, position=i) for i, row in enumerate(read_csv(CATEGORIES_CSV))]


def designation_kind_rows() -> list[dict]:
    """Designation kinds as DesignationKind field dicts, in file order (a new row adds a kind)."""
    return [dict(row, level=DesignationLevel(row["level"]), granted_by=row["granted_by"] or None, position=i)
            for i, row in enumerate(read_csv(DESIGNATION_KINDS_CSV))]


def load_reference_data(session: Session) -> dict[str, int]:
    """Insert or update every division, category and designation kind; returns how many rows were written."""
    written = {
        "regions": _upsert(session, Region, "code", division_rows()),
        "categories": _upsert(session, ServiceCategory, "code", category_rows()),
        "designation_kinds": _upsert(session, DesignationKind, "code", designation_kind_rows()),
    }
    session.flush()
    return written


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
