"""Fault profiles: the same load with a share of injected faults (per company, seeded)."""

from __future__ import annotations

from typing import Any

PROFILES: dict[str, list[dict[str, Any]]] = {
    "none": [],
    "mixed": [
        {"match": {"function": ["create", "create_invoice", "create_arpayment"]}, "probability": 0.03,
         "action": {"type": "drop_ack", "variant": "reset"}},
        {"match": {"function": ["create", "create_invoice", "create_arpayment"]}, "probability": 0.02,
         "action": {"type": "drop_ack", "variant": "close"}},
        {"match": {"function": ["create", "create_invoice", "create_arpayment"]}, "probability": 0.02,
         "action": {"type": "drop_ack", "variant": "truncate"}},
        {"match": {"function": ["create", "create_invoice", "create_arpayment"]}, "probability": 0.02,
         "action": {"type": "drop_ack", "variant": "gateway_error", "status": 524}},
        {"match": {"function": ["create"]}, "probability": 0.005,
         "action": {"type": "drop_ack", "variant": "hang", "hang_seconds": 3}},
        {"probability": 0.02, "action": {"type": "http_status", "status": 502}},
        {"probability": 0.02, "action": {"type": "http_status", "status": 503}},
        {"probability": 0.01, "action": {"type": "http_status", "status": 429, "retry_after": 1}},
        {"match": {"session": True}, "probability": 0.01, "action": {"type": "session_expire"}},
        {"probability": 0.2, "action": {"type": "latency", "distribution": "lognormal", "median_ms": 5, "sigma": 0.7}},
        {"action": {"type": "concurrency_limit", "max": 6, "wait_seconds": 1}},
    ],
}


def rules_for(profile: str, company: str, seed: int) -> list[dict[str, Any]]:
    if profile not in PROFILES:
        raise ValueError(f"unknown fault profile {profile!r} (one of {', '.join(PROFILES)})")
    return [{**rule, "company": company, "seed": seed} for rule in PROFILES[profile]]
