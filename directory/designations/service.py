"""Granting and revoking designations, and which institutions hold one on a given day.

Every write goes through ``grant_designation`` or ``revoke_designation``; a revoked designation
keeps its row (the entry and exit of 动态管理). ``demonstration_platform`` is derived: an active
designation of the kind ``national_demo_platform``; writing the flag grants or revokes one.
"""
import re
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import Session

from directory.designations.models import Designation, DesignationKind
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution
from directory.timestamps import today
from directory.timestamps import utcnow

TEXT_LIMITS = {"granted_by": 100, "batch": 100}
# 2021-06-15, 2021/6/15, 2021.6.15, 2021年6月15日
_FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class DesignationInvalid(ValueError):
    """The grant or revocation breaks a rule; ``errors`` maps fields to English messages,
    ``errors_zh`` to the same messages in Chinese."""

    def __init__(self, errors: dict[str, list[str]], errors_zh: dict[str, list[str]] | None = None):
        super().__init__(errors)
        self.errors = errors
        self.errors_zh = errors_zh or errors


def list_kinds(session: Session) -> list[DesignationKind]:
    """Every designation kind, in the order of the data file."""
    return list(session.scalars(select(DesignationKind).order_by(DesignationKind.position, DesignationKind.code)))


def kinds_by_code(session: Session) -> dict[str, DesignationKind]:
    """The designation kinds by code."""
    return {kind.code: kind for kind in list_kinds(session)}


def active_on(day: date) -> ColumnElement[bool]:
    """Designations in force at the end of ``day``: granted by then (or on an unknown day), not revoked."""
    return and_(or_(Designation.granted_on.is_(None), Designation.granted_on <= day),
                or_(Designation.revoked_on.is_(None), Designation.revoked_on > day))


def holding(kind: str, *, day: date | None = None) -> ColumnElement[bool]:
    """Institutions holding an active designation of ``kind`` on ``day`` (default: today)."""
    return Institution.id.in_(select(Designation.institution_id).where(
        Designation.kind == kind, active_on(day or today())))


def _fail(field: str, message: str, message_zh: str):
    raise DesignationInvalid({field: [message]}, {field: [message_zh]})


