"""Expectations: compare what happened (step results, exporter state, journal, books) with the file.

Each failed check is a ``Mismatch`` with where it is in the file, what was expected and what was
found, so the report can show "expected X, got Y" next to the journal excerpt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from intacct_mock.client.exporter import ExportStore
from intacct_mock.client.operations import Posted
from intacct_mock.admin_client import AdminAPIError, EmulatorControl

from .steps import StepResult


@dataclass
class Mismatch:
    where: str
    expected: Any
    actual: Any
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: expected {self.expected!r}, got {self.actual!r}"


def _error_name(err: BaseException | None) -> str | None:
    return type(err).__name__ if err is not None else None


def _is_a(err: BaseException, name: str) -> bool:
    return any(cls.__name__ == name for cls in type(err).__mro__)


def check_step(expect: dict[str, Any], result: StepResult, where: str) -> list[Mismatch]:
    out: list[Mismatch] = []
    err, value = result.error, result.value
    if "raises" in expect:
        if err is None or not _is_a(err, expect["raises"]):
            out.append(Mismatch(f"{where}.raises", expect["raises"], _error_name(err) or f"no error ({value!r:.120})"))
    elif expect.get("ok", True) and err is not None:
        detail = getattr(err, "summary", lambda: str(err))()
        out.append(Mismatch(f"{where}.ok", "no error", f"{_error_name(err)}: {detail}"))
    if expect.get("ok") is False and err is None:
        out.append(Mismatch(f"{where}.ok", "an error", "no error"))
    if "errorno" in expect and getattr(err, "errorno", None) != expect["errorno"]:
        actual = getattr(err, "errorno", None) or (value.get("errors") if isinstance(value, dict) else None)
        if not (isinstance(actual, list) and expect["errorno"] in actual):
            out.append(Mismatch(f"{where}.errorno", expect["errorno"], actual))
    if "text_contains" in expect:
        text = (str(err) + " " + str(getattr(err, "correction", ""))) if err else (value.get("text", "") if isinstance(value, dict) else str(value))
        if expect["text_contains"] not in text:
            out.append(Mismatch(f"{where}.text_contains", expect["text_contains"], text[:300]))
    if "how" in expect and (not isinstance(value, Posted) or value.how != expect["how"]):
        out.append(Mismatch(f"{where}.how", expect["how"], getattr(value, "how", value)))
    if "counts" in expect:
        actual = {k: (value or {}).get(k) for k in expect["counts"]} if isinstance(value, dict) else value
        if actual != expect["counts"]:
            out.append(Mismatch(f"{where}.counts", expect["counts"], actual))
    if "statuses" in expect:
        actual = value.get("statuses") if isinstance(value, dict) else None
        if actual != expect["statuses"]:
            out.append(Mismatch(f"{where}.statuses", expect["statuses"], actual))
    if "http_status" in expect:
        actual = value.get("http_status") if isinstance(value, dict) else getattr(err, "http_status", None)
        if actual != expect["http_status"]:
            out.append(Mismatch(f"{where}.http_status", expect["http_status"], actual))
    if "records" in expect:
        actual = len(value) if isinstance(value, list) else None
        if actual != expect["records"]:
            out.append(Mismatch(f"{where}.records", expect["records"], actual))
    if "each" in expect:
        rows = value if isinstance(value, list) else []
        wrong = [r for r in rows if any(str(r.get(k)) != str(v) for k, v in expect["each"].items())]
        if not rows or wrong:
            out.append(Mismatch(f"{where}.each", expect["each"], wrong[:3] if rows else "no records"))
    if "result" in expect and value != expect["result"]:
        out.append(Mismatch(f"{where}.result", expect["result"], value))
    return out


def check_exporter(expect: dict[str, Any], stores: dict[str, ExportStore]) -> list[Mismatch]:
    name = expect.get("store", "default")
    store = stores.get(name)
    if store is None:
        return [Mismatch("expect.exporter.store", name, sorted(stores))]
    out: list[Mismatch] = []
    if "counts" in expect:
        counts = store.counts()
        actual = {k: counts.get(k) for k in expect["counts"]}
        if actual != expect["counts"]:
            out.append(Mismatch("expect.exporter.counts", expect["counts"], actual))
    docs = {d.key: d for d in store.documents()}
    for key, want in (expect.get("documents") or {}).items():
        doc = docs.get(key)
        if doc is None:
            out.append(Mismatch(f"expect.exporter.documents.{key}", "a document", f"none (known: {sorted(docs)[:5]})"))
            continue
        for field in ("state", "how", "errorno", "posted_on", "generation"):
            if field in want and getattr(doc, field) != want[field]:
                out.append(Mismatch(f"expect.exporter.documents.{key}.{field}", want[field], getattr(doc, field)))
        if "error_contains" in want and want["error_contains"] not in (doc.error or ""):
            out.append(Mismatch(f"expect.exporter.documents.{key}.error_contains", want["error_contains"], doc.error))
    return out


def journal_matches(entry: dict[str, Any], want: dict[str, Any]) -> bool:
    for key in ("committed", "acknowledged", "delivery", "http_status"):
        if key in want and entry.get(key) != want[key]:
            return False
    functions = entry.get("functions") or []
    if "function" in want:
        functions = [f for f in functions if f.get("name") == want["function"]]
        if not functions:
            return False
    if "status" in want and not any(f.get("status") == want["status"] for f in functions):
        return False
    if "errorno" in want and not any(f.get("errorno") == want["errorno"] for f in functions):
        return False
    return True


def check_journal(expect: list[dict[str, Any]], entries: list[dict[str, Any]]) -> list[Mismatch]:
    out = []
    for n, want in enumerate(expect):
        actual = sum(1 for e in entries if journal_matches(e, want))
        filters = {k: v for k, v in want.items() if k not in ("count", "at_least")}
        if "count" in want and actual != want["count"]:
            out.append(Mismatch(f"expect.journal[{n}] {filters}", want["count"], actual))
        if "at_least" in want and actual < want["at_least"]:
            out.append(Mismatch(f"expect.journal[{n}] {filters}", f"at least {want['at_least']}", actual))
    return out


def check_books(expect: list[dict[str, Any]], control: EmulatorControl, company: str) -> list[Mismatch]:
    out = []
    for n, want in enumerate(expect):
        where = f"expect.books[{n}] {want['object']} {want.get('where') or ''}".rstrip()
        try:
            records = control.books(company, want["object"], **(want.get("where") or {}))
        except AdminAPIError as exc:
            out.append(Mismatch(where, "records", exc.message))
            continue
        if "count" in want and len(records) != want["count"]:
            out.append(Mismatch(f"{where} count", want["count"], len(records)))
        for field, value in (want.get("fields") or {}).items():
            actual = [r.get(field) for r in records]
            if not actual or any(str(a) != str(value) for a in actual):
                out.append(Mismatch(f"{where} {field}", value, actual[:5]))
        if "unique" in want:
            dupes = [v for v, c in Counter(r.get(want["unique"]) for r in records).items() if c > 1]
            if dupes:
                out.append(Mismatch(f"{where} unique {want['unique']}", "no duplicates", dupes[:5]))
    return out
