"""Directory benchmarks on the sample network, in-process through the Flask test client.

Builds a fresh SQLite database in a temporary folder (or uses DATABASE_URL if set to a
PostgreSQL URL), loads the sample network, then times each request ROUNDS times.
"""
import os
import statistics
import tempfile
import time
from pathlib import Path

from directory import create_app
from directory.database import write_session
from directory.operations.setup import init_database
from directory.config import normalise_database_url
from directory.database import get_session
from directory.sample_network import load_sample_network
from directory.statistics.coverage import coverage_summary

ROUNDS = 200
REQUESTS = [
    ("list, first page", "/api/v1/institutions"),
    ("list within a province", "/api/v1/institutions?within=320000"),
    ("list by service and level", "/api/v1/institutions?service=ip&level=county"),
    ("name search q=", "/api/v1/institutions?q=苏州"),
    ("institution detail", "/api/v1/institutions/100"),
    ("region detail", "/api/v1/regions/320500"),
    ("directory page", "/institutions?region_code=320000"),
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def timed(call, rounds: int = ROUNDS) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = normalise_database_url(url) if url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            init_database()
            start = time.perf_counter()
            with write_session() as session, session.begin():
                loaded = load_sample_network(session)
            seed_seconds = time.perf_counter() - start
        client = app.test_client()
        rows = []
        for label, path in REQUESTS:
            assert client.get(path).status_code == 200, path
            rows.append((label, *percentiles(timed(lambda p=path: client.get(p)))))
        with app.test_request_context():
            rows.append(("coverage_summary (service)",
                         *percentiles(timed(lambda: coverage_summary(get_session()), 50))))
    print(f"Database: {url.split(':')[0]}; sample network: {loaded} institutions loaded in {seed_seconds:.2f} s\n")
    print("| operation | p50 ms | p95 ms |\n|---|---:|---:|")
    for label, p50, p95 in rows:
        print(f"| {label} | {p50:.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
