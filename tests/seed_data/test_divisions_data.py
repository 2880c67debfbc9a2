"""The shipped division list (end-2024 edition, with retired codes) and the history it is built from."""
import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "seed_data"
HISTORY = SEED_DIR / "divisions-history"
HEADER = ["code", "name", "level", "parent_code", "longitude", "latitude", "coord_approx",
          "in_force_from", "retired_on", "successors"]


def rows() -> list[dict]:
    with (SEED_DIR / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def edition(year: int) -> set[tuple[str, str]]:
    lines = (HISTORY / "data" / f"{year}.txt").read_text(encoding="utf-8").splitlines()
    return {tuple(line.split(" ", 1)) for line in lines if line.strip()}


def test_the_divisions_in_force_are_exactly_the_end_2024_list():
    in_force = {(r["code"], r["name"]) for r in rows() if not r["retired_on"]}
    assert in_force == edition(2024)
    assert Counter(r["level"] for r in rows() if not r["retired_on"]) == {
        "province": 34, "prefecture": 333, "county": 2846}


def test_the_end_2022_list_is_what_was_in_force_at_the_end_of_2022():
    day = "2022-12-31"
    then = {(r["code"], r["name"]) for r in rows()
            if (r["in_force_from"] or "") <= day and (r["retired_on"] or "9") > day}
    assert then == edition(2022) and len(then) == 3210


def test_retired_codes_keep_their_successors_and_new_ones_their_dates():
    retired = {r["code"]: (r["name"], r["retired_on"], r["successors"]) for r in rows() if r["retired_on"]}
    assert retired == {"540422": ("米林县", "2023-04-03", "540481"), "540530": ("错那县", "2023-04-03", "540581")}
    new = {r["code"]: (r["name"], r["parent_code"], r["in_force_from"]) for r in rows() if r["in_force_from"]}
    assert new == {"540481": ("米林市", "540400", "2023-04-03"), "540581": ("错那市", "540500", "2023-04-03"),
                   "659012": ("白杨市", "650000", "2023-01-20"), "653228": ("和康县", "653200", "2024-12-27"),
                   "653229": ("和安县", "653200", "2024-12-27")}
    assert all(r["longitude"] and r["latitude"] for r in rows() if r["in_force_from"])


def test_every_parent_is_a_division_in_force():
    by_code = {r["code"]: r for r in rows()}
    for row in rows():
        if row["parent_code"]:
            assert not by_code[row["parent_code"]]["retired_on"], row


def test_the_builder_gives_the_same_bytes(tmp_path):
    before = (SEED_DIR / "divisions.csv").read_bytes()
    try:
        subprocess.run([sys.executable, str(SEED_DIR / "build_divisions.py")], check=True, capture_output=True)
        assert (SEED_DIR / "divisions.csv").read_bytes() == before
    finally:
        (SEED_DIR / "divisions.csv").write_bytes(before)


def test_the_history_is_shipped_with_its_licence_and_credit():
    assert "CC0 1.0 Universal" in (HISTORY / "LICENSE").read_text(encoding="utf-8")
    assert "yescallop/areacodes" in (HISTORY / "README.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (HISTORY / "diff").iterdir()) == ["2021-2022.diff", "2022-2023.diff",
                                                                   "2023-2024.diff"]
    assert (SEED_DIR / "divisions.csv").read_text(encoding="utf-8").splitlines()[0].split(",") == HEADER
