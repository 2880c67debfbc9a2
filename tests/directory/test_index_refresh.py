"""A process's matching index follows changes made anywhere: at once with no refresh interval,
and within the stated bound (refresh interval + one rebuild) in the background otherwise."""
import time

from directory import create_app
from directory.database import get_engine


def search(client, q):
    return [row["name"] for row in client.get(f"/api/v1/institutions?q={q}").json]


def test_background_refresh_shows_a_change_made_elsewhere_within_the_bound(app, client, empty_database_url,
                                                                           add_institution):
    add_institution("苏州市中小企业服务中心", "municipal", "320500", ("policy",))
    other = create_app({"DATABASE_URL": empty_database_url, "TESTING": True, "MATCHING_REFRESH_SECONDS": 1})
    other_client = other.test_client()
    assert search(other_client, "苏州") == ["苏州市中小企业服务中心"]          # first build: synchronous
    add_institution("苏州市姑苏区知识产权服务中心", "county", "320508", ("ip",))   # written "elsewhere"
    deadline = time.monotonic() + 1 + 10
    while time.monotonic() < deadline and len(search(other_client, "苏州")) < 2:
        time.sleep(0.2)
    assert len(search(other_client, "苏州")) == 2
    with other.app_context():
        get_engine().dispose()


def test_without_refresh_interval_the_next_request_sees_the_change(client, add_institution):
    add_institution("昆山市中小企业服务中心", "county", "320583", ("policy",))
    assert search(client, "昆山") == ["昆山市中小企业服务中心"]
    add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))
    assert len(search(client, "昆山")) == 2
