"""``intacct_mock.tls``: the CA and server certificate ``serve --tls`` makes once and keeps."""

from __future__ import annotations

import ipaddress
import ssl
import stat
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509

from intacct_mock import tls


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def handshake(client: ssl.SSLContext, server: ssl.SSLContext, hostname: str) -> None:
    """A real TLS handshake in memory (no sockets); raises ssl.SSLError when the client refuses."""
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    c = client.wrap_bio(c_in, c_out, server_hostname=hostname)
    s = server.wrap_bio(s_in, s_out, server_side=True)
    done = {"c": False, "s": False}
    for _ in range(20):
        for name, side in (("c", c), ("s", s)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if all(done.values()):
            return
    raise AssertionError("the handshake did not finish")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_server_certificate_names_the_real_hosts_and_is_signed_by_the_ca(tmp_path):
    paths = tls.ensure_certificates(tmp_path / "tls")
    ca, server = load(paths.ca_cert), load(paths.cert)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"api.intacct.com", "*.intacct.com", "localhost"}
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    server.verify_directly_issued_by(ca)  # raises when the CA did not sign it
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.not_valid_after_utc - server.not_valid_before_utc <= timedelta(days=398)  # Apple's limit
    # What a client does with it: OpenSSL's verifier, strict X.509 checks on, accepts it for every name.
    client = ssl.create_default_context(cafile=str(paths.ca_cert))
    client.verify_flags |= ssl.VERIFY_X509_STRICT
    server = tls.ssl_context(paths)
    for name in ("api.intacct.com", "sandbox.intacct.com", "localhost", "127.0.0.1"):
        handshake(client, server, name)
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(client, server, "api.example.com")
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(ssl.create_default_context(), server, "api.intacct.com")  # the system store does not know it


def test_keys_are_private_and_certificates_readable(tmp_path):
    paths = tls.ensure_certificates(tmp_path / "tls")
    assert mode(paths.ca_key) == 0o600 and mode(paths.key) == 0o600
    assert mode(paths.ca_cert) == 0o644 and mode(paths.cert) == 0o644
    assert mode(paths.directory) == 0o700


def test_a_second_call_reuses_everything(tmp_path):
    first = tls.ensure_certificates(tmp_path)
    assert len(first.events) == 2  # the CA and the server certificate were created
    before = {p: p.read_bytes() for p in (first.ca_cert, first.ca_key, first.cert, first.key)}
    second = tls.ensure_certificates(tmp_path)
    assert second.events == ()
    assert {p: p.read_bytes() for p in before} == before


def test_an_expired_server_certificate_is_renewed_under_the_same_ca(tmp_path):
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    old = tls.ensure_certificates(tmp_path, now=long_ago)
    ca_before, cert_before = old.ca_cert.read_bytes(), old.cert.read_bytes()
    renewed = tls.ensure_certificates(tmp_path)
    assert renewed.ca_cert.read_bytes() == ca_before
    assert renewed.cert.read_bytes() != cert_before
    assert any("renewed (it expires" in event for event in renewed.events)
    assert load(renewed.cert).not_valid_after_utc > datetime.now(timezone.utc) + timedelta(days=300)
    load(renewed.cert).verify_directly_issued_by(load(renewed.ca_cert))


def test_a_certificate_with_other_names_is_renewed(tmp_path):
    tls.ensure_certificates(tmp_path, names=("localhost",))
    ca_before = (tmp_path / tls.CA_CERT).read_bytes()
    renewed = tls.ensure_certificates(tmp_path)
    assert any("names differed" in event for event in renewed.events)
    assert renewed.ca_cert.read_bytes() == ca_before
    san = load(renewed.cert).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "api.intacct.com" in san.get_values_for_type(x509.DNSName)


def test_a_server_certificate_from_another_ca_is_replaced(tmp_path):
    mine = tls.ensure_certificates(tmp_path / "mine")
    other = tls.ensure_certificates(tmp_path / "other")
    other.cert.write_bytes(mine.cert.read_bytes())
    other.key.write_bytes(mine.key.read_bytes())
    renewed = tls.ensure_certificates(tmp_path / "other")
    assert any("not signed by this CA" in event for event in renewed.events)
    load(renewed.cert).verify_directly_issued_by(load(renewed.ca_cert))


def test_the_ca_is_never_replaced_silently(tmp_path):
    paths = tls.ensure_certificates(tmp_path)
    ca_before = paths.ca_cert.read_bytes()
    paths.ca_key.unlink()
    with pytest.raises(tls.TlsError, match="ca-key.pem does not"):
        tls.ensure_certificates(tmp_path)
    assert paths.ca_cert.read_bytes() == ca_before and not paths.ca_key.exists()


def test_an_expired_ca_is_an_error_naming_the_folder(tmp_path):
    tls.ensure_certificates(tmp_path, now=datetime.now(timezone.utc) - timedelta(days=tls.CA_DAYS + 1))
    with pytest.raises(tls.TlsError, match=f"expired.*delete {tmp_path}"):
        tls.ensure_certificates(tmp_path)


def test_a_ca_key_that_does_not_match_is_an_error(tmp_path):
    mine = tls.ensure_certificates(tmp_path / "mine")
    other = tls.ensure_certificates(tmp_path / "other")
    other.ca_key.write_bytes(mine.ca_key.read_bytes())
    with pytest.raises(tls.TlsError, match="is not the key of"):
        tls.ensure_certificates(tmp_path / "other")


def test_without_cryptography_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "cryptography", None)
    with pytest.raises(tls.TlsUnavailable, match=r"pip install 'intacct-mock\[tls\]'"):
        tls.ensure_certificates(tmp_path / "tls")
    assert not (tmp_path / "tls").exists()


def test_the_folder_sits_beside_the_database(tmp_path):
    assert tls.default_tls_dir(str(tmp_path / "data" / "mock.db")) == tmp_path / "data" / "tls"
    assert str(tls.default_tls_dir(":memory:")) == ".intacct-mock/tls"
    assert str(tls.default_tls_dir(".intacct-mock/mock.db")) == ".intacct-mock/tls"


def test_the_instructions_name_the_ca_every_client_needs(tmp_path):
    paths = tls.ensure_certificates(tmp_path)
    text = "\n".join(tls.trust_instructions(paths, 8443))
    ca = str(paths.ca_cert)
    for expected in (f"REQUESTS_CA_BUNDLE={ca}", f"NODE_EXTRA_CA_CERTS={ca}",
                     f"cp {ca} /usr/local/share/ca-certificates/intacct-mock.crt && sudo update-ca-certificates",
                     f"security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {ca}",
                     "127.0.0.1 api.intacct.com", "https://api.intacct.com:8443/ia/xml/xmlgw.phtml", "--port 443"):
        assert expected in text
    assert "--port 443" not in "\n".join(tls.trust_instructions(paths, 443))
