"""Settings, layered in one place: defaults -> YAML file -> MOCK_INTACCT_* environment -> overrides.

Everything the emulator decides that the real gateway does not document is a setting here, so a
team can match whatever their production tenant does (protocol notes 'unverified' items).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

ENV_PREFIX = "MOCK_INTACCT_"
DEFAULT_DB = ".intacct-mock/mock.db"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8085
    db_path: str = DEFAULT_DB  # ":memory:" keeps nothing after the process ends
    seed: int = 42
    company_file: str | None = None
    # Web Services senders known to the gateway: sender id -> sender password (case-sensitive).
    senders: Mapping[str, str] = field(default_factory=lambda: {"mock-sender": "mock-sender-pw"})
    # Public URL returned in getAPISession <endpoint>; default: the URL the request came in on.
    public_url: str | None = None
    session_timeout_seconds: int = 6 * 3600
    # REST: access token lifetime (Sage does not say; clients assume 1 to 6 hours) and refresh token lifetime.
    rest_token_seconds: int = 3600
    rest_refresh_seconds: int = 30 * 24 * 3600
    # "gateway": bad login -> HTTP 401 XMLGW_JPP0002 (current gateway); "legacy": HTTP 200 XL03000006.
    login_failure_mode: str = "gateway"
    duplicate_controlid_errorno: str = "BL01001973"
    max_body_bytes: int = 10 * 1024 * 1024
    # Longest wait for the next bytes of a request (its headers or its body) before the server gives
    # up on it: a stalled body is answered 408, stalled headers close the connection. The web server
    # in front of Intacct does the same (Apache's mod_reqtimeout waits about 20 s); without it one
    # client that stops half way holds a request thread (or a gunicorn worker) forever.
    read_timeout_seconds: float = 20.0
    max_functions_per_request: int = 100
    max_objects_per_write: int = 100
    readmore_ttl_seconds: int = 3600
    # Rendered readByQuery/readMore records kept per server process (MB of text; 0 turns it off).
    record_cache_mb: int = 64
    concurrency_wait_seconds: float = 30.0
    log_level: str = "INFO"
    # Fault injection: rules loaded at start-up, and whether X-Mock-Fault headers are obeyed.
    faults_file: str | None = None
    fault_header: bool = False
    # Admin API (/_mock): without a token it answers loopback callers only; with one it requires it.
    admin_token: str | None = None
    # Journal: full (bodies too), meta (no bodies: cheaper under load) or off.
    journal: str = "full"
    # HTTPS with the kept private CA (``serve --tls``); its folder (default: tls/ beside the database).
    tls: bool = False
    tls_dir: str | None = None

    @classmethod
    def load(cls, file: str | Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        values: dict[str, Any] = {}
        if file:
            loaded = yaml.safe_load(Path(file).read_text()) or {}
            if not isinstance(loaded, dict):
                raise ValueError(f"{file}: settings file must be a mapping")
            values.update(loaded)
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        for name, f in known.items():
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is None:
                continue
            if f.type in ("int", int):
                values[name] = int(raw)
            elif f.type in ("float", float):
                values[name] = float(raw)
            elif f.type in ("bool", bool):
                values[name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif name == "senders":
                values[name] = dict(pair.split(":", 1) for pair in raw.split(",") if ":" in pair)
            else:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(cls(), **values)
