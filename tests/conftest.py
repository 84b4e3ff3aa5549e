"""Shared fixtures: one live emulator per test session, a fresh company per test.

Each test that writes gets its own company (``company`` fixture), so tests never see each
other's books and no reset is needed between them; the demo company stays as seeded.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Any, Callable

import pytest

from intacct_mock.app import create_app
from intacct_mock.clock import FrozenClock
from intacct_mock.company.model import CompanyConfig, User
from intacct_mock.functions.companies import seeding_context, write_records
from intacct_mock.config import Settings
from intacct_mock.admin_client import EmulatorControl
from intacct_mock.web import emulator_of
from tests.support import Gateway, ServerThread

START = datetime(2026, 3, 16, 12, 0, 0, tzinfo=timezone.utc)
_company_ids = itertools.count(1)

BASIC_RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("GLACCOUNT", {"ACCOUNTNO": "1000", "TITLE": "Cash", "ACCOUNTTYPE": "balancesheet", "NORMALBALANCE": "debit"}),
    ("GLACCOUNT", {"ACCOUNTNO": "4000", "TITLE": "Revenue", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "credit"}),
    ("GLACCOUNT", {"ACCOUNTNO": "6220", "TITLE": "Software", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"}),
    ("GLACCOUNT", {"ACCOUNTNO": "6400", "TITLE": "Fees", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"}),
    ("DEPARTMENT", {"DEPARTMENTID": "D100", "TITLE": "Finance"}),
    ("LOCATION", {"LOCATIONID": "L100", "NAME": "Head office"}),
    ("CLASS", {"CLASSID": "C1", "NAME": "Enterprise"}),
    ("CUSTOMER", {"CUSTOMERID": "C-1", "NAME": "Acme Corp", "DISPLAYCONTACT": {"PRINTAS": "Acme Corp"}}),
    ("CUSTOMER", {"CUSTOMERID": "C-2", "NAME": "Globex", "DISPLAYCONTACT": {"PRINTAS": "Globex"}}),
    ("VENDOR", {"VENDORID": "V-1", "NAME": "Initech", "DISPLAYCONTACT": {"PRINTAS": "Initech"}}),
    ("VENDOR", {"VENDORID": "V-2", "NAME": "Hooli", "DISPLAYCONTACT": {"PRINTAS": "Hooli"}}),
    ("SUPDOCFOLDER", {"NAME": "Bills"}),
]


@pytest.fixture(scope="session")
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def app(tmp_path_factory, clock):
    settings = Settings.load(env={}, db_path=str(tmp_path_factory.mktemp("db") / "mock.db"), seed=7, fault_header=True)
    return create_app(settings, clock=clock)


@pytest.fixture(scope="session")
def live_server(app):
    server = ServerThread(app).start()
    yield server
    server.stop()


@pytest.fixture
def control(live_server) -> EmulatorControl:
    """The admin API of the live server (the same handle the pytest plugin gives users)."""
    return EmulatorControl(live_server.base_url)


@pytest.fixture
def gateway_url(live_server) -> str:
    return live_server.base_url + "/ia/xml/xmlgw.phtml"


@pytest.fixture
def demo(gateway_url) -> Gateway:
    """A client signed in to the seeded demo company."""
    return Gateway(gateway_url)


def new_company(app, records: list | None = None, users: list[User] | None = None, **overrides: Any) -> str:
    """Create a fresh company (basic chart, two customers, two vendors) on ``app``; returns its id."""
    company_id = overrides.pop("company_id", f"T{next(_company_ids):04d}")
    config = CompanyConfig(
        company_id=company_id,
        users=users or [User("ws_user", "ws_user_pw")],
        **overrides,
    )
    db, companies, clk = emulator_of(app).db, emulator_of(app).companies, emulator_of(app).clock
    with db.transaction(write=True) as conn:
        companies.put(conn, config)
        ctx = seeding_context(conn, companies, clk, company_id)
        write_records(ctx, BASIC_RECORDS if records is None else records, company_id)
    return company_id


@pytest.fixture
def make_company(app) -> Callable[..., str]:
    """Create a fresh company (basic chart, two customers, two vendors); returns its id."""

    def make(records: list | None = None, users: list[User] | None = None, **overrides: Any) -> str:
        return new_company(app, records, users, **overrides)

    return make


@pytest.fixture
def company(make_company, gateway_url) -> Gateway:
    """A client signed in to a fresh company of its own."""
    return Gateway(gateway_url, company=make_company())
