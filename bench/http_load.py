"""The HTTP routes on the production server, side by side with a bare Flask app: gunicorn, 2 workers, loopback.

Run ``python -m bench.http_load``. Starts the bare app (``bench.bare_app``: the ten categories as
JSON, no database, no hooks) once. Then, for the sample network and for registries 11 and 112
times denser (~20,000 and ~200,000 institutions, bench.scaled_registry), builds a temporary
SQLite database, starts ``gunicorn -w 2`` on a free port of 127.0.0.1 (both servers with the
settings of ``gunicorn.conf.py``), waits until both workers have built their matching index, and
runs ``wrk`` (Debian package ``wrk``) with 8 connections against the bare app,
``GET /api/v1/categories`` and ``POST /api/v1/match`` over a rotation of real needs and regions
(each detects a need, so each is recorded as demand): 5 s each, in turn, twice (bare, categories,
match, bare, categories, match), so that a change of load on a shared machine touches all three
alike. A rate is the mean of its two rounds (latencies: the second round), and is also given as a
share of the bare app's (issue 13: categories ≥ 30 %, match ≥ 15 %).
After the run, the number of match requests recorded in the database is checked against the
number wrk had answered.
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
DURATION_S = 5
ROUNDS = 2            # bare, categories, match, bare, categories, match: drift on a shared machine hits all three
CONNECTIONS = 8
SCALES = (1, 11, 112)
WARM_TIMEOUT_S = 600
MATCH_LUA = """
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
CATEGORIES_PATH = "/api/v1/categories"


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


def warm(base: str) -> tuple[float, int]:
    """Send matches until both workers answer quickly (their indexes are built); seconds and matches sent."""
    started = time.monotonic()
    body = '{"need": "专利维权", "region_code": "320583"}'.encode()
    quick = sent = 0
    while quick < 20 and time.monotonic() - started < WARM_TIMEOUT_S:
        sent += 1
        request = urllib.request.Request(base + "/api/v1/match", data=body,
                                         headers={"Content-Type": "application/json"})
        t = time.monotonic()
        urllib.request.urlopen(request, timeout=WARM_TIMEOUT_S).read()
        quick = quick + 1 if time.monotonic() - t < 0.2 else 0
    return time.monotonic() - started, sent


def database(folder: str, factor: int) -> tuple[str, int]:
    """A database of the sample network repeated ``factor`` times; its URL and size."""
    from bench.scaled_registry import build
    from directory import create_app

    url = f"sqlite:///{folder}/sme-{factor}.sqlite3"
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        return url, build(factor)


def recorded_matches(url: str) -> int:
    """How many match requests the database holds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM match_request"))
    finally:
        engine.dispose()


class Server:
    """``gunicorn -w 2 <app>`` on a free loopback port, with the settings of gunicorn.conf.py."""

    def __init__(self, app: str, env: dict | None = None):
        bin_dir = Path(sys.executable).parent
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [bin_dir / "gunicorn", "-w", "2", "--timeout", str(WARM_TIMEOUT_S), "-b", self.base[7:], app],
            cwd=ROOT, env=os.environ | {"SECRET_KEY": "bench"} | (env or {}),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(self.base + CATEGORIES_PATH)

    def stop(self) -> None:
        self.process.terminate()   # graceful: workers write their buffered demand records first
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_wrk(base: str, path: str = "", script: Path | None = None) -> dict:
    """wrk's figures for ``base + path`` (or the requests ``script`` makes)."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency"]
    command += ["-s", str(script), base] if script else [base + path]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def combined(runs: list[dict]) -> dict:
    """Several rounds of one route: mean rate, total requests and errors, the last round's latencies."""
    timed = [r for r in runs if r["p50"] and not r["p50"].startswith("0.00")] or runs   # wrk sometimes prints 0.00us
    return timed[-1] | {"rate": sum(r["rate"] for r in runs) / len(runs),
                       "requests": sum(r["requests"] for r in runs), "errors": sum(r["errors"] for r in runs)}


def row(size: int, what: str, figures: dict, bare_rate: float | None) -> str:
    share = f"{100 * figures['rate'] / bare_rate:.0f} %" if bare_rate else "100 %"
    return (f"| {size:,} | {what} | {figures['rate']:,.0f} | {share} | {figures['p50']} | {figures['p90']} "
            f"| {figures['p99']} | {figures['errors']} |")


def measure_scale(factor: int, bare: Server) -> list[str]:
    """The table rows for one registry size, and the warm-up and recording checks."""
    with tempfile.TemporaryDirectory() as folder:
        url, size = database(folder, factor)
        before = recorded_matches(url)
        app = Server("wsgi:app", {"DATABASE_URL": url})
        try:
            warm_seconds, warm_matches = warm(app.base)
            script = Path(folder) / "match.lua"
            script.write_text(MATCH_LUA, encoding="utf-8")
            rounds = [(run_wrk(bare.base, CATEGORIES_PATH), run_wrk(app.base, CATEGORIES_PATH),
                       run_wrk(app.base, script=script)) for _ in range(ROUNDS)]
            bare_figures, categories, match = (combined([r[i] for r in rounds]) for i in range(3))
        finally:
            app.stop()
        recorded = recorded_matches(url) - before - warm_matches
    rate = bare_figures["rate"]
    answered = match["requests"] - match["errors"]
    return [row(size, "bare Flask app, 10 categories", bare_figures, None),
            row(size, "GET /api/v1/categories", categories, rate),
            row(size, "POST /api/v1/match (recorded)", match, rate),
            f"{size:,} institutions: workers warm after {warm_seconds:.0f} s; matches recorded {recorded:,}, "
            f"answered to wrk {answered:,}"]


def main() -> None:
    if shutil.which("wrk") is None:
        print("HTTP load: skipped, wrk is not installed (apt-get install wrk)")
        return
    print(f"gunicorn -w 2 (gunicorn.conf.py) on 127.0.0.1, wrk 1 thread, {CONNECTIONS} connections, "
          f"{DURATION_S} s per route, {ROUNDS} rounds in turn, SQLite; % of the bare app's rate in the same rounds\n")
    print("| institutions | route | req/s | % of bare | p50 | p90 | p99 | non-2xx |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|", flush=True)
    bare = Server("bench.bare_app:app")
    notes = []
    try:
        for factor in SCALES:
            *rows, note = measure_scale(factor, bare)
            print("\n".join(rows), flush=True)
            notes.append(note)
    finally:
        bare.stop()
    print("\n" + "\n".join(f"- {note}" for note in notes))


if __name__ == "__main__":
    main()
