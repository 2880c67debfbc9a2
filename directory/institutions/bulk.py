"""Many institutions created or updated with a few bulk statements: the import's short write transaction.

The ORM builds and tracks one object per row (about 3 ms each: a minute for 20,000 rows, all
of it holding the write lock). These statements write the same rows, their service links, one
audit entry per institution and the directory revision in the caller's transaction, in well
under a second. The rows must already have passed ``check_institution`` (the importer checks
them before it opens the write transaction, and again under it if the directory changed).
"""
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session

from directory.audit.trail import audited_values, record_changes, snapshot
from directory.driver_inserts import insert_plain
from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.institutions.revision import mark_directory_changed
from directory.timestamps import utcnow

TABLE = Institution.__table__
LINKS = InstitutionService.__table__
KEPT_ON_UPDATE = {"id", "created_at"}


@dataclass
class NewInstitutions:
    """Rows ready to insert, prepared before the write transaction so that it only writes."""

    records: list[dict]         # column values
    services: list[list[str]]   # category codes of each
    audited: list[dict]         # each as its audit entry will show it (without its id, not known yet)


def prepare_new(rows: list[dict]) -> NewInstitutions:
    """Column values, service codes and audit records of checked rows (API fields, ``services`` included)."""
    now = utcnow()
    records = [_new_record(fields, now) for fields in rows]
    services = [sorted(set(fields["services"])) for fields in rows]
    # As the ORM listener shows a new institution: no designation yet (the importer grants them after).
    return NewInstitutions(records, services, [audited_values(record) | {"services": codes, "designations": [],
                                                                         "demonstration_platform": False}
                                               for record, codes in zip(records, services)])


def create_many(session: Session, *, new: NewInstitutions) -> list[int]:
    """Insert prepared institutions, their service links and audit entries; returns their ids in order."""
    if not new.records:
        return []
    # Keyed by (name, region), unique among the rows (the importer refuses repeats): asking for the
    # ids in the rows' order would make SQLite insert them one statement per row.
    inserted = session.execute(insert(TABLE).returning(TABLE.c.id, TABLE.c.name, TABLE.c.region_code),
                               new.records)
    id_of = {(name, region): iid for iid, name, region in inserted}
    ids = [id_of[record["name"], record["region_code"]] for record in new.records]
    _link(session, ids, new.services)
    record_changes(session, entity="institution",
                   changes=[(iid, None, {"id": iid} | after) for iid, after in zip(ids, new.audited)])
    mark_directory_changed(session, ids)
    return ids


def update_many(session: Session, *, changes: list[tuple[Institution, dict]]) -> None:
    """Apply checked partial updates to institutions as they are in the database now."""
    if not changes:
        return
    now = utcnow()
    records, audited, relinked = [], [], {}
    for institution, fields in changes:
        before = snapshot(institution)
        record = {column.name: getattr(institution, column.name) for column in TABLE.c}
        record |= {key: value for key, value in fields.items() if key in record}
        if record["status"] != institution.status:
            record["closed_at"] = now if record["status"] == InstitutionStatus.closed else None
        record["updated_at"] = now
        codes = sorted(set(fields["services"])) if "services" in fields else before["services"]
        if codes != before["services"]:
            relinked[institution.id] = codes
        records.append({"b_id": institution.id} | {f"v_{k}": v for k, v in record.items() if k not in KEPT_ON_UPDATE})
        audited.append((institution.id, before, audited_values(record) | {"services": codes} | {
            key: before[key] for key in ("designations", "demonstration_platform") if key in before}))
    columns = [c.name for c in TABLE.c if c.name not in KEPT_ON_UPDATE]
    session.execute(update(TABLE).where(TABLE.c.id == bindparam("b_id"))
                    .values({name: bindparam(f"v_{name}") for name in columns}), records)
    if relinked:
        session.execute(delete(LINKS).where(LINKS.c.institution_id.in_(list(relinked))))
        _link(session, list(relinked), list(relinked.values()))
    record_changes(session, entity="institution", changes=audited)
    mark_directory_changed(session, [institution.id for institution, _fields in changes])
    for institution, _fields in changes:
        if institution in session:
            session.expire(institution)   # its row was changed behind the ORM's back


def _new_record(fields: dict, now) -> dict:
    record = {column.name: None for column in TABLE.c if column.name != "id"}
    record |= {"status": InstitutionStatus.active}
    record |= {key: value for key, value in fields.items() if key in record}
    record |= {"created_at": now, "updated_at": now}
    if record["status"] == InstitutionStatus.closed:
        record["closed_at"] = now
    return record


def _link(session: Session, ids: list[int], services: list[list[str]]) -> None:
    links = [(iid, code) for iid, codes in zip(ids, services) for code in codes]
    insert_plain(session, LINKS.name, ("institution_id", "category_code"), links)
