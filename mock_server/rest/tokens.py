"""OAuth 2 for the REST front door: client credentials and rotating refresh tokens, JWT access tokens.

``POST /oauth2/token`` with ``grant_type=client_credentials``, ``client_id``, ``client_secret`` and
``username=<user>@<company>`` (``|<entity>`` for an entity-level token) signs the Web Services
user in for the company's OAuth client (``oauth_clients`` in the company settings) and answers
an access token (a JWT naming company, user and entity, signed with the database's key) and a
refresh token. ``grant_type=refresh_token`` trades a refresh token, once, for a new pair.
"""

from __future__ import annotations

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
        raise OAuthError("unsupported_grant_type", f"grant_type '{grant_type}' is not supported here: use "
                                                   "client_credentials or refresh_token.")

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
        access = jwt.encode(claims, oauth.signing_key(conn), algorithm="HS256")
        refresh = secrets.token_urlsafe(32)
        oauth.save_refresh(conn, refresh, oauth.Refresh(who.company_key, who.user.userid, who.entity or "", who.client_id),
                           now + timedelta(seconds=self.settings.rest_refresh_seconds))
        return {"access_token": access, "token_type": "Bearer", "expires_in": lifetime, "refresh_token": refresh}

    # ------------------------------------------------------------------ bearer tokens

    def owner(self, conn: sqlite3.Connection, authorization: str | None, entity_header: str | None) -> TokenOwner:
        """Who a request's ``Authorization: Bearer`` token names; ``X-IA-API-Param-Entity`` moves it
        to another entity the user may use."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise TokenInvalidError("Provide an access token: Authorization: Bearer <token>.")
        try:
            claims = jwt.decode(token.strip(), oauth.signing_key(conn), algorithms=["HS256"], issuer=ISSUER,
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
