"""Recording a match request: anonymous, after the answer, never at the expense of the match.

A match only reads, so its request does not hold SQLite's write lock (``@read_only``). The record
is written afterwards in a short transaction of its own that waits for the lock only briefly; if
the database is busy the record is dropped with a warning and the SME still gets its answer.
"""
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from directory.demand.models import MatchRequest, MatchRequestCategory, RequestSource
from directory.regions.models import Region, RegionLevel

log = logging.getLogger(__name__)
RECORD_WAIT_MS = 250


def province_of(session: Session, region_code: str | None) -> str | None:
    """The code of the province ``region_code`` lies in (itself for a province)."""
    code = region_code
    while code is not None:
        region = session.get(Region, code)
        if region is None or region.level == RegionLevel.province:
            return region.code if region else None
        code = region.parent_code
    return None


def add_match_request(session: Session, *, result: dict, region_code: str | None, need: str, consent: bool,
                      source: RequestSource) -> MatchRequest | None:
    """Add the anonymous record of one match; nothing when no need was detected."""
    codes = [c["code"] for c in result["categories"]]
    if not codes:
        return None
    unserved = set(result["unserved_categories"])
    request = MatchRequest(
        region_code=region_code, province_code=province_of(session, region_code),
        served_in_chain=not unserved & set(codes), need_text=need.strip() if consent else None,
        source=RequestSource(source))
    session.add(request)
    session.flush()
    session.add_all(MatchRequestCategory(request_id=request.id, category_code=code,
                                         served_in_chain=code not in unserved) for code in dict.fromkeys(codes))
    session.flush()
    return request


def record_match(engine: Engine, *, result: dict, region_code: str | None, need: str, consent: bool,
                 source: RequestSource, wait_ms: int = RECORD_WAIT_MS) -> bool:
    """Record a match in its own short transaction; False (and a warning) if it could not be."""
    if not result["categories"]:
        return False
    try:
        with engine.connect() as conn, _waiting_at_most(conn, wait_ms):
            with Session(bind=conn.execution_options(write=True)) as session:
                if conn.dialect.name == "postgresql":
                    session.execute(text(f"SET LOCAL lock_timeout = {int(wait_ms)}"))
                add_match_request(session, result=result, region_code=region_code, need=need, consent=consent,
                                  source=source)
                session.commit()
    except SQLAlchemyError as error:
        log.warning("Match request not recorded (database busy or unavailable): %s", error)
        return False
    return True


@contextmanager
def _waiting_at_most(conn: Connection, wait_ms: int) -> Iterator[None]:
    # SQLite waits the connection's busy timeout for the write lock; shorten it for this record only.
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    previous = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA busy_timeout={min(int(wait_ms), previous)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={previous}")
