"""/institutions/<id>: every field and the institution's neighbours in the network."""
import pytest
from html_reading import parse

FULL = {
    "description": "面向苏州市中小企业提供融资对接和知识产权服务。",
    "address": "江苏省苏州市姑苏区人民路1号",
    "phone": "0512-6501 2345",
    "email": "service@suzhou-sme.example.com",
    "website": "https://suzhou-sme.example.com/",
}


@pytest.fixture
def network(client, make_admin):
    """A small chain of institutions from the national level down to 昆山市, plus others."""
    headers = make_admin()

    def add(name, level, region_code, services=("policy",), **fields):
        body = {"name": name, "level": level, "region_code": region_code, "services": list(services)} | fields
        response = client.post("/api/v1/institutions", json=body, headers=headers)
        assert response.status_code == 201, response.json
        return response.json["id"]

    return {
        "national": add("全国中小企业服务枢纽", "national", None, demonstration_platform=True),
        "provincial": add("江苏省中小企业公共服务中心", "provincial", "320000"),
        "municipal": add("苏州市中小企业服务中心", "municipal", "320500", ("financing", "ip"), **FULL,
                         demonstration_platform=True),
        "county": add("昆山市中小企业服务中心", "county", "320583"),
        "county_peer": add("昆山市知识产权服务站", "county", "320583", ("ip",)),
        "county_suspended": add("昆山市创业服务站", "county", "320583", ("entrepreneurship",),
                                status="suspended"),
        "elsewhere": add("杭州市上城区中小企业服务中心", "county", "330102"),
        "other_province": add("浙江省中小企业公共服务中心", "provincial", "330000"),
    }


def detail(client, institution_id: int, lang: str = "zh"):
    response = client.get(f"/institutions/{institution_id}?lang={lang}")
    assert response.status_code == 200
    return parse(response.data)


def field(page, label: str):
    """The <dd> following the <dt> with this label."""
    fields = page.find("dl", class_="fields")
    terms = fields.find_all("dt")
    values = fields.find_all("dd")
    return dict(zip([t.text for t in terms], values))[label]


def linked_ids(section) -> set[int]:
    return {int(a.attrs["href"].rsplit("/", 1)[1]) for a in section.find_all("a")
            if a.attrs.get("href", "").startswith("/institutions/")}


def network_column(page, heading: str):
    for column in page.by_class("network-grid")[0].children:
        if column.find("h3").text == heading:
            return column
    raise AssertionError(heading)


def test_every_field_is_shown(client, network):
    page = detail(client, network["municipal"])
    assert page.find("h1").text == "苏州市中小企业服务中心"
    assert field(page, "层级").text == "市级"
    region = field(page, "所在地区")
    assert region.text == "江苏省 / 苏州市"
    assert [a.attrs["href"] for a in region.find_all("a")] == ["/regions/320000", "/regions/320500"]
    assert field(page, "状态").text == "运营中"
    assert field(page, "简介").text == FULL["description"]
    assert field(page, "地址").text == FULL["address"]
    phone = field(page, "电话").find("a")
    assert phone.text == FULL["phone"] and phone.attrs["href"] == "tel:0512-65012345"
    email = field(page, "电子邮箱").find("a")
    assert email.attrs["href"] == f"mailto:{FULL['email']}"
    website = field(page, "网站").find("a")
    assert website.attrs["href"] == FULL["website"]
    assert website.attrs["rel"] == "noopener noreferrer nofollow"
    assert field(page, "收录时间").find("time").attrs["datetime"]
    assert field(page, "更新时间").text
    assert page.by_class("badge-demonstration")


def test_services_with_names_and_descriptions(client, network):
    page = detail(client, network["municipal"])
    services = page.find("dl", class_="services")
    assert [dt.text for dt in services.find_all("dt")] == ["投融资服务", "知识产权"]
    assert "专利" in services.find_all("dd")[1].text
    assert services.find("a").attrs["href"] == "/institutions?service=financing"


def test_missing_optional_fields_are_left_out(client, network):
    page = detail(client, network["county"])
    labels = [dt.text for dt in page.find("dl", class_="fields").find_all("dt")]
    assert "网站" not in labels and "电话" not in labels


def test_status_other_than_active_is_shown(client, network):
    page = detail(client, network["county_suspended"])
    assert field(page, "状态").text == "暂停服务"
    assert page.by_class("badge-suspended")


def test_county_institution_sees_its_province_and_prefecture_above(client, network):
    page = detail(client, network["county"])
    assert linked_ids(network_column(page, "上级机构")) == {network["provincial"], network["municipal"]}
    assert linked_ids(network_column(page, "同地区同级机构")) == {network["county_peer"]}
    assert not network_column(page, "下级机构").find_all("a")


def test_provincial_institution_sees_the_national_hubs_and_counts_below(client, network):
    page = detail(client, network["provincial"])
    assert linked_ids(network_column(page, "上级机构")) == {network["national"]}
    below = {a.text: a.attrs["href"] for a in network_column(page, "下级机构").find_all("a")}
    assert below == {
        "市级机构 1 个": "/institutions?level=municipal&region_code=320000&status=active",
        "县级机构 2 个": "/institutions?level=county&region_code=320000&status=active",
    }


def test_counts_below_match_the_directory_they_link_to(client, network):
    page = detail(client, network["municipal"])
    link = network_column(page, "下级机构").find("a")
    assert link.text == "县级机构 2 个"
    listing = parse(client.get(link.attrs["href"]).data)
    assert listing.find(id="result-summary").attrs["data-total"] == "2"


def test_national_institution_counts_the_whole_network(client, network):
    page = detail(client, network["national"])
    assert not network_column(page, "上级机构").find_all("a")
    below = [a.text for a in network_column(page, "下级机构").find_all("a")]
    assert below == ["省级机构 2 个", "市级机构 1 个", "县级机构 3 个"]
    assert field(page, "所在地区").text == "全国"


def test_breadcrumb_links_to_the_directory_by_region(client, network):
    page = detail(client, network["county"])
    crumbs = page.find("nav", aria_label="breadcrumb").find_all("a")
    assert [a.attrs["href"] for a in crumbs] == [
        "/institutions", "/institutions?region_code=320000", "/institutions?region_code=320500",
        "/institutions?region_code=320583"]


def test_detail_in_english(client, network):
    page = detail(client, network["municipal"], lang="en")
    assert field(page, "Level").text == "Municipal"
    assert field(page, "Status").text == "Active"
    assert [dt.text for dt in page.find("dl", class_="services").find_all("dt")] == [
        "Financing", "Intellectual property"]
    assert network_column(page, "Below it").find("a").text == "County institutions: 2"


def test_unknown_institution_is_404(client):
    assert client.get("/institutions/424242").status_code == 404
    assert client.get("/institutions/not-a-number").status_code == 404
