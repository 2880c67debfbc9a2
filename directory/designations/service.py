"""Designation kinds, designations in force on a day, and designations as written in import cells.

Granting and revoking them is done on an institution (``directory.institutions.designations``).
"""
import re
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import Session

from directory.designations.models import Designation, DesignationKind
from directory.timestamps import today

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


def refuse(field: str, message: str, message_zh: str):
    """Raise ``DesignationInvalid`` for one field, in English and Chinese."""
    raise DesignationInvalid({field: [message]}, {field: [message_zh]})


class Problems:
    """Every problem of one grant, in English and Chinese, raised together."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}
        self.errors_zh: dict[str, list[str]] = {}

    def add(self, field: str, message: str, message_zh: str) -> None:
        self.errors.setdefault(field, []).append(message)
        self.errors_zh.setdefault(field, []).append(message_zh)

    def raise_any(self) -> None:
        if self.errors:
            raise DesignationInvalid(self.errors, self.errors_zh)


def clean_text(field: str, value: str | None, problems: Problems | None = None) -> str | None:
    """``value`` with its white space folded; a problem when too long or holding control characters
    (added to ``problems``, or raised at once without them)."""
    value = " ".join(value.split()) if value else None
    found = problems or Problems()
    if value and len(value) > TEXT_LIMITS[field]:
        found.add(field, f"Longer than {TEXT_LIMITS[field]} characters.", f"超过 {TEXT_LIMITS[field]} 个字符。")
    if value and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        found.add(field, "Contains control characters.", "含有控制字符。")
    if problems is None:
        found.raise_any()
    return value


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
            refuse("designation_batch", f"Not a valid date: {batch}.", f"不是有效的日期：{batch}。")
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
            refuse("designations", f"Unknown designation kind: {kind[:40]}.", f"未知的认定类型：{kind[:40]}。")
        if any(kind == seen for seen, _batch in pairs):
            refuse("designations", f"The designation {kind} is given twice.", f"认定类型 {kind} 重复出现。")
        try:
            parse_batch(batch)
        except DesignationInvalid as error:   # reported against this column, naming the kind
            refuse("designations", f"{kind}: {' '.join(error.errors['designation_batch'])}",
                  f"{kind}：{''.join(error.errors_zh['designation_batch'])}")
        pairs.append((kind, clean_text("batch", batch)))
    return pairs


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
