"""OAuth 2 for the REST front door: client credentials and rotating refresh tokens, JWT access tokens.

``POST /oauth2/token`` with ``grant_type=client_credentials``, ``client_id``, ``client_secret`` and
``username=<user>@<company>`` (``|<entity>`` for an entity-level token) signs the Web Services
user in for the company's OAuth client (``oauth_clients`` in the company settings) and answers
an access token (a JWT naming company, user and entity, signed with the database's key) and a
refresh token. ``grant_type=refresh_token`` trades a refresh token, once, for a new pair.

``GET /oauth2/authorize`` (the authorization-code flow, with PKCE) signs a user in, on a page or at
once for ``login_hint=<user>@<company>``, and redirects with a code that ``grant_type=
authorization_code`` trades, once, within ten minutes, for tokens; the code's ``code_challenge``
must match the ``code_verifier``. Redeeming a code is a new connection for that user and client:
the refresh tokens the earlier one held stop working (``tokenInvalid``, as integrations see when
a second connection is authorised).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping

import jwt

from ..auth import credentials
from ..company.model import CompanyConfig, User
from ..errors import IntacctError
from ..store import oauth
from ..store.tenants import CompanyStore
from .errors import OAuthError, TokenInvalidError

ISSUER = "intacct-mock"
CODE_SECONDS = 600


@dataclass(frozen=True)
class TokenOwner:
    """Whose an access token is: what every REST request runs as."""

    company: CompanyConfig
    custom: Any
    user: User
    entity: str | None
    client_id: str

    @property
    def company_key(self) -> str:
        return self.company.company_id.upper()


class TokenService:
    def __init__(self, companies: CompanyStore, settings, clock) -> None:
        self.companies, self.settings, self.clock = companies, settings, clock
        self._key: str | None = None  # the signing key, read once per process (it never changes)

    def _signing_key(self, conn: sqlite3.Connection) -> str:
        if self._key is None:
            self._key = oauth.signing_key(conn)
        return self._key

    # ------------------------------------------------------------------ the token endpoint

    def grant(self, conn: sqlite3.Connection, form: Mapping[str, str]) -> dict[str, Any]:
        grant_type = (form.get("grant_type") or "").strip()
        client_id, secret = (form.get("client_id") or "").strip(), form.get("client_secret") or ""
        if grant_type == "client_credentials":
            username = (form.get("username") or "").strip()
            if "@" not in username:
                raise OAuthError("invalid_request", "username must be <user>@<company> (|<entity> optional)")
            user_part, _, company_part = username.partition("@")
            company_id, _, entity = company_part.partition("|")
            company, custom = self._client_company(conn, company_id, client_id, secret)
            user = company.user(user_part)
            if user is None or user.status != "active":
                raise OAuthError("invalid_grant", f"The user '{user_part}' cannot sign in to company '{company_id}'.")
            try:
                entity_id = credentials.resolve_entity(company, user, entity or None)
            except IntacctError as exc:
                raise OAuthError("invalid_grant", exc.first.description2) from None
            return self._issue(conn, TokenOwner(company, custom, user, entity_id, client_id))
        if grant_type == "refresh_token":
            who = oauth.take_refresh(conn, (form.get("refresh_token") or "").strip(), self.clock.now())
            if who is None:
                raise TokenInvalidError("The refresh token is not valid, has expired or was already used.")
            company, custom = self._client_company(conn, who.company_key, client_id, secret)
            if who.client_id != client_id:
                raise TokenInvalidError("The refresh token belongs to another client.")
            user = company.user(who.userid)
            if user is None or user.status != "active":
                raise TokenInvalidError("The token's user can no longer sign in.")
            return self._issue(conn, TokenOwner(company, custom, user, who.entity or None, client_id))
        if grant_type == "authorization_code":
            return self._redeem(conn, form, client_id, secret)
        raise OAuthError("unsupported_grant_type", f"grant_type '{grant_type}' is not supported here: use "
                                                   "client_credentials, authorization_code or refresh_token.")

    # ------------------------------------------------------------------ authorization code + PKCE

    def authorize(self, conn: sqlite3.Connection, params: Mapping[str, str], username: str,
                  password: str | None) -> str:
        """A code for ``username`` (``user@company[|entity]``) signing in to ``client_id``; the
        password is checked when given (the sign-in page), not for ``login_hint`` (the configured
        user, signed in at once: a mock's way past the browser)."""
        if (params.get("response_type") or "code") != "code":
            raise OAuthError("unsupported_response_type", "response_type must be 'code'.")
        client_id, redirect = (params.get("client_id") or "").strip(), (params.get("redirect_uri") or "").strip()
        if not redirect.startswith(("http://", "https://")):
            raise OAuthError("invalid_request", "redirect_uri must be an http(s) URL.")
        method = (params.get("code_challenge_method") or ("S256" if params.get("code_challenge") else "")).strip()
        if method not in ("", "S256", "plain"):
            raise OAuthError("invalid_request", "code_challenge_method must be S256 or plain.")
        user_part, _, rest = username.strip().partition("@")
        company_id, _, entity = rest.partition("|")
        found = self.companies.get(conn, company_id) if company_id else None
        if found is None or client_id not in found[0].oauth_clients:
            raise OAuthError("invalid_client", "Unknown client or company.", 401)
        company = found[0]
        user = company.user(user_part)
        if user is None or user.status != "active" or (
                password is not None and not credentials.same_secret(password, user.password)):
            raise OAuthError("access_denied", "Sign-in information is incorrect.", 401)
        try:
            entity_id = credentials.resolve_entity(company, user, entity or None)
        except IntacctError as exc:
            raise OAuthError("access_denied", exc.first.description2, 401) from None
        code = secrets.token_urlsafe(24)
        grant = oauth.Code(oauth.Refresh(company.company_id.upper(), user.userid, entity_id or "", client_id), redirect,
                           (params.get("code_challenge") or "").strip(), method)
        oauth.save_code(conn, code, grant, self.clock.now() + timedelta(seconds=CODE_SECONDS))
        return code

    def _redeem(self, conn: sqlite3.Connection, form: Mapping[str, str], client_id: str, secret: str) -> dict[str, Any]:
        grant = oauth.take_code(conn, (form.get("code") or "").strip(), self.clock.now())
        if grant is None or grant.who.client_id != client_id:
            raise OAuthError("invalid_grant", "The authorization code is not valid, has expired or was already used.")
        if (form.get("redirect_uri") or grant.redirect_uri).strip() != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the one the code was issued for.")
        verifier = (form.get("code_verifier") or "").strip()
        if grant.method:
            made = verifier if grant.method == "plain" else base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or not hmac.compare_digest(made, grant.challenge):
                raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
        found = self.companies.get(conn, grant.who.company_key)
        if found is None:
            raise OAuthError("invalid_grant", "The company is gone.")
        company, custom = found
        if not grant.method or secret:  # a confidential client proves its secret; a PKCE public client need not
            company, custom = self._client_company(conn, grant.who.company_key, client_id, secret)
        user = company.user(grant.who.userid)
        if user is None or user.status != "active":
            raise OAuthError("invalid_grant", "The code's user can no longer sign in.")
        oauth.revoke_user(conn, company.company_id.upper(), user.userid, client_id)  # a new connection
        return self._issue(conn, TokenOwner(company, custom, user, grant.who.entity or None, client_id))

    def _client_company(self, conn, company_id: str, client_id: str, secret: str):
        found = self.companies.get(conn, company_id) if company_id else None
        if found is None:
            raise OAuthError("invalid_client", "Unknown client or company.", 401)
        company, custom = found
        expected = company.oauth_clients.get(client_id)
        if expected is None or not credentials.same_secret(secret, expected):
            raise OAuthError("invalid_client", "The client id or secret is not valid for this company.", 401)
        if company.expired or not company.web_services:
            raise OAuthError("invalid_client", "This company cannot use Web Services.", 401)
        return company, custom

    def _issue(self, conn: sqlite3.Connection, who: TokenOwner) -> dict[str, Any]:
        now = self.clock.now()
        lifetime = self.settings.rest_token_seconds
        claims = {"iss": ISSUER, "sub": f"{who.user.userid}@{who.company.company_id}", "cnyId": who.company.company_id,
                  "usrId": who.user.userid, "entId": who.entity or "", "clientId": who.client_id,
                  "iat": int(now.timestamp()), "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
                  "jti": uuid.uuid4().hex}
        access = jwt.encode(claims, self._signing_key(conn), algorithm="HS256")
        refresh = secrets.token_urlsafe(32)
        oauth.save_refresh(conn, refresh, oauth.Refresh(who.company_key, who.user.userid, who.entity or "", who.client_id),
                           now + timedelta(seconds=self.settings.rest_refresh_seconds))
        return {"access_token": access, "token_type": "Bearer", "expires_in": lifetime, "refresh_token": refresh}

    def issue_for(self, conn: sqlite3.Connection, company_key: str, userid: str, entity: str | None,
                  client_id: str) -> str | None:
        """An access token for a user of a company, without a grant (bundle replay signs in as the
        recorded user); None when the company or user is not there."""
        found = self.companies.get(conn, company_key)
        user = found[0].user(userid) if found else None
        if found is None or user is None:
            return None
        return self._issue(conn, TokenOwner(found[0], found[1], user, entity, client_id))["access_token"]

    # ------------------------------------------------------------------ bearer tokens

    def owner(self, conn: sqlite3.Connection, authorization: str | None, entity_header: str | None) -> TokenOwner:
        """Who a request's ``Authorization: Bearer`` token names; ``X-IA-API-Param-Entity`` moves it
        to another entity the user may use."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise TokenInvalidError("Provide an access token: Authorization: Bearer <token>.")
        try:
            claims = jwt.decode(token.strip(), self._signing_key(conn), algorithms=["HS256"], issuer=ISSUER,
                                options={"require": ["exp", "iat", "cnyId", "usrId"], "verify_exp": False})
        except jwt.PyJWTError:
            raise TokenInvalidError() from None
        if claims["exp"] <= self.clock.now().timestamp():  # the emulator's clock, which tests may move
            raise TokenInvalidError("Token has expired")
        found = self.companies.get(conn, str(claims["cnyId"]))
        user = found[0].user(str(claims["usrId"])) if found else None
        if found is None or user is None or user.status != "active":
            raise TokenInvalidError()
        company, custom = found
        entity = claims.get("entId") or None
        if entity_header is not None and entity_header.strip():
            try:
                entity = credentials.resolve_entity(company, user, entity_header.strip())
            except IntacctError:
                raise TokenInvalidError(f"The entity '{entity_header.strip()}' is not available to this user.") from None
        return TokenOwner(company, custom, user, entity, str(claims.get("clientId") or ""))
