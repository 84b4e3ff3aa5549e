"""Several writers at once lose nothing and never reuse a record number."""

import threading

from tests.support import fn, record_xml
from intacct_mock.web import emulator_of


def test_concurrent_bill_creation_loses_nothing(company):
    per_thread, threads = 15, 6
    recordnos: list[str] = []
    failures: list[bytes] = []
    lock = threading.Lock()

    def writer(t: int) -> None:
        for i in range(per_thread):
            bill = record_xml("APBILL", {
                "VENDORID": "V-1", "WHENCREATED": "03/01/2026", "RECORDID": f"CC-{t}-{i}", "TERMNAME": "N30",
                "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.00"}] * 2},
            })
            reply = company.call(fn(f"<create>{bill}</create>"))
            result = reply.result()
            with lock:
                if result.findtext("status") == "success":
                    recordnos.append(result.findtext("data/apbill/RECORDNO"))
                else:
                    failures.append(reply.body)

    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not failures, failures[:1]
    assert len(recordnos) == per_thread * threads
    assert len(set(recordnos)) == len(recordnos)
    data = company.query("APBILL", "RECORDID like 'CC-%'", fields="RECORDNO,TOTALENTERED", pagesize=1000).result().find("data")
    assert int(data.get("totalcount")) == per_thread * threads
    assert {b.findtext("TOTALENTERED") for b in data.findall("apbill")} == {"20.00"}


def test_request_threads_return_their_connections_to_the_pool(app, demo):
    """Each request runs on a new server thread; connections must be reused, not leaked (file descriptors)."""
    from intacct_mock.store.db import POOL_SIZE
    from tests.support import fn as function

    for _ in range(60):
        demo.ok(function("<getAPISession/>"))
    db = emulator_of(app).db
    assert len(db._all) <= POOL_SIZE + 4
