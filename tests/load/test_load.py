"""Load: the production server (gunicorn, 2 workers) under a mixed workload from locust, on SQLite
and on PostgreSQL, with the background worker (``flask worker``) delivering mail to a real SMTP
server meanwhile. Zero 5xx, zero "database is locked", every acknowledged write present afterwards,
once: institutions, registrations, service requests, their transitions and ratings, and every
mail those imply arrived exactly once (by Message-ID); requests per second and p50/p95 per endpoint
are printed (and kept in bench/README.md).
"""
import csv
import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from smtp_support import recording_smtp_server
from sqlalchemy import create_engine, text

from servers import BIN, ROOT, admin_token, environment, flask, gunicorn, request

pytestmark = pytest.mark.load
USERS, SPAWN_RATE, DURATION = 24, 12, os.environ.get("SME_LOAD_DURATION", "40s")
MAIL_DOMAIN = "sme.load.example"            # the locustfile's businesses and the staffed institutions
STAFF_PASSWORD = "staff-load-password-2026"
REDIS_URL = os.environ.get("SME_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LOAD_ROWS = f"FROM service_request r WHERE r.contact_email LIKE '%@{MAIL_DOMAIN}'"
# The rate limiter's designed degradation (directory.auth.limiter_storage): a counter write waiting over 1 s
# for SQLite's write lock is counted in the process instead, logged with its traceback. Counted, not failed.
LIMITER_FALLBACK = re.compile(r"WARNING directory\.auth\.limiter_storage: Rate-limit counters unavailable.*?"
                              r"\(Background on this error at: [^\n]*\)\n", re.DOTALL)
SUBJECT = re.compile(r"^(?:(新的服务请求)|(已收到您的服务请求)|您的服务请求) #(\d+)( 有新进展)?")


def open_events(base: str) -> list[int]:
    status, events = request(f"{base}/api/v1/events?status=open&page_size=100")
    assert status == 200
    return [e["id"] for e in events if e["registration_open"] and e["seats_left"] > 20]


def run_locust(base: str, token: str, events: list[int], staff: list[list], folder: Path) -> dict[str, dict]:
    env = os.environ | {"SME_LOAD_TOKEN": token, "SME_LEDGER": str(folder / "ledger.csv"),
                        "SME_OPEN_EVENTS": json.dumps(events), "SME_STAFF": json.dumps(staff)}
    subprocess.run([str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                    "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", base,
                    "--csv", str(folder / "locust"), "--only-summary", "--stop-timeout", "10"],
                   cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=600)
    with open(folder / "locust_stats.csv", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def ledger(folder: Path) -> list[tuple[str, str]]:
    path = folder / "ledger.csv"
    return [tuple(line.split(",", 1)) for line in path.read_text().splitlines()] if path.exists() else []


def query(database_url: str, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the server's database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def recorded_matches(database_url: str) -> int:
    """Match requests recorded in the server's database."""
    return query(database_url, "SELECT count(*) FROM match_request")[0][0]


def institution_email(institution_id: int) -> str:
    return f"institution{institution_id}@{MAIL_DOMAIN}"


def staff_institutions(database_url: str, base: str, headers: dict) -> list[list]:
    """Three county institutions with an address of the load test's and a staff account each:
    [institution id, bearer token] pairs for the locustfile."""
    ids = [row[0] for row in query(database_url, "SELECT id FROM institution WHERE level = 'county' "
                                                 "AND status = 'active' ORDER BY id LIMIT 3")]
    staff = []
    for iid in ids:
        status, body = request(f"{base}/api/v1/institutions/{iid}", method="PATCH", headers=headers,
                               body={"email": institution_email(iid)})
        assert status == 200, body
        flask(database_url, "create-admin", f"staff{iid}", "--password", STAFF_PASSWORD, "--role", "staff",
              "--institution", str(iid))
        status, body = request(f"{base}/api/v1/auth/token", method="POST",
                               body={"username": f"staff{iid}", "password": STAFF_PASSWORD})
        assert status == 200, body
        staff.append([iid, body["access_token"]])
    return staff


def queue_settings(database_url: str, folder: Path) -> dict:
    """The job queue the web workers and the background worker share: Redis with PostgreSQL (when it
    answers), a Huey SQLite file with SQLite; each run has a queue of its own."""
    name = f"load-{uuid.uuid4().hex[:8]}"
    if database_url.startswith("postgresql"):
        try:
            import redis
            redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
            return {"REDIS_URL": REDIS_URL, "SME_JOBS_NAME": name}
        except Exception:   # noqa: BLE001  no Redis here: the SQLite file queue still runs the worker
            pass
    return {"REDIS_URL": "", "SME_JOBS_FILE": str(folder / "jobs.sqlite3"), "SME_JOBS_NAME": name}


def forget_queue(settings: dict) -> None:
    if settings.get("REDIS_URL"):
        import redis
        client = redis.Redis.from_url(settings["REDIS_URL"])
        for key in client.scan_iter(f"*{settings['SME_JOBS_NAME']}*"):
            client.delete(key)


def start_worker(database_url: str, smtp, settings: dict, log_path: Path) -> subprocess.Popen:
    """``flask --app wsgi worker`` delivering the outbox every second to ``smtp``."""
    env = environment(database_url, MAIL_SERVER=smtp.hostname, MAIL_PORT=str(smtp.port), MAIL_RETRY_DELAYS="1,2,5",
                      SME_OUTBOX_EVERY_SECONDS="1", **settings)
    with log_path.open("w") as log:
        return subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "worker", "--workers", "2"], cwd=ROOT,
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def implied_mail(requests: list[dict], transitions: list[dict]) -> Counter:
    """(recipient, what, request id) of every mail the acknowledged submissions and transitions imply."""
    implied, email_of = Counter(), {}
    for r in requests:
        email_of[r["id"]] = r["email"]
        implied[(r["email"], "submitted", r["id"])] += 1
        for _aid, iid in r["assignments"]:
            implied[(institution_email(iid), "new", r["id"])] += 1
    for t in transitions:
        implied[(email_of[t["request"]], "update", t["request"])] += 1
        if t["action"] == "forward":
            implied[(institution_email(t["to"]), "new", t["request"])] += 1
    return implied


def delivered_mail(received: list) -> Counter:
    """The same, for what reached the SMTP server at the load test's addresses (not reminders, escalations)."""
    delivered = Counter()
    for recipients, message in received:
        found = SUBJECT.match(message["Subject"])
        for recipient in recipients:
            if found and recipient.endswith(f"@{MAIL_DOMAIN}"):
                what = "new" if found[1] else "submitted" if found[2] else "update"
                delivered[(recipient, what, int(found[3]))] += 1
    return delivered


def wait_for_outbox(database_url: str, smtp, first_id: int, timeout: float = 120) -> list[tuple]:
    """Wait until no outbox message of the run is pending or being sent; returns (id, status) of each."""
    deadline = time.monotonic() + timeout
    while True:
        rows = query(database_url, f"SELECT id, status FROM outbox_message WHERE id > {first_id}")
        settled = all(status in ("sent", "failed") for _, status in rows)
        if (settled and len(smtp.handler.received()) >= len(rows)) or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def test_mixed_load_on_the_production_server(server_database, tmp_path, capsys):
    flask(server_database, "seed")
    recorded_before = recorded_matches(server_database)
    outbox_before = query(server_database, "SELECT coalesce(max(id), 0) FROM outbox_message")[0][0]
    settings = queue_settings(server_database, tmp_path)
    with recording_smtp_server() as smtp, gunicorn(server_database, workers=2, log_path=tmp_path / "server.log",
                                                   SME_TRUST_PROXY="1", **settings) as (base, _process):
        worker = start_worker(server_database, smtp, settings, tmp_path / "worker.log")
        try:
            token = admin_token(base)
            staff = staff_institutions(server_database, base, {"Authorization": f"Bearer {token}"})
            stats = run_locust(base, token, open_events(base), staff, tmp_path)
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
            outbox = wait_for_outbox(server_database, smtp, outbox_before)
        finally:
            stop_worker(worker)
        received = smtp.handler.received()
        message_ids = smtp.handler.message_ids()
    forget_queue(settings)
    # The server has stopped gracefully: every answered match that detected a need is recorded, none twice.
    matches = sum(1 for kind, _ in acknowledged if kind == "match")
    recorded = recorded_matches(server_database) - recorded_before
    # Service requests: every acknowledged submission, transition and rating is in the database, once.
    submitted = [json.loads(i) for kind, i in acknowledged if kind == "request"]
    transitions = [json.loads(i) for kind, i in acknowledged if kind == "transition"]
    rated = Counter(int(i) for kind, i in acknowledged if kind == "feedback")
    stored_requests = Counter(query(server_database, f"SELECT r.id, r.contact_email {LOAD_ROWS}"))
    stored_transitions = Counter(query(server_database, f"""
        SELECT e.assignment_id, e.action FROM service_request_event e JOIN service_request r ON r.id = e.request_id
        WHERE r.contact_email LIKE '%@{MAIL_DOMAIN}' AND e.action IN ('accept', 'decline', 'forward', 'resolve')"""))
    stored_ratings = Counter(row[0] for row in query(server_database, f"""
        SELECT f.request_id FROM service_feedback f JOIN service_request r ON r.id = f.request_id
        WHERE r.contact_email LIKE '%@{MAIL_DOMAIN}'"""))
    # Mail: every message the acknowledged writes imply arrived, once; every outbox row of the run was sent once.
    implied, delivered = implied_mail(submitted, transitions), delivered_mail(received)
    sent_rows = [int(re.match(r"<outbox\.(\d+)\.", message["Message-ID"])[1]) for _, message in received]
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    limiter_fallbacks = len(LIMITER_FALLBACK.findall(log))
    worker_log = (tmp_path / "worker.log").read_text(encoding="utf-8")
    total = stats["Aggregated"]
    failures = {name: row["Failure Count"] for name, row in stats.items() if int(row["Failure Count"])}
    actions = Counter(t["action"] for t in transitions)
    with capsys.disabled():
        engine = "SQLite" if server_database.startswith("sqlite") else "PostgreSQL"
        queue = "Redis" if settings.get("REDIS_URL") else "SQLite file"
        print(f"\n{engine}: {total['Request Count']} requests, {float(total['Requests/s']):.0f}/s, "
              f"failures {total['Failure Count']}; acknowledged writes checked: {len(institutions)} institutions, "
              f"{len(registrations)} registrations; demand ledger: {matches} matches with a need answered, "
              f"{recorded} recorded")
        print(f"  service requests: {len(submitted)} acknowledged, {sum(stored_requests.values())} stored; "
              f"transitions {len(transitions)} acknowledged ({dict(actions)}), {sum(stored_transitions.values())} "
              f"stored; ratings {sum(rated.values())} acknowledged, {sum(stored_ratings.values())} stored")
        print(f"  mail ({queue} queue): {sum(implied.values())} implied by the ledger, {sum(delivered.values())} "
              f"of those delivered; outbox rows {len(outbox)}, SMTP received {len(received)}, "
              f"distinct Message-IDs {len(message_ids)}, most copies of one {max(message_ids.values(), default=0)}, "
              f"failed {sum(status == 'failed' for _, status in outbox)}; rate-limit counts kept in a process "
              f"(store busy over 1 s) {limiter_fallbacks}")
        for name, row in stats.items():
            print(f"  {name:40} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  p95 {row['95%']:>5} ms")
    assert int(total["Request Count"]) > 500
    assert not failures, failures
    assert re.search(r'" 200 ', log), "no access log in the server log (SME_ACCESS_LOG not honoured)"
    assert not re.findall(r'" 5\d\d ', log), "the access log shows 5xx answers"
    log = LIMITER_FALLBACK.sub("", log)
    assert "Traceback" not in log, "a traceback in the server log"
    assert "Traceback" not in worker_log, worker_log[-3000:]
    locked = [line for line in (log + worker_log).splitlines()
              if "database is locked" in line and "Match request not recorded" not in line]
    assert not locked, locked[:3]
    assert institutions and registrations
    assert matches > 20 and recorded == matches, f"{matches} matches answered with a need, {recorded} recorded"
    assert len(submitted) > 20 and actions["accept"] and actions["resolve"] and rated, (len(submitted), actions, rated)
    assert stored_requests == Counter((r["id"], r["email"]) for r in submitted), "submissions lost or doubled"
    assert stored_transitions == Counter((t["assignment"], t["action"]) for t in transitions), \
        "transitions lost or doubled"
    assert stored_ratings == rated, "ratings lost or doubled"
    assert delivered == implied, f"missing {implied - delivered}, extra {delivered - implied}"
    assert {status for _, status in outbox} == {"sent"}
    copies = Counter(row for row in sent_rows if row > outbox_before)
    assert copies == Counter(row for row, _ in outbox), "an outbox message of the run sent twice, or not at all"
