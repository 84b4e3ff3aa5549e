"""The authorization-code flow with PKCE over real HTTP: the sign-in page, ``login_hint`` for
automation, the redirect with code and state, the code traded once for tokens when the verifier
matches, and a second connection invalidating the first one's refresh token (the incident
integrations report as ``tokenInvalid``)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlparse

import pytest
import requests

REDIRECT = "https://app.example/callback"
CLIENT = {"client_id": "mock-client", "client_secret": "mock-client-secret"}


@pytest.fixture
def base(live_server) -> str:
    return live_server.base_url + "/ia/api/v1"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def code_for(base: str, company: str, verifier: str, state: str = "st-1") -> str:
    reply = requests.get(base + "/oauth2/authorize", params={
        "response_type": "code", "client_id": "mock-client", "redirect_uri": REDIRECT, "state": state,
        "code_challenge": challenge(verifier), "code_challenge_method": "S256", "login_hint": f"ws_user@{company}"},
        allow_redirects=False, timeout=10)
    assert reply.status_code == 302, reply.text
    location = urlparse(reply.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT and query["state"] == [state]
    return query["code"][0]


def redeem(base: str, code: str, verifier: str, **extra) -> requests.Response:
    return requests.post(base + "/oauth2/token", json={"grant_type": "authorization_code", "code": code,
                                                       "redirect_uri": REDIRECT, "code_verifier": verifier,
                                                       "client_id": "mock-client", **extra}, timeout=10)


def test_a_code_with_pkce_is_traded_once_for_tokens(base, make_company):
    company = make_company()
    code = code_for(base, company, "verifier-" + "x" * 40)
    wrong = redeem(base, code_for(base, company, "v" * 43), "not-the-verifier")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    tokens = redeem(base, code, "verifier-" + "x" * 40)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    vendors = requests.get(base + "/objects/accounts-payable/vendor",
                           headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=10)
    assert vendors.status_code == 200 and vendors.json()["ia::meta"]["totalCount"] == 2
    again = redeem(base, code, "verifier-" + "x" * 40)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_second_connection_invalidates_the_first_refresh_token(base, make_company):
    company = make_company()
    first = redeem(base, code_for(base, company, "a" * 43), "a" * 43, **CLIENT).json()
    redeem(base, code_for(base, company, "b" * 43), "b" * 43, **CLIENT)
    stale = requests.post(base + "/oauth2/token", data={"grant_type": "refresh_token",
                                                        "refresh_token": first["refresh_token"], **CLIENT}, timeout=10)
    assert stale.status_code == 401
    assert stale.json()["ia::result"]["ia::error"]["errorId"] == "REST-2102"


def test_the_sign_in_page_and_its_refusals(base, make_company):
    company = make_company()
    page = requests.get(base + "/oauth2/authorize", params={"client_id": "mock-client", "redirect_uri": REDIRECT,
                                                            "state": "<s>"}, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert 'name="password"' in page.text and "&lt;s&gt;" in page.text
    denied = requests.post(base + "/oauth2/authorize", data={"client_id": "mock-client", "redirect_uri": REDIRECT,
                                                             "username": f"ws_user@{company}", "password": "nope"},
                           allow_redirects=False, timeout=10)
    assert denied.status_code == 401 and denied.json()["error"] == "access_denied"
    signed = requests.post(base + "/oauth2/authorize", data={"client_id": "mock-client", "redirect_uri": REDIRECT,
                                                             "username": f"ws_user@{company}", "password": "ws_user_pw"},
                           allow_redirects=False, timeout=10)
    assert signed.status_code == 302 and "code=" in signed.headers["Location"]
    unknown = requests.get(base + "/oauth2/authorize", params={"client_id": "who", "redirect_uri": REDIRECT,
                                                               "login_hint": f"ws_user@{company}"}, timeout=10)
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"
