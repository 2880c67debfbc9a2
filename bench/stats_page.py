"""The national statistics page and the coverage API on the sample network, in-process: each
request as it runs now (figures kept per directory revision), the first request after a change
to the directory (nothing kept: everything computed, as every request did before), and the
figure measured before the cache on this machine. Target: national /stats ≤ 100 ms.
"""
import os
import tempfile
from pathlib import Path

from bench.directory_queries import percentiles, timed
from directory import create_app
from directory.cli import init_database, write_session
from directory.config import normalise_database_url
from directory.sample_network import load_sample_network

ROUNDS = 30
# p50 ms of the same requests on the commit before the cache (7b93af6), same machine, in-process.
BEFORE_MS = {"/stats": 430.0, "/api/v1/stats/coverage": 48.6}
REQUESTS = [("national /stats", "/stats"), ("/stats in English", "/stats?lang=en"),
            ("/stats of 江苏省", "/stats?region_code=320000"), ("GET /api/v1/stats/coverage", "/api/v1/stats/coverage"),
            ("XLSX report", "/stats/report.xlsx")]


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_database_url(url) if url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            init_database()
            with write_session() as session, session.begin():
                load_sample_network(session)
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
            rows.append((label, BEFORE_MS.get(path), first, warm))
            print(f"  {label}: p50 {warm[0]:.1f} ms", flush=True)
    print("\n| request | before p50 ms | after a change p50 ms | p95 | now p50 ms | p95 | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, before, (c50, c95), (w50, w95) in rows:
        target = ("≤ 100 ms: " + ("met" if w50 <= 100 else "NOT met")) if label == "national /stats" else ""
        print(f"| {label} | {'' if before is None else f'{before:.0f}'} | {c50:.1f} | {c95:.1f} | {w50:.1f} | "
              f"{w95:.1f} | {target} |")
