"""``intacct-mock-client``: run exports and payment syncs from the terminal.

Connection settings come from ``INTACCT_*`` environment variables or the options below.
Exit codes: 0 everything exported, 1 some documents failed or need attention, 2 the run stopped
(credentials, outage) or the input/configuration is wrong.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from .client import IntacctClient
from .config import ClientConfig, ConfigurationError
from .exporter import KINDS, ExportStore, Exporter, RunStopped
from .operations import Operations

JSON_KEYS = {"bills": "bill", "invoices": "invoice", "credit_notes": "credit_note", "payments": "payment"}


def connection_options(fn):
    for name, help_text in reversed([
        ("--endpoint", "Gateway URL (INTACCT_ENDPOINT_URL; default the real Intacct endpoint)."),
        ("--sender-id", "Web Services sender id (INTACCT_SENDER_ID)."),
        ("--sender-password", "Sender password (INTACCT_SENDER_PASSWORD)."),
        ("--company", "Company id (INTACCT_COMPANY_ID)."),
        ("--user", "Web Services user (INTACCT_USER_ID)."),
        ("--password", "User password (INTACCT_USER_PASSWORD)."),
        ("--entity", "Entity id in a multi-entity company (INTACCT_ENTITY_ID)."),
    ]):
        fn = click.option(name, default=None, help=help_text)(fn)
    fn = click.option("--timeout", type=float, default=None, help="Seconds per HTTP attempt (INTACCT_TIMEOUT).")(fn)
    return fn


def _client(endpoint, sender_id, sender_password, company, user, password, entity, timeout) -> IntacctClient:
    try:
        config = ClientConfig.from_env(endpoint_url=endpoint, sender_id=sender_id, sender_password=sender_password,
                                       company_id=company, user_id=user, user_password=password, entity_id=entity,
                                       timeout=timeout)
    except ConfigurationError as exc:
        raise click.UsageError(str(exc)) from None
    return IntacctClient(config)


def read_documents(path: Path, kind: str | None) -> list[tuple[str, dict[str, Any]]]:
    """JSON ``{"bills": [...], "invoices": [...], ...}`` or a list (needs --kind); CSV: one row per bill line."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise click.UsageError(f"{path}: {exc.strerror}") from None
    if path.suffix.lower() == ".csv":
        return [("bill", doc) for doc in _bills_from_csv(text, path)]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, list):
        if kind is None:
            raise click.UsageError(f"{path} is a list: say what it holds with --kind ({', '.join(KINDS)})")
        return [(kind, d) for d in data]
    if not isinstance(data, dict) or not set(data) <= set(JSON_KEYS):
        raise click.UsageError(f"{path}: expected an object with keys among {', '.join(JSON_KEYS)}")
    return [(JSON_KEYS[k], d) for k, docs in data.items() for d in docs]


def _bills_from_csv(text: str, path: Path) -> list[dict[str, Any]]:
    rows = list(csv.DictReader(text.splitlines()))
    needed = {"vendor_id", "number", "date", "account", "amount"}
    if not rows or not needed <= set(rows[0]):
        raise click.UsageError(f"{path}: CSV needs columns {', '.join(sorted(needed))} (one row per bill line)")
    bills: dict[tuple[str, str], dict[str, Any]] = {}
    lines: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = (row["vendor_id"], row["number"])
        bills.setdefault(key, {k: row.get(k) for k in ("vendor_id", "number", "date", "due_date", "terms", "po_number",
                                                        "description", "currency", "attachment_id") if row.get(k)})
        lines[key].append({k: row.get(k) for k in ("account", "amount", "memo", "department", "location", "class_id",
                                                    "project") if row.get(k)})
    return [{**bill, "lines": lines[key]} for key, bill in bills.items()]


def print_summary(store: ExportStore) -> None:
    docs = store.documents()
    click.echo(f"\n{'document':40} {'state':16} {'RECORDNO':9} detail")
    for d in docs:
        detail = d.how or ""
        if d.state in ("failed", "needs_attention", "ready") and d.error:
            detail = f"{d.errorno or ''} {d.error}" + (f" -> {d.correction}" if d.correction else "")
        click.echo(f"{d.key[:40]:40} {d.state:16} {d.recordno or '':9} {detail}")
    counts = store.counts()
    click.echo("  ".join(f"{state}: {n}" for state, n in counts.items()))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """The reference Intacct client: exports that never post twice, payment syncs."""


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", "state_path", default="intacct-export.db", show_default=True,
              help="SQLite file holding each document's export state (resume by running again).")
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help="What a JSON list holds.")
@click.option("--retry-failed", is_flag=True, help="Also retry documents that failed or need attention.")
@click.option("--closed-period", type=click.Choice(["refuse", "next_open"]), default="refuse", show_default=True,
              help="A bill or invoice in a closed period: fail it, or post it on the first day of the next open month.")
@click.option("--regenerate", "regenerate_keys", multiple=True, metavar="KEY",
              help="Queue an exported document again (bill:VENDOR:NUMBER ...) because it was deleted in Intacct.")
@connection_options
def export(file, state_path, kind, retry_failed, closed_period, regenerate_keys, **conn) -> None:
    """Export bills, invoices, credit notes and payments from FILE (JSON, or CSV of bill lines)."""
    documents = read_documents(file, kind)
    store = ExportStore(state_path)
    try:
        exporter = Exporter(Operations(_client(**conn)), store, closed_period=closed_period)
        for key in regenerate_keys:
            try:
                exporter.regenerate(key)
            except ValueError as exc:
                raise click.UsageError(str(exc)) from None
        try:
            for n, (k, payload) in enumerate(documents):
                store.add(k, payload)
        except (ValueError, KeyError) as exc:
            raise click.UsageError(f"{file}: document {n + 1}: {exc}") from None
        pending = len(store.pending(retry_failed))
        with click.progressbar(length=pending, label="exporting", file=sys.stderr) as bar:
            exporter.on_document = lambda _state: bar.update(1)
            try:
                counts = exporter.run(retry_failed=retry_failed)
            except RunStopped as stop:
                print_summary(store)
                click.echo(str(stop), err=True)
                sys.exit(2)
        print_summary(store)
        sys.exit(0 if counts["failed"] == counts["needs_attention"] == 0 else 1)
    finally:
        store.close()


@main.command()
@click.option("--state", "state_path", default="intacct-export.db", show_default=True)
def status(state_path) -> None:
    """Show every document of an export state file."""
    if not Path(state_path).exists():
        raise click.UsageError(f"{state_path}: no such export state file")
    store = ExportStore(state_path)
    print_summary(store)
    store.close()


@main.command("sync-payments")
@click.option("--lookback-days", type=int, default=8, show_default=True)
@click.option("--object", "obj", type=click.Choice(["ARPYMT", "APPYMT"]), default="ARPYMT", show_default=True)
@connection_options
def sync_payments(lookback_days, obj, **conn) -> None:
    """Print (JSON lines) the payments created or changed in Intacct within the lookback window."""
    ops = Operations(_client(**conn))
    for rec in ops.sync_payments(lookback_days=lookback_days, now=datetime.now(timezone.utc), obj=obj):
        click.echo(json.dumps(rec))


if __name__ == "__main__":  # pragma: no cover
    main()
