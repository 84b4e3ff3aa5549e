"""The database schema: the emulator's own tables, and one table per declared object.

Object tables come from the field declarations (``objects/``), so a new field is a new column:
``create`` forward-migrates an older file by adding what is missing. Every statement is
idempotent, so processes starting together on one file agree.
"""

from __future__ import annotations

import sqlite3

from ..objects.base import ObjectType
from ..objects.registry import all_object_types
from . import upkeep

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (
    company_key TEXT PRIMARY KEY,            -- upper-cased company id
    config      TEXT NOT NULL,               -- CompanyConfig as JSON
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    sessionid   TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    userid      TEXT NOT NULL,
    entity      TEXT NOT NULL DEFAULT '',
    senderid    TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS controlid_ledger (
    company_key TEXT NOT NULL,
    senderid    TEXT NOT NULL,
    controlid   TEXT NOT NULL,
    function    TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    PRIMARY KEY (company_key, senderid, controlid)
);
CREATE TABLE IF NOT EXISTS result_sets (
    result_id   TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    spec        TEXT NOT NULL,               -- JSON: object, fields, where, params, pagesize, style
    last_recordno INTEGER NOT NULL,
    delivered   INTEGER NOT NULL,
    totalcount  INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_result_sets_expiry ON result_sets (company_key, expires_at);
CREATE TABLE IF NOT EXISTS company_origins (
    company_key TEXT PRIMARY KEY,            -- how the company was made, so /_mock/reset can remake it
    spec        TEXT NOT NULL                -- JSON: {"demo_seed": n} or {"company": {...}, "records": [...]}
);
CREATE TABLE IF NOT EXISTS journal (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,               -- ISO-8601 UTC, base clock
    company_key TEXT,
    senderid    TEXT,
    userid      TEXT,
    remote_addr TEXT,
    controlid   TEXT,
    functions   TEXT NOT NULL DEFAULT '[]',  -- JSON: name, controlid, object, status, errorno
    faults      TEXT NOT NULL DEFAULT '[]',  -- JSON: the rules that fired
    committed   INTEGER NOT NULL DEFAULT 0,  -- a write of this request is in the books
    http_status INTEGER NOT NULL,
    delivery    TEXT NOT NULL,               -- sent | reset | close | hang | truncate | gateway_error
    duration_ms REAL NOT NULL,
    request_body  BLOB,                      -- redacted
    response_body BLOB,                      -- what the emulator produced (redacted), delivered or not
    protocol    TEXT NOT NULL DEFAULT 'xml'  -- the front door: xml | rest
);
CREATE INDEX IF NOT EXISTS ix_journal_company ON journal (company_key, id);
CREATE TABLE IF NOT EXISTS shared_state (     -- small counters every server process must agree on
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO shared_state (key, value) VALUES ('company_version', 0), ('refdata_version', 0);
CREATE TRIGGER IF NOT EXISTS trg_companies_ins AFTER INSERT ON companies
    BEGIN UPDATE shared_state SET value = value + 1 WHERE key = 'company_version'; END;
CREATE TRIGGER IF NOT EXISTS trg_companies_upd AFTER UPDATE ON companies
    BEGIN UPDATE shared_state SET value = value + 1 WHERE key = 'company_version'; END;
CREATE TRIGGER IF NOT EXISTS trg_companies_del AFTER DELETE ON companies
    BEGIN UPDATE shared_state SET value = value + 1 WHERE key = 'company_version'; END;
CREATE TABLE IF NOT EXISTS fault_rules (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    company_key TEXT,
    spec        TEXT NOT NULL,               -- the rule as given, re-parsed by each process
    source      TEXT NOT NULL,
    matched     INTEGER NOT NULL DEFAULT 0,
    fired       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth_keys (        -- the key REST access tokens are signed with, made once
    name        TEXT PRIMARY KEY,
    secret      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS oauth_refresh (     -- REST refresh tokens (stored hashed); each is used once
    token_hash  TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    userid      TEXT NOT NULL,
    entity      TEXT NOT NULL DEFAULT '',
    client_id   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth_codes (       -- OAuth authorization codes (hashed), PKCE-bound, used once
    code_hash   TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    userid      TEXT NOT NULL,
    entity      TEXT NOT NULL DEFAULT '',
    client_id   TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    challenge   TEXT NOT NULL DEFAULT '',
    method      TEXT NOT NULL DEFAULT '',
    expires_at  TEXT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rest_idempotency (  -- a REST write's first answer, by its Idempotency-Key
    company_key TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    key         TEXT NOT NULL,
    request     TEXT NOT NULL,                -- hash of method, path and body
    status      INTEGER NOT NULL,
    response    TEXT,                         -- the JSON answered, replayed as it was
    created_at  TEXT NOT NULL,
    PRIMARY KEY (company_key, client_id, key)
);
CREATE TABLE IF NOT EXISTS record_sequences (   -- record numbers shared by a subledger's objects
    name        TEXT PRIMARY KEY,            -- 'AR': invoices, adjustments, payments; 'AP': bills ...
    last        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS company_clocks (
    company_key TEXT PRIMARY KEY,            -- '*' for every company without its own
    mode        TEXT NOT NULL,               -- frozen | offset
    value       TEXT NOT NULL                -- ISO instant (frozen) or seconds (offset)
);
"""


def q(name: str) -> str:
    """Quote an identifier (field names contain dots: DISPLAYCONTACT.PRINTAS)."""
    return '"' + name.replace('"', '""') + '"'


def object_ddl(obj: ObjectType) -> list[str]:
    cols = [
        "RECORDNO INTEGER PRIMARY KEY AUTOINCREMENT",
        "_COMPANY TEXT NOT NULL",
        "_ENTITY TEXT",
        "_CUSTOM TEXT NOT NULL DEFAULT '{}'",
        upkeep.REV_COLUMN,
    ]
    if obj.line_of:
        cols += ["_PARENT INTEGER NOT NULL", "_LINE INTEGER NOT NULL"]
    cols += [f"{q(f.name)} {f.type.sql_type}" for f in obj.storage_fields]
    table = q(obj.name)
    stmts = [f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"]
    stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_mod')} ON {table} (_COMPANY, WHENMODIFIED)")
    # (_COMPANY) alone, i.e. (_COMPANY, RECORDNO): keyset pages walk it in order instead of sorting the company.
    stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_company')} ON {table} (_COMPANY)")
    if obj.id_field:
        stmts.append(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {q('ux_' + obj.name + '_id')} ON {table} (_COMPANY, {q(obj.id_field)})"
        )
    if obj.number_field:
        # The numbering check asks for (number, party) when numbers are per vendor: both in the index,
        # or SQLite walks every document of that vendor (the whole table in a one-vendor bench).
        party = getattr(obj, "party_field", None) if getattr(obj, "number_per_party", False) else None
        cols = ", ".join(q(c) for c in (obj.number_field, party) if c)
        stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_numparty')} ON {table} (_COMPANY, {cols})")
        stmts.append(f"DROP INDEX IF EXISTS {q('ix_' + obj.name + '_num')}")  # superseded (older databases)
    if obj.line_of:
        stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_parent')} ON {table} (_PARENT, _LINE)")
    for rel in obj.relations.values():
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_' + rel.local)} ON {table} (_COMPANY, {q(rel.local)})"
        )
    return stmts


def create(conn: sqlite3.Connection) -> None:
    """Create or migrate everything; the caller holds the write lock (one transaction)."""
    for obj in all_object_types():
        for stmt in object_ddl(obj):
            conn.execute(stmt)
            if stmt.startswith("CREATE TABLE"):
                _add_missing_columns(conn, obj)
        upkeep.install(conn, obj)
    _start_sequences(conn)
    _journal_protocol(conn)


def _journal_protocol(conn: sqlite3.Connection) -> None:
    """Older database files: the journal learns which front door each entry came through."""
    if "protocol" not in {row[1] for row in conn.execute("PRAGMA table_info(journal)")}:
        conn.execute("ALTER TABLE journal ADD COLUMN protocol TEXT NOT NULL DEFAULT 'xml'")


def _start_sequences(conn: sqlite3.Connection) -> None:
    """A shared sequence starts above every record number its objects hold (an older file numbered
    each table on its own), and never goes back."""
    groups: dict[str, list[str]] = {}
    for obj in all_object_types():
        if obj.record_sequence:
            groups.setdefault(obj.record_sequence, []).append(obj.name)
    for name, tables in groups.items():
        highest = " UNION ALL ".join(f"SELECT max(RECORDNO) AS n FROM {q(t)}" for t in tables)
        conn.execute(
            f"INSERT INTO record_sequences (name, last) SELECT ?, coalesce(max(n), 0) FROM ({highest}) WHERE 1"
            " ON CONFLICT (name) DO UPDATE SET last = max(last, excluded.last)",
            [name],
        )


def _add_missing_columns(conn: sqlite3.Connection, obj: ObjectType) -> None:
    """Forward-migrate an older database file: add columns for newly declared fields."""
    have = {row["name"] for row in conn.execute(f"PRAGMA table_info({q(obj.name)})")}
    for f in obj.storage_fields:
        if f.name not in have:
            conn.execute(f"ALTER TABLE {q(obj.name)} ADD COLUMN {q(f.name)} {f.type.sql_type}")
    upkeep.add_rev_column(conn, obj, have)
