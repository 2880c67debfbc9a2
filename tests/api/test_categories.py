CONTRACT_CODES = ["policy", "financing", "ip", "talent", "digitalization", "technology",
                  "management", "legal", "market", "entrepreneurship"]


def test_the_ten_categories_in_contract_order_with_both_names(client):
    body = client.get("/api/v1/categories").json
    assert [c["code"] for c in body] == CONTRACT_CODES
    ip = body[2]
    assert ip["name"] == ip["name_zh"] == "知识产权" and ip["name_en"] == "Intellectual property"
    assert all(c["description_zh"] and c["description_en"] for c in body)
