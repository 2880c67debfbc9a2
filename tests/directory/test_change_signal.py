"""How a process learns of directory changes without asking the database on every match.

A commit that changes the directory replaces this machine's change file; a process asks the
database for the revision when that file moved, and at least every ``MATCHING_CHECK_SECONDS``
for changes the file cannot tell (another machine, a tool writing to the database directly).
"""
import time

import pytest
from sqlalchemy import event, text

from directory import create_app
from directory.change_signal import ChangeSignal, signal_path
from directory.database import get_engine, write_session
from directory.institutions.revision import mark_directory_changed

NEED = {"need": "想申请专利，保护我们的发明", "region_code": "320583"}


def providers(client) -> list[str]:
    answer = client.post("/api/v1/match", json=NEED)
    assert answer.status_code == 200
    return [p["institution"]["name"] for p in answer.json["providers"]]


@pytest.fixture
def app_checking_every(empty_database_url):
    """Another app process on the same database, asking the database at least every so many seconds."""
    made = []

    def make(seconds: float):
        made.append(create_app({"DATABASE_URL": empty_database_url, "TESTING": True,
                                "MATCHING_CHECK_SECONDS": seconds}))
        return made[-1]
    yield make
    for other in made:
        with other.app_context():
            get_engine().dispose()


@pytest.fixture
def second_app(app_checking_every):
    return app_checking_every(0.5)


def statements_during(app, action) -> list[str]:
    """The SQL statements ``app``'s engine ran while ``action()`` ran."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_between_changes_a_match_does_not_ask_the_database(app, app_checking_every, add_institution):
    add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))
    patient = app_checking_every(3600)
    client = patient.test_client()
    assert providers(client) == ["昆山市知识产权服务中心"]    # warm: index built, provider described
    assert statements_during(patient, lambda: [providers(client) for _ in range(20)]) == []
    add_institution("昆山市中小企业知识产权服务站", "county", "320583", ("ip",))
    assert len(statements_during(patient, lambda: providers(client))) > 0     # announced: asked at once


def test_a_change_committed_by_another_process_is_in_the_next_match(client, second_app, add_institution):
    other = second_app.test_client()
    assert providers(other) == []
    add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))   # committed by "this" process
    assert providers(other) == ["昆山市知识产权服务中心"]                    # at once, not after 0.5 s


def test_a_change_the_signal_cannot_tell_is_seen_within_the_check_interval(app, second_app, add_institution):
    other = second_app.test_client()
    assert providers(other) == []
    iid = add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))
    assert providers(other) == ["昆山市知识产权服务中心"]
    # Another machine closes it: the database changes, this machine's change file does not.
    with app.app_context():
        signal = app.extensions["sme_change_signal"]
        before = signal.token()
        with get_engine().begin() as connection:
            connection.execute(text("UPDATE institution SET status = 'closed' WHERE id = :id"), {"id": iid})
        with write_session() as session, session.begin():
            mark_directory_changed(session, [iid])
            session.info.clear()          # as on the other machine: nothing announced here
        assert signal.token() == before
    deadline = time.monotonic() + 5
    while providers(other) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert providers(other) == []
    assert time.monotonic() < deadline


def test_when_the_change_file_cannot_be_written_every_match_asks_the_database(
        app, client, second_app, add_institution, tmp_path):
    other = second_app.test_client()
    assert providers(other) == []
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where a folder should be")
    broken = ChangeSignal(blocked / "changes")
    broken.announce()
    assert not broken.usable
    for each in (app, second_app):
        each.extensions["sme_matching_index"]._signal = broken
    add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))
    assert providers(other) == ["昆山市知识产权服务中心"]


def test_the_change_file_lies_beside_a_sqlite_database_and_in_the_instance_folder_for_a_server(tmp_path):
    assert signal_path(f"sqlite:///{tmp_path}/sme.sqlite3", "/srv/instance") == tmp_path / "sme.sqlite3-changes"
    server = signal_path("postgresql+psycopg://u:secret@db.example/sme", tmp_path)
    assert server.parent == tmp_path and "secret" not in server.name
    assert server != signal_path("postgresql+psycopg://u:secret@db.example/other", tmp_path)
