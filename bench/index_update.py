"""Keeping the matching index current: one changed institution applied in place vs a full rebuild.

Run ``python -m bench.index_update``. For the sample network repeated 1, 11 and 112 times
(bench.scaled_registry, SQLite), an app process builds its index; then, 20 times, one
institution is changed through the service layer (renamed, services changed, or closed) and
the next request's ``matching_index`` call brings the index up to date. Peer in the same run:
``build_matching_index``, what every change cost before the change log.
"""
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from bench import scaled_registry
from directory import create_app
from directory.database import write_session
from directory.database import get_engine
from directory.institutions.models import Institution
from directory.institutions.service import update_institution
from directory.institutions.search_index import build_matching_index

SCALES = tuple(int(f) for f in os.environ.get("SME_BENCH_SCALES", "1,11,112").split(","))  # copies of the sample
CHANGES = 20


def one_change(session: Session, institution: Institution, step: int) -> None:
    if step % 3 == 0:
        changes = {"name": f"{institution.name}·更名{step}"}
    elif step % 3 == 1:
        changes = {"services": sorted(set(institution.services) ^ {"ip"}) or ["policy"]}
    else:
        changes = {"status": "closed" if institution.status == "active" else "active"}
    update_institution(session, institution=institution, changes=changes)


def measure(url: str, factor: int) -> tuple[int, float, list[float]]:
    app = create_app({"DATABASE_URL": url, "MATCHING_REFRESH_SECONDS": 0})
    holder = app.extensions["sme_matching_index"]
    with app.app_context():
        count = scaled_registry.build(factor)
        with Session(get_engine()) as session:
            started = time.perf_counter()
            build_matching_index(session)
            rebuild = time.perf_counter() - started
            holder.get(session)
            ids = session.scalars(select(Institution.id).order_by(Institution.id).limit(CHANGES * 50)).all()
        samples = []
        for step in range(CHANGES):
            with write_session() as session, session.begin():
                one_change(session, session.get(Institution, ids[step * 50]), step)
            with Session(get_engine()) as session:
                started = time.perf_counter()
                holder.get(session)
                samples.append(time.perf_counter() - started)
        get_engine().dispose()
    return count, rebuild, samples


def main() -> None:
    print("| institutions | one change applied in place: p50 ms | max ms | full rebuild (before): s |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for factor in SCALES:
            count, rebuild, samples = measure(f"sqlite:///{Path(folder) / f'x{factor}.sqlite3'}", factor)
            print(f"| {count:,} | {statistics.median(samples) * 1000:.1f} | {max(samples) * 1000:.1f} "
                  f"| {rebuild:.2f} |", flush=True)


if __name__ == "__main__":
    main()
