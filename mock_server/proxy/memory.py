"""What a proxy remembers between requests: whose each session is, and what STATE faults changed.

A proxy has no books and no sessions of its own, yet fault rules match on company and user, and
the journal names them, for requests that only carry a ``<sessionid>``. The upstream tells whose a
session is in every answer's ``<authentication>`` block (and hands new ones out in getAPISession's
``<data>``), so the proxy learns sessions from answers as they pass.

STATE faults cannot change the upstream's world, so this object is the ``World`` they change
(``faults.actions.World``): an expired session and a rotated password are refused here, in the
same shape the emulator refuses them, without asking the upstream. All of it lives in the
process: a restarted proxy starts with no sessions known and nothing rotated.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..auth.credentials import login_failure, same_secret
from ..config import Settings
from ..errors import IntacctError, InvalidSessionError
from ..gateway.envelope import Request

MAX_SESSIONS = 10_000


class ProxyMemory:
    def __init__(self, max_sessions: int = MAX_SESSIONS) -> None:
        self._lock = threading.Lock()
        self._owners: OrderedDict[str, tuple[str, str]] = OrderedDict()  # sessionid -> (company, user)
        self._expired: OrderedDict[str, None] = OrderedDict()
        self._rotated: dict[tuple[str, str], str] = {}  # (COMPANY, user) -> the only password still taken
        self._max = max_sessions

    # ------------------------------------------------------------------ sessions seen

    def learn(self, sessionid: str, company: str, user: str) -> None:
        if not sessionid or not company:
            return
        with self._lock:
            self._owners[sessionid] = (company.strip(), user.strip())  # as the upstream spells them (echoes)
            self._owners.move_to_end(sessionid)
            while len(self._owners) > self._max:
                self._owners.popitem(last=False)

    def owner(self, sessionid: str) -> tuple[str | None, str | None]:
        """(company key, lower-case user), as fault rules and the journal name them."""
        company, user = self.spelled(sessionid)
        return (company.upper(), user.lower()) if company is not None and user is not None else (None, None)

    def spelled(self, sessionid: str) -> tuple[str | None, str | None]:
        """(company id, user id) as the upstream echoed them, for an answer the proxy writes itself."""
        with self._lock:
            found = self._owners.get(sessionid)
        return found if found is not None else (None, None)

    # ------------------------------------------------------------------ World (what STATE faults change)

    def expire_session(self, sessionid: str) -> None:
        with self._lock:
            self._expired[sessionid] = None
            while len(self._expired) > self._max:
                self._expired.popitem(last=False)

    def rotate_password(self, company: str, user: str, new_password: str | None) -> None:
        if company and user:
            with self._lock:
                self._rotated[(company.upper(), user.lower())] = new_password or ""

    def forget_faults(self) -> None:
        """``/_mock/reset``: expired sessions and rotated passwords back as the upstream has them."""
        with self._lock:
            self._expired.clear()
            self._rotated.clear()

    # ------------------------------------------------------------------ refusals

    def refusal(self, settings: Settings, request: Request) -> IntacctError | None:
        """The error the emulator would answer for a session a fault expired, or a login with a
        password a fault rotated away (only the new password, if the rule named one, passes on)."""
        op = request.operation
        with self._lock:
            if op.login is None:
                return InvalidSessionError(op.sessionid or "") if (op.sessionid or "") in self._expired else None
            new = self._rotated.get((op.login.companyid.strip().upper(), op.login.userid.strip().lower()))
        if new is None or (new and same_secret(op.login.password, new)):
            return None
        return login_failure(settings)
