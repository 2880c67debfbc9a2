"""The service finder page /find."""
from html_reading import parse


def cards(response):
    return parse(response.data).by_class("provider-card")


def test_empty_finder_shows_the_form_and_examples(sample_client):
    response = sample_client.get("/find")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'name="need"' in text and "example-need" in text and "provider-card" not in text


def test_a_need_with_a_typed_place_gives_provider_cards(sample_client):
    response = sample_client.get("/find?need=专利被侵权想维权&place=昆山")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "江苏省 / 苏州市 / 昆山市" in text
    assert cards(response) and "识别到的需求" in text and "提供知识产权服务" in text


def test_an_ambiguous_place_offers_choices(sample_client):
    text = sample_client.get("/find?need=贷款&place=鼓楼区").get_data(as_text=True)
    assert "对应多个地区" in text and "region_code=320106" in text and "region_code=350102" in text


def test_off_topic_need_says_so_plainly(sample_client):
    text = sample_client.get("/find?need=今天天气不错&region_code=320583").get_data(as_text=True)
    assert "没有识别出具体的服务需求" in text and "provider-card" not in text


def test_finder_in_english(sample_client):
    text = sample_client.get("/find?need=patent infringement&region_code=320583&lang=en").get_data(as_text=True)
    assert "Needs recognised" in text and "Offers " in text
