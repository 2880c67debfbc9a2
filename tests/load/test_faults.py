"""Faults: processes killed with SIGKILL at random moments, a PostgreSQL restart under load.

After each fault the database passes its integrity check, a killed import is wholly there or
wholly absent, and no write the server acknowledged is missing.
"""
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from servers import BIN, ROOT, admin_token, environment, flask, gunicorn, request, worker_pids

pytestmark = pytest.mark.load
COUNTIES = ["320508", "320583", "320505", "330106", "440305", "510107", "420106", "110105"]
IMPORT_ROWS = 3000


def count_institutions(database_url: str) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM institution"))
    finally:
        engine.dispose()


def integrity_ok(database_url: str) -> bool:
    """SQLite's own check of the file; PostgreSQL is checked by its crash recovery."""
    if not database_url.startswith("sqlite"):
        return True
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def write_import_file(path: Path) -> Path:
    lines = ["name,level,region_code,services"]
    lines += [f"导入测试服务站{n},county,{COUNTIES[n % len(COUNTIES)]},policy;legal" for n in range(IMPORT_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_killed_at_random_moments_is_all_or_nothing(server_database, tmp_path):
    flask(server_database, "init-db")
    data = write_import_file(tmp_path / "big.csv")
    command = [str(BIN / "flask"), "--app", "wsgi", "import-institutions", str(data)]
    started = time.monotonic()
    first = subprocess.run(command, cwd=ROOT, env=environment(server_database), capture_output=True, text=True,
                           timeout=600)
    assert first.returncode == 0, f"the un-killed import failed:\n{first.stdout}\n{first.stderr}"
    duration = time.monotonic() - started
    assert count_institutions(server_database) == IMPORT_ROWS
    # Again into an empty registry, killed at random moments of a run as long as the first.
    engine = create_engine(server_database.replace("postgresql://", "postgresql+psycopg://"))
    outcomes = []
    for moment in sorted(random.Random(7).uniform(0.2, 1.0) * duration for _ in range(3)):
        with engine.begin() as conn:
            for table in ("audit_entry", "institution_service", "institution"):
                conn.execute(text(f"DELETE FROM {table}"))
        process = subprocess.Popen(command, cwd=ROOT, env=environment(server_database),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        count = count_institutions(server_database)
        outcomes.append(count)
        assert integrity_ok(server_database)
        assert count in (0, IMPORT_ROWS), f"killed after {moment:.1f}s: {count} of {IMPORT_ROWS} rows are there"
    engine.dispose()
    print(f"import killed at random moments: {outcomes} institutions after each kill (0 or {IMPORT_ROWS})")


def read_back(url: str, attempts: int = 20) -> int:
    """The status of a read, asked again while the database answers busy (503: a replaced worker's
    first connection may still be recovering the killed one's journal); 404 would be a lost write."""
    for _ in range(attempts):
        status = request(url)[0]
        if status != 503:
            return status
        time.sleep(0.5)
    return status


def test_workers_killed_during_concurrent_writes_lose_no_acknowledged_write(server_database, tmp_path):
    flask(server_database, "init-db")
    flask(server_database, "create-admin", "admin", "--password", "load-test-password")
    with gunicorn(server_database, workers=2, log_path=tmp_path / "server.log") as (base, master):
        token = admin_token(base)
        acknowledged, stop = [], threading.Event()

        def writer(number: int):
            serial = 0
            while not stop.is_set():
                serial += 1
                body = {"name": f"故障测试中心{number}-{serial}", "level": "county",
                        "region_code": COUNTIES[serial % len(COUNTIES)], "services": ["policy"]}
                try:
                    status, answer = request(f"{base}/api/v1/institutions", method="POST", body=body,
                                             headers={"Authorization": f"Bearer {token}"}, timeout=15)
                except OSError:
                    continue        # the connection died with its worker: not acknowledged
                if status == 201:
                    acknowledged.append(answer["id"])
                else:
                    assert status < 500 or status == 503, answer

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for _ in range(2):
            time.sleep(3)
            victims = worker_pids(master.pid)
            os.kill(random.choice(victims), signal.SIGKILL)
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert acknowledged
        for iid in acknowledged:
            assert read_back(f"{base}/api/v1/institutions/{iid}") == 200, f"acknowledged write {iid} lost"
    assert integrity_ok(server_database)
    print(f"workers killed twice; {len(acknowledged)} acknowledged writes all present")


def test_the_app_recovers_from_a_postgresql_restart_without_restarting(blank_postgres_url, tmp_path,
                                                                       suite_conftest):
    server_database = blank_postgres_url
    cluster = sorted(os.listdir("/etc/postgresql"))[0] if os.path.isdir("/etc/postgresql") else None
    if cluster is None or os.geteuid() != 0:
        suite_conftest.skip_or_fail("SME_REQUIRE_POSTGRES", "restarting PostgreSQL needs root and pg_ctlcluster")
    flask(server_database, "init-db")
    with gunicorn(server_database, workers=2, log_path=tmp_path / "server.log") as (base, _master):
        assert request(f"{base}/api/v1/regions/320508")[0] == 200
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True,
                       timeout=120)
        statuses, deadline = [], time.monotonic() + 30
        while time.monotonic() < deadline:
            status = request(f"{base}/api/v1/regions/320508")[0]
            statuses.append(status)
            if status == 200 and statuses[-3:] == [200, 200, 200]:
                break
            time.sleep(0.3)
        assert statuses[-3:] == [200, 200, 200], statuses
        assert all(status in (200, 503) for status in statuses), statuses   # a 503 while it restarts, never a 500
    print(f"PostgreSQL restarted: answers afterwards {statuses[:10]}")
