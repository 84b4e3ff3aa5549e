"""The ``uniqueid`` control-id ledger's rows: write control ids that completed, per company and sender."""

from __future__ import annotations

import sqlite3


def completed(conn: sqlite3.Connection, company_key: str, senderid: str, controlid: str) -> bool:
    row = conn.execute("SELECT 1 FROM controlid_ledger WHERE company_key = ? AND senderid = ? AND controlid = ?",
                       [company_key, senderid, controlid]).fetchone()
    return row is not None


def record(conn: sqlite3.Connection, company_key: str, senderid: str, controlid: str, function: str, now: str) -> None:
    conn.execute(
        "INSERT INTO controlid_ledger (company_key, senderid, controlid, function, completed_at) VALUES (?, ?, ?, ?, ?)",
        [company_key, senderid, controlid, function, now],
    )
