"""POST /api/v1/match over HTTP against the production server: gunicorn, 2 workers, loopback.

Run ``python -m bench.http_load``. For the sample network and for registries 11 and 112 times
denser (~20,000 and ~200,000 institutions, bench.scaled_registry), builds a temporary SQLite
database, starts ``gunicorn -w 2`` on a free port of 127.0.0.1, waits until both workers have
built their matching index, then runs ``wrk`` (Debian package ``wrk``) for 10 s with 8
connections over a rotation of needs and regions, and stops the server.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION_S = 10
CONNECTIONS = 8
SCALES = (1, 11, 112)
WARM_TIMEOUT_S = 600
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {
  '{"need": "我们厂的专利被人抄袭了，想找人维权", "region_code": "320583"}',
  '{"need": "想申请一笔贷款扩大生产", "region_code": "440300"}',
  '{"need": "招不到技术工人，需要职业技能培训", "region_code": "510100"}',
  '{"need": "How can we export our products to Southeast Asia?", "region_code": "330100"}',
  '{"need": "客户拖欠货款半年了，想打官司", "region_code": "370200"}',
  '{"need": "工厂想上云，做数字化改造", "region_code": "420100"}',
}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/match", nil, bodies[(i % #bodies) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def warm(base: str) -> float:
    """Send matches until both workers answer quickly (their indexes are built); returns seconds."""
    started = time.monotonic()
    body = '{"need": "专利维权", "region_code": "320583"}'.encode()
    quick = 0
    while quick < 20 and time.monotonic() - started < WARM_TIMEOUT_S:
        request = urllib.request.Request(base + "/api/v1/match", data=body,
                                         headers={"Content-Type": "application/json"})
        t = time.monotonic()
        urllib.request.urlopen(request, timeout=WARM_TIMEOUT_S).read()
        quick = quick + 1 if time.monotonic() - t < 0.2 else 0
    return time.monotonic() - started


def database(folder: str, factor: int) -> tuple[str, int]:
    """A database of the sample network repeated ``factor`` times; its URL and size."""
    from bench.scaled_registry import build
    from directory import create_app

    url = f"sqlite:///{folder}/sme-{factor}.sqlite3"
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        return url, build(factor)


def load(url: str, folder: str) -> tuple[str, float]:
    """wrk's report against gunicorn on ``url``, and how long the workers took to warm up."""
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "bench"}
    port = free_port()
    server = subprocess.Popen([bin_dir / "gunicorn", "-w", "2", "--timeout", str(WARM_TIMEOUT_S),
                               "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/api/v1/categories")
        warm_seconds = warm(base)
        script = Path(folder) / "match.lua"
        script.write_text(LUA, encoding="utf-8")
        out = subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", "-s", script, base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return out, warm_seconds


def main() -> None:
    if shutil.which("wrk") is None:
        print("HTTP load: skipped, wrk is not installed (apt-get install wrk)")
        return
    print(f"gunicorn -w 2 on 127.0.0.1, wrk 1 thread, {CONNECTIONS} connections, {DURATION_S} s, SQLite\n")
    print("| institutions | req/s | p50 | p90 | p99 | non-2xx | workers warm after |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for factor in SCALES:
        with tempfile.TemporaryDirectory() as folder:
            url, size = database(folder, factor)
            out, warm_seconds = load(url, folder)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
        latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"| {size:,} | {float(rate):.0f} | {latency.get('50')} | {latency.get('90')} | {latency.get('99')} "
              f"| {errors.group(1) if errors else 0} | {warm_seconds:.0f} s |", flush=True)


if __name__ == "__main__":
    main()
