"""Client tests run the reference client against the live emulator (real HTTP, real faults)."""

from __future__ import annotations

from typing import Callable

import pytest

from intacct_mock.client import ClientConfig, IntacctClient, Operations
from intacct_mock.client.retry import RetryPolicy


@pytest.fixture
def client_for(gateway_url) -> Callable[..., IntacctClient]:
    def make(company: str, user: str = "ws_user", password: str = "ws_user_pw", **overrides) -> IntacctClient:
        overrides.setdefault("timeout", 5.0)
        overrides.setdefault("backoff_base", 0.001)
        overrides.setdefault("backoff_cap", 0.01)
        overrides.setdefault("seed", 1)
        config = ClientConfig("mock-sender", "mock-sender-pw", company, user, password, endpoint_url=gateway_url,
                              **overrides)
        sleeps: list[float] = []
        retry = RetryPolicy(config.max_attempts, config.retry_budget, config.backoff_base, config.backoff_cap,
                            config.seed, sleep=sleeps.append)
        client = IntacctClient(config, retry=retry)
        client.sleeps = sleeps  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def tenant(make_company) -> str:
    return make_company()


@pytest.fixture
def intacct(client_for, tenant) -> IntacctClient:
    return client_for(tenant)


@pytest.fixture
def ops(intacct) -> Operations:
    return Operations(intacct)
