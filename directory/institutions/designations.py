"""Granting and revoking an institution's designations, and which institutions hold one on a given day.

Every write goes through ``grant_designation`` or ``revoke_designation``; a revoked designation
keeps its row (the entry and exit of 动态管理). ``demonstration_platform`` is derived: an active
designation of the kind ``national_demo_platform``; writing the flag grants or revokes one.
"""
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlmodel import Session

from directory.designations.models import Designation, DesignationKind
from directory.designations.service import DesignationInvalid, Problems, active_on, clean_text, parse_batch, refuse
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution
from directory.timestamps import today, utcnow


def holding(kind: str, *, day: date | None = None) -> ColumnElement[bool]:
    """Institutions holding an active designation of ``kind`` on ``day`` (default: today)."""
    return Institution.id.in_(select(Designation.institution_id).where(
        Designation.kind == kind, active_on(day or today())))


def _touch(session: Session, institution: Institution, action: str) -> None:
    """Flush the change as one audited change of the institution (its history shows it)."""
    if institution.id is None:   # being created: its creation, flushed by the caller, records it
        session.add(institution)
        return
    institution.updated_at = utcnow()
    session.add(institution)
    outer = session.info.get("audit_action")   # e.g. "restore", which wrote the flag
    session.info["audit_action"] = outer or action
    try:
        session.flush()
    finally:
        session.info["audit_action"] = outer
        if outer is None:
            session.info.pop("audit_action")


def grant_problems(session: Session, *, institution: Institution, kind: str, granted_by: str | None = None,
                   batch: str | None = None, granted_on: date | None = None) -> DesignationInvalid | None:
    """Every rule a grant would break (all at once), or None when it may be recorded."""
    problems = Problems()
    known = session.get(DesignationKind, kind) if isinstance(kind, str) and len(kind) <= 32 else None
    if known is None:
        problems.add("kind", f"Unknown designation kind: {kind}.", f"未知的认定类型：{kind}。")
    if granted_on is not None and granted_on > today():
        problems.add("granted_on", "The grant date cannot be in the future.", "认定日期不能晚于今天。")
    day = today()
    if known is not None and any(d.kind == kind and d.active_on(day) for d in institution.designations):
        problems.add("kind", f"The institution already holds an active {kind} designation; revoke it first.",
                     f"该机构已持有有效的“{known.name_zh}”认定，请先撤销。")
    clean_text("granted_by", granted_by, problems)
    clean_text("batch", batch, problems)
    return DesignationInvalid(problems.errors, problems.errors_zh) if problems.errors else None


def grant_designation(session: Session, *, institution: Institution, kind: str, granted_by: str | None = None,
                      batch: str | None = None, granted_on: date | None = None) -> Designation:
    """Record that ``institution`` was given a designation of ``kind``; refused (every problem at
    once) while it holds an active one of that kind. ``granted_by`` defaults to the kind's usual grantor."""
    refusal = grant_problems(session, institution=institution, kind=kind, granted_by=granted_by, batch=batch,
                             granted_on=granted_on)
    if refusal is not None:
        raise refusal
    designation = Designation(kind=kind, granted_by=clean_text("granted_by", granted_by) or session.get(
        DesignationKind, kind).granted_by, batch=clean_text("batch", batch), granted_on=granted_on)
    institution.designations.append(designation)
    _touch(session, institution, "designate")
    return designation


def revoke_designation(session: Session, *, designation: Designation, revoked_on: date | None = None) -> Designation:
    """End a designation on ``revoked_on`` (default: today); the row stays as history."""
    revoked_on = revoked_on or today()
    if designation.revoked_on is not None:
        refuse("revoked_on", f"Already revoked on {designation.revoked_on.isoformat()}.",
              f"已于 {designation.revoked_on.isoformat()} 撤销。")
    if revoked_on > today():
        refuse("revoked_on", "The revocation date cannot be in the future.", "撤销日期不能晚于今天。")
    if designation.granted_on is not None and revoked_on < designation.granted_on:
        refuse("revoked_on", f"The revocation date is before the grant ({designation.granted_on.isoformat()}).",
              f"撤销日期早于认定日期（{designation.granted_on.isoformat()}）。")
    # Loaded before the change, so that no autoflush writes it apart from the institution's audit entry.
    institution = session.get(Institution, designation.institution_id)
    designation.revoked_on = revoked_on
    _touch(session, institution, "revoke_designation")
    return designation


def set_demonstration_platform(session: Session, *, institution: Institution, holds: bool) -> None:
    """The old flag written: grant a national demonstration platform designation (dated today) or
    revoke the active one(s) today; nothing happens when the flag already says so."""
    if holds == institution.demonstration_platform:
        return
    if holds:
        grant_designation(session, institution=institution, kind=NATIONAL_DEMO_PLATFORM, granted_on=today())
        return
    day = today()
    for designation in institution.designations:
        if designation.kind == NATIONAL_DEMO_PLATFORM and designation.active_on(day):
            revoke_designation(session, designation=designation,
                               revoked_on=max(day, designation.granted_on or day))


def apply_designation_from_import(session: Session, *, institution: Institution, kind: str,
                                  batch: str | None) -> Designation:
    """An imported row's designation: the active one of ``kind`` gets the batch (and its date when
    the cell is a date), or a new one is granted with them. Raises ``DesignationInvalid``."""
    batch, granted_on = parse_batch(batch)
    batch = clean_text("batch", batch)
    day = today()
    for designation in institution.designations:
        if designation.kind == kind and designation.active_on(day):
            if batch and (designation.batch, designation.granted_on) != (batch, granted_on or designation.granted_on):
                if granted_on is not None and granted_on > day:
                    refuse("designation_batch", "The grant date cannot be in the future.", "认定日期不能晚于今天。")
                designation.batch = batch
                designation.granted_on = granted_on or designation.granted_on
                _touch(session, institution, "designate")
            return designation
    return grant_designation(session, institution=institution, kind=kind, batch=batch, granted_on=granted_on)


def get_designation(session: Session, *, institution: Institution, designation_id: int) -> Designation | None:
    """The institution's designation with this id, or None."""
    designation = session.get(Designation, designation_id)
    return designation if designation is not None and designation.institution_id == institution.id else None
