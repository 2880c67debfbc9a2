import json
import time
from contextlib import contextmanager

from sqlalchemy import text
from sqlmodel import Session

from directory.categories import service as categories_service
from directory.categories.models import ServiceCategory
from directory.database import get_engine

CONTRACT_CODES = ["policy", "financing", "ip", "talent", "digitalization", "technology",
                  "management", "legal", "market", "entrepreneurship"]


def test_the_ten_categories_in_contract_order_with_both_names(client):
    body = client.get("/api/v1/categories").json
    assert [c["code"] for c in body] == CONTRACT_CODES
    ip = body[2]
    assert ip["name"] == ip["name_zh"] == "知识产权" and ip["name_en"] == "Intellectual property"
    assert all(c["description_zh"] and c["description_en"] for c in body)


def test_pages_of_categories_keep_their_pagination_header(client):
    response = client.get("/api/v1/categories?page=2&page_size=3")
    assert [c["code"] for c in response.json] == CONTRACT_CODES[3:6]
    assert json.loads(response.headers["X-Pagination"]) == {
        "total": 10, "total_pages": 4, "first_page": 1, "last_page": 4, "page": 2, "previous_page": 1, "next_page": 3}


@contextmanager
def renamed_ip_category(app, name_en: str, *, through_orm: bool):
    """Rename the IP category (through this process's ORM, or as another process would), restored after."""
    original = "Intellectual property"
    with app.app_context():
        try:
            if through_orm:
                with Session(get_engine()) as session, session.begin():
                    session.get(ServiceCategory, "ip").name_en = name_en
            else:
                with get_engine().begin() as connection:
                    connection.execute(text("UPDATE service_category SET name_en = :n WHERE code = 'ip'"), {"n": name_en})
            yield
        finally:
            with get_engine().begin() as connection:
                connection.execute(text("UPDATE service_category SET name_en = :n WHERE code = 'ip'"), {"n": original})


def test_a_category_changed_in_this_process_shows_in_the_next_answer(app, client):
    assert client.get("/api/v1/categories").json[2]["name_en"] == "Intellectual property"   # now kept in memory
    with renamed_ip_category(app, "IP rights", through_orm=True):
        assert client.get("/api/v1/categories").json[2]["name_en"] == "IP rights"


def test_a_category_changed_by_another_process_shows_within_the_copys_age(app, client, monkeypatch):
    monkeypatch.setattr(categories_service, "MAX_AGE_SECONDS", 0.3)
    assert client.get("/api/v1/categories").json[2]["name_en"] == "Intellectual property"
    with renamed_ip_category(app, "IP rights", through_orm=False):
        time.sleep(0.35)
        assert client.get("/api/v1/categories").json[2]["name_en"] == "IP rights"
