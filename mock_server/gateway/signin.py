"""Sign-in, the XML way: ``<login>`` or ``<sessionid>`` to ``Credentials``, and the
``<authentication>`` block a response echoes (protocol notes 3.2, 3.4, 6)."""

from __future__ import annotations

from ..auth.login import Credentials, Principal
from ..clock import iso_offset
from . import render
from .envelope import Control, Request


def credentials_of(control: Control, request: Request, remote_addr: str) -> Credentials:
    op = request.operation
    if op.login is not None:
        login = op.login
        return Credentials(control.senderid, remote_addr, userid=login.userid, companyid=login.companyid,
                           password=login.password, entity=login.locationid)
    return Credentials(control.senderid, remote_addr, sessionid=op.sessionid or "")


def success_echo(creds: Credentials, who: Principal) -> render.AuthEcho:
    """The authentication block: a sign-in echoes what was sent, a session what it belongs to."""
    if creds.is_login:
        return render.AuthEcho("success", creds.userid or "", creds.companyid or "", who.entity or "",
                               iso_offset(who.now), iso_offset(who.expires_at))
    return render.AuthEcho("success", who.user.userid, who.company.company_id, who.entity or "",
                           iso_offset(who.now), iso_offset(who.expires_at))


def failure_echo(creds: Credentials) -> render.AuthEcho:
    if creds.is_login:
        return render.AuthEcho("failure", creds.userid or "", creds.companyid or "", None)
    return render.AuthEcho("failure", "", "", None)
