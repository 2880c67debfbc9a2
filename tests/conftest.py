"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL tests use a schema of their own in the database named by SME_TEST_POSTGRES_URL
(default: postgresql://postgres@127.0.0.1:5432/test). Without a server they are skipped,
unless SME_REQUIRE_POSTGRES=1 (set by CI), which turns the skip into a failure.
"""
import os
import sys
import uuid
from contextlib import contextmanager

import pytest
from app_support import app_on
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from directory import create_app
from directory.auth.service import create_administrator, issue_token
from directory.database import write_session
from directory.operations.setup import init_database
from directory.config import normalise_database_url
from directory.database import get_engine
from directory.sample_events import load_sample_events
from directory.sample_network import load_sample_network

POSTGRES_URL = normalise_database_url(
    os.environ.get("SME_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
# Hypothesis: the same examples on every run by default, so `make test` and CI give one answer
# for one commit; SME_HYPOTHESIS_PROFILE=explore draws fresh examples (and keeps a local database
# of failures) to hunt for new ones.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("SME_HYPOTHESIS_PROFILE", "repeatable"))

MUTABLE_TABLES = ("service_feedback", "service_request_event", "service_assignment", "service_request",
                  "audit_entry", "match_request_category", "match_request", "event_outcome", "event_meeting",
                  "event_registration", "event_financier", "event_tag", "financing_event", "financier",
                  "api_token", "administrator", "designation", "institution_service", "institution",
                  "directory_change", "rate_limit_counter", "outbox_message")


def skip_or_fail(variable: str, reason: str) -> None:
    """Skip with ``reason``, or fail when CI asked for everything to run (``variable=1``)."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} ({variable}=1 requires it)")
    pytest.skip(reason)


@contextmanager
def postgres_schema():
    """A fresh schema in the test PostgreSQL database, dropped afterwards."""
    engine = create_engine(POSTGRES_URL, pool_pre_ping=True)   # survives the fault tests' server restart
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        skip_or_fail("SME_REQUIRE_POSTGRES",
                     f"PostgreSQL not reachable at {POSTGRES_URL} ({error.orig.__class__.__name__}); "
                     "start it or set SME_TEST_POSTGRES_URL to run the PostgreSQL half of the suite")
    schema = f"sme_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@contextmanager
def database(backend: str, tmp_path_factory, *, sample: bool):
    """A migrated database with reference data (and the sample network if ``sample``)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'sme.sqlite3'}"
        holder = contextmanager(lambda: (yield url))()
    else:
        holder = postgres_schema()
    with holder as url:
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            init_database()
            if sample:
                with write_session() as session, session.begin():
                    load_sample_network(session)
                    load_sample_events(session)
            get_engine().dispose()
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    """The database engine under test."""
    return request.param


@pytest.fixture(scope="session")
def empty_database_url(backend, tmp_path_factory):
    with database(backend, tmp_path_factory, sample=False) as url:
        yield url


@pytest.fixture(scope="session")
def sample_database_url(backend, tmp_path_factory):
    with database(backend, tmp_path_factory, sample=True) as url:
        yield url


@pytest.fixture
def blank_postgres_url():
    """A PostgreSQL schema of its own with no tables, for a test that fills it (migrations, load)."""
    with postgres_schema() as url:   # skips, or fails under SME_REQUIRE_POSTGRES=1
        yield url


@pytest.fixture
def app(empty_database_url):
    """An app on a database with reference data and no institutions; cleaned after the test."""
    with app_on(empty_database_url) as app:
        yield app
        with app.app_context(), get_engine().begin() as conn:
            for table in MUTABLE_TABLES:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def sample_app(sample_database_url):
    """An app on the sample network. Tests using it must not write."""
    with app_on(sample_database_url) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sample_client(sample_app):
    return sample_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def upload_folder(app, tmp_path):
    """The folder of ``app``'s web import uploads: the test's own."""
    app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path)
    return tmp_path


@pytest.fixture
def make_admin(app):
    """Create an administrator (a national manager by default) and return its auth headers."""
    def make(username: str = "national", region_code: str | None = None,
             password: str = "correct-horse-battery", role: str = "manager") -> dict:
        with app.app_context(), write_session() as session, session.begin():
            admin = create_administrator(session, username=username, password=password,
                                         region_code=region_code, role=role)
            token, _ = issue_token(session, administrator=admin)
        return {"Authorization": f"Bearer {token}"}
    return make


@pytest.fixture
def add_institution(app):
    """Insert an institution through the service layer; returns its id."""
    from directory.institutions.schemas import InstitutionInSchema
    from directory.institutions.service import create_institution

    def add(name: str, level: str, region_code: str | None, services=("policy",), **extra) -> int:
        fields = InstitutionInSchema().load({"name": name, "level": level, "region_code": region_code,
                                             "services": list(services), **extra})
        with app.app_context(), write_session() as session, session.begin():
            return create_institution(session, fields=fields).id
    return add


@pytest.fixture
def set_history(app):
    """Set an institution's created_at (and closed_at), as the sample network's history does."""
    from datetime import datetime

    from directory.institutions.models import Institution

    def set_dates(institution_id: int, created_at: str, closed_at: str | None = None) -> None:
        with app.app_context(), write_session() as session, session.begin():
            institution = session.get(Institution, institution_id)
            institution.created_at = datetime.fromisoformat(created_at)
            institution.closed_at = datetime.fromisoformat(closed_at) if closed_at else None
    return set_dates


_THIS_MODULE = sys.modules[__name__]   # now; other conftests later take the name "conftest" too


@pytest.fixture(scope="session")
def suite_conftest():
    """This module, for conftests and tests below it (every conftest is named "conftest": no import)."""
    return _THIS_MODULE
