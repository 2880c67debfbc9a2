"""A request running past gunicorn's ``timeout`` gets its worker killed and replaced (README "Deployment").

A threaded worker keeps its heartbeat going while one thread is stuck, so gunicorn alone would let
a runaway request spin for ever; ``directory/gunicorn_hooks.py`` stops the heartbeat once a request
is overdue. Run against a real gunicorn with a 3-second timeout and a test-only endpoint that never
returns (``runaway_app.py``); engine-independent, so on SQLite only.
"""
import http.client
import time
from urllib.parse import urlsplit

import pytest
from load.servers import ROOT, flask, gunicorn, request

TIMEOUT = 3


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'timeout.sqlite3'}"
    flask(url, "init-db")
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(url, workers=1, log_path=log_path, app="runaway_app:app",
                  options=("--pythonpath", str(ROOT / "tests" / "security")),
                  SME_TIMEOUT=str(TIMEOUT), SME_THREADS="4") as (base, process):
        yield base, log_path


def answers(base: str, *, within: float) -> bool:
    """Whether the server answers a plain request within that many seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if request(f"{base}/api/v1/categories", timeout=5)[0] == 200:
                return True
        except OSError:      # the killed worker's connection, or none accepted yet
            pass
        time.sleep(0.3)
    return False


def test_a_runaway_request_gets_its_worker_replaced(server):
    base, log_path = server
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT * 10)
    started = time.monotonic()
    connection.request("GET", "/test-only/runaway")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()       # the client gets no answer: the connection closes
    elapsed = time.monotonic() - started
    connection.close()
    assert TIMEOUT <= elapsed < TIMEOUT * 5

    assert answers(base, within=30), "no fresh worker answered"
    log = log_path.read_text(encoding="utf-8")
    assert "Request GET /test-only/runaway has run" in log and f"past the {TIMEOUT} s timeout" in log
    assert "WORKER TIMEOUT" in log
    assert log.count("Booting worker with pid") >= 2
