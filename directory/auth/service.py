"""Administrators, passwords, bearer tokens, region scope and who may manage which account.

Account rules (``may_manage``): a ``manager`` manages the accounts whose scope lies inside its
own (a national manager: all of them); an ``editor`` manages none. Nobody grants a scope wider
than their own, and nobody changes their own role, scope or active flag. Functions that change
an account take ``by``: the administrator acting, or None for the command line (no limit).
"""
import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session, SQLModel
from werkzeug.security import check_password_hash, generate_password_hash

from directory.auth.access import Permission, in_scope, may, may_in
from directory.auth.models import Administrator, AdministratorRole, ApiToken
from directory.auth.passwords import explain, explain_in_both_languages, password_weakness
from directory.regions.service import get_region
from directory.timestamps import utcnow

TOKEN_LIFETIME = timedelta(hours=8)
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
# Checked against when the user does not exist, so both paths cost the same time.
_DUMMY_HASH = generate_password_hash("timing-equaliser")
ROLES = tuple(role.value for role in AdministratorRole)


class AccountError(ValueError):
    """An administrator account cannot be created or changed as asked."""


class NotPermitted(AccountError):
    """The acting administrator may not manage that account (or grant that scope)."""


class WeakPassword(AccountError):
    """A password that may not be used; ``reason`` says why (see ``directory.auth.passwords``)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(explain_in_both_languages(reason))

    def message(self) -> str:
        """Why, in the current language."""
        return explain(self.reason)


def check_new_password(password: str | None, *, username: str | None = None) -> None:
    """Raise ``WeakPassword`` unless ``username`` may choose ``password``."""
    reason = password_weakness(password, username=username)
    if reason is not None:
        raise WeakPassword(reason)


def _institution_place(session: Session, institution_id: int):
    """The institution's row (id, region_code), or None. Read through the table the account's foreign
    key names, since accounts sit below institutions in the layers (docs/architecture.md)."""
    institution = SQLModel.metadata.tables["institution"]
    return session.execute(select(institution.c.id, institution.c.region_code)
                           .where(institution.c.id == institution_id)).first()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    return str(role)


def may_manage(session: Session, actor: Administrator, target_region_code: str | None) -> bool:
    """Whether ``actor`` may create or change accounts scoped to ``target_region_code`` (None: national)."""
    return may_in(session, actor, Permission.manage_accounts, target_region_code)


def _require_manage(session: Session, by: Administrator | None, target: Administrator | None,
                    region_code: str | None) -> None:
    if by is None:
        return
    if target is not None and target.id == by.id:
        raise NotPermitted("Administrators cannot change their own role, scope or access.")
    if not may_manage(session, by, region_code):
        raise NotPermitted(f"Administrator {by.username} may not manage accounts in "
                           f"{region_code or 'national scope'}.")


def create_administrator(session: Session, *, username: str, password: str,
                         region_code: str | None = None, role: str = AdministratorRole.editor,
                         by: Administrator | None = None, institution_id: int | None = None,
                         email: str | None = None) -> Administrator:
    """Create an administrator with ``role`` scoped to ``region_code`` (None: national).

    A ``staff`` account belongs to ``institution_id`` and takes that institution's division as the
    scope its managers need (it has no scope of its own: see ``in_scope``)."""
    if not USERNAME_PATTERN.match(username or ""):
        raise AccountError("Username must be 3-64 letters, digits or _ . @ -.")
    check_new_password(password, username=username)
    role = _check_role(role)
    if role == AdministratorRole.staff:
        institution = _institution_place(session, institution_id) if institution_id else None
        if institution is None:
            raise AccountError(f"A staff account needs an existing institution (got {institution_id}).")
        region_code = institution.region_code
    elif institution_id is not None:
        raise AccountError("Only staff accounts belong to an institution.")
    if region_code is not None and get_region(session, region_code) is None:
        raise AccountError(f"Unknown region code {region_code}.")
    _require_manage(session, by, None, region_code)
    if session.scalar(select(Administrator).where(Administrator.username == username)):
        raise AccountError(f"Administrator {username} already exists.")
    admin = Administrator(username=username, password_hash=generate_password_hash(password),
                          region_code=region_code, role=role, institution_id=institution_id, email=email)
    session.add(admin)
    session.flush()
    return admin


def get_administrator(session: Session, username: str) -> Administrator | None:
    """The administrator called ``username``, or None."""
    return session.scalar(select(Administrator).where(Administrator.username == username))


def accounts_in_scope(session: Session, actor: Administrator) -> list[Administrator]:
    """The accounts ``actor`` may manage (none for an editor), by username."""
    if not may(actor, Permission.manage_accounts):
        return []
    rows = session.scalars(select(Administrator).order_by(Administrator.username)).all()
    return [row for row in rows if in_scope(session, actor, row.region_code)]


class WrongPassword(AccountError):
    """The current password given to confirm a change is wrong, or the new one is the same."""


def change_password(session: Session, admin: Administrator, old: str, new: str) -> None:
    """Change ``admin``'s own password after checking the old one; its older sessions and tokens end."""
    if not check_password_hash(admin.password_hash, old or ""):
        raise WrongPassword("The current password is wrong.")
    check_new_password(new, username=admin.username)
    if check_password_hash(admin.password_hash, new):
        raise WrongPassword("The new password must differ from the current one.")
    _replace_password(session, admin, new)


