"""flask --app wsgi backup DEST | restore SRC, on SQLite (online backup API) and PostgreSQL (pg_dump)."""
import shutil
import sqlite3
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, select, text
from table_counts import counts

from directory import create_app
from directory.database import get_engine
from directory.institutions.revision import DirectoryRevision
from directory.operations.backup import BackupError, backup


def revision(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.scalar(select(DirectoryRevision.value))
    engine.dispose()
    return value


def app_on(url: str):
    return create_app({"DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture(scope="module")
def sample_sqlite(tmp_path_factory, suite_conftest):
    """A SQLite file with the sample network and events; tests copy it before writing."""
    with suite_conftest.database("sqlite", tmp_path_factory, sample=True) as url:
        yield url


@pytest.fixture
def live_sqlite(sample_sqlite, tmp_path):
    """A private copy of the sample database and an app running on it."""
    copy = tmp_path / "live.sqlite3"
    with sqlite3.connect(sample_sqlite.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    app = app_on(f"sqlite:///{copy}")
    yield app
    with app.app_context():
        get_engine().dispose()


def test_backup_taken_during_an_open_write_is_consistent(live_sqlite, tmp_path):
    url = live_sqlite.config["DATABASE_URL"]
    committed = counts(url)
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    assert writer.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"  # as the app runs it
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM event_tag")
    writer.execute("INSERT INTO directory_revision (id, value) VALUES (2, 0)")
    try:
        result = live_sqlite.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    assert f"copy.sqlite3 ({(tmp_path / 'copy.sqlite3').stat().st_size:,} bytes)" in result.output
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert counts(f"sqlite:///{tmp_path / 'copy.sqlite3'}") == committed
    assert committed["event_tag"] > 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.name.startswith("copy.sqlite3-")]


def test_backup_into_a_directory_names_the_file_by_time(live_sqlite, tmp_path):
    (tmp_path / "backups").mkdir()
    with live_sqlite.app_context():
        written = backup(get_engine(), tmp_path / "backups")
    assert written.parent == tmp_path / "backups"
    assert written.name.startswith("sme-") and written.suffix == ".sqlite3"


def test_restore_brings_deleted_rows_back_while_the_app_runs(live_sqlite, tmp_path):
    url = live_sqlite.config["DATABASE_URL"]
    runner, client = live_sqlite.test_cli_runner(), live_sqlite.test_client()
    assert runner.invoke(args=["backup", str(tmp_path / "before.sqlite3")]).exit_code == 0
    before, coverage = counts(url), client.get("/api/v1/stats/coverage").json
    with live_sqlite.app_context(), get_engine().begin() as connection:
        for table in ("event_tag", "institution_service", "audit_entry"):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("UPDATE directory_revision SET value = value + 7"))
    deleted_at = revision(url)
    assert counts(url)["institution_service"] == 0

    result = runner.invoke(args=["restore", str(tmp_path / "before.sqlite3"), "--yes"])
    assert result.exit_code == 0, result.output
    assert counts(url) == before
    assert revision(url) == deleted_at + 1  # never a value a process may have built its index at
    assert client.get("/api/v1/stats/coverage").json == coverage
    live = sqlite3.connect(url.removeprefix("sqlite:///"))
    assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    live.close()


def test_restore_refuses_a_file_that_is_not_a_backup(live_sqlite, tmp_path):
    url = live_sqlite.config["DATABASE_URL"]
    before = counts(url)
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database" * 100)
    result = live_sqlite.test_cli_runner().invoke(args=["restore", str(tmp_path / "junk.sqlite3"), "--yes"])
    assert result.exit_code != 0 and "Restore failed" in result.output
    assert counts(url) == before


def test_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")  # never connected
    with pytest.raises(BackupError, match="pg_dump not found"):
        backup(engine, tmp_path / "sme.dump")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def sample_postgres(tmp_path_factory, suite_conftest):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            suite_conftest.skip_or_fail("SME_REQUIRE_POSTGRES", f"{tool} is not installed (package postgresql-client)")
    with suite_conftest.database("postgresql", tmp_path_factory, sample=True) as url:
        yield url


@pytest.fixture
def scratch_database(suite_conftest):
    """A new, empty PostgreSQL database to restore into, dropped afterwards."""
    name = f"sme_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(suite_conftest.POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.mark.postgres
def test_pg_dump_backup_restores_into_a_fresh_database(sample_postgres, scratch_database, tmp_path, suite_conftest):
    app = app_on(sample_postgres)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "sme.dump")])
    assert result.exit_code == 0, result.output
    assert "sme.dump" in result.output
    target = create_engine(suite_conftest.POSTGRES_URL).url.set(database=scratch_database)
    # The documented restore: pg_restore --clean --if-exists --no-owner -d URL DEST
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                    f"--dbname={target.set(drivername='postgresql').render_as_string(hide_password=False)}",
                    str(tmp_path / "sme.dump")], check=True, capture_output=True)
    schema = sample_postgres.split("search_path%3D")[1]
    restored = target.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"
    assert counts(restored) == counts(sample_postgres)
    assert counts(restored)["institution"] == 1780
    with app.app_context():
        get_engine().dispose()


@pytest.mark.postgres
def test_restore_command_on_postgresql(sample_postgres, tmp_path):
    app = app_on(sample_postgres)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "sme.dump")]).exit_code == 0
    before, coverage = counts(sample_postgres), app.test_client().get("/api/v1/stats/coverage").json
    with app.app_context():
        with get_engine().begin() as connection:
            connection.execute(text("DELETE FROM event_tag"))
        get_engine().dispose()
    deleted_at = revision(sample_postgres)

    result = runner.invoke(args=["restore", str(tmp_path / "sme.dump"), "--yes"])
    assert result.exit_code == 0, result.output
    assert counts(sample_postgres) == before
    assert revision(sample_postgres) == deleted_at + 1
    assert app.test_client().get("/api/v1/stats/coverage").json == coverage
    with app.app_context():
        get_engine().dispose()
