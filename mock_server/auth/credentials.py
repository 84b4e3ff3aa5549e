"""Sender and user credential checks, in the order the gateway applies them (notes 4.5, 12).

Sender ids and passwords are case-sensitive; company and user ids are not. Bad user credentials
answer either the current gateway's HTTP 401 (``login_failure_mode: gateway``, default) or the
legacy HTTP 200 authentication failure; both are real and both are still met in the field.
"""

from __future__ import annotations

import hmac
import ipaddress

from ..company.model import CompanyConfig, User
from ..config import Settings
from ..errors import (
    AuthenticationError,
    CompanyExpiredError,
    GatewayLoginError,
    IntacctError,
    IpNotAllowedError,
    SenderAuthError,
    SenderNotAuthorizedError,
    WebServicesNotSubscribedError,
)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing says nothing about a password."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_sender(settings: Settings, senderid: str, password: str) -> None:
    expected = settings.senders.get(senderid)
    if expected is None or not same_secret(password, expected):
        raise SenderAuthError()


def login_failure(settings: Settings) -> IntacctError:
    if settings.login_failure_mode == "legacy":
        return AuthenticationError()
    return GatewayLoginError()


def check_company_access(company: CompanyConfig, senderid: str, remote_ip: str) -> None:
    """Sender authorisation and IP allow-list: both apply to login and session requests."""
    if company.expired:
        raise CompanyExpiredError()
    if not company.web_services:
        raise WebServicesNotSubscribedError()
    if senderid not in company.senders:
        raise SenderNotAuthorizedError(senderid, company.company_id)
    if company.ip_allowlist and not ip_allowed(remote_ip, company.ip_allowlist):
        raise IpNotAllowedError(remote_ip)


def ip_allowed(remote_ip: str, allowlist: list[str]) -> bool:
    try:
        addr = ipaddress.ip_address(remote_ip)
    except ValueError:
        return False
    for entry in allowlist:
        try:
            if addr in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def check_user(settings: Settings, company: CompanyConfig, userid: str, password: str, remote_ip: str) -> User:
    user = company.user(userid)
    if user is None or user.status != "active" or not same_secret(password, user.password):
        raise login_failure(settings)
    if user.allowed_ips and not ip_allowed(remote_ip, user.allowed_ips):
        raise IpNotAllowedError(remote_ip)
    return user


def resolve_entity(company: CompanyConfig, user: User, requested: str | None) -> str | None:
    """Entity of a new session: the one asked for (validated), else top level (None)."""
    if requested:
        entity = company.entity(requested)
        if entity is None or (user.entities and entity.id not in user.entities):
            raise AuthenticationError(
                f"Sign-in information is incorrect. The entity '{requested}' does not exist or the user has no access to it."
            )
        return entity.id
    if user.entities:
        return user.entities[0]  # entity-restricted users always land in an entity
    return None
