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


def test_a_place_typed_in_pinyin_is_found_like_its_chinese_name(sample_client):
    for place in ("Kunshan", "kunshan shi", "Kunshan City"):
        response = sample_client.get(f"/find?need=专利被侵权想维权&place={place}")
        text = response.get_data(as_text=True)
        assert "江苏省 / 苏州市 / 昆山市" in text and cards(response), place
        assert "没有找到名为" not in text


def test_a_pinyin_place_on_the_english_page(sample_client):
    response = sample_client.get("/find?need=patent infringement&place=Kunshan&lang=en")
    text = response.get_data(as_text=True)
    assert "昆山市" in text and "Needs recognised" in text and cards(response)


def test_a_pinyin_path_picks_the_one_division(sample_client):
    text = sample_client.get("/find?need=贷款&place=Suzhou Gusu").get_data(as_text=True)
    assert "江苏省 / 苏州市 / 姑苏区" in text and "对应多个地区" not in text
    text = sample_client.get("/find?need=贷款&place=Nanjing Gulou").get_data(as_text=True)
    assert "江苏省 / 南京市 / 鼓楼区" in text and "对应多个地区" not in text
    text = sample_client.get("/find?need=贷款&place=Pudong New Area").get_data(as_text=True)
    assert "上海市 / 浦东新区" in text


def test_an_ambiguous_pinyin_place_offers_choices(sample_client):
    text = sample_client.get("/find?need=贷款&place=Gulou").get_data(as_text=True)
    assert "对应多个地区" in text and "region_code=320106" in text and "region_code=350102" in text


def test_plain_words_find_providers(sample_client):
    for need, reason in [("我们需要钱", "提供投融资服务"), ("工人老是留不住", "提供人才服务"),
                         ("  知识 产权  ", "提供知识产权服务"), ("参加中博会", "提供市场开拓服务")]:
        response = sample_client.get("/find", query_string={"need": need, "place": "昆山"})
        text = response.get_data(as_text=True)
        assert "没有识别出具体的服务需求" not in text and reason in text and cards(response), need
