"""Read your writes: a change committed through one process is in the very next answer of every
process, applied to the index in place from the change log rather than by a rebuild."""
import random
import time

import pytest
from sqlalchemy import select
from sqlmodel import Session

from directory import create_app
from directory.database import write_session
from directory.database import get_engine
from directory.institutions.models import Institution
from directory.institutions.search_index import build_matching_index
from directory.institutions.revision import changes_between, current_revision, mark_directory_changed


def holder(app):
    return app.extensions["sme_matching_index"]


def names(client, q):
    return [row["name"] for row in client.get("/api/v1/institutions", query_string={"q": q}).json]


def providers(client, need, region_code):
    body = client.post("/api/v1/match", json={"need": need, "region_code": region_code}).json
    return [p["institution"]["name"] for p in body["providers"]]


@pytest.fixture
def other_process(empty_database_url):
    """A second app on the same database, with the production refresh interval (5 s)."""
    other = create_app({"DATABASE_URL": empty_database_url, "TESTING": True, "MATCHING_REFRESH_SECONDS": 5})
    yield other
    with other.app_context():
        get_engine().dispose()


def test_an_institution_added_through_one_process_is_in_the_next_answer_of_another(
        client, other_process, add_institution):
    add_institution("昆山市中小企业服务中心", "county", "320583", ("policy",))
    other = other_process.test_client()
    assert providers(other, "想申请专利", "320583") == []          # first request: the index is built
    built = holder(other_process)._index
    add_institution("昆山市知识产权服务中心", "county", "320583", ("ip",))   # committed by "this" process
    assert providers(other, "想申请专利", "320583") == ["昆山市知识产权服务中心"]   # the very next request
    assert "昆山市知识产权服务中心" in names(other, "昆山知识产权")
    updated = holder(other_process)._index
    assert updated.names.base is built.names.base          # updated in place: no rebuild
    assert updated.revision > built.revision


def test_changing_services_renaming_and_closing_are_seen_at_once(app, client, other_process, make_admin,
                                                                 add_institution):
    headers = make_admin()
    iid = add_institution("苏州市姑苏区中小企业服务中心", "county", "320508", ("policy",))
    other = other_process.test_client()
    assert providers(other, "专利申请", "320508") == []
    base = holder(other_process)._index.names.base
    assert client.patch(f"/api/v1/institutions/{iid}", json={"services": ["policy", "ip"]},
                        headers=headers).status_code == 200
    assert providers(other, "专利申请", "320508") == ["苏州市姑苏区中小企业服务中心"]
    assert client.patch(f"/api/v1/institutions/{iid}", json={"name": "姑苏区知识产权保护中心"},
                        headers=headers).status_code == 200
    assert names(other, "姑苏知识产权") == ["姑苏区知识产权保护中心"]
    assert "苏州市姑苏区中小企业服务中心" not in names(other, "苏州姑苏中小企业")
    assert client.delete(f"/api/v1/institutions/{iid}", headers=headers).status_code in (200, 204)
    assert providers(other, "专利申请", "320508") == []
    assert names(other, "姑苏知识产权") == ["姑苏区知识产权保护中心"]   # the directory still lists it
    assert holder(other_process)._index.names.base is base


def test_a_change_the_log_cannot_describe_rebuilds(app, other_process, add_institution):
    add_institution("南京市中小企业服务中心", "municipal", "320100", ("policy",))
    other = other_process.test_client()
    assert names(other, "南京") == ["南京市中小企业服务中心"]
    base = holder(other_process)._index.names.base
    with app.app_context(), write_session() as session, session.begin():
        mark_directory_changed(session, None)      # e.g. a divisions update: anything may have changed
    assert names(other, "南京") == ["南京市中小企业服务中心"]   # answered at once, by the current index
    deadline = time.monotonic() + 10
    while holder(other_process)._index.names.base is base and time.monotonic() < deadline:
        time.sleep(0.1)
        names(other, "南京")
    assert holder(other_process)._index.names.base is not base   # rebuilt in the background