def set_password(session: Session, *, target: Administrator, password: str,
                 by: Administrator | None = None) -> None:
    """Reset ``target``'s password (a manager in scope, or the command line); its sessions and tokens end."""
    _require_manage(session, by, target, target.region_code)
    check_new_password(password, username=target.username)
    _replace_password(session, target, password)


def _replace_password(session: Session, admin: Administrator, password: str) -> None:
    # Web sessions end by themselves (they carry a fingerprint of the old hash); bearer tokens
    # were issued against the old password, so whoever held it must not keep writing with them.
    admin.password_hash = generate_password_hash(password)
    revoke_all_tokens(session, admin)
    session.flush()


def set_active(session: Session, *, target: Administrator, active: bool,
               by: Administrator | None = None) -> None:
    """Let ``target`` log in again, or stop it (its sessions and tokens stop working at once)."""
    _require_manage(session, by, target, target.region_code)
    target.active = bool(active)
    if not target.active:   # reactivating later must not bring the old sessions or tokens back
        end_web_sessions(target)
        revoke_all_tokens(session, target)
    session.flush()


def end_web_sessions(admin: Administrator) -> None:
    """End every web session ``admin`` has open now, in any browser (saved with the session)."""
    admin.sessions_valid_after = utcnow()


def log_out_everywhere(session: Session, admin: Administrator) -> int:
    """End ``admin``'s web sessions in every browser and revoke all its bearer tokens; returns how many."""
    end_web_sessions(admin)
    revoked = revoke_all_tokens(session, admin)
    session.flush()
    return revoked


def revoke_all_tokens(session: Session, admin: Administrator) -> int:
    """Revoke every token of ``admin`` that still works (each change audited); returns how many."""
    now = utcnow()
    tokens = session.scalars(select(ApiToken).where(ApiToken.administrator_id == admin.id,
                                                    ApiToken.revoked_at.is_(None),
                                                    ApiToken.expires_at > now)).all()
    for token in tokens:
        token.revoked_at = now
    session.flush()
    return len(tokens)


def set_role(session: Session, *, target: Administrator, role: str, by: Administrator | None = None) -> None:
    """Make ``target`` an ``editor``, a ``manager`` (or, keeping its institution, ``staff`` again)."""
    role = _check_role(role)
    _require_manage(session, by, target, target.region_code)
    if role == AdministratorRole.staff and target.institution_id is None:
        raise AccountError("A staff account needs an institution; create a new staff account instead.")
    if role != AdministratorRole.staff:
        target.institution_id = None
    target.role = role
    session.flush()


def authenticate(session: Session, *, username: str, password: str) -> Administrator | None:
    """The active administrator with these credentials, or None."""
    admin = session.scalar(select(Administrator).where(Administrator.username == username))
    if admin is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(admin.password_hash, password) or not admin.active:
        return None
    return admin


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, administrator: Administrator) -> tuple[str, int]:
    """A new bearer token for ``administrator`` and its lifetime in seconds."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_digest(token), administrator_id=administrator.id,
                         expires_at=utcnow() + TOKEN_LIFETIME))
    session.flush()
    return token, int(TOKEN_LIFETIME.total_seconds())


def administrator_for_token(session: Session, token: str) -> Administrator | None:
    """The active administrator holding this unexpired, unrevoked token, or None."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    admin = session.get(Administrator, row.administrator_id)
    return admin if admin is not None and admin.active else None


def list_tokens(session: Session, admin: Administrator, *,
                managed: bool = False) -> list[tuple[ApiToken, Administrator]]:
    """``admin``'s API tokens (with ``managed``: also those of the accounts it manages), newest first."""
    holders = {admin.id: admin}
    if managed:
        holders |= {row.id: row for row in accounts_in_scope(session, admin)}
    tokens = session.scalars(select(ApiToken).where(ApiToken.administrator_id.in_(holders))
                             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()
    return [(token, holders[token.administrator_id]) for token in tokens]


def revoke_token(session: Session, token_id: int, by: Administrator) -> ApiToken | None:
    """Revoke a token of ``by`` (or of an account it manages); None when there is no such token."""
    token = session.get(ApiToken, token_id)
    if token is None:
        return None
    if token.administrator_id != by.id:
        holder = session.get(Administrator, token.administrator_id)
        if not may_manage(session, by, holder.region_code):
            raise NotPermitted(f"Administrator {by.username} may not revoke that token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token
