"""Operation semantics: per-function results, transaction="true" rollback, and the uniqueid ledger."""

import threading

from tests.support import fn, record_xml


def bill(number: str, vendor: str = "V-1", amount: str = "100.00") -> str:
    return record_xml("APBILL", {
        "VENDORID": vendor, "WHENCREATED": "03/01/2026", "RECORDID": number, "TERMNAME": "N30",
        "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": amount}]},
    })


def count_bills(gw, number: str) -> int:
    reply = gw.query("APBILL", f"RECORDID = '{number}'", fields="RECORDNO")
    return int(reply.result().find("data").get("totalcount"))


def test_functions_commit_independently_without_transaction(company):
    reply = company.call(fn(f"<create>{bill('B-1')}</create>"), fn(f"<create>{bill('B-1')}</create>"))
    assert [r.findtext("status") for r in reply.results()] == ["success", "failure"]
    assert count_bills(company, "B-1") == 1


def test_transaction_true_rolls_back_everything_and_aborts_the_others(company):
    reply = company.call(
        fn(f"<create>{bill('T-1')}</create>", "first"),
        fn(f"<create>{bill('T-2', vendor='NOPE')}</create>", "second"),
        fn(f"<create>{bill('T-3')}</create>", "third"),
        transaction="true",
    )
    statuses = [(r.findtext("controlid"), r.findtext("status")) for r in reply.results()]
    assert statuses == [("first", "aborted"), ("second", "failure"), ("third", "aborted")]
    failure = reply.result(1)
    errornos = [e.findtext("errorno") for e in failure.findall("errormessage/error")]
    assert errornos[-1] == "XL03000009"
    assert "Invalid Vendor 'NOPE' specified." in failure.findtext("errormessage/error/description2")
    for aborted in (reply.result(0), reply.result(2)):
        assert aborted.findtext("errormessage/error/errorno") == "XL03000009"
        assert aborted.find("data") is None
    assert count_bills(company, "T-1") == 0 and count_bills(company, "T-3") == 0


def test_transaction_true_commits_when_all_succeed(company):
    company.ok(fn(f"<create>{bill('OK-1')}</create>"), fn(f"<create>{bill('OK-2')}</create>"), transaction="true")
    assert count_bills(company, "OK-1") == 1 and count_bills(company, "OK-2") == 1


def test_uniqueid_true_refuses_a_completed_control_id_without_executing_again(company):
    first = company.call(fn(f"<create>{bill('U-1')}</create>", "export-bill-U-1"), uniqueid="true")
    assert first.result().findtext("status") == "success"
    again = company.call(fn(f"<create>{bill('U-1b')}</create>", "export-bill-U-1"), uniqueid="true")
    result = again.result()
    assert result.findtext("status") == "failure"
    assert result.findtext("controlid") == "export-bill-U-1"
    error = result.find("errormessage/error")
    assert error.findtext("errorno") == "BL01001973"
    assert error.findtext("description2") == "A successful transaction has already been recorded with the control id export-bill-U-1"
    assert count_bills(company, "U-1b") == 0


def test_uniqueid_defaults_to_true_when_omitted(company):
    company.ok(fn(f"<create>{bill('D-1')}</create>", "dflt-1"), uniqueid=None)
    reply = company.call(fn(f"<create>{bill('D-2')}</create>", "dflt-1"), uniqueid=None)
    assert reply.result().findtext("status") == "failure"


def test_uniqueid_false_lets_the_same_control_id_run_again(company):
    company.ok(fn(f"<create>{bill('F-1')}</create>", "same"), uniqueid="false")
    company.ok(fn(f"<create>{bill('F-2')}</create>", "same"), uniqueid="false")


def test_a_failed_function_control_id_may_be_retried(company):
    failed = company.call(fn(f"<create>{bill('R-1', vendor='NOPE')}</create>", "retry-me"), uniqueid="true")
    assert failed.result().findtext("status") == "failure"
    company.ok(fn(f"<create>{bill('R-1')}</create>", "retry-me"), uniqueid="true")


def test_reads_are_not_subject_to_the_control_id_ledger(company):
    for _ in range(2):
        company.ok(fn("<readByQuery><object>VENDOR</object><query/></readByQuery>", "constant-read-id"), uniqueid="true")


def test_control_id_ledger_is_per_company(make_company, gateway_url):
    from tests.support import Gateway

    a, b = Gateway(gateway_url, company=make_company()), Gateway(gateway_url, company=make_company())
    a.ok(fn(f"<create>{bill('X-1')}</create>", "shared-id"), uniqueid="true")
    b.ok(fn(f"<create>{bill('X-1')}</create>", "shared-id"), uniqueid="true")


def test_ledger_entry_rolls_back_with_the_transaction(company):
    reply = company.call(fn(f"<create>{bill('L-1')}</create>", "tx-a"), fn(f"<create>{bill('L-2', vendor='NOPE')}</create>", "tx-b"),
                         transaction="true", uniqueid="true")
    assert reply.result(0).findtext("status") == "aborted"
    company.ok(fn(f"<create>{bill('L-1')}</create>", "tx-a"), uniqueid="true")


def test_concurrent_duplicates_of_one_control_id_execute_once(company):
    replies = []

    def send():
        replies.append(company.call(fn(f"<create>{bill('C-1')}</create>", "burst-1"), uniqueid="true"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = sorted(r.result().findtext("status") for r in replies)
    assert statuses.count("success") == 1 and statuses.count("failure") == 5
    texts = {r.result().findtext("errormessage/error/description2") for r in replies if r.result().find("errormessage") is not None}
    assert all("burst-1" in t for t in texts)
    assert count_bills(company, "C-1") == 1
