"""A small chain of institutions around 姑苏区 (county → 苏州市 → 江苏省 → national), staff accounts, submissions."""
from datetime import datetime

import pytest

from directory.auth.service import create_administrator, issue_token
from directory.cli import write_session
from directory.events.credit_code import make_credit_code

GUSU, SUZHOU, JIANGSU, HANGZHOU = "320508", "320500", "320000", "330100"
NEED = "我们想申请银行贷款，缺少流动资金"


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


def submission(**changes) -> dict:
    """A valid submission from a business in 姑苏区."""
    return {"need": NEED, "region_code": GUSU, "enterprise_name": "苏州市姑苏区示例精密机械有限公司",
            "credit_code": make_credit_code("91320508MA1X2Y3W4"), "contact_name": "王经理",
            "contact_phone": "13812345678", "contact_email": "wang@example.cn", "consent": True} | changes


@pytest.fixture
def submit(client):
    """POST a submission; returns the response (asserting nothing)."""
    def post(**changes):
        return client.post("/api/v1/service-requests", json=submission(**changes))
    return post


def shanghai(text: str) -> datetime:
    """An ISO time without offset read as Asia/Shanghai."""
    return datetime.fromisoformat(text + "+08:00")
