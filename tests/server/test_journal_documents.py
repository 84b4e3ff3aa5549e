"""The journal names documents: "did INV-778 reach Intacct, under which RECORDNO?" answered from
the journal alone, over XML and REST, also when the acknowledgement was lost."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import BASIC_RECORDS
from tests.server.test_documents import bill
from tests.rest.test_objects import Rest
from tests.server.test_order_entry import ITEMS, LINES, document, key_of, so_transaction
from tests.support import Gateway, fn, record_xml


def _functions(control, company: str, **filters) -> list[dict]:
    return [f for e in control.journal(company=company, **filters) for f in e["functions"]]


def test_a_create_names_its_document_and_the_recordno_it_answered(company, control):
    reply = company.ok(fn(f"<create>{bill('INV-778')}</create>"))
    recordno = int(reply.result().findtext("data/apbill/RECORDNO"))
    [item] = _functions(control, company.company, document="inv-778")
    assert (item["object"], item["document"], item["recordno"]) == ("APBILL", "INV-778", recordno)
    assert item["records"] == [{"object": "APBILL", "recordno": recordno, "action": "created", "document": "INV-778"}]
    assert len(control.journal(company=company.company, document=str(recordno))) == 1  # by RECORDNO too


def test_a_refused_write_names_the_document_it_asked_for_and_no_record(company, control):
    company.ok(fn(f"<create>{bill('INV-9')}</create>"))
    company.call(fn(f"<create>{bill('INV-9')}</create>"))  # the number is taken
    first, second = control.journal(company=company.company, document="INV-9")
    assert first["committed"] and "recordno" in first["functions"][0]
    assert not second["committed"] and second["functions"][0]["document"] == "INV-9"
    assert "records" not in second["functions"][0] and "recordno" not in second["functions"][0]


def test_the_count_answers_exactly_once(company, control, live_server):
    company.ok(fn(f"<create>{bill('INV-1')}</create>"), fn(f"<create>{bill('INV-2')}</create>"))
    company.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-9', 'NAME': 'Nine'})}</create>"))
    count = lambda **f: requests.get(live_server.base_url + "/_mock/journal/count",  # noqa: E731
                                     params={"company": company.company, **f}, timeout=10).json()["count"]
    assert count(document="INV-2", committed="true") == 1
    assert count(object="apbill") == 1 and count(object="VENDOR") == 1 and count() == 2
    assert count(document="NOPE") == 0
    assert control.journal_count(company=company.company, document="V-9") == 1


def test_a_lost_acknowledgement_still_names_the_recordno(company, control):
    control.add_fault({"company": company.company, "match": {"function": "create"},
                       "action": {"type": "drop_ack", "variant": "close"}, "times": 1})
    with pytest.raises(requests.ConnectionError):
        company.call(fn(f"<create>{bill('INV-LOST')}</create>"))
    [entry] = control.journal(company=company.company, document="INV-LOST", unacknowledged=True)
    recordno = entry["functions"][0]["recordno"]
    assert entry["committed"] and not entry["acknowledged"]
    [stored] = control.books(company.company, "APBILL", RECORDID="INV-LOST")
    assert int(stored["RECORDNO"]) == recordno


def test_a_transaction_that_rolls_back_names_no_records(company, control):
    company.call(fn(f"<create>{bill('INV-T1')}</create>"), fn(f"<create>{bill('INV-T1')}</create>"), transaction=True)
    [entry] = control.journal(company=company.company)
    assert not entry["committed"] and all("records" not in f for f in entry["functions"])


def test_an_edited_sales_invoice_names_the_ar_invoice_deleted_and_the_new_one(make_company, gateway_url, control):
    oe = Gateway(gateway_url, company=make_company(BASIC_RECORDS + ITEMS))
    docid = key_of(oe.call(so_transaction("Sales Invoice", "INV-2002", LINES)))
    old = int(document(oe, docid).findtext("PRRECORDKEY"))
    body = (f'<update_sotransaction key="{docid}"><updatesotransitems><updatesotransitem line_num="1">'
            "<itemid>HOUR</itemid><quantity>3</quantity></updatesotransitem></updatesotransitems></update_sotransaction>")
    key_of(oe.call(fn(body)))
    new = int(document(oe, docid).findtext("PRRECORDKEY"))
    [created, edited] = _functions(control, oe.company, object="SODOCUMENT", committed=True)
    assert {(r["object"], r["action"]) for r in created["records"]} >= {("SODOCUMENT", "created"), ("ARINVOICE", "created")}
    ar = {(r["recordno"], r["action"]) for r in edited["records"] if r["object"] == "ARINVOICE"}
    assert ar == {(old, "deleted"), (new, "created")}
    assert control.journal_count(company=oe.company, document=str(old)) == 2  # written, then deleted


def test_rest_writes_name_their_document_and_key(company, control, live_server):
    answer = Rest(live_server.base_url, company.company).call("POST", "/objects/accounts-payable/bill", {
        "billNumber": "R-778", "vendor": {"id": "V-1"}, "createdDate": "2026-03-01", "dueDate": "2026-03-31",
        "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "10.00"}]})
    assert answer.status_code == 201, answer.text
    key = int(answer.json()["ia::result"]["key"])
    [entry] = control.journal(company=company.company, document="R-778")
    item = entry["functions"][0]
    assert entry["protocol"] == "rest" and (item["document"], item["recordno"]) == ("R-778", key)
