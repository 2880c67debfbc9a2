"""The national statistics page and the coverage API on the sample network, in-process: each
request as it runs now (figures kept per directory revision), the first request after a change
to the directory (nothing kept: everything computed), and, side by side in the same run on the
same database, the code before this work (commit ``BEFORE_COMMIT``, checked out from git into a
temporary folder and timed in a subprocess). Target: national /stats ≤ 100 ms.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.directory_queries import percentiles, timed
from directory import create_app
from directory.database import write_session
from directory.operations.setup import init_database
from directory.config import normalise_database_url
from directory.sample_network import load_sample_network

ROUNDS = 30
BEFORE_COMMIT = "7b93af6"
BEFORE_PATHS = ["/stats", "/stats?region_code=320000", "/api/v1/stats/coverage"]
BEFORE_PROBE = """
import json, statistics, sys, time
from directory import create_app
client = create_app({"DATABASE_URL": sys.argv[1], "RATELIMIT_ENABLED": False}).test_client()
result = {}
for path in sys.argv[2:]:
    client.get(path)
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        assert client.get(path).status_code == 200, path
        samples.append((time.perf_counter() - start) * 1000)
    result[path] = statistics.median(samples)
print(json.dumps(result))
"""
REQUESTS = [("national /stats", "/stats"), ("/stats in English", "/stats?lang=en"),
            ("/stats of 江苏省", "/stats?region_code=320000"), ("GET /api/v1/stats/coverage", "/api/v1/stats/coverage"),
            ("XLSX report", "/stats/report.xlsx")]


def before_figures(url: str) -> dict[str, float]:
    """p50 ms of ``BEFORE_PATHS`` on the code of ``BEFORE_COMMIT`` (empty without git or that commit)."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(root), "archive", BEFORE_COMMIT], capture_output=True)
        if archive.returncode:
            print(f"  (no commit {BEFORE_COMMIT}: before figures left out)")
            return {}
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        probe = subprocess.run([sys.executable, "-c", BEFORE_PROBE, url, *BEFORE_PATHS], cwd=folder,
                               env=os.environ | {"PYTHONPATH": folder}, capture_output=True, text=True)
        if probe.returncode:
            print(f"  (the code of {BEFORE_COMMIT} did not run: {probe.stderr[-300:]})")
            return {}
        return json.loads(probe.stdout.strip().splitlines()[-1])


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_database_url(url) if url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            init_database()
            with write_session() as session, session.begin():
                load_sample_network(session)
        before = before_figures(url)
        client = app.test_client()

        def get(path: str) -> None:
            assert client.get(path).status_code == 200, path

        def cold(path: str) -> None:
            app.extensions.pop("statistics_figures", None)   # as after a change: nothing kept
            get(path)

        rows = []
        for label, path in REQUESTS:
            get(path)
            rounds = ROUNDS if "xlsx" not in path else 5
            warm = percentiles(timed(lambda: get(path), rounds))
            first = percentiles(timed(lambda: cold(path), max(rounds // 3, 3)))
            rows.append((label, before.get(path), first, warm))
            print(f"  {label}: p50 {warm[0]:.1f} ms", flush=True)
    print(f"\n| request | before ({BEFORE_COMMIT}) p50 ms | after a change p50 ms | p95 | now p50 ms | p95 | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, then, (c50, c95), (w50, w95) in rows:
        target = ("≤ 100 ms: " + ("met" if w50 <= 100 else "NOT met")) if label == "national /stats" else ""
        print(f"| {label} | {'' if then is None else f'{then:.0f}'} | {c50:.1f} | {c95:.1f} | {w50:.1f} | "
              f"{w95:.1f} | {target} |")
