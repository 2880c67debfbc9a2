"""A database holding the sample network repeated ``factor`` times (for load at scale).

Copies keep each sample institution's division, level and services, with numbered names, and
are written with bulk inserts (the service layer would take minutes for 200,000 rows).
"""
from sqlalchemy import func, insert, select, update
from sqlmodel import Session

from directory.database import write_session
from directory.operations.setup import init_database
from directory.database import get_engine
from directory.institutions.models import Institution, InstitutionService
from directory.institutions.revision import DirectoryRevision
from directory.sample_network import load_sample_network

CHUNK = 5000


def build(factor: int) -> int:
    """Seed the app's database and add ``factor - 1`` copies; returns the number of institutions."""
    init_database()
    with write_session() as session, session.begin():
        load_sample_network(session)
    engine = get_engine()
    with Session(engine) as session:
        originals = list(session.scalars(select(Institution)))
        services = {i.id: i.services for i in originals}
    with engine.begin() as conn:
        next_id = conn.scalar(select(func.max(Institution.id))) + 1
        for copy in range(1, factor):
            rows, links = [], []
            for original in originals:
                values = original.model_dump(exclude={"id"}) | {"id": next_id, "name": f"{original.name}（{copy}）"}
                rows.append(values)
                links += [{"institution_id": next_id, "category_code": code} for code in services[original.id]]
                next_id += 1
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(Institution), rows[start:start + CHUNK])
            for start in range(0, len(links), CHUNK):
                conn.execute(insert(InstitutionService), links[start:start + CHUNK])
        conn.execute(update(DirectoryRevision).values(value=DirectoryRevision.value + 1))
        return conn.scalar(select(func.count()).select_from(Institution))
