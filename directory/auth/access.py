"""Who may do what: the one place access is decided.

An administrator acts inside its region scope (a division and everything below it; national
when it has none), and its role grants permissions. The API's guards (``auth.api``), the
administration pages (``auth.login``, ``admin``) and the access matrix test all ask here; a new
role (e.g. staff bound to one institution) is one more line of ``PERMISSIONS``.
"""
from enum import StrEnum

from sqlmodel import Session

from directory.auth.models import Administrator, AdministratorRole
from directory.regions.service import is_within


class Permission(StrEnum):
    edit_directory = "edit_directory"       # institutions, events, designations, imports, inside the scope
    manage_accounts = "manage_accounts"     # accounts and their tokens, inside the scope
    handle_requests = "handle_requests"     # service requests: staff their institution's, others inside the scope


PERMISSIONS: dict[AdministratorRole, frozenset[Permission]] = {
    AdministratorRole.editor: frozenset({Permission.edit_directory, Permission.handle_requests}),
    AdministratorRole.manager: frozenset({Permission.edit_directory, Permission.manage_accounts,
                                          Permission.handle_requests}),
    AdministratorRole.staff: frozenset({Permission.handle_requests}),   # bound to one institution, no region scope
}


def may(administrator: Administrator, permission: Permission) -> bool:
    """Whether ``administrator`` (an active account) holds ``permission`` through its role."""
    return administrator.active and permission in PERMISSIONS.get(AdministratorRole(administrator.role), frozenset())


def in_scope(session: Session, administrator: Administrator, region_code: str | None) -> bool:
    """Whether ``administrator`` may change things placed in ``region_code`` (None: national).

    A staff account has no region scope at all: it acts on its own institution's service requests only."""
    if administrator.role == AdministratorRole.staff:
        return False
    if administrator.region_code is None:
        return True
    return region_code is not None and is_within(session, region_code, administrator.region_code)


def may_in(session: Session, administrator: Administrator, permission: Permission, region_code: str | None) -> bool:
    """Whether ``administrator`` holds ``permission`` for things placed in ``region_code``."""
    return may(administrator, permission) and in_scope(session, administrator, region_code)
