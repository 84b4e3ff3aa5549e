"""End-to-end smoke: the demo company answers the calls every integration starts with."""

from tests.support import fn


def test_get_api_session_returns_session_and_endpoint_of_the_url_called(demo, gateway_url):
    reply = demo.ok(fn("<getAPISession/>"))
    api = reply.result().find("data/api")
    assert api.findtext("sessionid").endswith("..")
    assert api.findtext("endpoint") == gateway_url
    assert api.findtext("locationid") == ""
    assert reply.text("operation/authentication/status") == "success"
    assert reply.headers["Content-Type"].startswith("text/xml")


def test_read_by_query_lists_seeded_vendors(demo):
    reply = demo.query("VENDOR", "STATUS = 'T'", fields="VENDORID,NAME", pagesize=10)
    assert reply.status == 200
    data = reply.result().find("data")
    assert data.get("listtype") == "vendor"
    assert int(data.get("totalcount")) == 25
    assert int(data.get("count")) == 10
    assert int(data.get("numremaining")) == 15
    assert data.get("resultId")
    assert [v.findtext("VENDORID") for v in data.findall("vendor")][:2] == ["V-0001", "V-0002"]
