"""HTTPS from the emulator's own server (``ServerThread`` / ``running_emulator(tls_dir=...)``)."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from intacct_mock.testing.runner import running_emulator
from tests.support import envelope, fn

LOGIN = ("ws_user", "DEMO", "ws_user_pw")


# ---------------------------------------------------------------------------- the server in a thread


@pytest.fixture(scope="module")
def threaded(tmp_path_factory):
    with running_emulator(tls_dir=tmp_path_factory.mktemp("tls-thread")) as emu:
        yield emu


def test_running_emulator_serves_https_and_its_admin_handle_trusts_the_ca(threaded):
    assert threaded.base_url.startswith("https://127.0.0.1:") and threaded.ca_file
    assert "DEMO" in threaded.control.health()["companies"]


def test_a_silent_client_does_not_stall_the_others(threaded):
    with socket.create_connection(("127.0.0.1", int(threaded.base_url.rsplit(":", 1)[1]))):  # no ClientHello
        started = time.monotonic()
        reply = requests.get(threaded.base_url + "/_mock/health", verify=threaded.ca_file, timeout=5)
        assert reply.status_code == 200 and time.monotonic() - started < 3


def test_plain_http_to_the_https_port_is_told_to_use_https(threaded):
    reply = requests.get(threaded.base_url.replace("https://", "http://") + "/_mock/health", timeout=5)
    assert reply.status_code == 400 and "https://" in reply.text


def test_a_dropped_acknowledgement_is_a_real_reset_over_tls(threaded):
    vendor = ("<create><VENDOR><VENDORID>TLS-ACK</VENDORID><NAME>Tls</NAME>"
              "<DISPLAYCONTACT><PRINTAS>Tls</PRINTAS></DISPLAYCONTACT></VENDOR></create>")
    with pytest.raises(requests.ConnectionError):
        requests.post(threaded.url, data=envelope(fn(vendor), login=LOGIN), timeout=10, verify=threaded.ca_file,
                      headers={"X-Mock-Fault": "drop_ack=reset"})
    assert len(threaded.books("DEMO", "VENDOR", VENDORID="TLS-ACK")) == 1  # committed, answer lost
