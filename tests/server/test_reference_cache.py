"""The per-process caches of reference rows and company configurations never answer stale.

Both are keyed by shared versions that triggers move on (``store/upkeep.py``, ``store/schema.py``),
so a row changed by anyone (a request, another process, an operator with sqlite3) is seen by the
next request, and a request that wrote reference data and then rolled back leaves nothing behind.
"""

from __future__ import annotations

import dataclasses

from intacct_mock.web import emulator_of
from tests.support import Gateway, fn, record_xml

BILL = {"VENDORID": "V-1", "WHENCREATED": "03/02/2026", "WHENDUE": "04/01/2026",
        "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.00", "DEPARTMENTID": "D100"}]}}


def bill(number: str, **changes) -> str:
    data = {**BILL, "RECORDID": number, **changes}
    return fn(f"<create>{record_xml('APBILL', data)}</create>")


def errors_of(reply) -> list[str]:
    return [e["description2"] for e in reply.errors()]


def _sql(app, statement: str, *params) -> None:
    with emulator_of(app).db.transaction(write=True) as conn:
        conn.execute(statement, params)


def test_an_account_deactivated_by_hand_is_refused_by_the_next_bill(app, company):
    company.ok(bill("RC-1"))  # the account and department are now cached as active
    _sql(app, "UPDATE GLACCOUNT SET STATUS = 'F' WHERE _COMPANY = ? AND ACCOUNTNO = '6220'", company.company)
    assert "Invalid GL Account '6220' specified." in errors_of(company.call(bill("RC-2")))


def test_a_vendor_deleted_by_hand_is_refused_by_the_next_bill(app, company):
    company.ok(bill("RC-3"))
    _sql(app, "DELETE FROM VENDOR WHERE _COMPANY = ? AND VENDORID = 'V-1'", company.company)
    assert "Invalid Vendor 'V-1' specified." in errors_of(company.call(bill("RC-4")))


def test_a_dimension_reactivated_is_accepted_again(app, company):
    company.ok(fn("<update><DEPARTMENT><DEPARTMENTID>D100</DEPARTMENTID><STATUS>inactive</STATUS></DEPARTMENT></update>"))
    assert "Invalid Department 'D100' specified." in errors_of(company.call(bill("RC-5")))
    company.ok(fn("<update><DEPARTMENT><DEPARTMENTID>D100</DEPARTMENTID><STATUS>active</STATUS></DEPARTMENT></update>"))
    company.ok(bill("RC-5"))


def test_a_vendor_created_in_a_rolled_back_transaction_is_not_remembered(company):
    reply = company.call(
        fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-TX', 'NAME': 'Gone'})}</create>"),
        bill("RC-6", VENDORID="V-TX"),  # sees the new vendor inside the same transaction
        fn("<create><APBILL><VENDORID>NOBODY</VENDORID></APBILL></create>"),
        transaction="true",
    )
    assert [r.findtext("status") for r in reply.results()] == ["aborted", "aborted", "failure"], reply.body.decode()
    assert "Invalid Vendor 'V-TX' specified." in errors_of(company.call(bill("RC-7", VENDORID="V-TX")))


def test_a_vendor_created_earlier_in_the_same_request_is_usable(company):
    company.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-NEW', 'NAME': 'New'})}</create>"),
               bill("RC-8", VENDORID="V-NEW"))


def test_entity_private_vendors_stay_private_to_their_entity(make_company, gateway_url):
    from intacct_mock.company.model import Entity

    company_id = make_company(entities=[Entity("L100", "Head office"), Entity("L200", "Branch")])
    east = ("ws_user", company_id, "ws_user_pw", "L100")
    west = ("ws_user", company_id, "ws_user_pw", "L200")
    gw = Gateway(gateway_url, company=company_id)
    gw.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-EAST', 'NAME': 'East'})}</create>"), login=east)
    line = {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.00"}]}
    gw.ok(bill("RC-9", VENDORID="V-EAST", APBILLITEMS=line), login=east)  # cached for the east entity
    refused = gw.call(bill("RC-10", VENDORID="V-EAST", APBILLITEMS=line), login=west)
    assert "Invalid Vendor 'V-EAST' specified." in errors_of(refused)


def test_a_password_changed_by_hand_applies_to_the_next_sign_in(app, company):
    company.ok(fn("<getAPISession/>"))  # the configuration is now cached
    emulator = emulator_of(app)
    with emulator.db.transaction(write=True) as conn:
        config, _ = emulator.companies.get(conn, company.company)
        users = [dataclasses.replace(u, password="changed-by-hand") for u in config.users]
        _sql_config = dataclasses.replace(config, users=users)
        emulator.companies.put(conn, _sql_config)
    assert company.call(fn("<getAPISession/>")).status == 401
    changed = Gateway(company.url, company=company.company, user=("ws_user", "changed-by-hand"))
    changed.ok(fn("<getAPISession/>"))
