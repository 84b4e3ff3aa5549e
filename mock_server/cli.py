"""The ``intacct-mock`` command line (click ships with Flask, so it costs no extra dependency)."""

from __future__ import annotations

import logging
import sys

import click

from .company.model import ConfigError
from .config import DEFAULT_DB, Settings

PROXY_PORT = 8086
PROXY_DB = ".intacct-mock/proxy.db"


def tls_options(command):
    """``--tls`` and ``--tls-dir``, for ``serve`` and ``proxy`` alike."""
    command = click.option("--tls-dir", type=click.Path(file_okay=False), default=None,
                           help="Folder of the CA and certificate (default: tls/ beside --db; .intacct-mock/tls for "
                                "':memory:'). Implies --tls.")(command)
    return click.option("--tls", is_flag=True,
                        help="Serve HTTPS with a private CA and a certificate for api.intacct.com, *.intacct.com, "
                             "localhost and 127.0.0.1, made once and reused; prints how to trust the CA. Needs "
                             "pip install 'intacct-mock[tls]'.")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """A local emulator of the Sage Intacct XML Web Services gateway.

    Run `intacct-mock serve` and point any Intacct client at
    http://127.0.0.1:8085/ia/xml/xmlgw.phtml with sender mock-sender / mock-sender-pw,
    company DEMO, user ws_user / ws_user_pw.
    """


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1: loopback only).")
@click.option("--port", type=int, default=None, help="Port (default 8085).")
@click.option("--db", "db_path", default=None, help=f"SQLite file (default {DEFAULT_DB}); ':memory:' keeps nothing.")
@click.option("--seed", type=int, default=None, help="Faker seed for the demo company (default 42).")
@click.option("--company-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML file with a company (settings, users, custom fields, records) to create or reconfigure.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML settings file (see docs); MOCK_INTACCT_* environment variables override it.")
@click.option("--public-url", default=None, help="Endpoint URL returned by getAPISession (default: the URL called).")
@click.option("--login-failure-mode", type=click.Choice(["gateway", "legacy"]), default=None,
              help="gateway: bad login is HTTP 401 XMLGW_JPP0002 (default); legacy: HTTP 200 XL03000006.")
@click.option("--faults", "faults_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML/JSON file of fault rules to install at start-up (see docs/faults.md).")
@click.option("--fault-header/--no-fault-header", default=None,
              help="Obey per-request X-Mock-Fault headers (e.g. 'drop_ack=reset'). Off by default.")
@click.option("--admin-token", default=None,
              help="Require 'Authorization: Bearer TOKEN' on /_mock and accept it from any address "
                   "(without a token the admin API answers loopback callers only).")
@click.option("--journal", type=click.Choice(["full", "meta", "off"]), default=None,
              help="Request journal: full (bodies, redacted; default), meta (no bodies) or off.")
@click.option("--quiet", is_flag=True, help="Do not log every request.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Serve with N gunicorn worker processes over one SQLite file (load tests, shared CI "
                   "emulators). Without it: one threaded process (development, scenarios).")
