"""Contract tests: a real third-party Intacct client (PyPI ``sageintacctsdk``) against the emulator.

The client is used unmodified except for its endpoint: its URL is a private attribute set in
``ApiBase.__init__``, so the fixture wraps that constructor to point every API object at the
emulator before the SDK logs in. Everything else (envelopes, xmltodict parsing, its error
classification) is the client's own code, so these tests fail if our responses drift from
what the client expects from Intacct.
"""

from __future__ import annotations

import pytest
from sageintacctsdk import SageIntacctSDK
from sageintacctsdk.apis.api_base import ApiBase
from sageintacctsdk.exceptions import InvalidTokenError, NoPrivilegeError, WrongParamsError

SENDER = {"sender_id": "mock-sender", "sender_password": "mock-sender-pw"}


@pytest.fixture
def point_sdk_at(gateway_url, monkeypatch):
    original = ApiBase.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._ApiBase__api_url = gateway_url

    monkeypatch.setattr(ApiBase, "__init__", init)


def connect(company_id: str, user: str = "ws_user", password: str = "ws_user_pw") -> SageIntacctSDK:
    return SageIntacctSDK(**SENDER, user_id=user, company_id=company_id, user_password=password)


@pytest.fixture
def sdk(point_sdk_at, make_company):
    return connect(make_company())


def test_login_adopts_the_endpoint_returned_by_get_api_session(point_sdk_at, gateway_url):
    client = connect("DEMO")
    assert client.api_base._ApiBase__api_url == gateway_url
    assert client.api_base._ApiBase__session_id.endswith("..")


def test_wrong_password_raises_invalid_token(point_sdk_at):
    with pytest.raises(InvalidTokenError):
        connect("DEMO", password="not-the-password")


def test_create_and_read_vendor(sdk):
    created = sdk.vendors.post({"VENDORID": "SDK-V1", "NAME": "SDK Vendor", "DISPLAYCONTACT": {"PRINTAS": "SDK Vendor",
                                                                                              "EMAIL1": "ap@sdk.example"}})
    assert created["status"] == "success"
    assert created["data"]["vendor"]["VENDORID"] == "SDK-V1"
    # This client's vendors.get uses `query`: upper-case records, forced into a list by the client.
    found = sdk.vendors.get(field="VENDORID", value="SDK-V1")["VENDOR"]
    assert [v["NAME"] for v in found] == ["SDK Vendor"]
    assert found[0]["DISPLAYCONTACT.EMAIL1"] == "ap@sdk.example"


def test_get_all_with_the_clients_default_field_lists(sdk):
    vendors = sdk.vendors.get_all()
    assert {v["VENDORID"] for v in vendors} == {"V-1", "V-2"}
    customers = sdk.customers.get_all()
    assert {c["CUSTOMERID"] for c in customers} == {"C-1", "C-2"}
    accounts = sdk.accounts.get_all()
    assert "6220" in {a["ACCOUNTNO"] for a in accounts}


def test_count_uses_query_totalcount(sdk):
    assert sdk.vendors.count() == 2


def test_create_bill_with_lines_and_read_it_back(sdk):
    created = sdk.bills.post({
        "WHENCREATED": "03/01/2026", "VENDORID": "V-1", "RECORDID": "SDK-B1", "TERMNAME": "",
        "WHENDUE": "03/31/2026", "DESCRIPTION": "from sageintacctsdk",
        "APBILLITEMS": {"APBILLITEM": [
            {"ACCOUNTNO": "6220", "TRX_AMOUNT": 120.5, "ENTRYDESCRIPTION": "seats", "DEPARTMENTID": "D100"},
            {"ACCOUNTNO": "6400", "TRX_AMOUNT": 79.5, "ENTRYDESCRIPTION": "advice"},
        ]},
    })
    recordno = created["data"]["apbill"]["RECORDNO"]
    # bills.get uses readByQuery, whose records are lower-case elements.
    bill = sdk.bills.get(field="RECORDNO", value=recordno)["apbill"]
    assert bill["TOTALENTERED"] == "200.00"
    assert bill["STATE"] == "Posted"
    assert bill["VENDORNAME"] == "Initech"


def test_create_invoice_through_the_legacy_function(sdk):
    created = sdk.ar_invoices.post({
        "customerid": "C-1", "datecreated": {"year": "2026", "month": "03", "day": "02"},
        "termname": "N30", "invoiceno": "SDK-INV-1",
        "invoiceitems": {"lineitem": [{"glaccountno": "4000", "amount": 500}]},
    })
    key = created["key"]
    invoice = sdk.ar_invoices.get(field="RECORDNO", value=key)["arinvoice"]
    assert invoice["RECORDID"] == "SDK-INV-1" and invoice["TOTALDUE"] == "500.00"


def test_numbering_collision_surfaces_as_wrong_params_with_the_intacct_text(sdk):
    invoice = {"customerid": "C-2", "datecreated": {"year": "2026", "month": "03", "day": "02"}, "termname": "N30",
               "invoiceno": "SDK-DUP", "invoiceitems": {"lineitem": [{"glaccountno": "4000", "amount": 10}]}}
    sdk.ar_invoices.post(invoice)
    with pytest.raises(WrongParamsError) as caught:
        sdk.ar_invoices.post(invoice)
    errors = caught.value.response["error"]
    assert errors[0]["description2"] == "A transaction with the number 'SDK-DUP' already exists."


def test_unknown_field_surfaces_as_dl02000001(sdk):
    with pytest.raises(WrongParamsError) as caught:
        sdk.vendors.get(field="VENDORID", value="V-1", fields=["VENDORID", "NO_SUCH_FIELD"])
    assert caught.value.response["error"][0]["errorno"] == "DL02000001"


def test_read_only_user_gets_no_privilege(point_sdk_at):
    client = connect("DEMO", user="auditor", password="auditor_pw")
    assert client.vendors.count() == 25
    with pytest.raises(NoPrivilegeError):
        client.vendors.post({"VENDORID": "NOPE", "NAME": "Nope", "DISPLAYCONTACT": {"PRINTAS": "Nope"}})


def test_delete_vendor(sdk):
    created = sdk.vendors.post({"VENDORID": "SDK-DEL", "NAME": "Gone", "DISPLAYCONTACT": {"PRINTAS": "Gone"}})
    sdk.vendors.delete(created["data"]["vendor"]["RECORDNO"])
    assert sdk.vendors.count() == 2


def test_attachment_folder_and_attachment(sdk):
    sdk.attachments.create_attachments_folder({"supdocfoldername": "SDK Folder"})
    created = sdk.attachments.post({
        "supdocid": "SDK-ATT-1", "supdocname": "scan", "supdocfoldername": "SDK Folder",
        "attachments": {"attachment": {"attachmentname": "scan", "attachmenttype": "pdf", "attachmentdata": "JVBERi0x"}},
    })
    assert created["key"] == "SDK-ATT-1"
