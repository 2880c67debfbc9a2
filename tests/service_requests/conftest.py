"""Fixtures: a small chain of institutions around 姑苏区 (county → 苏州市 → 江苏省 → national), staff accounts."""
import pytest
from service_request_support import GUSU, HANGZHOU, JIANGSU, SUZHOU, submission

from directory.auth.service import create_administrator, issue_token
from directory.database import write_session


@pytest.fixture
def network(add_institution):
    """Financing providers at every tier of 姑苏区's chain, and one in 杭州市 (outside it)."""
    return {
        "county": add_institution("姑苏区中小企业服务中心", "county", GUSU, ("financing", "policy"),
                                  email="gusu@example.cn"),
        "county_ip": add_institution("姑苏区知识产权服务站", "county", GUSU, ("ip",)),
        "municipal": add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("financing",),
                                     email="suzhou@example.cn"),
        "provincial": add_institution("江苏省中小企业公共服务中心", "provincial", JIANGSU, ("financing",)),
        "national": add_institution("国家中小企业融资服务平台", "national", None, ("financing",)),
        "hangzhou": add_institution("杭州市中小企业服务中心", "municipal", HANGZHOU, ("financing",)),
    }


@pytest.fixture
def make_staff(app):
    """A staff account of one institution; returns its bearer headers."""
    def make(username: str, institution_id: int, password: str = "correct-horse-battery") -> dict:
        with app.app_context(), write_session() as session, session.begin():
            account = create_administrator(session, username=username, password=password, role="staff",
                                           institution_id=institution_id)
            token, _ = issue_token(session, administrator=account)
        return {"Authorization": f"Bearer {token}"}
    return make


@pytest.fixture
def submit(client):
    """POST a submission; returns the response (asserting nothing)."""
    def post(**changes):
        return client.post("/api/v1/service-requests", json=submission(**changes))
    return post


@pytest.fixture
def rated_requests(client, network, submit, make_staff):
    """Run the figures' flow at the county centre, with staff "gusu-desk": two requests accepted, resolved
    (one not) and rated 5 and 2, a third left waiting; returns the waiting request's body."""
    def run() -> dict:
        staff = make_staff("gusu-desk", network["county"])
        for n, (outcome, rating) in enumerate([("resolved", 5), ("not_resolved", 2)]):
            body = submit(institution_ids=[network["county"]], contact_phone=f"1380000000{n}").json
            url = f"/api/v1/service-requests/{body['id']}/assignments/{body['assignments'][0]['id']}"
            client.patch(url, json={"action": "accept"}, headers=staff)
            client.patch(url, json={"action": "resolve", "outcome": outcome}, headers=staff)
            token = body["tracking_url"].rsplit("/", 1)[1]
            client.post(f"/api/v1/service-requests/track/{token}/feedback", json={"rating": rating})
        return submit(institution_ids=[network["county"]], contact_phone="13800000009").json
    return run