@tls_options
def serve(host, port, db_path, seed, company_file, config_file, public_url, login_failure_mode, faults_file,
          fault_header, admin_token, journal, quiet, workers, tls, tls_dir) -> None:
    """Start the emulator with the seeded demo company (threaded server, or gunicorn with --workers)."""
    from .app import create_app
    from .server import make_emulator_server
    from .tls import TlsError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load(config_file, host=host, port=port, db_path=db_path, seed=seed,
                                 company_file=company_file, public_url=public_url, login_failure_mode=login_failure_mode,
                                 faults_file=faults_file, fault_header=fault_header, admin_token=admin_token,
                                 journal=journal, tls=True if tls else None, tls_dir=tls_dir)
        certificates = _certificates(settings)
        if workers:
            from .multiworker import serve_with_workers

            serve_with_workers(settings, workers, quiet=quiet, tls=certificates, on_ready=lambda arbiter: _announce(
                settings, _bound_port(arbiter, settings.port), certificates, f" ({workers} workers)"))
            return
        context = _context(certificates) if certificates else None
        app = create_app(settings)
    except (ConfigError, ValueError, TlsError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        server = make_emulator_server(app, settings.host, settings.port, quiet=quiet, ssl_context=context)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    _announce(settings, server.server_port, certificates)
    _serve_until_stopped(server, app)


def _serve_until_stopped(server, app) -> None:
    """Serve until SIGTERM or Ctrl-C, then let in-flight requests finish and close the store."""
    from .server import stop_gracefully_on_sigterm
    from .web import emulator_of

    stop_gracefully_on_sigterm(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.server_close()  # waits for in-flight requests
        emulator_of(app).close()
        click.echo("stopped")


def _bound_port(arbiter, asked: int) -> int:
    """The port gunicorn's master listens on: the one asked for, or the kernel's pick for ``--port 0``."""
    try:
        return int(arbiter.LISTENERS[0].sock.getsockname()[1])
    except (AttributeError, IndexError, OSError, TypeError):
        return asked


def _certificates(settings: Settings):
    """The CA and server certificate when TLS is asked for (``--tls``, ``--tls-dir``, or
    ``MOCK_INTACCT_TLS``/``MOCK_INTACCT_TLS_DIR``), made or reused; None for plain http. A TlsError
    says what is wrong."""
    if not (settings.tls or settings.tls_dir):
        return None
    from .tls import default_tls_dir, ensure_certificates

    return ensure_certificates(settings.tls_dir or default_tls_dir(settings.db_path))


def _context(certificates):
    from .tls import ssl_context

    return ssl_context(certificates)


def _announce(settings: Settings, port: int, certificates, suffix: str = "") -> None:
    """The start-up lines: where to send requests, and with --tls how to trust the CA."""
    scheme = "https" if certificates else "http"
    click.echo(f"intacct-mock listening on {scheme}://{settings.host}:{port}/ia/xml/xmlgw.phtml{suffix}")
    click.echo(f"  database: {settings.db_path}   demo company: DEMO (seed {settings.seed})")
    click.echo("  demo sender mock-sender, user ws_user (their passwords are in the README; logs never show passwords)")
    if certificates:
        from .tls import trust_instructions

        for line in trust_instructions(certificates, port):
            click.echo(line)


@main.command()
@click.option("--upstream", required=True, metavar="URL",
              help="The Intacct XML endpoint to forward to, e.g. https://api.intacct.com/ia/xml/xmlgw.phtml.")
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1: loopback only).")
@click.option("--port", type=int, default=PROXY_PORT, show_default=True,
              help="Port (not serve's 8085, so a proxy can sit in front of a local emulator).")
@click.option("--db", "db_path", default=PROXY_DB, show_default=True,
              help="SQLite file for the journal and fault rules (not serve's); ':memory:' keeps nothing.")
@click.option("--faults", "faults_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML/JSON fault rules to install at start-up (see docs/faults.md).")
@click.option("--fault-header/--no-fault-header", default=None, help="Obey per-request X-Mock-Fault headers.")
@click.option("--admin-token", default=None,
              help="Require 'Authorization: Bearer TOKEN' on /_mock (without it: loopback callers only).")
@click.option("--company-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML company the exported bundles start from when replayed (default: the demo company of --seed).")
@click.option("--seed", type=int, default=None, help="Demo seed the exported bundles start from (default 42).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=150.0, show_default=True,
              help="Seconds to wait for the upstream's answer (connecting: at most 10).")
@click.option("--quiet", is_flag=True, help="Do not log every request.")
@tls_options
def proxy(upstream, host, port, db_path, faults_file, fault_header, admin_token, company_file, seed, timeout,
          quiet, tls, tls_dir) -> None:
    """Forward gateway requests to another Intacct, applying fault rules and journaling the traffic.

    Point the integration at http://HOST:PORT/ia/xml/xmlgw.phtml instead of the sandbox (with
    --tls, https: for a client hard-wired to api.intacct.com); the admin API (/_mock/faults,
    /_mock/journal, /_mock/journal/export) works as on the emulator.
    """
    from .faults import FaultSpecError
    from .proxy import create_proxy_app
    from .server import make_emulator_server
    from .tls import TlsError
    from .web import emulator_of

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load(None, host=host, port=port, db_path=db_path, seed=seed, company_file=company_file,
                                 faults_file=faults_file, fault_header=fault_header, admin_token=admin_token,
                                 tls=True if tls else None, tls_dir=tls_dir)
        certificates = _certificates(settings)
        context = _context(certificates) if certificates else None
        app = create_proxy_app(settings, upstream, connect_timeout=min(10.0, timeout), read_timeout=timeout)
    except (ConfigError, FaultSpecError, ValueError, TlsError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        server = make_emulator_server(app, settings.host, settings.port, quiet=quiet, ssl_context=context)
    except OSError as exc:
        emulator_of(app).close()
        raise click.ClickException(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    scheme = "https" if certificates else "http"
    click.echo(f"intacct-mock proxy listening on {scheme}://{settings.host}:{server.server_port}/ia/xml/xmlgw.phtml")
    click.echo(f"  forwarding to {upstream}   journal and fault rules: {settings.db_path}")
    if certificates:
        from .tls import trust_instructions

        for line in trust_instructions(certificates, server.server_port):
            click.echo(line)
    _serve_until_stopped(server, app)


def _register_admin_commands() -> None:
    from .cli_admin import bundle, faults, journal

    main.add_command(faults)
    main.add_command(journal)
    main.add_command(bundle)
    try:
        from intacct_mock.scenarios.cli import scenario
    except ImportError:  # pragma: no cover - scenarios ship in the same distribution
        return
    main.add_command(scenario)


_register_admin_commands()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
