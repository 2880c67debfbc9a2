"""Settings read from the environment (see README "Settings")."""
import logging
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'sme.sqlite3'}"

log = logging.getLogger(__name__)


def settings_from_environment() -> dict:
    """Return the Flask config values taken from the environment."""
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        log.warning("SECRET_KEY is not set: using a random key for this run; "
                    "sessions will not survive a restart.")
        secret_key = secrets.token_hex(32)
    return {
        "DATABASE_URL": normalise_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        "SECRET_KEY": secret_key,
        # How stale a process's matching index may get: changes made anywhere show in every
        # process's matches within this many seconds (plus one rebuild). 0: rebuild before answering.
        "MATCHING_REFRESH_SECONDS": float(os.environ.get("SME_MATCHING_REFRESH_SECONDS", 1)),
        # How often a process asks the database for the directory's revision when the change file
        # beside it did not move (changes from other machines, or tools writing to the database).
        "MATCHING_CHECK_SECONDS": float(os.environ.get("SME_MATCHING_CHECK_SECONDS", 1)),
        **mail_and_jobs_settings(),
    }


def mail_and_jobs_settings() -> dict:
    """``MAIL_*`` (SMTP; without ``MAIL_SERVER`` mail goes to the log and ``MAIL_FOLDER``) and the job queue."""
    env = os.environ
    settings = {
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_FROM": env.get("MAIL_FROM") or "SME Service Network <noreply@localhost>",
        "MAIL_FOLDER": env.get("MAIL_FOLDER") or str(INSTANCE_DIR / "mail"),
        "MAIL_RETRY_DELAYS": tuple(_number(f"MAIL_RETRY_DELAYS item {part!r}", part, int)
                                   for part in env.get("MAIL_RETRY_DELAYS", "60,300,1800,7200,43200").split(",")),
        # The job queue: Redis when REDIS_URL is set, else this SQLite file (made on first use).
        "REDIS_URL": env.get("REDIS_URL") or None,
        "JOBS_SQLITE_PATH": env.get("SME_JOBS_FILE") or str(INSTANCE_DIR / "jobs.sqlite3"),
        "JOBS_NAME": env.get("SME_JOBS_NAME") or "sme",
    }
    for key, default, kind in (("MAIL_PORT", None, int), ("MAIL_TIMEOUT", 20, float), ("MAIL_MAX_ATTEMPTS", 6, int),
                               ("MAIL_LEASE_SECONDS", 600, int), ("MAIL_KEEP_DAYS", 90, int),
                               ("OUTBOX_EVERY_SECONDS", 10, int)):
        name = key if key.startswith("MAIL_") else f"SME_{key}"
        raw = env.get(name)
        settings[key] = _number(name, raw, kind) if raw else default
    return settings


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str, raw: str, kind: type):
    try:
        value = kind(raw.strip())
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number.") from None
    if value < 0:
        raise SystemExit(f"{name}={raw!r} may not be negative.")
    return value


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
