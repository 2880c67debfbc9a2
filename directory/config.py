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
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