def _text(field: str, value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    if value and len(value) > TEXT_LIMITS[field]:
        _fail(field, f"Longer than {TEXT_LIMITS[field]} characters.", f"超过 {TEXT_LIMITS[field]} 个字符。")
    if value and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        _fail(field, "Contains control characters.", "含有控制字符。")
    return value


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


def grant_designation(session: Session, *, institution: Institution, kind: str, granted_by: str | None = None,
                      batch: str | None = None, granted_on: date | None = None) -> Designation:
    """Record that ``institution`` was given a designation of ``kind``; refused while it holds an
    active one of that kind. ``granted_by`` defaults to the kind's usual grantor."""
    known = session.get(DesignationKind, kind) if isinstance(kind, str) and len(kind) <= 32 else None
    if known is None:
        _fail("kind", f"Unknown designation kind: {kind}.", f"未知的认定类型：{kind}。")
    if granted_on is not None and granted_on > today():
        _fail("granted_on", "The grant date cannot be in the future.", "认定日期不能晚于今天。")
    day = today()
    if any(d.kind == kind and d.active_on(day) for d in institution.designations):
        _fail("kind", f"The institution already holds an active {kind} designation; revoke it first.",
              f"该机构已持有有效的“{known.name_zh}”认定，请先撤销。")
    designation = Designation(kind=kind, granted_by=_text("granted_by", granted_by) or known.granted_by,
                              batch=_text("batch", batch), granted_on=granted_on)
    institution.designations.append(designation)
    _touch(session, institution, "designate")
    return designation


def revoke_designation(session: Session, *, designation: Designation, revoked_on: date | None = None) -> Designation:
    """End a designation on ``revoked_on`` (default: today); the row stays as history."""
    revoked_on = revoked_on or today()
    if designation.revoked_on is not None:
        _fail("revoked_on", f"Already revoked on {designation.revoked_on.isoformat()}.",
              f"已于 {designation.revoked_on.isoformat()} 撤销。")
    if revoked_on > today():
        _fail("revoked_on", "The revocation date cannot be in the future.", "撤销日期不能晚于今天。")
    if designation.granted_on is not None and revoked_on < designation.granted_on:
        _fail("revoked_on", f"The revocation date is before the grant ({designation.granted_on.isoformat()}).",
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


def parse_batch(text: str | None) -> tuple[str | None, date | None]:
    """A 批次 / 认定年份 / 认定时间 cell as (batch text, grant date when the cell holds a whole date)."""
    batch = " ".join(text.split()) if text else None
    if not batch:
        return None, None
    match = _FULL_DATE.fullmatch(batch)
    if match:
        try:
            return batch, date(*(int(part) for part in match.groups()))
        except ValueError:
            _fail("designation_batch", f"Not a valid date: {batch}.", f"不是有效的日期：{batch}。")
    return batch, None


def parse_designations(session: Session, text: str | None) -> list[tuple[str, str | None]]:
    """A ``designations`` cell, "kind:batch; kind" (the HSDS import writes it), as (kind, batch) pairs.

    Raises ``DesignationInvalid`` naming an unknown kind, a kind given twice or a bad batch."""
    if not text or not text.strip():
        return []
    kinds, pairs = kinds_by_code(session), []
    for part in re.split(r"[;；]", text or ""):
        if not part.strip():
            continue
        kind, _, batch = part.partition(":")
        kind = kind.strip()
        if kind not in kinds:
            _fail("designations", f"Unknown designation kind: {kind[:40]}.", f"未知的认定类型：{kind[:40]}。")
        if any(kind == seen for seen, _batch in pairs):
            _fail("designations", f"The designation {kind} is given twice.", f"认定类型 {kind} 重复出现。")
        try:
            parse_batch(batch)
        except DesignationInvalid as error:   # reported against this column, naming the kind
            _fail("designations", f"{kind}: {' '.join(error.errors['designation_batch'])}",
                  f"{kind}：{''.join(error.errors_zh['designation_batch'])}")
        pairs.append((kind, _text("batch", batch)))
    return pairs


def apply_designation_from_import(session: Session, *, institution: Institution, kind: str,
                                  batch: str | None) -> Designation:
    """An imported row's designation: the active one of ``kind`` gets the batch (and its date when
    the cell is a date), or a new one is granted with them. Raises ``DesignationInvalid``."""
    batch, granted_on = parse_batch(batch)
    batch = _text("batch", batch)
    day = today()
    for designation in institution.designations:
        if designation.kind == kind and designation.active_on(day):
            if batch and (designation.batch, designation.granted_on) != (batch, granted_on or designation.granted_on):
                if granted_on is not None and granted_on > day:
                    _fail("designation_batch", "The grant date cannot be in the future.", "认定日期不能晚于今天。")
                designation.batch = batch
                designation.granted_on = granted_on or designation.granted_on
                _touch(session, institution, "designate")
            return designation
    return grant_designation(session, institution=institution, kind=kind, batch=batch, granted_on=granted_on)


def describe_designation(designation: Designation, kinds: dict[str, DesignationKind], *,
                         day: date | None = None) -> dict:
    """A designation as the API shows it, with its kind's names and whether it is active."""
    kind = kinds.get(designation.kind)
    return {"id": designation.id, "kind": designation.kind,
            "kind_name": kind.name_zh if kind else designation.kind,
            "kind_name_en": kind.name_en if kind else designation.kind,
            "level": kind.level.value if kind else None,
            "granted_by": designation.granted_by, "batch": designation.batch,
            "granted_on": designation.granted_on, "revoked_on": designation.revoked_on,
            "active": designation.active_on(day or today())}


def get_designation(session: Session, *, institution: Institution, designation_id: int) -> Designation | None:
    """The institution's designation with this id, or None."""
    designation = session.get(Designation, designation_id)
    return designation if designation is not None and designation.institution_id == institution.id else None
