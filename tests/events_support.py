"""Building blocks for event tests: valid credit codes, an organiser, financiers and an event."""
from datetime import datetime, timedelta

from directory.credit_code import make_credit_code
from directory.timestamps import SHANGHAI

SUZHOU, GUSU, KUNSHAN, HANGZHOU = "320500", "320508", "320583", "330100"


def credit_code(number: int, region_code: str = GUSU) -> str:
    """A valid unified social credit code, different for each ``number``."""
    return make_credit_code(f"91{region_code}{number:09d}")


def at(days: int, hour: int = 9, minute: int = 0) -> str:
    """An ISO time ``days`` from today at ``hour:minute`` in China."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).isoformat()


def registration(number: int, **overrides) -> dict:
    return {"enterprise_name": f"苏州测试科技有限公司{number}", "credit_code": credit_code(number),
            "region_code": GUSU, "contact_name": "王磊", "contact_phone": "13912345678",
            "need": "有3项发明专利，希望通过知识产权质押获得500万元贷款", "financing_type": "ip_pledge",
            "amount_yuan": 5_000_000, "industry": "integrated_circuit", "size": "small"} | overrides


def add_financier(client, headers, name: str, types=("credit_loan", "ip_pledge"), **extra) -> int:
    body = {"name": name, "type": "bank", "financing_types": list(types), "amount_min_yuan": 1_000_000,
            "amount_max_yuan": 20_000_000} | extra
    response = client.post("/api/v1/financiers", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def event_body(organizer_id: int, financier_ids=(), **overrides) -> dict:
    return {"title": "苏州市集成电路产业银企对接会", "organizer_id": organizer_id,
            "starts_at": at(10, 9), "ends_at": at(10, 17), "venue": "苏州国际博览中心",
            "chains": ["integrated_circuit"], "financing_types": ["ip_pledge", "credit_loan"],
            "categories": ["financing", "ip"], "capacity": 50, "registration_deadline": at(8, 17),
            "status": "open", "slot_minutes": 20,
            "sessions": [{"starts_at": at(10, 9, 30), "ends_at": at(10, 11, 30)}],
            "financiers": [{"financier_id": fid} for fid in financier_ids]} | overrides


def open_event(client, add_institution, headers, **overrides) -> dict:
    """An open event organised in Suzhou with two financiers; returns the API's event."""
    organizer = add_institution("苏州市中小企业服务中心", "municipal", SUZHOU, ("financing", "policy"))
    financiers = [add_financier(client, headers, "苏州银行科技支行"),
                  add_financier(client, headers, "苏州创新投资基金", types=("equity",), type="fund")]
    response = client.post("/api/v1/events", json=event_body(organizer, financiers, **overrides), headers=headers)
    assert response.status_code == 201, response.json
    return response.json
