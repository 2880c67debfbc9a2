"""Administrators, passwords, bearer tokens and region scope."""
import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session
from werkzeug.security import check_password_hash, generate_password_hash

from directory.auth.models import Administrator, ApiToken
from directory.regions.service import get_region, is_within
from directory.timestamps import utcnow

TOKEN_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
# Checked against when the user does not exist, so both paths cost the same time.
_DUMMY_HASH = generate_password_hash("timing-equaliser")


class AccountError(ValueError):
    """An administrator account cannot be created as asked."""


def create_administrator(session: Session, *, username: str, password: str,
                         region_code: str | None = None) -> Administrator:
    """Create an administrator scoped to ``region_code`` (None: national)."""
    if not USERNAME_PATTERN.match(username or ""):
        raise AccountError("Username must be 3-64 letters, digits or _ . @ -.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if region_code is not None and get_region(session, region_code) is None:
        raise AccountError(f"Unknown region code {region_code}.")
    if session.scalar(select(Administrator).where(Administrator.username == username)):
        raise AccountError(f"Administrator {username} already exists.")
    admin = Administrator(username=username, password_hash=generate_password_hash(password),
                          region_code=region_code)
    session.add(admin)
    session.flush()
    return admin


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


def in_scope(session: Session, administrator: Administrator, region_code: str | None) -> bool:
    """Whether ``administrator`` may change things placed in ``region_code`` (None: national)."""
    if administrator.region_code is None:
        return True
    return region_code is not None and is_within(session, region_code, administrator.region_code)
