"""The request journal: what it records, what it hides, how it filters, and tenant isolation."""

from __future__ import annotations

import threading

from tests.support import Gateway, fn, record_xml


def test_entry_records_who_what_and_the_outcome(company, control):
    company.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'J-1', 'NAME': 'Journal Co'})}</create>", "c-1"),
                 fn("<readByName><object>VENDOR</object><keys>J-1</keys></readByName>", "r-1"),
                 controlid="req-77")
    [entry] = control.journal(company=company.company)
    assert entry["company"] == company.company and entry["user"] == "ws_user" and entry["sender"] == "mock-sender"
    assert entry["controlid"] == "req-77" and entry["committed"] is True and entry["acknowledged"] is True
    assert [(f["name"], f["controlid"], f["object"], f["status"]) for f in entry["functions"]] == [
        ("create", "c-1", "VENDOR", "success"), ("readByName", "r-1", "VENDOR", "success")]
    assert entry["http_status"] == 200 and entry["delivery"] == "sent" and entry["faults"] == []


def test_reads_and_failures_are_not_committed(company, control):
    company.call(fn("<readByQuery><object>VENDOR</object><query/></readByQuery>"))
    company.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-1', 'NAME': 'Dup'})}</create>"))
    entries = control.journal(company=company.company)
    assert [e["committed"] for e in entries] == [False, False]
    assert entries[1]["functions"][0]["errorno"] == "BL34000061"


def test_passwords_and_session_ids_are_redacted(company, control):
    sid = company.session()
    company.call(fn("<getAPISession/>"), session=sid)
    entries = control.journal(company=company.company, bodies=True)
    for entry in entries:
        assert "ws_user_pw" not in entry["request_body"] and "mock-sender-pw" not in entry["request_body"]
        assert sid not in entry["request_body"] and sid not in entry["response_body"]
    assert "<password>***</password>" in entries[0]["request_body"]
    assert f"<sessionid>***{sid[-6:]}</sessionid>" in entries[1]["request_body"]


def test_failed_logins_are_journaled_under_the_company_they_named(company, control):
    Gateway(company.url, company=company.company, user=("ws_user", "wrong")).call(fn("<getAPISession/>"))
    [entry] = control.journal(company=company.company)
    assert entry["http_status"] == 401 and entry["committed"] is False


def test_filters(company, control):
    company.call(fn("<getAPISession/>", "a"))
    company.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'J-2', 'NAME': 'F'})}</create>", "b"))
    assert [e["controlid"] for e in control.journal(company=company.company, function="create")] == ["req-1"]
    assert len(control.journal(company=company.company, controlid="b")) == 1
    assert len(control.journal(company=company.company, committed=True)) == 1
    first = control.journal(company=company.company)[0]["id"]
    assert len(control.journal(company=company.company, after_id=first)) == 1
    assert len(control.journal(company=company.company, limit=1)) == 1


def test_malformed_requests_are_journaled_too(control, live_server, company):
    before = control.journal(limit=1000)
    company.post(b"<request><control>")
    after = control.journal(after_id=before[-1]["id"] if before else None, limit=1000)
    assert any(e["company"] is None and e["http_status"] == 200 and "XL03000003" in
               control.journal_entry(e["id"])["response_body"] for e in after)


def test_tenants_under_concurrent_use_see_only_their_own_entries(make_company, control, gateway_url):
    tenants = [Gateway(gateway_url, company=make_company()) for _ in range(4)]
    for gw in tenants:
        control.add_fault({"company": gw.company, "match": {"controlid": "boom"}, "action": "http_status=503"})

    def work(gw: Gateway) -> None:
        for n in range(5):
            gw.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': f'{gw.company}-{n}', 'NAME': 'T'})}</create>"))
        gw.call(fn("<getAPISession/>", "boom"))

    threads = [threading.Thread(target=work, args=(gw,)) for gw in tenants]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for gw in tenants:
        entries = control.journal(company=gw.company)
        assert len(entries) == 6 and {e["company"] for e in entries} == {gw.company}
        assert [e["http_status"] for e in entries].count(503) == 1
        vendors = control.books(gw.company, "VENDOR")
        assert sorted(v["VENDORID"] for v in vendors if v["VENDORID"].startswith(gw.company)) == [
            f"{gw.company}-{n}" for n in range(5)]
