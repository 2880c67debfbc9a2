"""Real servers for load and fault tests: a seeded database, gunicorn on a free loopback port."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "load-test-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, **extra) -> dict:
    return os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "load-test-secret",
                         "SME_ADMIN_PASSWORD": ADMIN_PASSWORD, "PYTHONUNBUFFERED": "1"} | extra


def flask(database_url: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``flask --app wsgi ARGS`` against ``database_url``; raises on failure."""
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=environment(database_url),
                          capture_output=True, text=True, timeout=timeout, check=True)


def request(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None,
            timeout: float = 10) -> tuple[int, dict | list | str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read().decode(), error.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2, log_path: Path, app: str = "wsgi:app",
             options: tuple[str, ...] = (), **env: str):
    """gunicorn with the production settings (gunicorn.conf.py) on a free port; yields (base URL, process).

    ``app``, extra command-line ``options`` and environment variables (``SME_TIMEOUT="3"``) are for
    tests that need a test-only app or other settings."""
    port = free_port()
    env = environment(database_url, SME_BIND=f"127.0.0.1:{port}", SME_WORKERS=str(workers), SME_ACCESS_LOG="-", **env)
    log = open(log_path, "w", encoding="utf-8")
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", *options, app], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if request(f"{base}/api/v1/categories", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log_path}")
            time.sleep(0.3)
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def admin_token(base: str) -> str:
    status, body = request(f"{base}/api/v1/auth/token", method="POST",
                           body={"username": "admin", "password": ADMIN_PASSWORD})
    assert status == 200, body
    return body["access_token"]


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers of a master process."""
    output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in output.split()]
