"""Fixtures of the REST suite: a fresh company and a REST handle on it (a token for ws_user)."""

from __future__ import annotations

import pytest

from tests.rest.test_objects import Rest


@pytest.fixture
def company(make_company) -> str:
    """A fresh company's id (the suite-wide ``company`` fixture is a Gateway; REST tests want the id)."""
    return make_company()


@pytest.fixture
def rest(live_server, company) -> Rest:
    return Rest(live_server.base_url, company)
