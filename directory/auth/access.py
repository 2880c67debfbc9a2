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
    administer = "administer"               # the administration pages and the administrators' API (a region scope)
    edit_directory = "edit_directory"       # institutions, events, designations, imports, inside the scope
    manage_accounts = "manage_accounts"     # accounts and their tokens, inside the scope
    handle_requests = "handle_requests"     # service requests: staff their institution's, others inside the scope


PERMISSIONS: dict[AdministratorRole, frozenset[Permission]] = {
    AdministratorRole.editor: frozenset({Permission.administer, Permission.edit_directory,
                                         Permission.handle_requests}),
    AdministratorRole.manager: frozenset({Permission.administer, Permission.edit_directory,
                                          Permission.manage_accounts, Permission.handle_requests}),
    AdministratorRole.staff: frozenset({Permission.handle_requests}),   # bound to one institution, no region scope
}


def granted(administrator: Administrator) -> frozenset[Permission]:
    """The permissions ``administrator``'s role grants (whether or not the account is active)."""
    return PERMISSIONS.get(AdministratorRole(administrator.role), frozenset())


def roles_with(permission: Permission) -> list[AdministratorRole]:
    """The roles that grant ``permission`` (for queries over accounts)."""
    return [role for role, permissions in PERMISSIONS.items() if permission in permissions]


def bound_to_institution(administrator: Administrator) -> bool:
    """Whether the account acts for its one institution (staff) rather than inside a region scope:
    its role does not grant ``administer``."""
    return Permission.administer not in granted(administrator)


def may(administrator: Administrator, permission: Permission) -> bool:
    """Whether ``administrator`` (an active account) holds ``permission`` through its role."""
    return administrator.active and permission in granted(administrator)


def in_scope(session: Session, administrator: Administrator, region_code: str | None) -> bool:
    """Whether ``administrator`` may change things placed in ``region_code`` (None: national).

    A staff account has no region scope at all: it acts on its own institution's service requests only."""
    if bound_to_institution(administrator):
        return False
    if administrator.region_code is None:
        return True
    return region_code is not None and is_within(session, region_code, administrator.region_code)


def may_act_for(administrator: Administrator, institution_id: int) -> bool:
    """Whether an account bound to one institution (staff) acts for ``institution_id``."""
    return administrator.institution_id is not None and administrator.institution_id == institution_id


def may_in(session: Session, administrator: Administrator, permission: Permission, region_code: str | None) -> bool:
    """Whether ``administrator`` holds ``permission`` for things placed in ``region_code``."""
    return may(administrator, permission) and in_scope(session, administrator, region_code)
