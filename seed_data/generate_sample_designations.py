"""Generate the SAMPLE designations of the sample network (deterministic).

Reads seed_data/institutions.csv and divisions.csv and writes seed_data/designations.csv: every
institution flagged ``demonstration_platform`` holds an active national demonstration platform
designation of the year its description names; some others held one and lost it at a review
(动态管理); provincial demonstration platforms and national and provincial entrepreneurship and
innovation demonstration bases for small and micro enterprises complete the picture.

Run:  python seed_data/generate_sample_designations.py [--output PATH]
"""
import argparse
import csv
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
INSTITUTIONS_CSV = HERE / "institutions.csv"
DIVISIONS_CSV = HERE / "divisions.csv"
OUTPUT_CSV = HERE / "designations.csv"
SEED = 20261207
LATEST = date(2026, 10, 31)
MINISTRY = "工业和信息化部"
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
FIELDS = ["institution_id", "kind", "granted_by", "batch", "granted_on", "revoked_on"]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day_in(rng, year: int, first_month: int, last_month: int, floor: date) -> date:
    """A day of ``year`` between the months given, not before ``floor`` nor after LATEST."""
    start = min(max(date(year, first_month, 1), floor), LATEST)
    end = min(date(year, last_month, 28), LATEST)
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def province_department(divisions, region_code: str) -> str:
    """The provincial department that designates: 工业和信息化厅, or 经济和信息化局 in the four municipalities."""
    code = region_code[:2] + "0000"
    name = divisions[code]["name"]
    return f"{name}经济和信息化局" if code in MUNICIPALITIES else f"{name}工业和信息化厅"


def designations_for(rng, inst, divisions) -> list[dict]:
    """The designations one institution holds or held."""
    created = date.fromisoformat(inst["created_at"][:10])
    closed = date.fromisoformat(inst["closed_at"][:10]) if inst["closed_at"] else None
    services = inst["services"].split(";")
    out = []

    def add(kind, granted_by, year, revoked_on=None, batch=None):
        granted = day_in(rng, year, 9, 12, created + timedelta(days=30))
        if revoked_on is not None and revoked_on <= granted:
            return
        out.append({"institution_id": inst["id"], "kind": kind, "granted_by": granted_by,
                    "batch": batch or f"{year}年", "granted_on": granted.isoformat(),
                    "revoked_on": revoked_on.isoformat() if revoked_on else ""})

    if inst["demonstration_platform"] == "1":
        # The year the sample's description gives ("…年被认定为中小企业公共服务示范平台").
        year = min(max(created.year + 1, 2015), 2026)
        add("national_demo_platform", MINISTRY, year, batch=f"{year}年国家中小企业公共服务示范平台")
    elif inst["level"] != "national" and inst["status"] != "suspended" and rng.random() < 0.02:
        year = max(created.year + 1, 2015)
        if year <= 2022:   # named, then dropped at a later review (复核不合格) or when it closed
            revoked = closed or day_in(rng, rng.randint(year + 2, 2026), 3, 6, date(year + 2, 1, 1))
            add("national_demo_platform", MINISTRY, year, revoked_on=revoked,
                batch=f"{year}年国家中小企业公共服务示范平台")
    if inst["level"] in ("municipal", "county") and inst["status"] == "active" and rng.random() < 0.18:
        year = max(created.year + 1, 2016)
        if year <= 2026:
            revoked = (day_in(rng, min(year + 3, 2026), 3, 6, date(year + 1, 1, 1))
                       if rng.random() < 0.08 else None)
            add("provincial_demo_platform", province_department(divisions, inst["region_code"]), year,
                revoked_on=revoked)
    if "entrepreneurship" in services and inst["status"] == "active":
        roll = rng.random()
        if roll < 0.04 and inst["level"] != "county":
            year = max(created.year + 1, 2015)
            if year <= 2025:
                add("national_base", MINISTRY, year, batch=f"{year}年国家小型微型企业创业创新示范基地")
        elif roll < 0.20 and inst["level"] != "national":
            year = max(created.year + 1, 2016)
            if year <= 2026:
                add("provincial_base", province_department(divisions, inst["region_code"]), year)
    return out


def build_designations(institutions, divisions, seed=SEED) -> list[dict]:
    """Every sample designation, in institution id order."""
    rng = random.Random(seed)
    return [d for inst in institutions for d in designations_for(rng, inst, divisions)]


def main():
    """Generate the sample designations, write them and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_CSV, help="CSV to write")
    args = parser.parse_args()
    divisions = {row["code"]: row for row in read_csv(DIVISIONS_CSV)}
    rows = build_designations(read_csv(INSTITUTIONS_CSV), divisions)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.output}: {len(rows)} designations")
    for (kind, revoked), count in sorted(Counter((r["kind"], bool(r["revoked_on"])) for r in rows).items()):
        print(f"  {kind:<26} {'revoked' if revoked else 'active':<8} {count:>4}")


if __name__ == "__main__":
    main()
