"""Stop the emulator, start it again on the same file: everything written is still there."""

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.web import emulator_of
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
