"""The Inspector in a real browser: Playwright (the Python package) driving Debian's chromium.

Skipped when either is missing (``pip install playwright``; ``apt-get install -y chromium``; never
``playwright install``). With INSPECTOR_SCREENSHOTS=1 the screenshots of each page refresh docs/inspector/.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from intacct_mock.client import Bill, ClientConfig, IntacctClient, Line, Operations
from intacct_mock.testing.runner import running_emulator

CHROMIUM = "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]

# Screenshots refresh docs/inspector/ only when asked (INSPECTOR_SCREENSHOTS=1), so a test run leaves the tree clean.
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "inspector" if os.environ.get("INSPECTOR_SCREENSHOTS")
         else Path(tempfile.gettempdir()) / "intacct-mock-inspector-shots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def emu():
    with running_emulator() as e:
        yield e


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_lost_ack_from_the_faults_page_shows_in_journal_and_books(browser, emu):
    ui = emu.control.base_url + "/_mock/ui"
    page = browser.new_page(viewport={"width": 1400, "height": 900})

    # 1. add a drop_ack reset fault for DEMO/create from the form
    page.goto(ui + "/faults")
    form = page.locator("#add-fault")
    form.locator("input[name=company]").fill("DEMO")
    form.locator("input[name=function]").fill("create")
    form.locator("select[name=action]").select_option("drop_ack=reset")
    form.locator("input[name=times]").fill("1")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Added fault" in page.locator(".flash").inner_text()
    rule_row = page.locator("table.faults tbody tr").first
    assert "drop_ack" in rule_row.inner_text() and "DEMO" in rule_row.inner_text()
    [rule] = emu.control.faults("DEMO")
    assert rule["action"] == {"type": "drop_ack", "variant": "reset"} and rule["match"] == {"function": ["create"]}
    shot(page, "faults")

    # 2. export one bill with the reference client: the ack is lost, the client reconciles
    config = ClientConfig(sender_id="mock-sender", sender_password="mock-sender-pw", company_id="DEMO",
                          user_id="ws_user", user_password="ws_user_pw", endpoint_url=emu.url)
    vendor = emu.books("DEMO", "VENDOR")[0]["VENDORID"]
    posted = Operations(IntacctClient(config)).export_bill(
        Bill(vendor, "E2E-778", date(2026, 3, 2), [Line("6220", Decimal("240.00"))], due_date=date(2026, 4, 1)))
    assert posted.how == "reconciled"

    # 3. the journal flags the entry
    page.goto(ui + "/")
    lost = page.locator("tr.lost-ack")
    assert lost.count() == 1
    assert "COMMITTED, NOT ACKNOWLEDGED" in lost.inner_text() and "drop_ack=reset" in lost.inner_text()
    shot(page, "journal")

    # 4. click through to the detail: highlighted XML, the record it wrote
    lost.locator("a").first.click()
    page.wait_for_load_state()
    assert "COMMITTED, NOT ACKNOWLEDGED" in page.locator("h1").inner_text()
    assert page.locator("#request-xml .x-tag").count() > 10
    assert "E2E-778" in page.locator("#request-xml").inner_text()
    assert "ws_user_pw" not in page.content() and "mock-sender-pw" not in page.content()
    shot(page, "entry")
    page.locator("ul.records a").first.click()
    page.wait_for_load_state()
    assert "APBILL" in page.locator("h1").inner_text()
    assert page.locator("#mention-rows tr.lost-ack").count() == 1
    shot(page, "record")

    # 5. the books page shows the bill, posted
    page.goto(f"{ui}/books/DEMO")
    bill_row = page.locator(f"#APBILL-{posted.recordno}")
    assert "E2E-778" in bill_row.inner_text() and "Posted" in bill_row.inner_text()
    shot(page, "books")

    page.goto(ui + "/scenarios")
    assert page.locator("h1").inner_text() == "Scenarios"
    assert page.locator(".live-control").is_visible()  # the auto-refresh switch appears only with JavaScript
    shot(page, "scenarios")
    page.close()


def test_pages_read_fine_with_javascript_disabled(browser, emu):
    emu.add_fault({"company": "DEMO", "match": {"object": "APBILL"}, "action": "drop_ack=close", "times": 1})
    config = ClientConfig(sender_id="mock-sender", sender_password="mock-sender-pw", company_id="DEMO",
                          user_id="ws_user", user_password="ws_user_pw", endpoint_url=emu.url)
    vendor = emu.books("DEMO", "VENDOR")[0]["VENDORID"]
    Operations(IntacctClient(config)).export_bill(
        Bill(vendor, "NOJS-1", date(2026, 3, 2), [Line("6220", Decimal("10.00"))], due_date=date(2026, 4, 1)))
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    ui = emu.control.base_url + "/_mock/ui"
    page.goto(ui + "/journal?company=DEMO&committed=true")
    assert page.locator("tr.lost-ack").count() == 1
    assert "COMMITTED, NOT ACKNOWLEDGED" in page.locator("tr.lost-ack").inner_text()
    assert not page.locator(".live-control").is_visible()  # no dead auto-refresh switch without JavaScript
    # the filter form works as a plain GET form
    page.locator("select[name=delivery]").select_option("close")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "delivery=close" in page.url and page.locator("tr[data-entry]").count() == 1
    page.locator("tr.lost-ack a").first.click()
    page.wait_for_load_state()
    assert "NOJS-1" in page.locator("#request-xml").inner_text()
    shot(page, "journal-no-js")
    context.close()
