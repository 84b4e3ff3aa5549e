"""``serve --tls``: a private CA and a server certificate for ``api.intacct.com``, made once and kept.

Clients hard-wired to ``https://api.intacct.com`` (and official SDKs that insist on https under
``.intacct.com``) can only be pointed at the emulator by name resolution, so the emulator has to
present a certificate for that name that the client trusts. Generating a fresh self-signed
certificate per start would make users re-trust it every time; instead one CA is created per
folder, trusted once, and only the server certificate it signs is renewed (when it expires or
when the names it must carry change). The CA is never replaced behind the user's back: a broken
or expired CA is an error that says which folder to delete.

Pure functions over a folder: ``ensure_certificates(dir) -> TlsPaths``, ``ssl_context(paths)``,
``trust_instructions(paths, port)``. ``cryptography`` is imported lazily (it is the ``tls``
extra), so the rest of the emulator runs without it.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import os
import shlex
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

DNS_NAMES = ("api.intacct.com", "*.intacct.com", "localhost")
IP_ADDRESSES = ("127.0.0.1",)
NAMES = DNS_NAMES + IP_ADDRESSES

CA_DAYS = 3650
# At most 397 days: macOS and iOS refuse longer-lived server certificates even under a private root.
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=7)  # a certificate this close to expiry is renewed at start-up
BACKDATE = timedelta(hours=1)  # tolerate a client clock slightly behind ours

CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY = "ca.pem", "ca-key.pem", "server.pem", "server-key.pem"
INSTALL_HINT = "pip install 'intacct-mock[tls]'"


class TlsError(RuntimeError):
    """The certificates cannot be made or used; the message says what to do."""


class TlsUnavailable(TlsError):
    """``cryptography`` is not installed."""


@dataclass(frozen=True)
class TlsPaths:
    directory: Path
    ca_cert: Path
    ca_key: Path
    cert: Path
    key: Path
    events: tuple[str, ...] = ()  # what this call created or renewed, for the start-up message


def default_tls_dir(db_path: str) -> Path:
    """``tls/`` beside the database file; ``.intacct-mock/tls`` for ``:memory:`` (the default DB's folder)."""
    if db_path == ":memory:" or not db_path:
        return Path(".intacct-mock") / "tls"
    return Path(db_path).expanduser().parent / "tls"


def ensure_certificates(directory: str | Path, *, names: Iterable[str] = NAMES,
                        now: datetime | None = None) -> TlsPaths:
    """Make (or reuse) the CA and a server certificate for ``names`` in ``directory``.

    The CA is created only when neither of its files exists. The server certificate is reused
    when it is signed by that CA, matches its key, carries exactly ``names`` and is not within
    ``RENEW_BEFORE`` of expiring; otherwise a new key and certificate replace it. Keys are
    written 0600, each file atomically, under a lock so two starts do not interleave.
    """
    crypto = _crypto()
    now = now or datetime.now(timezone.utc)
    wanted = _split_names(names)
    folder = Path(directory).expanduser().resolve()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise TlsError(f"cannot create the TLS folder {folder}: {exc.strerror or exc}") from None
    paths = TlsPaths(folder, folder / CA_CERT, folder / CA_KEY, folder / SERVER_CERT, folder / SERVER_KEY)
    events: list[str] = []
    with _locked(folder):
        ca_cert, ca_key = _load_or_create_ca(crypto, paths, now, events)
        reason = _server_renewal_reason(crypto, paths, ca_cert, wanted, now)
        if reason is not None:
            _create_server(crypto, paths, ca_cert, ca_key, wanted, now)
            events.append(f"server certificate {reason}: {paths.cert}")
    return TlsPaths(paths.directory, paths.ca_cert, paths.ca_key, paths.cert, paths.key, tuple(events))


def ssl_context(paths: TlsPaths) -> ssl.SSLContext:
    """A server-side context presenting the server certificate (TLS 1.2 or later)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(paths.cert, paths.key)
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(f"cannot load {paths.cert} with {paths.key}: {exc}") from None
    return context


def trust_instructions(paths: TlsPaths, port: int) -> list[str]:
    """What to tell a user at start-up: where the CA is, how each kind of client trusts it, the hosts line."""
    ca = shlex.quote(str(paths.ca_cert))
    port_part = "" if port == 443 else f":{port}"
    lines = [*(f"  TLS: {event}" for event in paths.events),
             f"  TLS: certificate for {', '.join(NAMES)}, signed by the private CA {ca}",
             "  trust the CA (once per machine or process):",
             f"    Python requests:  export REQUESTS_CA_BUNDLE={ca}",
             f"    Node.js:          export NODE_EXTRA_CA_CERTS={ca}",
             f"    Debian/Ubuntu:    sudo cp {ca} /usr/local/share/ca-certificates/intacct-mock.crt"
             " && sudo update-ca-certificates",
             f"    macOS:            sudo security add-trusted-cert -d -r trustRoot"
             f" -k /Library/Keychains/System.keychain {ca}",
             "  send the real name here (/etc/hosts):  127.0.0.1 api.intacct.com",
             f"  then call https://api.intacct.com{port_part}/ia/xml/xmlgw.phtml"]
    if port != 443:
        lines.append("  (clients that use the default URL, without a port, need --port 443)")
    return lines


# ---------------------------------------------------------------------------- the CA


def _load_or_create_ca(crypto: Any, paths: TlsPaths, now: datetime, events: list[str]) -> tuple[Any, Any]:
    have_cert, have_key = paths.ca_cert.exists(), paths.ca_key.exists()
    if not have_cert and not have_key:
        return _create_ca(crypto, paths, now, events)
    if not (have_cert and have_key):
        present, missing = (paths.ca_cert, paths.ca_key) if have_cert else (paths.ca_key, paths.ca_cert)
        raise TlsError(f"{present} exists but {missing} does not; restore it, or delete {paths.directory} "
                       "to create a new CA (which every client must then trust again)")
    try:
        cert = crypto.x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
        key = crypto.serialization.load_pem_private_key(paths.ca_key.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise TlsError(f"cannot read the CA in {paths.directory}: {exc}; delete the folder to create a new CA "
                       "(which every client must then trust again)") from None
    if _public_bytes(crypto, cert.public_key()) != _public_bytes(crypto, key.public_key()):
        raise TlsError(f"{paths.ca_key} is not the key of {paths.ca_cert}; delete {paths.directory} "
                       "to create a new CA (which every client must then trust again)")
    if cert.not_valid_after_utc <= now:
        raise TlsError(f"the CA {paths.ca_cert} expired on {cert.not_valid_after_utc:%Y-%m-%d}; delete "
                       f"{paths.directory} to create a new one (and trust it again)")
    return cert, key


def _create_ca(crypto: Any, paths: TlsPaths, now: datetime, events: list[str]) -> tuple[Any, Any]:
    x509 = crypto.x509
    key = crypto.ec.generate_private_key(crypto.ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "intacct-mock"),
                      x509.NameAttribute(x509.NameOID.COMMON_NAME, "intacct-mock local CA")])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(now + timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(x509, cert_sign=True), critical=True)
            .add_extension(ski, critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .sign(key, crypto.hashes.SHA256()))
    _write(paths.ca_key, _private_bytes(crypto, key), 0o600)
    _write(paths.ca_cert, cert.public_bytes(crypto.serialization.Encoding.PEM), 0o644)
    events.append(f"created a private CA: {paths.ca_cert} (trust it once; it is reused on every start)")
    return cert, key


# ---------------------------------------------------------------------------- the server certificate


def _server_renewal_reason(crypto: Any, paths: TlsPaths, ca_cert: Any, wanted: tuple[set[str], set[Any]],
                           now: datetime) -> str | None:
    """None when the server certificate can be reused; otherwise why it is made again."""
    if not (paths.cert.exists() and paths.key.exists()):
        return "created"
    try:
        cert = crypto.x509.load_pem_x509_certificate(paths.cert.read_bytes())
        key = crypto.serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
        cert.verify_directly_issued_by(ca_cert)
    except (OSError, ValueError, TypeError, crypto.InvalidSignature):
        return "renewed (unreadable, or not signed by this CA)"
    if _public_bytes(crypto, cert.public_key()) != _public_bytes(crypto, key.public_key()):
        return "renewed (its key did not match)"
    if cert.not_valid_after_utc - RENEW_BEFORE <= now:
        return f"renewed (it expires {cert.not_valid_after_utc:%Y-%m-%d})"
    if _names_of(crypto, cert) != wanted:
        return "renewed (its names differed)"
    return None


def _create_server(crypto: Any, paths: TlsPaths, ca_cert: Any, ca_key: Any, wanted: tuple[set[str], set[Any]],
                   now: datetime) -> None:
    x509 = crypto.x509
    dns, ips = wanted
    key = crypto.ec.generate_private_key(crypto.ec.SECP256R1())
    # Never outlive the CA: a client rejects a certificate valid past its issuer.
    not_after = min(now + timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc)
    common = "api.intacct.com" if "api.intacct.com" in dns else min(dns, default=str(min(ips, default="")))
    san = [x509.DNSName(n) for n in sorted(dns)] + [x509.IPAddress(ip) for ip in sorted(ips)]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, common)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(x509, cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, crypto.hashes.SHA256()))
    # The key first: a crash between the two writes leaves a mismatch, which the next start renews.
    _write(paths.key, _private_bytes(crypto, key), 0o600)
    _write(paths.cert, cert.public_bytes(crypto.serialization.Encoding.PEM), 0o644)


def _names_of(crypto: Any, cert: Any) -> tuple[set[str], set[Any]]:
    x509 = crypto.x509
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set(), set()
    return set(san.get_values_for_type(x509.DNSName)), set(san.get_values_for_type(x509.IPAddress))


def _split_names(names: Iterable[str]) -> tuple[set[str], set[Any]]:
    dns: set[str] = set()
    ips: set[Any] = set()
    for name in names:
        try:
            ips.add(ipaddress.ip_address(name))
        except ValueError:
            dns.add(name.lower())
    if not dns and not ips:
        raise TlsError("a server certificate needs at least one name")
    return dns, ips


# ---------------------------------------------------------------------------- plumbing


@dataclass(frozen=True)
class _Crypto:
    x509: Any
    ec: Any
    hashes: Any
    serialization: Any
    InvalidSignature: type[Exception]


def _crypto() -> _Crypto:
    try:
        from cryptography import x509
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        raise TlsUnavailable(f"TLS needs the 'cryptography' package: {INSTALL_HINT}") from None
    return _Crypto(x509, ec, hashes, serialization, InvalidSignature)


def _key_usage(x509: Any, *, cert_sign: bool) -> Any:
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


def _private_bytes(crypto: Any, key: Any) -> bytes:
    s = crypto.serialization
    return key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())


def _public_bytes(crypto: Any, public_key: Any) -> bytes:
    s = crypto.serialization
    return public_key.public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temporary file created with ``mode`` (never wider), then rename it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)  # the umask may have narrowed a certificate; make it exact
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise TlsError(f"cannot write {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        handle = open(folder / ".lock", "a")
    except OSError as exc:
        raise TlsError(f"cannot use the TLS folder {folder}: {exc.strerror or exc}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
