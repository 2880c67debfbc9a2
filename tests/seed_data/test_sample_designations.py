"""Checks on the committed sample designations, seed_data/designations.csv."""
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from seed_files import SEED_DIR, read_csv

DESIGNATIONS_CSV = SEED_DIR / "designations.csv"
GENERATOR = SEED_DIR / "generate_sample_designations.py"


@pytest.fixture(scope="module")
def designations():
    return read_csv(DESIGNATIONS_CSV)


@pytest.fixture(scope="module")
def institutions_by_id(institutions):
    return {row["id"]: row for row in institutions}


def test_flagged_institutions_hold_exactly_the_active_national_designations(designations, institutions_by_id):
    active_national = {d["institution_id"] for d in designations
                       if d["kind"] == "national_demo_platform" and not d["revoked_on"]}
    flagged = {iid for iid, row in institutions_by_id.items() if row["demonstration_platform"] == "1"}
    assert active_national == flagged


def test_kinds_dates_and_batches_are_believable(designations, institutions_by_id):
    kinds = {row["code"] for row in read_csv(SEED_DIR / "designation_kinds.csv")}
    provinces = {row["code"][:2]: row["name"] for row in read_csv(SEED_DIR / "divisions.csv")
                 if row["level"] == "province"}
    for d in designations:
        institution = institutions_by_id[d["institution_id"]]
        assert d["kind"] in kinds and d["granted_by"], d
        granted = date.fromisoformat(d["granted_on"])
        assert date.fromisoformat(institution["created_at"][:10]) <= granted <= date(2026, 10, 31), d
        assert d["batch"].startswith(str(granted.year)), d
        if d["revoked_on"]:
            assert granted < date.fromisoformat(d["revoked_on"]) <= date(2026, 10, 31), d
        if d["kind"].startswith("provincial"):   # the department of the institution's own province
            assert d["granted_by"] in (f"{provinces[institution['region_code'][:2]]}工业和信息化厅",
                                       f"{provinces[institution['region_code'][:2]]}经济和信息化局"), d
        else:
            assert d["granted_by"] == "工业和信息化部", d
    counts = Counter((d["kind"], bool(d["revoked_on"])) for d in designations)
    assert counts[("national_demo_platform", True)] >= 10 and counts[("provincial_demo_platform", True)] >= 10
    assert counts[("provincial_demo_platform", False)] >= 100 and counts[("national_base", False)] >= 5
    assert counts[("provincial_base", False)] >= 50
    active = Counter((d["institution_id"], d["kind"]) for d in designations if not d["revoked_on"])
    assert max(active.values()) == 1   # never two active designations of one kind


def test_generator_is_reproducible(tmp_path):
    out = tmp_path / "designations.csv"
    subprocess.run([sys.executable, str(GENERATOR), "--output", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == DESIGNATIONS_CSV.read_bytes()


def test_the_seeded_network_counts_them(sample_client, designations):
    body = sample_client.get("/api/v1/stats/designations").json
    assert body["total"] > 0
    by_kind = {k["kind"]: k["designations"] for k in body["by_kind"]}
    assert by_kind["national_demo_platform"] <= sum(
        d["kind"] == "national_demo_platform" and not d["revoked_on"] for d in designations)
    past = sample_client.get("/api/v1/stats/designations?as_of=2018-12-31").json
    assert 0 < past["total"] < body["total"]
