"""Stop the emulator, start it again on the same file: everything written is still there."""

from intacct_mock.app import create_app
from intacct_mock.config import Settings
from intacct_mock.web import emulator_of
from tests.support import Gateway, ServerThread, fn, record_xml


def start(db_path):
    return ServerThread(create_app(Settings.load(env={}, db_path=str(db_path)))).start()


def test_records_sessions_and_ledger_survive_a_restart(tmp_path):
    db = tmp_path / "persist.db"
    server = start(db)
    gw = Gateway(server.base_url + "/ia/xml/xmlgw.phtml")
    vendor = record_xml("VENDOR", {"VENDORID": "PERSIST-1", "NAME": "Persistent Ltd", "DISPLAYCONTACT": {"PRINTAS": "P"}})
    created = gw.ok(fn(f"<create>{vendor}</create>", "persist-ctl"), uniqueid="true")
    recordno = created.result().findtext("data/vendor/RECORDNO")
    sid = gw.session()
    server.stop()
    server.app_db = None

    server = start(db)
    try:
        gw = Gateway(server.base_url + "/ia/xml/xmlgw.phtml")
        reply = gw.ok(fn("<readByName><object>VENDOR</object><keys>PERSIST-1</keys></readByName>"), session=sid)
        assert reply.result().findtext("data/VENDOR/RECORDNO") == recordno
        again = gw.call(fn(f"<create>{vendor}</create>", "persist-ctl"), uniqueid="true")
        assert "already been recorded" in again.result().findtext("errormessage/error/description2")
        demo_vendors = gw.query("VENDOR", fields="RECORDNO").result().find("data").get("totalcount")
        assert demo_vendors == "26"  # 25 seeded once, plus ours: the demo company is not seeded twice
    finally:
        server.stop()


def test_memory_database_keeps_nothing_on_disk(tmp_path):
    app = create_app(Settings.load(env={}, db_path=":memory:"))
    path = emulator_of(app).db.path
    emulator_of(app).db.close()
    import os

    assert not os.path.exists(path)


def test_a_file_numbered_per_table_continues_above_every_subledger_record(tmp_path):
    """Files written before the subledgers shared a sequence numbered each table on its own: the
    shared sequence starts above all of them, so no record number is given twice."""
    import sqlite3

    db = tmp_path / "older.db"
    start(db).stop()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE ARINVOICE SET RECORDNO = 5000 WHERE RECORDNO = (SELECT max(RECORDNO) FROM ARINVOICE)")
    conn.execute("DELETE FROM record_sequences")  # as an older file has none
    conn.commit()
    conn.close()
    server = start(db)
    try:
        gw = Gateway(server.base_url + "/ia/xml/xmlgw.phtml")
        customer = gw.query("CUSTOMER", fields="CUSTOMERID").result().findtext("data/customer/CUSTOMERID")
        created = gw.ok(fn(record_xml("create_aradjustment", {  # the first adjustment: its own table is empty
            "customerid": customer, "datecreated": {"year": "2026", "month": "3", "day": "2"},
            "aradjustmentitems": {"lineitem": [{"glaccountno": "4000", "amount": "-1.00"}]}})))
        assert int(created.result().findtext("key")) == 5001
    finally:
        server.stop()
