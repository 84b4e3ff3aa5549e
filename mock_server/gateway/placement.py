"""Where an error goes in the answer, decided in one place (protocol notes 3.3-3.6, 4.2).

An error's ``scope`` says how far the request got: a gateway error is a bare non-200 answer, a
control error means nothing ran, an authentication error answers under ``<operation>`` with a
failed authentication block, and a result error stays inside its function's ``<result>``.
"""

from __future__ import annotations

from ..errors import IntacctError, InvalidSessionError, Scope
from . import render
from .envelope import Control
from .http import HttpReply


class Abort(Exception):
    """Leave the request's unit of work (rolling it back) carrying what to answer."""

    def __init__(self, reply: HttpReply, results: list[render.FunctionResult] | None = None) -> None:
        self.reply = reply
        self.results = results


def gateway_reply(err: IntacctError) -> HttpReply:
    """An error raised before (or outside) the request could be read: no control echo."""
    if err.scope is Scope.GATEWAY:
        return HttpReply(err.http_status, render.render_gateway_error(err))
    return HttpReply(200, render.render_control_failure(None, err))


def control_failure(control: Control | None, err: IntacctError) -> HttpReply:
    """Nothing ran: the errors go directly under ``<response>`` after the control echo."""
    if err.scope is Scope.GATEWAY:
        return gateway_reply(err)
    return HttpReply(err.http_status, render.render_control_failure(control, err))


def abort_for(control: Control, echo: render.AuthEcho, err: IntacctError) -> Abort:
    """An error that stops the whole operation (authentication, or one a function raised with a
    scope wider than its result): where its scope says, with ``echo`` as the authentication block."""
    if err.scope is Scope.GATEWAY:
        return Abort(HttpReply(err.http_status, render.render_gateway_error(err)))
    if err.scope is Scope.CONTROL:
        return Abort(HttpReply(200, render.render_control_failure(control, err)))
    return Abort(HttpReply(200, render.render_auth_failure(control, echo, err)))


def failed_echo(echo: render.AuthEcho, err: IntacctError) -> render.AuthEcho:
    """The authentication block for an authentication error found while running (an injected one)."""
    if isinstance(err, InvalidSessionError):
        return render.AuthEcho("failure", "", "", None)
    return render.AuthEcho("failure", echo.userid, echo.companyid, None)
