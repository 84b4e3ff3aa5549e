"""Remove secrets from journaled bodies: passwords always, session ids down to a short tail.

Done on bytes with patterns rather than by re-serialising XML, so a malformed body is journaled
as it arrived (minus secrets) and the journal never changes what a test can compare.
"""

from __future__ import annotations

import re

_PASSWORD = re.compile(rb"(<(?:password|new_password|sessionpassword)\b[^>]*>)(.*?)(</)", re.S | re.I)
_SESSION = re.compile(rb"(<sessionid\b[^>]*>)(.*?)(</sessionid>)", re.S | re.I)
_FORM_PASSWORD = re.compile(rb"(%3Cpassword%3E)(.*?)(%3C%2Fpassword%3E)", re.I)


def _session_tail(m: re.Match[bytes]) -> bytes:
    value = m.group(2)
    if not value.strip():
        return m.group(0)
    return m.group(1) + b"***" + value.strip()[-6:] + m.group(3)


def redact(body: bytes | None) -> bytes | None:
    if not body:
        return body
    out = _PASSWORD.sub(lambda m: m.group(1) + b"***" + m.group(3), body)
    out = _FORM_PASSWORD.sub(lambda m: m.group(1) + b"***" + m.group(3), out)
    return _SESSION.sub(_session_tail, out)
