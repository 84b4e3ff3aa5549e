"""The ledger check: after a load run, do the books, the journal and the clients agree?

Invariants, per company:
1. no duplicated document (bill per vendor+number, invoice number, payment per customer+reference);
2. every document a client recorded as exported is in the books, under the RECORDNO it recorded;
3. every write the journal shows as committed but not acknowledged was reconciled by a client
   (its document-derived control id is in a client's ledger);
4. totals are consistent (header = sum of lines; due = entered - paid);
5. no client operation ended in an unexpected error.
Clients append JSON lines to ``<ledger dir>/*.jsonl``: {"event": "exported", ...} or {"event": "error", ...}.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from intacct_mock.admin_client import EmulatorControl

DOCUMENT_PREFIXES = ("bill-", "invoice-", "arpayment-")


@dataclass
class LedgerReport:
    companies: list[str]
    documents: int = 0
    lost_acks: int = 0
    violations: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def table(self) -> str:
        rows = [("companies", len(self.companies)), ("documents recorded by clients", self.documents),
                ("acknowledgements lost after a commit", self.lost_acks),
                *sorted(self.counts.items()), ("violations", len(self.violations))]
        width = max(len(r[0]) for r in rows)
        lines = [f"{name:<{width}}  {value}" for name, value in rows]
        lines += [f"  VIOLATION: {v}" for v in self.violations[:50]]
        if len(self.violations) > 50:
            lines.append(f"  ... and {len(self.violations) - 50} more")
        lines.append("LEDGER CHECK " + ("PASSED" if self.ok else "FAILED"))
        return "\n".join(lines)


def read_ledger(directory: Path) -> list[dict[str, Any]]:
    entries = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                entries.append(json.loads(line))
    return entries


def _money(value: Any) -> Decimal:
    return Decimal(str(value or "0"))


def check(control: EmulatorControl, companies: Iterable[str], entries: list[dict[str, Any]]) -> LedgerReport:
    companies = list(companies)
    report = LedgerReport(companies)
    exported = [e for e in entries if e.get("event") == "exported"]
    errors = [e for e in entries if e.get("event") == "error"]
    report.documents = len(exported)
    report.counts["unexpected client errors"] = len(errors)
    for e in errors[:20]:
        report.violations.append(f"unexpected client error in {e.get('company')}: {e.get('operation')}: {e.get('error')}")
    by_company: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in exported:
        by_company[e["company"]].append(e)
    recorded_controlids = {(e["company"], e.get("controlid")) for e in exported}

    for company in companies:
        books = {obj: control.books(company, obj) for obj in ("APBILL", "ARINVOICE", "ARPYMT")}
        # 1. duplicates
        keys = {
            "APBILL": Counter((b["VENDORID"], b["RECORDID"]) for b in books["APBILL"]),
            "ARINVOICE": Counter(b["RECORDID"] for b in books["ARINVOICE"]),
            "ARPYMT": Counter((p["CUSTOMERID"], p["DOCNUMBER"]) for p in books["ARPYMT"] if p.get("DOCNUMBER")),
        }
        for obj, counter in keys.items():
            for key, n in counter.items():
                if n > 1:
                    report.violations.append(f"{company}: duplicate {obj} {key} x{n}")
        # 2. recorded documents present under their RECORDNO
        index = {
            "bill": {str(b["RECORDNO"]): (b["VENDORID"], b["RECORDID"]) for b in books["APBILL"]},
            "invoice": {str(b["RECORDNO"]): (b["CUSTOMERID"], b["RECORDID"]) for b in books["ARINVOICE"]},
            "payment": {str(p["RECORDNO"]): (p["CUSTOMERID"], p["DOCNUMBER"]) for p in books["ARPYMT"]},
        }
        for e in by_company.get(company, []):
            found = index.get(e["kind"], {}).get(str(e["recordno"]))
            if found != (e["party"], e["number"]):
                report.violations.append(f"{company}: client recorded {e['kind']} {e['party']}/{e['number']} as "
                                         f"RECORDNO {e['recordno']}, books have {found}")
        # 3. lost acknowledgements reconciled
        journal = control.journal(company=company, committed=True, limit=1000)
        after = journal[-1]["id"] if journal else None
        while after is not None:
            page = control.journal(company=company, committed=True, limit=1000, after_id=after)
            journal += page
            after = page[-1]["id"] if len(page) == 1000 else None
        for entry in journal:
            if entry["acknowledged"]:
                continue
            for f in entry["functions"]:
                if f["status"] == "success" and f["controlid"].startswith(DOCUMENT_PREFIXES):
                    report.lost_acks += 1
                    if (company, f["controlid"]) not in recorded_controlids:
                        report.violations.append(f"{company}: committed write {f['controlid']} lost its ack "
                                                 "and no client reconciled it")
        # 4. totals
        for obj in ("APBILL", "ARINVOICE"):
            items = "APBILLITEMS" if obj == "APBILL" else "ARINVOICEITEMS"
            for doc in books[obj]:
                lines = sum((_money(l.get("TRX_AMOUNT") or l.get("AMOUNT")) for l in doc.get(items) or []), Decimal(0))
                if lines != _money(doc["TOTALENTERED"]):
                    report.violations.append(f"{company}: {obj} {doc['RECORDID']} total {doc['TOTALENTERED']} != lines {lines}")
                if _money(doc["TOTALENTERED"]) - _money(doc["TOTALPAID"]) != _money(doc["TOTALDUE"]):
                    report.violations.append(f"{company}: {obj} {doc['RECORDID']} due {doc['TOTALDUE']} != entered - paid")
        report.counts[f"bills in books ({company})"] = len(books["APBILL"])
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Check the books and journal against the load clients' ledger.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--ledger-dir", required=True)
    parser.add_argument("--companies", required=True, help="comma-separated company ids")
    args = parser.parse_args(argv)
    report = check(EmulatorControl(args.url), args.companies.split(","), read_ledger(Path(args.ledger_dir)))
    print(report.table())
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
