"""Load: the production server (gunicorn, 2 workers) under a mixed workload from locust, on SQLite
and on PostgreSQL. Zero 5xx, zero "database is locked", every acknowledged write present
afterwards; requests per second and p50/p95 per endpoint are printed (and kept in bench/README.md).
"""
import csv
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from servers import BIN, ROOT, admin_token, flask, gunicorn, request

pytestmark = pytest.mark.load
USERS, SPAWN_RATE, DURATION = 24, 12, os.environ.get("SME_LOAD_DURATION", "40s")


def open_events(base: str) -> list[int]:
    status, events = request(f"{base}/api/v1/events?status=open&page_size=100")
    assert status == 200
    return [e["id"] for e in events if e["registration_open"] and e["seats_left"] > 20]


def run_locust(base: str, token: str, events: list[int], folder: Path) -> dict[str, dict]:
    env = os.environ | {"SME_LOAD_TOKEN": token, "SME_LEDGER": str(folder / "ledger.csv"),
                        "SME_OPEN_EVENTS": json.dumps(events)}
    subprocess.run([str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                    "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", base,
                    "--csv", str(folder / "locust"), "--only-summary", "--stop-timeout", "10"],
                   cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=600)
    with open(folder / "locust_stats.csv", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def ledger(folder: Path) -> list[tuple[str, str]]:
    path = folder / "ledger.csv"
    return [tuple(line.split(",", 1)) for line in path.read_text().splitlines()] if path.exists() else []


def recorded_matches(database_url: str) -> int:
    """Match requests recorded in the server's database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM match_request")).scalar_one()
    finally:
        engine.dispose()


def test_mixed_load_on_the_production_server(server_database, tmp_path, capsys):
    flask(server_database, "seed")
    recorded_before = recorded_matches(server_database)
    with gunicorn(server_database, workers=2, log_path=tmp_path / "server.log") as (base, _process):
        token = admin_token(base)
        stats = run_locust(base, token, open_events(base), tmp_path)
        acknowledged = ledger(tmp_path)
        institutions = [int(i) for kind, i in acknowledged if kind == "institution"]
        registrations = [tuple(map(int, i.split(":"))) for kind, i in acknowledged if kind == "registration"]
        headers = {"Authorization": f"Bearer {admin_token(base)}"}
        for iid in institutions:
            assert request(f"{base}/api/v1/institutions/{iid}")[0] == 200, f"acknowledged institution {iid} lost"
        by_event: dict[int, set[int]] = {}
        for event_id, rid in registrations:
            by_event.setdefault(event_id, set()).add(rid)
        for event_id, ids in by_event.items():
            status, rows = request(f"{base}/api/v1/events/{event_id}/registrations", headers=headers)
            assert status == 200
            assert ids <= {r["id"] for r in rows}, f"acknowledged registrations lost at event {event_id}"
    # The server has stopped gracefully: every answered match that detected a need is recorded, none twice.
    matches = sum(1 for kind, _ in acknowledged if kind == "match")
    recorded = recorded_matches(server_database) - recorded_before
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    total = stats["Aggregated"]
    failures = {name: row["Failure Count"] for name, row in stats.items() if int(row["Failure Count"])}
    with capsys.disabled():
        engine = "SQLite" if server_database.startswith("sqlite") else "PostgreSQL"
        print(f"\n{engine}: {total['Request Count']} requests, {float(total['Requests/s']):.0f}/s, "
              f"failures {total['Failure Count']}; acknowledged writes checked: {len(institutions)} institutions, "
              f"{len(registrations)} registrations; demand ledger: {matches} matches with a need answered, "
              f"{recorded} recorded")
        for name, row in stats.items():
            print(f"  {name:32} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  p95 {row['95%']:>5} ms")
    assert int(total["Request Count"]) > 500
    assert not failures, failures
    assert not re.findall(r'" 5\d\d ', log), "the access log shows 5xx answers"
    assert "Traceback" not in log
    locked = [line for line in log.splitlines()
              if "database is locked" in line and "Match request not recorded" not in line]
    assert not locked, locked[:3]
    assert institutions and registrations
    assert matches > 20 and recorded == matches, f"{matches} matches answered with a need, {recorded} recorded"
