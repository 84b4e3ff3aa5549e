"""A small Python handle on a running emulator's admin API, for tests and scripts.

The pytest plugin yields one of these; scenario runners and integration suites can use it
against any emulator URL. Every method is one HTTP call; failures raise ``AdminAPIError`` with
the server's message.
"""

from __future__ import annotations

from typing import Any

import requests

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"


class AdminAPIError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


class EmulatorControl:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 30.0,
                 verify: bool | str = True) -> None:
        """``verify``: requests' own argument; the CA file of an emulator served with ``--tls``."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.verify = verify  # passed per request: a Session's own would lose to REQUESTS_CA_BUNDLE
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    @property
    def gateway_url(self) -> str:
        return self.base_url + GATEWAY_PATH

    # ------------------------------------------------------------------ plumbing

    def call(self, method: str, path: str, *, json: Any = None, params: dict | None = None) -> Any:
        resp = self.http.request(method, f"{self.base_url}/_mock{path}", json=json, params=params, timeout=self.timeout,
                                 verify=self.verify)
        if resp.status_code >= 400:
            try:
                message = resp.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = resp.text
            raise AdminAPIError(resp.status_code, message)
        return resp.json() if resp.content else None

    # ------------------------------------------------------------------ server

    def health(self) -> dict:
        return self.call("GET", "/health")

    def reset(self, company: str | None = None) -> dict:
        return self.call("POST", "/reset", json={"company": company} if company else None)

    def set_clock(self, company: str | None = None, *, today: str | None = None, now: str | None = None,
                  frozen: bool = True) -> dict:
        body: dict[str, Any] = {"frozen": frozen}
        if company:
            body["company"] = company
        if today:
            body["today"] = today
        if now:
            body["now"] = now
        return self.call("PUT", "/clock", json=body)

    # ------------------------------------------------------------------ companies

    def create_company(self, spec: dict) -> dict:
        return self.call("POST", "/companies", json=spec)

    def configure_company(self, company: str, **changes: Any) -> dict:
        return self.call("PATCH", f"/companies/{company}", json=changes)

    def delete_company(self, company: str) -> None:
        self.call("DELETE", f"/companies/{company}")

    def books(self, company: str, obj: str | None = None, **filters: Any) -> Any:
        """Counts per object, or the records of one object (all pages)."""
        if obj is None:
            return self.call("GET", f"/companies/{company}/books")["counts"]
        records: list[dict] = []
        params: dict[str, Any] = {**filters, "limit": 1000}
        while True:
            page = self.call("GET", f"/companies/{company}/books/{obj}", params=params)
            records.extend(page["records"])
            if not page.get("next_after"):
                return records
            params["after"] = page["next_after"]

    # ------------------------------------------------------------------ faults

    def add_fault(self, rule: dict) -> dict:
        return self.call("POST", "/faults", json=rule)["faults"][0]

    def add_faults(self, rules: list[dict]) -> list[dict]:
        return self.call("POST", "/faults", json=rules)["faults"]

    def faults(self, company: str | None = None) -> list[dict]:
        return self.call("GET", "/faults", params={"company": company} if company else None)["faults"]

    def clear_faults(self, company: str | None = None) -> int:
        return self.call("DELETE", "/faults", params={"company": company} if company else None)["removed"]

    # ------------------------------------------------------------------ journal

    def journal(self, **filters: Any) -> list[dict]:
        params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in filters.items() if v is not None}
        return self.call("GET", "/journal", params=params)["entries"]

    def journal_count(self, **filters: Any) -> int:
        """How many entries match (the journal's filters: ``document="INV-778", committed=True`` ...)."""
        params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in filters.items() if v is not None}
        return int(self.call("GET", "/journal/count", params=params)["count"])

    def journal_entry(self, entry_id: int) -> dict:
        return self.call("GET", f"/journal/{entry_id}")
