"""Client configuration from arguments or the environment (``INTACCT_*``), real endpoint by default."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"
ENV_PREFIX = "INTACCT_"


class ConfigurationError(ValueError):
    """A setting is missing or malformed; the message names it and its environment variable."""


@dataclass(frozen=True)
class ClientConfig:
    sender_id: str
    sender_password: str
    company_id: str
    user_id: str
    user_password: str
    entity_id: str | None = None  # a multi-entity company's entity (locationid)
    endpoint_url: str = DEFAULT_ENDPOINT
    timeout: float = 60.0  # seconds per HTTP attempt (connect + read)
    max_attempts: int = 5  # per call, first attempt included
    retry_budget: float = 120.0  # seconds across all attempts of one call
    backoff_base: float = 0.5  # first backoff; doubles per attempt, with full jitter
    backoff_cap: float = 30.0
    page_size: int = 1000  # readByQuery / query page size
    seed: int | None = None  # jitter seed, for reproducible runs (scenarios)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "ClientConfig":
        """``INTACCT_SENDER_ID``, ``INTACCT_SENDER_PASSWORD``, ``INTACCT_COMPANY_ID``, ``INTACCT_USER_ID``,
        ``INTACCT_USER_PASSWORD``, ``INTACCT_ENTITY_ID``, ``INTACCT_ENDPOINT_URL``, ``INTACCT_TIMEOUT`` ...;
        keyword overrides win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _convert(f.type, raw)
            except ValueError:
                raise ConfigurationError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {f.type}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        missing = [n for n in ("sender_id", "sender_password", "company_id", "user_id", "user_password")
                   if not values.get(n)]
        if missing:
            names = ", ".join(f"{n} ({ENV_PREFIX}{n.upper()})" for n in missing)
            raise ConfigurationError(f"missing client setting(s): {names}")
        config = cls(**values)
        config.validate()
        return config

    def validate(self) -> None:
        if not self.endpoint_url.startswith(("http://", "https://")):
            raise ConfigurationError(f"endpoint_url must be an http(s) URL, got {self.endpoint_url!r}")
        if self.timeout <= 0 or self.retry_budget <= 0 or self.max_attempts < 1:
            raise ConfigurationError("timeout and retry_budget must be positive and max_attempts at least 1")
        if not 1 <= self.page_size <= 1000:
            raise ConfigurationError("page_size must be from 1 to 1000")

    def with_entity(self, entity_id: str | None) -> "ClientConfig":
        return replace(self, entity_id=entity_id)


def _convert(kind: Any, raw: str) -> Any:
    kind = str(kind)
    if "int" in kind and "float" not in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    return raw
