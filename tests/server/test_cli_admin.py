"""The admin subcommands against a running emulator (click's runner in-process, real HTTP to the server)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from intacct_mock.cli import main
from intacct_mock.testing.runner import running_emulator
from tests.support import Gateway, fn


def test_faults_journal_and_bundle_round_trip(tmp_path):
    runner = CliRunner()
    with running_emulator() as emu:
        url = ["--url", emu.base_url]
        added = runner.invoke(main, ["faults", "add", json.dumps(
            {"company": "DEMO", "match": {"function": "getAPISession"}, "action": "http_status=503", "times": 1}), *url])
        assert added.exit_code == 0 and "added f1: http_status for DEMO" in added.output
        gw = Gateway(emu.url)
        assert [gw.call(fn("<getAPISession/>")).status for _ in range(2)] == [503, 200]

        listed = runner.invoke(main, ["faults", "list", *url])
        assert json.loads(listed.output)[0]["fired"] == 1
        table = runner.invoke(main, ["journal", "--company", "DEMO", *url])
        assert table.exit_code == 0 and "getAPISession:not run" in table.output and " 503 " in table.output

        out = tmp_path / "bundle.json"
        exported = runner.invoke(main, ["bundle", "export", "--company", "DEMO", "-o", str(out), *url])
        assert exported.exit_code == 0, exported.output
        replayed = runner.invoke(main, ["bundle", "replay", str(out), "--as-company", "DEMO-R", *url])
        assert replayed.exit_code == 0, replayed.output
        assert "2/2 outcomes reproduced in company DEMO-R" in replayed.output
        assert runner.invoke(main, ["faults", "clear", *url]).output.strip() == "removed 1 rule(s)"


def test_bad_input_is_a_clear_message(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["faults", "add", "{not json", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "not a rules file or JSON rule" in result.output
    result = runner.invoke(main, ["journal", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "cannot reach the emulator" in result.output
    with running_emulator() as emu:
        result = runner.invoke(main, ["faults", "add", '{"action": {"type": "nope"}}', "--url", emu.base_url])
        assert result.exit_code == 1 and "action.type: expected one of" in result.output


def test_the_journal_by_document_from_the_terminal():
    from tests.server.test_documents import bill

    runner = CliRunner()
    with running_emulator() as emu:
        url = ["--url", emu.base_url]
        reply = Gateway(emu.url).ok(fn(f"<create>{bill('INV-778', vendor='V-0001')}</create>"))
        recordno = reply.result().findtext("data/apbill/RECORDNO")
        table = runner.invoke(main, ["journal", "--company", "DEMO", "--document", "inv-778", *url])
        assert table.exit_code == 0 and f"INV-778#{recordno}" in table.output and "create:success" in table.output
        counted = runner.invoke(main, ["journal", "--document", "INV-778", "--committed", "--count", *url])
        assert counted.exit_code == 0 and counted.output.strip() == "1"
        none = runner.invoke(main, ["journal", "--object", "VENDOR", "--count", *url])
        assert none.output.strip() == "0"
