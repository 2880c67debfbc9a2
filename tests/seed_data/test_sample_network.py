"""Checks on the committed sample network, seed_data/institutions.csv."""
import subprocess
import sys
from collections import Counter

import pytest
from seed_files import SEED_DIR, read_csv

INSTITUTIONS_CSV = SEED_DIR / "institutions.csv"
GENERATOR = SEED_DIR / "generate_sample_network.py"
HEADER = ["id", "name", "level", "region_code", "services", "description", "address", "phone",
          "email", "website", "status", "demonstration_platform", "created_at", "closed_at"]
SERVICES = {"policy", "financing", "ip", "talent", "digitalization",
            "technology", "management", "legal", "market", "entrepreneurship"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
NO_INSTITUTIONS = {"710000", "810000", "820000"}  # 台湾, 香港, 澳门
MAX_LENGTHS = {"name": 200, "description": 2000, "address": 300, "phone": 50, "email": 254, "website": 300}


@pytest.fixture(scope="module")
def mainland_provinces(divisions):
    return {code: d["name"] for code, d in divisions.items()
            if d["level"] == "province" and code not in NO_INSTITUTIONS}


def test_header_encoding_and_ids():
    raw = INSTITUTIONS_CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert raw.decode("utf-8").splitlines()[0].split(",") == HEADER
    rows = read_csv(INSTITUTIONS_CSV)
    assert [int(r["id"]) for r in rows] == list(range(1, len(rows) + 1))


def test_total(institutions):
    assert 1770 <= len(institutions) <= 1790


def test_levels_match_region_codes(institutions, divisions):
    for r in institutions:
        code, level = r["region_code"], r["level"]
        if level == "national":
            assert code == "", r["name"]
            continue
        assert code in divisions, r["name"]
        assert not divisions[code]["retired_on"], f"{r['name']} sits in a retired division"
        kind = divisions[code]["level"]
        if level == "provincial":
            assert kind == "province" and code not in NO_INSTITUTIONS, r["name"]
        elif level == "municipal":
            assert kind == "prefecture" or code in MUNICIPALITIES, r["name"]
        elif level == "county":
            assert kind == "county", r["name"]
        else:
            pytest.fail(f"bad level {level!r} for {r['name']}")


def test_every_mainland_province_has_an_active_centre(institutions, mainland_provinces):
    assert len(mainland_provinces) == 31
    centres = {(r["name"], r["region_code"]) for r in institutions
               if r["level"] == "provincial" and r["status"] == "active"}
    for code, name in mainland_provinces.items():
        assert (f"{name}中小企业公共服务中心", code) in centres


def test_national_centre_present(institutions):
    national = {r["name"] for r in institutions if r["level"] == "national"}
    assert "工业和信息化部中小企业发展促进中心" in national


def test_municipal_and_above_coverage(institutions, divisions, mainland_provinces):
    active = [r for r in institutions if r["status"] == "active"]
    provinces = {r["region_code"] for r in active if r["level"] == "provincial"}
    prefectures = {r["region_code"] for r in active
                   if r["level"] == "municipal" and divisions[r["region_code"]]["level"] == "prefecture"}
    n_prefectures = sum(d["level"] == "prefecture" and not d["retired_on"] for d in divisions.values())
    assert n_prefectures == 333
    rate = (len(provinces) + len(prefectures)) / (len(mainland_provinces) + n_prefectures)
    assert 0.835 <= rate <= 0.845, rate


def test_services(institutions):
    for r in institutions:
        codes = r["services"].split(";")
        assert codes and set(codes) <= SERVICES, r["name"]
        assert len(codes) == len(set(codes)), r["name"]


def test_name_region_unique(institutions):
    counts = Counter((r["name"], r["region_code"]) for r in institutions)
    assert [key for key, n in counts.items() if n > 1] == []


def test_demonstration_count(institutions):
    assert {r["demonstration_platform"] for r in institutions} <= {"0", "1"}
    assert 250 <= sum(r["demonstration_platform"] == "1" for r in institutions) <= 400


def test_status_and_dates(institutions):
    for r in institutions:
        assert r["status"] in {"active", "suspended", "closed"}, r["name"]
        assert "2012-01-01T00:00:00+00:00" <= r["created_at"] <= "2026-10-31T00:00:00+00:00", r["name"]
        if r["status"] == "closed":
            assert r["created_at"] < r["closed_at"] < "2026-11-01", r["name"]
        else:
            assert r["closed_at"] == "", r["name"]


def test_field_lengths(institutions):
    for r in institutions:
        for field, limit in MAX_LENGTHS.items():
            assert 0 < len(r[field]) <= limit, (r["name"], field)


def test_generator_is_reproducible(tmp_path):
    pytest.importorskip("pypinyin", reason="the generator needs pypinyin to build host names")
    out = tmp_path / "institutions.csv"
    subprocess.run([sys.executable, str(GENERATOR), "--output", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == INSTITUTIONS_CSV.read_bytes()
