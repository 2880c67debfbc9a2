"""The real queue and the real consumer: Huey on a SQLite file and on Redis, mail to a real SMTP server.

Redis tests use SME_TEST_REDIS_URL (default redis://127.0.0.1:6379/15) with a queue name of their
own, flushed afterwards. Without Redis they skip, unless SME_REQUIRE_REDIS=1 makes that a failure.
"""
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from flask import current_app

from directory.database import get_engine
from directory.jobs.consumer import create_consumer
from directory.jobs.registry import PERIODIC, register_periodic

REDIS_URL = os.environ.get("SME_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"


def redis_or_skip() -> str:
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as error:   # noqa: BLE001  no library, no server: both mean "no Redis here"
        reason = f"Redis not reachable at {REDIS_URL} ({error!r}); start it or set SME_TEST_REDIS_URL"
        if os.environ.get("SME_REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason} (SME_REQUIRE_REDIS=1 requires it)")
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture(params=["sqlite-file", "redis"])
def queued_app(request, mail_app, tmp_path, monkeypatch):
    """The mail app with a real queue (a Huey SQLite file, or Redis) and the outbox delivered every second."""
    name = f"sme-test-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        mail_app.config.update(REDIS_URL=redis_or_skip(), JOBS_NAME=name)
    else:
        mail_app.config.update(JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"), JOBS_NAME=name)
    monkeypatch.setitem(PERIODIC, "outbox.deliver", replace(PERIODIC["outbox.deliver"], every_seconds=1))
    mail_app.config.update(MAIL_RETRY_DELAYS=(1, 2))
    yield mail_app
    huey = mail_app.extensions["sme_jobs"].huey
    huey.flush()
    if hasattr(huey.storage, "close"):
        huey.storage.close()


@pytest.fixture
def running_worker(queued_app):
    """Huey's consumer for the app, with two worker threads, stopped (gracefully) afterwards."""
    consumer = create_consumer(queued_app, queued_app.extensions["sme_jobs"], workers=2, handle_signals=False)
    consumer.start()
    yield consumer
    consumer.stop(graceful=True)


def wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_the_worker_delivers_every_message_once(queued_app, running_worker, smtp_server, queue_messages,
                                                outbox_rows):
    queue_messages(30)
    assert wait_until(lambda: len(smtp_server.handler.received()) >= 30)
    queue_messages(10, to="late{}@example.com")   # while it runs: the commit wakes it up
    assert wait_until(lambda: len(smtp_server.handler.received()) >= 40)
    time.sleep(2.5)                                # two more turns: nothing sent again
    assert len(smtp_server.handler.received()) == 40
    assert set(smtp_server.handler.message_ids().values()) == {1}
    assert {row.status for row in outbox_rows().values()} == {"sent"}


def test_a_commit_wakes_the_worker_before_its_next_turn(queued_app, smtp_server, queue_messages, monkeypatch):
    monkeypatch.setitem(PERIODIC, "outbox.deliver", replace(PERIODIC["outbox.deliver"], every_seconds=3600))
    consumer = create_consumer(queued_app, queued_app.extensions["sme_jobs"], workers=1, handle_signals=False)
    consumer.start()
    try:
        time.sleep(1.5)   # the turn of this hour (if any) is over; the next is up to an hour away
        queue_messages(3)
        started = time.monotonic()
        assert wait_until(lambda: len(smtp_server.handler.received()) == 3, timeout=10)
        assert time.monotonic() - started < 10
    finally:
        consumer.stop(graceful=True)


def test_the_worker_retries_a_refused_message_and_gives_up_after_the_last_attempt(
        queued_app, running_worker, smtp_server, queue_messages, outbox_rows):
    smtp_server.handler.refuse("sme0@example.com", "451 4.3.0 Try again later", "250 OK")
    smtp_server.handler.refuse("sme1@example.com", "451 4.7.1 Greylisted")           # refused every time
    ids = queue_messages(2)
    assert wait_until(lambda: outbox_rows()[ids[1]].status == "failed", timeout=30)
    rows = outbox_rows()
    assert (rows[ids[0]].status, rows[ids[0]].attempts) == ("sent", 2)
    assert (rows[ids[1]].attempts, rows[ids[1]].sent_at) == (3, None)               # MAIL_MAX_ATTEMPTS=3
    assert [rcpt for (rcpt,), _ in smtp_server.handler.received()] == ["sme0@example.com"]


def test_registered_jobs_run_on_their_interval_inside_an_app_context(queued_app, monkeypatch):
    runs = []

    def heartbeat():
        """Record the app it ran in and whether its database answers."""
        with get_engine().connect() as connection:
            runs.append((current_app.name, connection.exec_driver_sql("SELECT 1").scalar()))
    monkeypatch.delitem(PERIODIC, "test.heartbeat", raising=False)
    register_periodic("test.heartbeat", heartbeat, every_seconds=1)
    consumer = create_consumer(queued_app, queued_app.extensions["sme_jobs"], workers=2, handle_signals=False)
    consumer.start()
    try:
        assert wait_until(lambda: len(runs) >= 3, timeout=10)
    finally:
        consumer.stop(graceful=True)
        PERIODIC.pop("test.heartbeat", None)
    assert set(runs) == {(queued_app.name, 1)}


def test_a_turn_of_a_job_runs_once_across_consumers_and_never_overlaps(queued_app, monkeypatch):
    running, most, turns = [0], [0], []
    lock = threading.Lock()

    def slow():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        turns.append(time.time())
        time.sleep(1.5)           # longer than its interval: the next turn finds it running and is skipped
        with lock:
            running[0] -= 1
    register_periodic("test.slow", slow, every_seconds=1)
    consumers = [create_consumer(queued_app, queued_app.extensions["sme_jobs"], workers=3, handle_signals=False)
                 for _ in range(2)]
    for consumer in consumers:
        consumer.start()
    try:
        time.sleep(5)
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
        PERIODIC.pop("test.slow", None)
    assert most[0] == 1 and 2 <= len(turns) <= 4


def test_the_worker_command_runs_the_consumer_until_interrupted(app, empty_database_url, smtp_server,
                                                                queue_messages, tmp_path):
    queue_messages(5)
    env = os.environ | {"DATABASE_URL": empty_database_url, "SECRET_KEY": "worker-test", "PYTHONUNBUFFERED": "1",
                        "SME_JOBS_FILE": str(tmp_path / "jobs.sqlite3"), "SME_OUTBOX_EVERY_SECONDS": "1",
                        "MAIL_SERVER": smtp_server.hostname, "MAIL_PORT": str(smtp_server.port)}
    env.pop("REDIS_URL", None)
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen([str(FLASK), "--app", "wsgi", "worker", "--workers", "1"], cwd=ROOT, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: len(smtp_server.handler.received()) == 5, timeout=60), log.read_text()
        worker.send_signal(signal.SIGINT)
        assert worker.wait(timeout=20) == 0
    finally:
        worker.kill()
    assert "SqliteHuey queue 'sme'; jobs: outbox.deliver" in log.read_text()
    assert set(smtp_server.handler.message_ids().values()) == {1}


def test_a_worker_started_with_stop_with_parent_ends_with_its_parent(app, backend, empty_database_url, tmp_path):
    if backend == "postgresql":
        pytest.skip("watching the parent process has nothing to do with the database: checked once, on SQLite")
    env = os.environ | {"DATABASE_URL": empty_database_url, "SECRET_KEY": "worker-test",
                        "SME_JOBS_FILE": str(tmp_path / "jobs.sqlite3"), "PYTHONUNBUFFERED": "1"}
    pid_file = tmp_path / "worker.pid"
    shell = subprocess.Popen(["sh", "-c", f'"{FLASK}" --app wsgi worker --stop-with-parent > "{tmp_path}/w.log" 2>&1 &'
                                          f' echo $! > "{pid_file}"; wait'], cwd=ROOT, env=env)
    try:
        assert wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), timeout=10)
        worker_pid = int(pid_file.read_text())
        log = tmp_path / "w.log"    # the shell may write the pid before the background child opens its log
        assert wait_until(lambda: log.exists() and "Ctrl-C stops it" in log.read_text(), timeout=60)
        shell.kill()                # the parent dies without a word (kill -9): no trap runs
        shell.wait()
        assert wait_until(lambda: not Path(f"/proc/{worker_pid}").exists()
                          or "zombie" in Path(f"/proc/{worker_pid}/status").read_text().lower(), timeout=20)
    finally:
        shell.kill()
        if pid_file.exists() and Path(f"/proc/{pid_file.read_text().strip()}").exists():
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_the_worker_command_says_when_no_queue_is_configured(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1 and "No job queue is configured" in result.output


def test_commits_without_a_running_worker_leave_one_waiting_turn_not_one_per_commit(queued_app, queue_messages):
    for _ in range(5):
        queue_messages(1)
    assert queued_app.extensions["sme_jobs"].huey.pending_count() == 1
