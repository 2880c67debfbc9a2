"""Coverage statistics speed: the whole country on the sample network and on 200,000 institutions,
on SQLite and (when reachable) PostgreSQL. Targets: ≤ 50 ms on the sample, ≤ 500 ms at 200,000,
computed in the database (``coverage_summary``: counting queries, no institution loaded).
"""
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bench import scaled_registry
from bench.directory_queries import percentiles, timed
from directory import create_app
from directory.database import get_engine
from directory.statistics.coverage import coverage_summary
from directory.statistics.provinces import provinces_table

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SIZES = [("sample", 1), ("200k", 113)]          # 1,780 × 113 = 201,140 institutions
ROUNDS = {"sample": 50, "200k": 10}


def _postgres_schemas():
    engine = create_engine(POSTGRES)
    try:
        with engine.connect():
            pass
    except OperationalError:
        return None, None
    made = []

    def url(tag: str) -> str:
        schema = f"bench_{tag}_{uuid.uuid4().hex[:8]}"
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        made.append(schema)
        return f"{POSTGRES}?options=-csearch_path%3D{schema}"

    def drop():
        with engine.begin() as conn:
            for schema in made:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    return url, drop


def measure(url: str, factor: int, rounds: int) -> tuple[int, tuple, tuple, float]:
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        count = scaled_registry.build(factor)
        with Session(get_engine()) as session:
            summary = coverage_summary(session)
            summary_times = percentiles(timed(lambda: coverage_summary(session), rounds))
            province_times = percentiles(timed(lambda: provinces_table(session), rounds))
        get_engine().dispose()
    return count, summary_times, province_times, summary["municipal_and_above"]["rate"]


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        engines = [("SQLite", lambda tag: f"sqlite:///{Path(folder) / f'{tag}.sqlite3'}", None)]
        pg_url, pg_drop = _postgres_schemas()
        if pg_url:
            engines.append(("PostgreSQL", pg_url, pg_drop))
        for engine_name, url_for, drop in engines:
            try:
                for tag, factor in SIZES:
                    count, (p50, p95), (t50, t95), rate = measure(url_for(tag), factor, ROUNDS[tag])
                    rows.append((engine_name, f"{count:,}", p50, p95, t50, t95, rate))
                    print(f"  {engine_name} {count:,}: coverage p50 {p50:.1f} ms", flush=True)
            finally:
                if drop:
                    drop()
    print("\n| engine | institutions | coverage summary p50 ms | p95 ms | per-province table p50 ms | p95 ms | municipal-and-above rate |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for engine_name, count, p50, p95, t50, t95, rate in rows:
        print(f"| {engine_name} | {count} | {p50:.1f} | {p95:.1f} | {t50:.1f} | {t95:.1f} | {rate:.1%} |")
