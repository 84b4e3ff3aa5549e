"""Authentication, protocol-free: credentials in, a ``Principal`` out, or a typed error.

The XML gateway reads credentials from ``<login>`` or ``<sessionid>``; a REST door will read them
from a token. Either way the same checks run in the same order (notes 4.5, 12): the company
exists and is not expired, the sender is authorised for it, the caller's IP is allowed, the user
is active and the password matches (or the session is live), the entity is one the user may use.
Errors are raised as they are; the front door decides what to echo and where they go.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import Clock
from ..company.model import CompanyConfig, User
from ..config import Settings
from ..errors import InvalidSessionError
from ..objects.custom import CustomFields
from ..store import shared
from ..store.tenants import CompanyStore
from ..store.unit import UnitOfWork
from . import credentials, sessions


@dataclass(frozen=True)
class Credentials:
    """Who a request says it is: a user sign-in (user, company, password) or an API session id."""

    senderid: str
    remote_addr: str
    userid: str | None = None
    companyid: str | None = None
    password: str | None = None
    entity: str | None = None  # None: not asked for; "": top level
    sessionid: str | None = None

    @property
    def is_login(self) -> bool:
        return self.sessionid is None


@dataclass(frozen=True)
class Principal:
    """Who the request runs as, once authentication succeeded."""

    company: CompanyConfig
    custom: CustomFields
    user: User
    entity: str | None
    sessionid: str | None  # the session the request came with (None for a sign-in)
    now: datetime
    expires_at: datetime  # when the session (or a session this sign-in would get) expires

    @property
    def company_key(self) -> str:
        return self.company.company_id.upper()


class Authenticator:
    def __init__(self, settings: Settings, companies: CompanyStore, clock: Clock) -> None:
        self.settings, self.companies, self.clock = settings, companies, clock

    def timeout(self, company: CompanyConfig) -> timedelta:
        return timedelta(seconds=company.session_timeout_seconds or self.settings.session_timeout_seconds)

    def authenticate(self, unit: UnitOfWork, creds: Credentials) -> Principal:
        """Check the credentials; a live session's expiry slides (a deferred write on ``unit``)."""
        conn = unit.conn
        now = self.clock.now()
        version = unit.versions().get(shared.COMPANY_VERSION)
        if creds.is_login:
            found = self.companies.get(conn, creds.companyid or "", version=version)
            if found is None:
                raise credentials.login_failure(self.settings)
            company, custom = found
            credentials.check_company_access(company, creds.senderid, creds.remote_addr)
            user = credentials.check_user(self.settings, company, creds.userid or "", creds.password or "",
                                          creds.remote_addr)
            entity = credentials.resolve_entity(company, user, creds.entity)
            return Principal(company, custom, user, entity, None, now, now + self.timeout(company))
        sid = creds.sessionid or ""
        session = sessions.lookup(conn, sid, now) if sid else None
        if session is None:
            raise InvalidSessionError(sid)
        found = self.companies.get(conn, session.company_key, version=version)
        user = found[0].user(session.userid) if found else None
        if found is None or user is None or user.status != "active":
            raise InvalidSessionError(sid)
        company, custom = found
        credentials.check_company_access(company, creds.senderid, creds.remote_addr)
        timeout = self.timeout(company)
        slide = sessions.slide(session, now, timeout)
        if slide:
            unit.defer(slide)
        expires = max(session.expires_at, now + timeout) if slide else session.expires_at
        return Principal(company, custom, user, session.entity or None, sid, now, expires)

    def issue_session(self, conn: sqlite3.Connection, who: Principal, entity: str | None, *, senderid: str,
                      endpoint: str) -> tuple[str, str]:
        """getAPISession: the same session when nothing changes, a new one for a new entity or a
        sign-in. ``entity`` None keeps the principal's. Returns (session id, entity or '')."""
        target = who.entity if entity is None else (credentials.resolve_entity(who.company, who.user, entity) or None)
        if who.sessionid and (target or None) == (who.entity or None):
            return who.sessionid, target or ""
        session = sessions.issue(conn, company_key=who.company_key, userid=who.user.userid, entity=target,
                                 senderid=senderid, endpoint=endpoint, now=self.clock.now(),
                                 timeout=self.timeout(who.company))
        return session.sessionid, target or ""