def test_the_change_log_covers_each_revision_or_says_rebuild(app, add_institution):
    first = add_institution("无锡市中小企业服务中心", "municipal", "320200", ("policy",))
    with app.app_context(), Session(get_engine()) as session:
        before = current_revision(session)
    second = add_institution("常州市中小企业服务中心", "municipal", "320400", ("policy",))
    with app.app_context(), Session(get_engine()) as session:
        now = current_revision(session)
        assert changes_between(session, before, now) == {second}
        assert changes_between(session, before - 1, now) == {first, second}
        assert changes_between(session, now, now) is None
        assert changes_between(session, -5, now) is None        # before the log began: rebuild


@pytest.mark.parametrize("seed", [1, 2])
def test_an_index_updated_change_by_change_answers_like_a_fresh_build(app, client, make_admin, add_institution,
                                                                      seed):
    """Random creates, renames, service changes, moves and closures: the in-place index and a
    rebuilt one give the same name searches and the same matches."""
    rng = random.Random(seed)
    headers = make_admin()
    places = ["320583", "320508", "320506", "320102", "330106", "110105"]
    words = ["知识产权", "融资担保", "人才培训", "数字化转型", "法律援助", "中小企业服务"]
    categories = ["ip", "financing", "talent", "digitalization", "legal", "policy"]
    ids = [add_institution(f"初始机构{i}{words[i % 6]}中心", "county", places[i % 6], (categories[i % 6],))
           for i in range(12)]
    client.get("/api/v1/institutions?q=中心")           # build this process's index once
    base = holder(app)._index.names.base
    for step in range(40):
        action = rng.choice(["create", "rename", "services", "move", "close", "reopen"])
        iid = rng.choice(ids)
        if action == "create":
            ids.append(add_institution(f"新建{step}{rng.choice(words)}中心", "county", rng.choice(places),
                                       (rng.choice(categories),)))
            continue
        change = {"rename": {"name": f"更名{step}{rng.choice(words)}中心"},
                  "services": {"services": rng.sample(categories, 2)},
                  "move": {"region_code": rng.choice(places)},
                  "close": {"status": "closed"}, "reopen": {"status": "active"}}[action]
        assert client.patch(f"/api/v1/institutions/{iid}", json=change, headers=headers).status_code == 200
        client.get("/api/v1/institutions?q=中心")       # apply the change to the index
    incremental = holder(app)._index
    assert incremental.names.base is base and incremental.names.changed_count > 0
    with app.app_context(), Session(get_engine()) as session:
        fresh = build_matching_index(session)
        institutions = dict(session.execute(select(Institution.id, Institution.name)).all())
    found = 0
    for query in words + ["新建", "更名", "初始", "zhongxin", "zhishichanquan", "中心"]:
        hits = {i for i, _ in incremental.names.search(query, 50)}
        assert hits == {i for i, _ in fresh.names.search(query, 50)}, query
        found += len(hits)
    assert found > 20
    assert list(incremental.folded_names) == list(fresh.folded_names)
    for place in places:
        for code in categories:
            assert _provider_ids(incremental, code, place) == _provider_ids(fresh, code, place)
    assert set(institutions) == {iid for iid, _ in incremental.folded_names}


def _provider_ids(index, code, region):
    by_region = {p.id for p in index.providers.by_region.get(region, [])}
    by_category = {p.id for p in index.providers.by_category.get(code, {}).get(region, [])}
    return by_region, by_category


def test_after_many_changes_a_background_rebuild_takes_over_with_the_changes_made_meanwhile(
        app, client, make_admin, add_institution):
    from matching.name_layers import MAX_CHANGED
    headers = make_admin()
    ids = [add_institution(f"测试机构{i}", "county", "320583", ("policy",)) for i in range(3)]
    client.get("/api/v1/institutions?q=测试机构")
    base = holder(app)._index.names.base
    with app.app_context(), write_session() as session, session.begin():
        for number in range(MAX_CHANGED + 1):     # one revision per changed institution
            session.add(Institution(name=f"批量机构{number}", level="county", region_code="320508"))
            session.flush()
    assert "批量机构7" in names(client, "批量机构7")       # answered at once from the updated index
    deadline = time.monotonic() + 30
    while holder(app)._index.names.base is base and time.monotonic() < deadline:
        time.sleep(0.1)
    assert holder(app)._index.names.base is not base
    assert client.patch(f"/api/v1/institutions/{ids[0]}", json={"name": "改名后的测试机构"},
                        headers=headers).status_code == 200
    assert names(client, "改名后的测试机构")[0] == "改名后的测试机构"
    assert holder(app)._index.names.changed_count == 1
