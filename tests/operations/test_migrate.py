"""flask --app wsgi migrate-to URL: a SQLite database copied into PostgreSQL, verified."""
import re
from datetime import timezone

import pytest
from app_support import app_on
from sqlalchemy import create_engine, func, select, text
from table_counts import counts

from directory import create_app
from directory.auth.service import create_administrator, issue_token
from directory.database import write_session
from directory.database import get_engine
from directory.events.models import FinancingEvent
from directory.institutions.merge import merge_institutions
from directory.institutions.models import Institution, InstitutionService
from directory.institutions.revision import DirectoryRevision, current_revision
from directory.operations.migrate import MigrationError, migrate_to

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def source_url(tmp_path_factory, suite_conftest):
    """A SQLite database with the sample network, its events, an administrator and a forward merge."""
    with suite_conftest.database("sqlite", tmp_path_factory, sample=True) as url:
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            with write_session() as session, session.begin():
                admin = create_administrator(session, username="keeper", password="correct-horse-battery",
                                             role="manager")
                issue_token(session, administrator=admin)
                first, last = (session.scalar(select(Institution).order_by(order).limit(1))
                               for order in (Institution.id, Institution.id.desc()))
                # merged_into_id points at a later row: a plain insert in id order would break the FK
                merge_institutions(session, duplicate=first, keep=last)
            get_engine().dispose()
        yield url


@pytest.fixture
def source_app(source_url):
    with app_on(source_url) as app:
        yield app


def test_migrate_to_copies_every_table_and_prints_the_counts(source_app, source_url, blank_postgres_url):
    result = source_app.test_cli_runner().invoke(args=["migrate-to", blank_postgres_url])
    assert result.exit_code == 0, result.output
    source, target = counts(source_url), counts(blank_postgres_url)
    assert source == target
    assert all(source[name] > 0 for name in ("institution", "institution_service", "financing_event",
                                              "event_meeting", "audit_entry", "administrator", "api_token"))
    assert re.search(rf"^institution_service +{source['institution_service']}$", result.output, re.M)
    assert "verified" in result.output


def test_values_survive_the_move(source_app, source_url, blank_postgres_url):
    with source_app.app_context():
        migrate_to(get_engine(), blank_postgres_url)
    target_app = create_app({"DATABASE_URL": blank_postgres_url, "TESTING": True})

    def snapshot(app):
        with app.app_context():
            with write_session() as session:
                merged = session.scalar(select(Institution).where(Institution.merged_into_id.is_not(None)))
                event = next(e for e in session.scalars(select(FinancingEvent).order_by(FinancingEvent.id))
                             if e.sessions)
                services = session.scalars(select(InstitutionService.category_code)
                                           .where(InstitutionService.institution_id == merged.merged_into_id)
                                           .order_by(InstitutionService.category_code)).all()
                values = {"merged": (merged.id, merged.merged_into_id, merged.closed_at, merged.created_at),
                          "services": services, "event": (event.id, event.sessions, event.starts_at),
                          "revision": current_revision(session)}
            get_engine().dispose()
        return values

    source, target = snapshot(source_app), snapshot(target_app)
    assert source.pop("revision") < target.pop("revision")  # every process on the target rebuilds
    assert source == target
    assert target["event"][1] and target["merged"][3].tzinfo is not None
    assert target["merged"][3].utcoffset() == timezone.utc.utcoffset(None)


def test_new_rows_after_the_move_get_fresh_ids(source_app, source_url, blank_postgres_url, add_target_institution):
    with source_app.app_context():
        copied = migrate_to(get_engine(), blank_postgres_url)
    engine = create_engine(blank_postgres_url)
    with engine.connect() as connection:
        highest = connection.scalar(select(func.max(Institution.id)))
    engine.dispose()
    assert add_target_institution(blank_postgres_url) == highest + 1
    assert counts(blank_postgres_url)["institution"] == copied["institution"] + 1


@pytest.fixture
def add_target_institution():
    from directory.institutions.schemas import InstitutionInSchema
    from directory.institutions.service import create_institution

    def add(url: str) -> int:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        fields = InstitutionInSchema().load({"name": "迁移后新增的服务机构", "level": "municipal",
                                             "region_code": "320500", "services": ["policy"]})
        with app.app_context():
            with write_session() as session, session.begin():
                new_id = create_institution(session, fields=fields).id
                create_administrator(session, username="after-move", password="correct-horse-battery",
                                     role="editor")
            get_engine().dispose()
        return new_id
    return add


def test_the_app_on_the_target_serves_the_same_coverage(source_app, blank_postgres_url):
    with source_app.app_context():
        migrate_to(get_engine(), blank_postgres_url)
    target_app = create_app({"DATABASE_URL": blank_postgres_url, "TESTING": True, "RATELIMIT_ENABLED": False})
    for query in ("", "?region_code=320000", "?as_of=2024-12-31"):
        before = source_app.test_client().get(f"/api/v1/stats/coverage{query}")
        after = target_app.test_client().get(f"/api/v1/stats/coverage{query}")
        assert before.status_code == after.status_code == 200
        assert before.json == after.json
    target_app.extensions["sme_engine"].dispose()


def test_a_target_holding_data_is_refused_and_left_alone(source_app, blank_postgres_url):
    with source_app.app_context():
        migrate_to(get_engine(), blank_postgres_url)
    before = counts(blank_postgres_url)
    result = source_app.test_cli_runner().invoke(args=["migrate-to", blank_postgres_url])
    assert result.exit_code != 0
    assert "already holds data" in result.output and "institution" in result.output
    assert counts(blank_postgres_url) == before


def test_reference_data_in_the_target_is_replaced(source_app, source_url, blank_postgres_url):
    target_app = create_app({"DATABASE_URL": blank_postgres_url})
    with target_app.app_context():
        from directory.operations.setup import init_database
        init_database()  # divisions and categories already there, as after init-db
        with get_engine().begin() as connection:
            connection.execute(text("UPDATE directory_revision SET value = 500"))
        get_engine().dispose()
    with source_app.app_context():
        copied = migrate_to(get_engine(), blank_postgres_url)
    assert copied == counts(blank_postgres_url) == counts(source_url)
    engine = create_engine(blank_postgres_url)
    with engine.connect() as connection:
        assert connection.scalar(select(DirectoryRevision.value)) == 501
    engine.dispose()


def test_a_source_behind_the_schema_head_is_refused(tmp_path, blank_postgres_url):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0003')"))
    with pytest.raises(MigrationError, match="init-db"):
        migrate_to(engine, blank_postgres_url)
    engine.dispose()
