def test_regions_loaded(client):
    assert client.get("/api/v1/regions/320583").json["name"] == "昆山市"
