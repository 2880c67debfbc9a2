"""An institution's history from the audit trail: versions as readable diffs, and restoring one."""
from sqlalchemy import select
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.institutions.service import update_institution

RESTORABLE = ("name", "level", "region_code", "services", "operator", "description", "address", "phone", "email", "website",
              "status", "demonstration_platform")
SHOWN = RESTORABLE + ("designations", "verified_at", "verified_by", "merged_into_id", "closed_at")


def merged_ids(session: Session, institution_id: int) -> list[int]:
    """The institution and every institution merged into it (directly or through others)."""
    found, frontier = [institution_id], [institution_id]
    while frontier:
        frontier = list(session.scalars(select(Institution.id).where(Institution.merged_into_id.in_(frontier))))
        found += frontier
    return found


def institution_history(session: Session, institution_id: int) -> list[dict]:
    """Every audit entry of the institution and of those merged into it, newest first, each
    with the fields that changed as (field, before, after)."""
    ids = merged_ids(session, institution_id)
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "institution", AuditEntry.entity_id.in_(ids))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return [{"entry": entry, "own": entry.entity_id == institution_id, "changes": changes(entry.before, entry.after)}
            for entry in entries]


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """The shown fields whose value differs between two snapshots, in a stable order."""
    before, after = before or {}, after or {}
    return [(field, before.get(field), after.get(field)) for field in SHOWN
            if before.get(field) != after.get(field)]


class NotRestorable(ValueError):
    """The entry holds no version of this institution to go back to."""


def restore_version(session: Session, *, institution: Institution, entry_id: int) -> Institution:
    """Make the institution look as it did after the change ``entry_id`` (a new, audited change)."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.entity != "institution" or entry.entity_id != institution.id or not entry.after:
        raise NotRestorable(entry_id)
    version = {field: entry.after[field] for field in RESTORABLE if field in entry.after}
    version["level"] = InstitutionLevel(version["level"])
    version["status"] = InstitutionStatus(version["status"])
    session.info["audit_action"] = "restore"
    try:
        return update_institution(session, institution=institution, changes=version)
    finally:
        session.info.pop("audit_action", None)
