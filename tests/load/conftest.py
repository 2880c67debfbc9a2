"""Databases for the load and fault tests: a SQLite file or a throw-away PostgreSQL schema."""
import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def server_database(request, tmp_path, suite_conftest):
    """An empty database URL for the test's own server processes (the test seeds it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
        return
    with suite_conftest.postgres_schema() as url:   # skips, or fails under SME_REQUIRE_POSTGRES=1
        yield url
