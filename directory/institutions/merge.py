"""Merging two records that turn out to be the same institution, keeping both histories."""
from sqlmodel import Session

from directory.designations.models import Designation
from directory.institutions.models import Institution, InstitutionStatus
from directory.timestamps import today, utcnow

FILLED_FROM_DUPLICATE = ("operator", "description", "address", "phone", "email", "website")


def _carry_designations(duplicate: Institution, keep: Institution) -> None:
    """``keep`` gains a copy of each active designation of the duplicate of a kind it does not hold;
    the duplicate keeps its own rows, so both histories stay whole."""
    day = today()
    held = {d.kind for d in keep.designations if d.active_on(day)}
    for designation in duplicate.designations:
        if designation.active_on(day) and designation.kind not in held:
            keep.designations.append(Designation(kind=designation.kind, granted_by=designation.granted_by,
                                                 batch=designation.batch, granted_on=designation.granted_on))
            held.add(designation.kind)


class MergeRefused(ValueError):
    """The two records cannot be merged (the same record, or one already merged)."""


def merge_institutions(session: Session, *, duplicate: Institution, keep: Institution) -> Institution:
    """Fold ``duplicate`` into ``keep``: ``keep`` gains the duplicate's services and fills its empty
    fields from it; events the duplicate organised move to ``keep``; the duplicate is closed and
    points at ``keep`` (``merged_into_id``), so both records and their audit entries remain."""
    if duplicate.id == keep.id:
        raise MergeRefused("An institution cannot be merged into itself.")
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise MergeRefused("One of the institutions has already been merged into another.")
    session.info["audit_action"] = "merge"
    try:
        keep.services = sorted(set(keep.services) | set(duplicate.services))
        for field in FILLED_FROM_DUPLICATE:
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        _carry_designations(duplicate, keep)
        keep.updated_at = utcnow()
        duplicate.status, duplicate.closed_at = InstitutionStatus.closed, duplicate.closed_at or utcnow()
        duplicate.merged_into_id, duplicate.updated_at = keep.id, utcnow()
        session.add_all([keep, duplicate])
        session.flush()
    finally:
        session.info.pop("audit_action", None)
    for move in REFERENCE_MOVERS:
        move(session, duplicate=duplicate, keep=keep)
    session.flush()
    return keep


# What other features keep about an institution moves to the one kept, by functions they register
# (``on_merge``, called by the application factory): e.g. the events a duplicate organised.
REFERENCE_MOVERS: list = []


def on_merge(move) -> None:
    """Call ``move(session, duplicate=..., keep=...)`` whenever two institutions are merged."""
    if move not in REFERENCE_MOVERS:
        REFERENCE_MOVERS.append(move)
