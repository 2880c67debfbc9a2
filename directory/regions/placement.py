"""Records still sitting in a retired division: the administrators' list of things to place."""
from sqlalchemy import select
from sqlmodel import Session

from directory.regions.models import Region
from directory.regions.service import is_within
from directory.regions.update import PLACED
from directory.regions.validity import successor_regions


def records_to_place(session: Session, *, within: str | None = None) -> list[dict]:
    """Institutions, events and administrators' scopes placed in a retired division (inside
    ``within`` when given), with the successors to choose from."""
    retired = {r.code: r for r in session.scalars(select(Region).where(Region.retired_on.is_not(None)))
               if within is None or is_within(session, r.code, within)}
    if not retired:
        return []
    found = []
    for entity, model in PLACED.items():
        for record in session.scalars(select(model).where(model.region_code.in_(list(retired))).order_by(model.id)):
            region = retired[record.region_code]
            found.append({"entity": entity, "id": record.id,
                          "name": getattr(record, "name", None) or getattr(record, "title", None)
                          or getattr(record, "username", None),
                          "code": region.code, "region_name": region.name,
                          "retired_on": region.retired_on.isoformat(),
                          "successors": [s.code for s in successor_regions(session, region.code)],
                          "successor_names": [f"{s.name}（{s.code}）" for s in successor_regions(session, region.code)]})
    return found
