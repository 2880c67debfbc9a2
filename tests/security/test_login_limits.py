"""The login limit (10 wrong passwords a minute per address) holds in total across app processes:
counted in the app's database (SQLite, PostgreSQL) by default, or in Redis when configured; a busy
store never fails a login nor holds it up for long (SECURITY.md "Rate limiting").

Redis tests use SME_TEST_REDIS_URL (default redis://127.0.0.1:6379/15; only keys starting with
"LIMITER/" are touched). Without Redis they skip, unless SME_REQUIRE_REDIS=1 (CI) makes that a failure.
"""
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from app_support import app_on
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from directory.auth import throttle

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = "correct-horse-battery"
WRONG = {"username": "alice", "password": "wrong-password!"}
REDIS_URL = os.environ.get("SME_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMITER_SETTINGS = ("SME_LIMITER_STORAGE_URI", "RATELIMIT_STORAGE_URI", "REDIS_URL")


@pytest.fixture
def redis_url():
    """Redis for the limiter tests, with no counters left from earlier runs."""
    try:
        import redis
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as error:   # no client library, no server: both mean "no Redis here"
        if os.environ.get("SME_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis not reachable at {REDIS_URL} ({error!r}); SME_REQUIRE_REDIS=1 requires it")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error!r}); start it or set SME_TEST_REDIS_URL")
    forget = lambda: [client.delete(key) for key in client.scan_iter("*LIMITER/*")]  # noqa: E731
    forget()
    yield REDIS_URL
    forget()
    client.close()


def limited_app(database_url: str, **config):
    """An app with the login limit on (the suite turns it off elsewhere), as a context."""
    return app_on(database_url, RATELIMIT_ENABLED=True, **config)


def wrong_login(app) -> int:
    return app.test_client().post("/api/v1/auth/token", json=WRONG).status_code


def test_the_store_is_the_database_unless_redis_is_configured(monkeypatch):
    for name in LIMITER_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert throttle.storage_uri() == "database://"
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    assert throttle.storage_uri() == "redis://cache:6379/0"
    monkeypatch.setenv("SME_LIMITER_STORAGE_URI", "memory://")
    assert throttle.storage_uri() == "memory://"


def test_an_instance_started_later_continues_the_count_in_the_database(app, make_admin):
    make_admin("alice", password=PASSWORD)
    url = app.config["DATABASE_URL"]
    with limited_app(url, RATELIMIT_STORAGE_URI="database://") as first:
        statuses = [wrong_login(first) for _ in range(6)]
        # Another worker, or this one restarted: in-process counters would start again from zero.
        with limited_app(url, RATELIMIT_STORAGE_URI="database://") as second:
            statuses += [wrong_login(second) for _ in range(4)]
            assert statuses == [401] * 10
            assert wrong_login(second) == 429 and wrong_login(first) == 429
            right = second.test_client().post("/api/v1/auth/token", json={**WRONG, "password": PASSWORD})
            assert right.status_code == 429 and 0 < int(right.headers["Retry-After"]) <= 60


def test_an_instance_started_later_continues_the_count_in_redis(app, make_admin, redis_url):
    make_admin("alice", password=PASSWORD)
    url = app.config["DATABASE_URL"]
    with limited_app(url, RATELIMIT_STORAGE_URI=redis_url) as first:
        statuses = [wrong_login(first) for _ in range(6)]
        with limited_app(url, RATELIMIT_STORAGE_URI=redis_url) as second:
            statuses += [wrong_login(second) for _ in range(4)]
            assert statuses == [401] * 10
            assert wrong_login(second) == 429 and wrong_login(first) == 429


# Two real server processes on one database.

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base}/api/v1/categories", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def two_servers(database_url: str, logs: Path, **settings):
    """Two gunicorn servers (one worker each) on ``database_url``: two processes counting logins."""
    environment = {key: value for key, value in os.environ.items() if key not in LIMITER_SETTINGS}
    environment |= {"DATABASE_URL": database_url, "SECRET_KEY": "limit-test", "SME_WORKERS": "1",
                    "SME_THREADS": "1", **settings}
    processes, bases = [], []
    try:
        for number in (1, 2):
            port = free_port()
            log = logs / f"server-{number}.log"
            with log.open("w") as output:
                processes.append(subprocess.Popen(
                    [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                    env=environment | {"SME_BIND": f"127.0.0.1:{port}"},
                    stdout=output, stderr=subprocess.STDOUT, start_new_session=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process, number in zip(bases, processes, (1, 2)):
            wait_until_serving(base, process, logs / f"server-{number}.log")
        yield bases
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def alternate_wrong_logins(bases: list[str], attempts: int) -> list[int]:
    return [post_json(f"{bases[n % 2]}/api/v1/auth/token", WRONG) for n in range(attempts)]


def test_two_server_processes_share_one_limit_in_the_database(app, make_admin, tmp_path):
    make_admin("alice", password=PASSWORD)
    with two_servers(app.config["DATABASE_URL"], tmp_path) as bases:
        assert alternate_wrong_logins(bases, 14) == [401] * 10 + [429] * 4   # per process it was 14 × 401


def test_two_server_processes_share_one_limit_in_redis(app, make_admin, tmp_path, redis_url):
    make_admin("alice", password=PASSWORD)
    with two_servers(app.config["DATABASE_URL"], tmp_path, REDIS_URL=redis_url) as bases:
        assert alternate_wrong_logins(bases, 14) == [401] * 10 + [429] * 4


# A busy database: the limiter waits about a second, logs, counts in memory; never a 500.

@contextmanager
def counters_locked(database_url: str):
    """Another connection holding the lock the limiter's next upsert needs."""
    if make_url(database_url).get_backend_name() == "sqlite":
        holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")   # SQLite's one write lock
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("LOCK TABLE rate_limit_counter IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def test_a_locked_counter_table_neither_fails_nor_blocks_a_login(app, make_admin, backend, caplog):
    make_admin("alice", password=PASSWORD)
    url = app.config["DATABASE_URL"]
    with limited_app(url, RATELIMIT_STORAGE_URI="database://", SQLITE_BUSY_TIMEOUT_MS=1000) as limited:
        assert wrong_login(limited) == 401
        with caplog.at_level(logging.WARNING), counters_locked(url):
            started = time.monotonic()
            status = wrong_login(limited)
            elapsed = time.monotonic() - started
        # PostgreSQL answers the login itself; on SQLite the login's own writes wait for the same
        # lock (here 1 s) and may answer 503 — either way no 500 and no long wait.
        assert status == 401 if backend == "postgresql" else status in (401, 503)
        assert elapsed < 5
        assert "Rate-limit counters unavailable in the database" in caplog.text
        statuses = [wrong_login(limited) for _ in range(10)]   # counted in the database again
        assert statuses == [401] * 9 + [429]
