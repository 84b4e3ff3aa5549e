"""Locust users that behave like the integrations in the field, built on the reference client.

- ``APExporter``: bursts of bills with lines and dimensions, document-derived control ids;
- ``ARWriter``: invoices, then payments applied to them;
- ``SyncJob``: readByQuery + readMore paging, payment lookback over WHENMODIFIED;
- ``Importer``: vendor/customer/GL account upserts;
- ``RestAPExporter``: the same bills through the REST API (``client.rest``), under document-derived
  ``Idempotency-Key``s, over the same books.

Every HTTP exchange is reported to Locust (``xml <functions>``, ``rest <method> <path>``); every business operation is
reported too (``op <name>``) and recorded in a JSON-lines ledger that ``loadtests.ledger`` checks
after the run. Options: ``--companies``, ``--fault-profile``, ``--ledger-dir``, ``--run-id``.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.runners import WorkerRunner

from intacct_mock.client import Bill, ClientConfig, IntacctClient, Invoice, Line, Operations, Payment
from intacct_mock.client.errors import ConcurrencyLimited, IntacctError, OutcomeUnknown, RateLimited, TransientServerError
from intacct_mock.client.rest import RestClient, RestConfig, RestOperations
from intacct_mock.client.transport import Transport
import requests
from intacct_mock.loadtests.profiles import rules_for
from intacct_mock.admin_client import AdminAPIError, EmulatorControl

FUNCTION_NAME = re.compile(rb"<function[^>]*>\s*<([A-Za-z_]+)")
# Outcomes a well-behaved client may end with under injected faults; anything else is a defect.
TOLERATED = (OutcomeUnknown, TransientServerError, RateLimited, ConcurrencyLimited)


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument("--companies", type=int, default=2, help="Tenants to spread the users over.")
    parser.add_argument("--fault-profile", default="none", help="none or mixed (see loadtests/profiles.py).")
    parser.add_argument("--ledger-dir", default=".intacct-mock/load-ledger", help="Where clients record outcomes.")
    parser.add_argument("--run-id", default="run", help="Prefix of the load companies (LOAD-<run id>-<n>).")


def company_ids(options) -> list[str]:
    return [f"LOAD-{options.run_id}-{n}".upper() for n in range(1, options.companies + 1)]


@events.test_start.add_listener
def _prepare(environment, **_kw) -> None:
    """Create the tenants and install the fault profile, once (the master, or the only process)."""
    if isinstance(environment.runner, WorkerRunner):
        return
    control = EmulatorControl(environment.host)
    for n, company in enumerate(company_ids(environment.parsed_options)):
        try:
            control.delete_company(company)
        except AdminAPIError:
            pass
        control.create_company({"demo_seed": 100 + n, "company_id": company})
        control.clear_faults(company)
        rules = rules_for(environment.parsed_options.fault_profile, company, seed=1000 + n)
        if rules:
            control.add_faults(rules)


class LocustTransport(Transport):
    """The reference client's transport, timing every exchange for Locust's statistics."""

    def __init__(self, timeout: float, environment) -> None:
        super().__init__(timeout)
        self.environment = environment

    def post(self, url: str, body: bytes):
        started = time.perf_counter()
        found = FUNCTION_NAME.search(body)
        name = "xml " + (found.group(1).decode() if found else "?")
        exc = None
        try:
            answer = super().post(url, body)
            if answer.status != 200:
                exc = RuntimeError(f"HTTP {answer.status}")
            return answer
        except Exception as err:  # reported, then handled by the client as usual
            exc = err
            raise
        finally:
            self.environment.events.request.fire(request_type="POST", name=name, response_time=(time.perf_counter() - started) * 1000,
                                                 response_length=0, exception=exc, context={})


class LocustSession(requests.Session):
    """The REST client's HTTP session, timing every exchange for Locust's statistics."""

    def __init__(self, environment) -> None:
        super().__init__()
        self.environment = environment

    def request(self, method, url, *args, **kwargs):
        path = url.split("/ia/api/v1", 1)[-1]
        name = "rest " + method + " " + re.sub(r"/[0-9,]+$", "/{key}", path)
        started, exc = time.perf_counter(), None
        try:
            reply = super().request(method, url, *args, **kwargs)
            if reply.status_code >= 400:
                exc = RuntimeError(f"HTTP {reply.status_code}")
            return reply
        except Exception as err:  # reported, then handled by the client as usual
            exc = err
            raise
        finally:
            self.environment.events.request.fire(request_type=method, name=name,
                                                 response_time=(time.perf_counter() - started) * 1000,
                                                 response_length=0, exception=exc, context={})


class IntegrationUser(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        options = self.environment.parsed_options
        self.rng = random.Random()
        self.company = self.rng.choice(company_ids(options))
        config = ClientConfig("mock-sender", "mock-sender-pw", self.company, "ws_user", "ws_user_pw",
                              endpoint_url=self.host.rstrip("/") + "/ia/xml/xmlgw.phtml", timeout=2.0,
                              max_attempts=6, retry_budget=30.0, backoff_base=0.05, backoff_cap=1.0)
        self.client_ = IntacctClient(config, transport=LocustTransport(config.timeout, self.environment))
        self.ops = Operations(self.client_)
        ledger_dir = Path(options.ledger_dir)
        ledger_dir.mkdir(parents=True, exist_ok=True)
        self.ledger = open(ledger_dir / f"ledger-{os.getpid()}.jsonl", "a", buffering=1)
        self.uid = f"{os.getpid()}-{id(self) % 100000}"
        self.seq = 0

    def on_stop(self) -> None:
        self.ledger.close()

    def next_number(self, prefix: str) -> str:
        self.seq += 1
        return f"{prefix}-{self.uid}-{self.seq}"

    def record(self, **entry: Any) -> None:
        self.ledger.write(json.dumps({"company": self.company, **entry}) + "\n")

    def operation(self, name: str, action):
        started = time.perf_counter()
        exc = None
        try:
            return action()
        except TOLERATED:
            return None  # a lost answer or an outage the client could not outwait: tolerated, checked later
        except IntacctError as err:
            exc = err
            self.record(event="error", operation=name, error=err.summary())
        except Exception as err:  # a bug in the client or the emulator
            exc = err
            self.record(event="error", operation=name, error=f"{type(err).__name__}: {err}")
        finally:
            self.environment.events.request.fire(request_type="op", name=name,
                                                 response_time=(time.perf_counter() - started) * 1000,
                                                 response_length=0, exception=exc, context={})
        return None


class APExporter(IntegrationUser):
    weight = 4

    @task
    def export_burst(self) -> None:
        for _ in range(self.rng.randint(1, 5)):
            vendor = f"V-{self.rng.randint(1, 25):04d}"
            number = self.next_number("LB")
            lines = [Line(self.rng.choice(["6000", "6100", "6200", "6220", "6300"]),
                          Decimal(self.rng.randint(100, 99999)) / 100, "load line",
                          department=self.rng.choice(["D100", "D200", None]), location=self.rng.choice(["L100", None]))
                     for _ in range(self.rng.randint(1, 5))]
            bill = Bill(vendor, number, date(2026, 3, self.rng.randint(1, 15)), lines, due_date=date(2026, 4, 30),
                        po_number=f"PO-{self.rng.randint(1000, 9999)}")
            posted = self.operation("export_bill", lambda: self.ops.export_bill(bill))
            if posted is not None:
                self.record(event="exported", kind="bill", party=vendor, number=number, recordno=posted.recordno,
                            how=posted.how, controlid=f"bill-{vendor}-{number}")


class ARWriter(IntegrationUser):
    weight = 3

    @task
    def invoice_and_payment(self) -> None:
        customer = f"C-{self.rng.randint(1, 25):04d}"
        number = self.next_number("LI")
        amount = Decimal(self.rng.randint(1000, 500000)) / 100
        invoice = Invoice(customer, number, date(2026, 3, 2), [Line("4000", amount)], due_date=date(2026, 4, 1))
        posted = self.operation("export_invoice", lambda: self.ops.export_invoice(invoice))
        if posted is None:
            return
        self.record(event="exported", kind="invoice", party=customer, number=number, recordno=posted.recordno,
                    how=posted.how, controlid=f"invoice-{customer}-{number}")
        reference = self.next_number("LP")
        paid = (amount / 2).quantize(Decimal("0.01"))
        payment = Payment(customer, reference, date(2026, 3, 10), paid, {posted.recordno: paid}, bank_account="BOA")
        pay = self.operation("record_payment", lambda: self.ops.record_payment(payment))
        if pay is not None:
            self.record(event="exported", kind="payment", party=customer, number=reference, recordno=pay.recordno,
                        how=pay.how, controlid=f"arpayment-{customer}-{reference}")


class SyncJob(IntegrationUser):
    weight = 2

    @task(3)
    def page_through_customers(self) -> None:
        self.operation("read_customers", lambda: sum(1 for _ in self.client_.read_by_query(
            "CUSTOMER", "STATUS = 'T'", "CUSTOMERID,NAME,TOTALDUE", page_size=10)))

    @task(1)
    def payment_lookback(self) -> None:
        self.operation("sync_payments", lambda: list(self.ops.sync_payments(lookback_days=8)))


class Importer(IntegrationUser):
    weight = 1

    @task
    def upsert_master_data(self) -> None:
        n = self.rng.randint(1, 40)
        self.operation("import_vendors", lambda: self.ops.import_vendors(
            [{"VENDORID": f"LV-{n:03d}", "NAME": f"Load vendor {n}"}]))
        self.operation("import_customers", lambda: self.ops.import_customers(
            [{"CUSTOMERID": f"LC-{n:03d}", "NAME": f"Load customer {n}"}]))
        self.operation("import_gl_accounts", lambda: self.ops.import_gl_accounts(
            [{"ACCOUNTNO": f"69{n:02d}", "TITLE": f"Load account {n}", "ACCOUNTTYPE": "incomestatement",
              "NORMALBALANCE": "debit"}]))


class RestAPExporter(IntegrationUser):
    """An AP tool that moved to the REST API: the same bills, the same books, keys instead of control ids."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        config = RestConfig(self.host.rstrip("/") + "/ia/api/v1", "mock-client", "mock-client-secret", self.company,
                            "ws_user", timeout=2.0, max_attempts=6, retry_budget=30.0, backoff_base=0.05,
                            backoff_cap=1.0)
        self.rest_ops = RestOperations(RestClient(config, session=LocustSession(self.environment)))

    @task
    def export_burst(self) -> None:
        for _ in range(self.rng.randint(1, 3)):
            vendor = f"V-{self.rng.randint(1, 25):04d}"
            number = self.next_number("RB")
            lines = [Line(self.rng.choice(["6000", "6100", "6200", "6220", "6300"]),
                          Decimal(self.rng.randint(100, 99999)) / 100, "rest load line",
                          department=self.rng.choice(["D100", "D200", None]))
                     for _ in range(self.rng.randint(1, 4))]
            bill = Bill(vendor, number, date(2026, 3, self.rng.randint(1, 15)), lines, due_date=date(2026, 4, 30))
            posted = self.operation("rest_export_bill", lambda: self.rest_ops.export_bill(bill))
            if posted is not None:
                self.record(event="exported", kind="bill", party=vendor, number=number, recordno=posted.recordno,
                            how=posted.how, controlid=f"bill-{vendor}-{number}")
