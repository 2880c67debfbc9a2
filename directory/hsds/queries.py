"""The SQL behind the HSDS records: which institutions, their last audited change, their context."""
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.categories.service import list_categories
from directory.hsds.mapping import Change, Context
from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.regions.service import region_paths
from directory.timestamps import UTCDateTime


def _last_audited() -> Select:
    return (select(AuditEntry.entity_id.label("institution_id"), func.max(AuditEntry.at).label("at"))
            .where(AuditEntry.entity == "institution").group_by(AuditEntry.entity_id))


def last_changed_column(last):
    """When an institution last changed: its newest audit entry, else ``updated_at``."""
    return func.coalesce(last.c.at, Institution.updated_at, type_=UTCDateTime)


def public_institutions(*, search: str | None = None, modified_after: datetime | None = None,
                        organization_ids: list[int] | None = None, conditions: tuple = ()) -> Select:
    """Active institutions (the public part of the registry) in id order, filtered."""
    stmt = select(Institution).where(Institution.status == InstitutionStatus.active, *conditions)
    if search:
        stmt = stmt.where(_contains(search, Institution.name, Institution.description))
    if organization_ids is not None:
        stmt = stmt.where(Institution.id.in_(organization_ids))
    if modified_after is not None:
        last = _last_audited().subquery()
        stmt = (stmt.outerjoin(last, last.c.institution_id == Institution.id)
                .where(last_changed_column(last) >= modified_after))
    return stmt.order_by(Institution.id)


def public_services(*, search: str | None = None, modified_after: datetime | None = None,
                    organization_ids: list[int] | None = None, category_codes: list[str] | None = None,
                    names: dict[str, str] | None = None, conditions: tuple = ()) -> Select:
    """(institution, category code) pairs of active institutions, in id and code order, filtered.

    ``names`` (code → category name) lets ``search`` find a service by its category's name too.
    """
    institutions = public_institutions(modified_after=modified_after, organization_ids=organization_ids,
                                       conditions=conditions).subquery()
    stmt = (select(Institution, InstitutionService.category_code)
            .join(institutions, institutions.c.id == Institution.id)
            .join(InstitutionService, InstitutionService.institution_id == Institution.id))
    if category_codes is not None:
        stmt = stmt.where(InstitutionService.category_code.in_(category_codes))
    if search:
        by_category = [code for code, name in (names or {}).items() if search.lower() in name.lower()]
        stmt = stmt.where(or_(_contains(search, Institution.name, Institution.description),
                              InstitutionService.category_code.in_(by_category)))
    return stmt.order_by(Institution.id, InstitutionService.category_code)


def _contains(text: str, *columns):
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(func.lower(column).like(pattern.lower(), escape="\\") for column in columns))


def last_changes(session: Session, institution_ids: list[int] | None) -> dict[int, Change]:
    """The newest audit entry of each institution (of all of them with ``None``)."""
    newest = select(func.max(AuditEntry.id)).where(AuditEntry.entity == "institution")
    if institution_ids is not None:
        if not institution_ids:
            return {}
        newest = newest.where(AuditEntry.entity_id.in_(institution_ids))
    entries = session.execute(select(AuditEntry.entity_id, AuditEntry.at, AuditEntry.action, AuditEntry.actor)
                              .where(AuditEntry.id.in_(newest.group_by(AuditEntry.entity_id))))
    return {row.entity_id: Change(row.at, row.action, row.actor) for row in entries}


def context_for(session: Session, institutions: list[Institution], *, all_changes: bool = False) -> Context:
    """Categories, division paths and last changes for these institutions."""
    ids = None if all_changes else [i.id for i in institutions]
    return Context(categories={c.code: c for c in list_categories(session)},
                   paths=region_paths(session, {i.region_code for i in institutions}),
                   changes=last_changes(session, ids))
