"""``intacct-mock faults|journal|bundle ...``: the admin API from a terminal, against a running server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import requests

from .faults.loader import load_fault_file
from .faults.model import FaultSpecError
from .admin_client import AdminAPIError, EmulatorControl

DEFAULT_URL = "http://127.0.0.1:8085"

url_option = click.option("--url", default=DEFAULT_URL, show_default=True, envvar="MOCK_INTACCT_URL",
                          help="Base URL of the running emulator.")
token_option = click.option("--admin-token", default=None, envvar="MOCK_INTACCT_ADMIN_TOKEN",
                            help="Admin token, if the server was started with one.")


def _control(url: str, token: str | None) -> EmulatorControl:
    return EmulatorControl(url, token=token)


def _run(action):
    try:
        return action()
    except AdminAPIError as exc:
        raise click.ClickException(exc.message) from None
    except requests.ConnectionError:
        raise click.ClickException("cannot reach the emulator; is `intacct-mock serve` running at that URL?") from None


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=False))


@click.group()
def faults() -> None:
    """Install, list and clear fault rules on a running emulator."""


@faults.command("add")
@click.argument("rules")
@url_option
@token_option
def faults_add(rules: str, url: str, admin_token: str | None) -> None:
    """Add rules from a YAML/JSON FILE, or one rule given as inline JSON."""
    path = Path(rules)
    try:
        data = load_fault_file(path) if path.exists() else json.loads(rules)
    except (FaultSpecError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"not a rules file or JSON rule: {exc}") from None
    added = _run(lambda: _control(url, admin_token).add_faults(data if isinstance(data, list) else [data]))
    for rule in added:
        click.echo(f"added {rule['id']}: {rule['action']['type']} for {rule['company'] or 'every company'}")


@faults.command("list")
@click.option("--company", default=None, help="Only this company's rules.")
@url_option
@token_option
def faults_list(company: str | None, url: str, admin_token: str | None) -> None:
    """Show rules with their counters."""
    _echo_json(_run(lambda: _control(url, admin_token).faults(company)))


@faults.command("clear")
@click.option("--company", default=None, help="Only this company's rules.")
@url_option
@token_option
def faults_clear(company: str | None, url: str, admin_token: str | None) -> None:
    """Remove rules."""
    click.echo(f"removed {_run(lambda: _control(url, admin_token).clear_faults(company))} rule(s)")


@click.command()
@click.option("--company", default=None)
@click.option("--function", "function", default=None, help="Only requests calling this function.")
@click.option("--object", "obj", default=None, help="Only requests with a function on this object (APBILL ...).")
@click.option("--document", default=None, help="Only requests naming this document: its number or ID, or a RECORDNO.")
@click.option("--committed/--not-committed", default=None, help="Only requests that did (not) change the books.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--count", "count_only", is_flag=True, help="Print only how many entries match.")
@url_option
@token_option
def journal(company, function, obj, document, committed, limit, count_only, url, admin_token) -> None:
    """Print the request journal: did it reach the books, under which RECORDNO, and what did the client get?"""
    filters = {"company": company, "function": function, "object": obj, "document": document, "committed": committed}
    if count_only:
        click.echo(_run(lambda: _control(url, admin_token).journal_count(**filters)))
        return
    entries = _run(lambda: _control(url, admin_token).journal(**filters, limit=limit))
    click.echo(f"{'id':>5}  {'at':25} {'company':10} {'functions':34} {'documents':22} {'http':>4} {'delivery':13} "
               "committed  faults")
    for e in entries:
        names = ",".join(f"{f['name']}:{f['status']}" for f in e["functions"])[:34]
        documents = ",".join(f"{f.get('document') or ''}#{f['recordno']}" if f.get("recordno") else f.get("document") or ""
                             for f in e["functions"] if f.get("document") or f.get("recordno")).strip(",")[:22]
        kinds = ",".join(f["type"] for f in e["faults"])
        click.echo(f"{e['id']:>5}  {e['at'][:25]:25} {str(e['company'])[:10]:10} {names:34} {documents:22} "
                   f"{e['http_status']:>4} {e['delivery']:13} {'yes' if e['committed'] else 'no':9}  {kinds}")


@click.group()
def bundle() -> None:
    """Export a journal range as an incident bundle, or replay one."""


@bundle.command("export")
@click.option("--company", required=True)
@click.option("--since", default=None, help="ISO-8601 start of the incident range.")
@click.option("--until", default=None, help="ISO-8601 end of the incident range.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-", show_default=True)
@url_option
@token_option
def bundle_export(company, since, until, output, url, admin_token) -> None:
    """Write a company's journal range, with what it needs to replay, as one JSON file."""
    data = _run(lambda: _control(url, admin_token).call(
        "GET", "/journal/export", params={k: v for k, v in {"company": company, "since": since, "until": until}.items() if v}))
    text = json.dumps(data, indent=2)
    if output == "-":
        click.echo(text)
    else:
        Path(output).write_text(text)
        click.echo(f"wrote {output}: {len(data['setup'])} setup and {len(data['requests'])} incident request(s)",
                   err=True)


@bundle.command("replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-company", required=True, help="Id of the new company the bundle is replayed into.")
@url_option
@token_option
def bundle_replay(file, as_company, url, admin_token) -> None:
    """Replay FILE into a new company and report outcome by outcome; exits 1 on any difference."""
    try:
        data = json.loads(Path(file).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file}: not a JSON bundle: {exc}") from None
    report = _run(lambda: _control(url, admin_token).call("POST", "/replay",
                                                           json={"bundle": data, "as_company": as_company}))
    for r in report["results"]:
        mark = "same" if r["matched"] else "DIFFERENT"
        click.echo(f"{mark:9} #{r['original_id']}  expected {r['expected']}  got {r['actual']}")
    click.echo(f"{report['matched']}/{report['requests']} outcomes reproduced in company {report['company']}")
    sys.exit(0 if report["matched"] == report["requests"] else 1)
