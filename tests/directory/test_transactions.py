"""One request is one transaction; SQLite is opened safely; a locked database gives 503."""
from sqlalchemy import text
from sqlite_locks import SQLITE_ONLY, write_lock_answer, write_lock_held

from directory import create_app
from directory.database import get_engine, get_session
from directory.institutions.schemas import InstitutionInSchema
from directory.institutions.service import create_institution

KUNSHAN = {"name": "昆山市中小企业服务中心", "level": "county", "region_code": "320583", "services": ["policy"]}


def test_a_request_that_fails_after_writing_leaves_nothing(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production

    @app.post("/api/v1/_test/write-then-fail")
    def write_then_fail():
        create_institution(get_session(), fields=InstitutionInSchema().load(KUNSHAN))
        raise RuntimeError("boom after the write")

    client = app.test_client()
    response = client.post("/api/v1/_test/write-then-fail")
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)  # no stack trace leaks out
    assert client.get("/api/v1/institutions").json == []


def test_a_request_that_answers_4xx_after_writing_leaves_nothing(app):
    @app.post("/api/v1/_test/write-then-refuse")
    def write_then_refuse():
        create_institution(get_session(), fields=InstitutionInSchema().load(KUNSHAN))
        return {"refused": True}, 409

    client = app.test_client()
    assert client.post("/api/v1/_test/write-then-refuse").status_code == 409
    assert client.get("/api/v1/institutions").json == []


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context(), get_engine().connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


@SQLITE_ONLY
def test_write_requests_take_the_sqlite_write_lock_at_begin(app):
    seen = []

    @app.post("/api/v1/_test/probe")
    def probe():
        session = get_session()
        session.execute(text("SELECT 1"))
        # Another connection cannot take the write lock while this request holds it.
        seen.append(write_lock_answer(app.config["DATABASE_URL"]))
        return {}

    app.test_client().post("/api/v1/_test/probe")
    assert seen == ["database is locked"]


@SQLITE_ONLY
def test_a_database_locked_beyond_the_busy_timeout_gives_503_then_recovers(app, make_admin):
    headers = make_admin()
    impatient = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SQLITE_BUSY_TIMEOUT_MS": 200})
    client = impatient.test_client()
    with write_lock_held(app.config["DATABASE_URL"]):
        response = client.post("/api/v1/institutions", json=KUNSHAN, headers=headers)
        assert response.status_code == 503
        assert response.headers["Retry-After"] and "busy" in response.json["message"]
        assert client.get("/api/v1/regions/320583").status_code == 200  # readers are not blocked
    assert client.post("/api/v1/institutions", json=KUNSHAN, headers=headers).status_code == 201
    with impatient.app_context():
        get_engine().dispose()


@SQLITE_ONLY
def test_a_read_only_post_does_not_take_the_write_lock(app):
    """POST /api/v1/match only reads: it must not block writers (nor other matches)."""
    with write_lock_held(app.config["DATABASE_URL"]):   # a writer holds the lock
        impatient = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SQLITE_BUSY_TIMEOUT_MS": 200})
        response = impatient.test_client().post("/api/v1/match", json={"need": "专利维权", "region_code": "320583"})
        assert response.status_code == 200
