"""``intacct-mock scenario run|validate|from-bundle``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .model import ScenarioFileError, discover, load
from .report import describe, summary, write_junit

DEFAULT_PATH = str(Path(__file__).parent / "library")


@click.group()
def scenario() -> None:
    """Run, validate or create incident scenarios (YAML files)."""


@scenario.command("run")
@click.argument("paths", nargs=-1)
@click.option("--tag", "tags", multiple=True, help="Only scenarios with this tag (repeatable).")
@click.option("--junit", type=click.Path(dir_okay=False, writable=True), default=None, help="Write JUnit XML here.")
@click.option("--url", default=None, help="Run against this running emulator instead of an in-process one.")
@click.option("--admin-token", default=None, envvar="MOCK_INTACCT_ADMIN_TOKEN")
def run(paths, tags, junit, url, admin_token) -> None:
    """Run scenario files (folders: every *.yaml under them; default: the bundled library)."""
    from .batch import run_paths

    try:
        results = run_paths(paths or [DEFAULT_PATH], url=url, tags=tags, admin_token=admin_token,
                            on_result=lambda r: click.echo(describe(r)))
    except ScenarioFileError as exc:
        raise click.ClickException(str(exc)) from None
    if junit:
        write_junit(results, junit)
    click.echo(summary(results))
    if not results:
        click.echo("no scenario matched", err=True)
        sys.exit(1)
    sys.exit(0 if all(r.passed for r in results) else 1)


@scenario.command("validate")
@click.argument("paths", nargs=-1)
def validate(paths) -> None:
    """Check files against the scenario schema without running them."""
    bad = 0
    try:
        files = discover(paths or [DEFAULT_PATH])
    except ScenarioFileError as exc:
        raise click.ClickException(str(exc)) from None
    for path in files:
        try:
            load(path)
            click.echo(f"ok    {path}")
        except ScenarioFileError as exc:
            bad += 1
            click.echo(f"error {exc}")
    sys.exit(1 if bad else 0)


@scenario.command("from-bundle")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-")
def from_bundle_cmd(bundle, output) -> None:
    """Turn an incident bundle (intacct-mock bundle export) into a scenario skeleton to edit."""
    from .from_bundle import scenario_from_bundle

    try:
        data = json.loads(Path(bundle).read_text())
        text = scenario_from_bundle(data)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise click.ClickException(f"{bundle}: not an incident bundle: {exc}") from None
    if output == "-":
        click.echo(text)
    else:
        Path(output).write_text(text)
        click.echo(f"wrote {output}; edit the title, incident, advice and expectations", err=True)
