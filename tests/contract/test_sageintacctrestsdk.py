"""Contract tests with the real REST client ``sageintacctrestsdk`` (PyPI, import name
``intacctsdk``), unmodified but for its base URL, against the emulator over real HTTP.

The SDK has no setting for its host: two of its modules copy ``BASE_URL`` by name at import, and
every URL is built from those copies at call time, so the test points both copies at the
emulator (the endpoint, nothing else). What it does is what an integration built on it does: a
token from client credentials in its constructor, objects through ``/objects/...``, counts and
pages through ``/services/core/query`` (it follows ``ia::meta.next`` until null), deletes with a
``{}`` body, and its error classes from the HTTP status."""

from __future__ import annotations

import pytest

import intacctsdk.apis.api_base
import intacctsdk.intacctsdk
from intacctsdk import BadRequestError, IntacctRESTSDK, InvalidTokenError
from intacctsdk.apis.api_base import ApiBase

from tests.support import Gateway, fn

CLIENT = {"client_id": "mock-client", "client_secret": "mock-client-secret"}


@pytest.fixture
def company(live_server, make_company, monkeypatch) -> str:
    rest = live_server.base_url + "/ia/api/v1"
    for module in (intacctsdk.intacctsdk, intacctsdk.apis.api_base):
        monkeypatch.setattr(module, "BASE_URL", rest)
    return make_company()


@pytest.fixture
def sdk(company) -> IntacctRESTSDK:
    return IntacctRESTSDK(username=f"ws_user@{company}", **CLIENT)


def test_tokens_from_client_credentials_and_a_rotating_refresh_token(sdk):
    assert sdk.access_token.count(".") == 2 and sdk.refresh_token and sdk.access_token_expires_in == 3600
    again = IntacctRESTSDK(refresh_token=sdk.refresh_token, use_client_credentials_auth=False, **CLIENT)
    assert again.access_token and again.refresh_token != sdk.refresh_token
    with pytest.raises(BadRequestError) as spent:  # a rotated refresh token is spent
        IntacctRESTSDK(refresh_token=sdk.refresh_token, use_client_credentials_auth=False, **CLIENT)
    assert "REST-2102" in spent.value.response  # the incident integrations see after a second connection


def test_vendors_created_read_counted_paged_updated_and_deleted(sdk):
    keys = [sdk.vendors.post({"id": f"VS-{n}", "name": f"SDK Vendor {n}"},
                             idempotent_key=f"vs-{n}")["ia::result"]["key"] for n in range(3)]
    replay = sdk.vendors.post({"id": "VS-0", "name": "SDK Vendor 0"}, idempotent_key="vs-0")
    assert replay["ia::result"]["key"] == keys[0]  # the retry is answered from the first write
    assert sdk.vendors.get_by_key(keys[0])["ia::result"]["name"] == "SDK Vendor 0"
    filters = [{"$startsWith": {"id": "VS-"}}]
    assert sdk.vendors.count(filters=filters) == 3
    sdk.vendors._ApiBase__page_size = 2  # the SDK's page size is private; two pages of three
    pages = list(sdk.vendors.get_all_generator(fields=["key", "id", "name"], filters=filters, order_by=[{"id": "desc"}]))
    assert [[r["id"] for r in page] for page in pages] == [["VS-2", "VS-1"], ["VS-0"]]
    sdk.vendors.update(keys[1], {"name": "Renamed", "status": "inactive"})
    assert [sdk.vendors.get_by_key(keys[1])["ia::result"][k] for k in ("name", "status")] == ["Renamed", "inactive"]
    assert sdk.vendors.delete(keys[2]) is None
    with pytest.raises(BadRequestError) as gone:
        sdk.vendors.get_by_key(keys[2])
    assert "status code: 404" in gone.value.message and "notFound" in gone.value.response


def test_a_bill_with_lines_reaches_the_books_xml_reads(sdk, company, gateway_url):
    bill = {"billNumber": "SDK-B1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
            "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "100.00", "memo": "chairs"},
                      {"glAccount": {"id": "6400"}, "txnAmount": "25.50"}]}
    key = sdk.bills.post(bill)["ia::result"]["key"]
    read = sdk.bills.get_by_key(key)["ia::result"]
    assert (read["billNumber"], read["totalTxnAmount"], [line["memo"] for line in read["lines"]]) == (
        "SDK-B1", "125.50", ["chairs", None])
    xml = Gateway(gateway_url, company=company).ok(fn(
        "<readByQuery><object>APBILL</object><fields>RECORDNO,TOTALENTERED</fields>"
        "<query>RECORDID = 'SDK-B1'</query><pagesize>10</pagesize></readByQuery>")).result()
    assert [(r.findtext("RECORDNO"), r.findtext("TOTALENTERED")) for r in xml.findall("data/apbill")] == [
        (key, "125.50")]
    with pytest.raises(BadRequestError) as refused:  # the same number again: Intacct's business rule, 422
        sdk.bills.post(bill)
    assert refused.value.message.endswith("status code: 422")
    assert "A transaction with the number 'SDK-B1' already exists." in refused.value.response


def test_invoices_through_the_sdks_generic_object(sdk):
    """The SDK has no invoice attribute; its documented way is an ``ApiBase`` on the path."""
    invoices = ApiBase(sdk, object_path="/objects/accounts-receivable/invoice")
    invoices.update_access_token(sdk.access_token)
    key = invoices.post({"invoiceNumber": "SDK-I1", "customer": {"id": "C-1"}, "invoiceDate": "2026-03-02",
                         "dueDate": "2026-04-01", "lines": [{"glAccount": {"id": "4000"}, "txnAmount": "40"}]}
                        )["ia::result"]["key"]
    assert invoices.get_by_key(key)["ia::result"]["totalTxnAmountDue"] == "40.00"


def test_refused_requests_raise_the_sdks_error_classes(sdk, company):
    with pytest.raises(BadRequestError) as unknown:
        sdk.vendors.post({"id": "VX", "name": "X", "shoeSize": 9})
    assert "status code: 400" in unknown.value.message and '"target": "/shoeSize"' in unknown.value.response
    stale = IntacctRESTSDK(access_token="not-a-token", **CLIENT)
    with pytest.raises(BadRequestError) as bad:  # 401 tokenInvalid; the SDK keeps InvalidTokenError for 400s
        stale.vendors.get_by_key("1")
    assert not isinstance(bad.value, InvalidTokenError)
    assert "status code: 401" in bad.value.message and "REST-2102" in bad.value.response
    with pytest.raises(BadRequestError) as secret:
        IntacctRESTSDK(username=f"ws_user@{company}", client_id="mock-client", client_secret="wrong")
    assert "invalid_client" in secret.value.response


def test_a_session_id_for_the_xml_gateway(sdk, gateway_url):
    session = sdk.sessions.get_session_id()
    assert session["expiresIn"] > 0
    answer = Gateway(gateway_url).ok(fn("<getAPISession/>"), session=session["sessionId"])
    assert answer.result().findtext("data/api/sessionid") == session["sessionId"]


def test_the_model_of_an_object(sdk):
    vendor = sdk.vendors.get_model()["ia::result"]
    assert vendor["apiObject"] == "accounts-payable/vendor" and vendor["fields"]["name"]["required"] is True
